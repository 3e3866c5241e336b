// The node lane of the test harness: mocha's globals, node:child_process for peers, timers.
import { spawn as spawnProcess, type ChildProcess } from "node:child_process";
import type { Harness, Peer, PeerExit } from "./api";
import { simulateWifi } from "../../hosts/node/host-wifi";
import type { WorldDescription } from "../../hosts/node/wifi-world";

const live = new Set<ChildProcess>();

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) {
    try { child.kill("SIGKILL"); } catch { /* already gone */ }
  }
}

function startPeer(command: string, args: string[]): Peer {
  const child = spawnProcess(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  let stdout = "";
  let stderr = "";
  let pending = ""; // stdout not yet split into lines
  const lines: string[] = [];
  const waiters: { resolve(line: string): void; reject(e: Error): void }[] = [];
  let exited: PeerExit | undefined;
  let spawnError: Error | undefined;

  const flushLines = () => {
    for (;;) {
      const i = pending.indexOf("\n");
      if (i < 0) break;
      const line = pending.slice(0, i).replace(/\r$/, "");
      pending = pending.slice(i + 1);
      const w = waiters.shift();
      if (w) w.resolve(line); else lines.push(line);
    }
  };
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (s: string) => { stdout += s; pending += s; flushLines(); });
  child.stderr!.on("data", (s: string) => { stderr += s; });
  child.stdin!.on("error", () => { /* the peer may exit before reading its stdin */ });

  const exit = new Promise<PeerExit>((resolve) => {
    const done = (code: number | null) => {
      if (exited) return;
      live.delete(child);
      if (pending) { pending += "\n"; flushLines(); }
      exited = { code, stdout, stderr };
      const why = spawnError
        ? new Error(`${command}: ${spawnError.message}`)
        : new Error(`${command} exited (code ${code}) before writing a line; stderr: ${stderr.trim().slice(-2000)}`);
      for (const w of waiters.splice(0)) w.reject(why);
      resolve(exited);
    };
    child.on("error", (e) => { spawnError = e; done(null); });
    child.on("close", (code) => done(code));
  });

  return {
    line() {
      const l = lines.shift();
      if (l !== undefined) return Promise.resolve(l);
      if (exited) {
        return Promise.reject(new Error(`${command} exited (code ${exited.code}) before writing a line; stderr: ${exited.stderr.trim().slice(-2000)}`));
      }
      return new Promise<string>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    exit,
    write(text: string, end = false) {
      if (!child.stdin!.writable) return;
      if (text) child.stdin!.write(text);
      if (end) child.stdin!.end();
    },
    kill() { kill(child); },
  };
}

export const harness: Harness = {
  lane: "node",
  scale: 1,
  describe(name, body) { describe(name, body); },
  it(name, body, timeoutMs) {
    const test = it(name, async function () { await body(); });
    if (timeoutMs !== undefined) test.timeout(timeoutMs);
  },
  before(body, timeoutMs) {
    before(async function () { if (timeoutMs !== undefined) this.timeout(timeoutMs); await body(); });
  },
  after(body) { after(async () => { await body(); }); },
  afterEach(body) { afterEach(async () => { await body(); }); },
  spawn: startPeer,
  sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); },
  now() { return performance.now(); },
  simulateWifi(description) { return simulateWifi(description as WorldDescription | null); },
};

// A root hook: whatever a test left running is killed when the run ends.
after(async () => {
  const left = [...live];
  for (const c of left) kill(c);
  await Promise.all(left.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once("close", () => resolve());
  })));
});
