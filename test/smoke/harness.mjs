// Runs the smoke runner against the board double on a socat pseudo-terminal pair: shared by the
// Node lane (test/node/smoke.test.ts) and the simulator lane (test/sim/smoke.mjs).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const RUNNER = join(ROOT, "scripts/smoke.mjs");
export const DOUBLE = join(ROOT, "test/smoke/board-double.mjs");
export const children = new Set();

/** Kill whatever the harness started and is still running. */
export function killAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  children.clear();
}

/** socat pty,rawer pair: `board` is the double's end, `host` the runner's. */
export async function ptyPair() {
  const dir = mkdtempSync(join(tmpdir(), "usocket-xs-smoke-"));
  const board = join(dir, "board"), host = join(dir, "host");
  const socat = spawn("socat", ["-d", "-d", `pty,rawer,echo=0,link=${board}`, `pty,rawer,echo=0,link=${host}`], { stdio: ["ignore", "ignore", "pipe"] });
  children.add(socat);
  await new Promise((resolve, reject) => {
    let err = "";
    const t = setTimeout(() => reject(new Error(`socat not ready in 5 s: ${err}`)), 5000);
    socat.stderr.on("data", (b) => { err += b; if (/starting data transfer loop/.test(err)) { clearTimeout(t); resolve(); } });
    socat.on("error", (e) => { clearTimeout(t); reject(e); });
    socat.on("exit", (code) => { clearTimeout(t); reject(new Error(`socat exited (${code}): ${err}`)); });
  });
  return {
    board, host,
    async stop() {
      if (socat.exitCode === null) { socat.kill("SIGTERM"); await new Promise((r) => socat.once("exit", r)); }
      children.delete(socat);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Start the runner on the host end; once it listens (it has said it cannot reset a pty), "power
 * on" the double on the board end, as a user presses RESET. boardArgs null: no board at all.
 * Bounded by the runner's --timeout. Resolves { code, out, err, board } (board: the double's log).
 */
export async function smoke(runnerArgs, boardArgs, pty, { boardFirstMs } = {}) {
  const p = pty ?? await ptyPair();
  let boardLog = "";
  let double;
  const startDouble = () => {
    double = spawn(process.execPath, [DOUBLE, "--pty", p.board, "--peer", p.host, ...boardArgs], { stdio: ["ignore", "ignore", "pipe"] });
    children.add(double);
    double.stderr.on("data", (b) => (boardLog += b));
  };
  try {
    // boardFirstMs: the board has been running that long when the runner attaches (--no-reset)
    if (boardArgs && boardFirstMs !== undefined) { startDouble(); await new Promise((r) => setTimeout(r, boardFirstMs)); }
    const runner = spawn(process.execPath, [RUNNER, "--port", p.host, "--host", "127.0.0.1", "--dns", "localhost", "--soak", "2", ...runnerArgs], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(runner);
    let out = "", err = "";
    runner.stdout.on("data", (b) => (out += b));
    const exited = new Promise((r) => runner.on("exit", (code) => r(code)));
    await new Promise((resolve) => {
      runner.stderr.on("data", (b) => { err += b; if (/listening on/.test(err)) resolve(); });
      void exited.then(() => resolve());
    });
    if (boardArgs && !double && runner.exitCode === null) startDouble();
    const code = await exited;
    children.delete(runner);
    return { code, out, err, board: boardLog };
  } finally {
    if (double && double.exitCode === null) { double.kill("SIGTERM"); await new Promise((r) => double.once("exit", r)); }
    if (double) children.delete(double);
    if (!pty) await p.stop();
  }
}

export const show = (r) => `exit ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}\n--- board double\n${r.board}`;
