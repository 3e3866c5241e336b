// The Moddable SDK from Node: find its tools, build an app for the Linux simulator with
// `mcconfig -m -p lin -t build` (never without -t build: mcconfig's launch step kills every
// simulator by name), and run mcsim headless under xvfb-run, stopping it by its own PID.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";

export const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

function onPath(tool, path) {
  return path.split(delimiter).some((d) => d && existsSync(join(d, tool)));
}

/**
 * What building and running on the simulator needs, or the list of what is missing.
 * PATH puts the project's node_modules/.bin first (mcconfig runs the bare `tsc`, and needs
 * TypeScript 6 or later), then the SDK's tools.
 */
export function sdk({ run = true } = {}) {
  const missing = [];
  const MODDABLE = process.env.MODDABLE;
  if (!MODDABLE) missing.push("MODDABLE is not set (export MODDABLE=/path/to/moddable, the SDK built for lin)");
  else if (!existsSync(MODDABLE)) missing.push(`MODDABLE=${MODDABLE} does not exist`);
  const bin = MODDABLE ? join(MODDABLE, "build/bin/lin/release") : "";
  const PATH = [join(root, "node_modules/.bin"), process.env.PATH ?? "", bin].filter(Boolean).join(delimiter);
  const need = ["mcconfig", "tsc"];
  if (run) need.push("mcsim", "xvfb-run", "stdbuf");
  for (const tool of need) {
    if (!onPath(tool, PATH)) {
      const where = tool === "tsc" ? " (npm install: the project's typescript)"
        : tool.startsWith("mc") ? ` (not in ${bin || "$MODDABLE/build/bin/lin/release"} or PATH: build the SDK's tools for lin)`
        : tool === "xvfb-run" ? " (Debian package xvfb)" : " (coreutils)";
      missing.push(`${tool} not found${where}`);
    }
  }
  return { ok: missing.length === 0, missing, MODDABLE, bin, env: { ...process.env, MODDABLE, PATH } };
}

/** sdk(), or print what is missing and exit 1. */
export function requireSdk(options) {
  const s = sdk(options);
  if (!s.ok) {
    for (const m of s.missing) console.error(`missing: ${m}`);
    process.exit(1);
  }
  return s;
}

/**
 * Build the app whose manifest is in `dir` for lin into `out` (created): `mcconfig -m -p lin -t build
 * -o out key=value…`. Returns the path of mc.so and the tmp dir (the .xsb files).
 * Output is shown only on failure unless `verbose`.
 */
export function buildLin(s, dir, out, { config = {}, debug = false, instrument = false, verbose = false } = {}) {
  mkdirSync(out, { recursive: true });
  const args = ["-m", "-p", "lin", "-t", "build", "-o", out];
  if (debug) args.push("-d");
  else if (instrument) args.push("-i");
  for (const [k, v] of Object.entries(config)) args.push(`${k}=${v}`);
  const r = spawnSync("mcconfig", args, { cwd: dir, env: s.env, encoding: "utf8", maxBuffer: 64 << 20 });
  const log = (r.stdout ?? "") + (r.stderr ?? "");
  if (verbose) process.stderr.write(log);
  if (r.status !== 0) {
    if (!verbose) process.stderr.write(log);
    throw new Error(`mcconfig ${args.join(" ")} failed in ${dir} (status ${r.status ?? r.signal ?? r.error})`);
  }
  const kind = debug ? "debug" : instrument ? "instrument" : "release";
  const name = basename(dir);
  const so = join(out, "bin/lin/mc", kind, name, "mc.so");
  if (!existsSync(so)) throw new Error(`mcconfig succeeded but ${so} is missing`);
  return { so, tmp: join(out, "tmp/lin/mc", kind, name), log };
}

/**
 * Run mc.so in mcsim under xvfb-run with its own XDG_CONFIG_HOME and line-buffered stdout.
 * onLine gets every stdout line (trace output); stderr lines go to onError.
 * Returns { stop(): Promise<void>, exited: Promise<code> }; stop kills our mcsim by its PID.
 */
export function startSim(s, so, { onLine = (l) => console.log(l), onError = (l) => console.error(l) } = {}) {
  const home = mkdtempSync(join(tmpdir(), "usocket-xs-mcsim-"));
  mkdirSync(join(home, "tech.moddable.mcsim"), { recursive: true }); // mcsim copies mc.so there
  const pidFile = join(home, "mcsim.pid");
  const mcsim = join(s.bin, "mcsim");
  // sh writes its PID, then execs stdbuf which execs mcsim: that PID is mcsim's.
  const child = spawn("xvfb-run", ["-a", "sh", "-c", 'echo $$ > "$0"; exec stdbuf -oL -eL "$1" "$2"', pidFile, mcsim, so], {
    env: { ...s.env, XDG_CONFIG_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = (stream, fn) => {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      pending += chunk;
      let i;
      while ((i = pending.indexOf("\n")) >= 0) { fn(pending.slice(0, i)); pending = pending.slice(i + 1); }
    });
    stream.on("end", () => { if (pending) fn(pending); pending = ""; });
  };
  lines(child.stdout, onLine);
  lines(child.stderr, onError);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  let stopped;
  const mcsimPid = () => {
    try { return Number(readFileSync(pidFile, "utf8").trim()) || undefined; } catch { return undefined; }
  };
  const stop = () => {
    stopped ??= (async () => {
      const pid = mcsimPid();
      if (pid) { try { process.kill(pid, "SIGTERM"); } catch { /* gone */ } }
      else { try { child.kill("SIGTERM"); } catch { /* gone */ } }
      const timer = setTimeout(() => {
        if (pid) { try { process.kill(pid, "SIGKILL"); } catch { /* gone */ } }
        try { child.kill("SIGKILL"); } catch { /* gone */ }
      }, 3000);
      await exited;
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    })();
    return stopped;
  };
  return { child, stop, exited, mcsimPid };
}
