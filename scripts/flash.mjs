// `npm run flash -- <example|dir> --target esp32[/sub]|esp8266[/sub]|sim [--port PATH]
//   [--debug|--instrumented|--release] [--ssid … --password …] [--credentials FILE] [--out DIR] [--dry-run]`
// (also `npx usocket-xs flash …`). Checks the prerequisites (the doctor), then runs mcconfig in the
// app's folder: `-t build`, then `-t deploy` with the same flags (mcconfig's output folders differ
// per flavour), never mcconfig's default `-t all` (on Linux it kills every serial2xsbug and starts
// xsbug; release builds end in `idf.py monitor`, which needs a terminal). The port goes to
// UPLOAD_PORT in the environment (a KEY=value argument would become app config). On `sim` it
// builds for the simulator and runs it (headless without a DISPLAY). Streams mcconfig's output with
// the credentials masked and exits with its status; mcconfig reports some errors ("### Error")
// with status 0, which count as failures here. --dry-run prints the commands and the environment
// and runs nothing (no `make -n` either: it would still run the makefiles' `$(shell pkill …)`).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  UsageError, checkSub, credentials, describePlan, doctor, findApp, formatCheck, parseTarget, plan, redact, secrets,
} from "./lib/device.mjs";

const USAGE = `usage: npm run flash -- <example|app-dir> --target esp32[/sub]|esp8266[/sub]|sim
         [--port PATH] [--debug|--instrumented|--release] [--ssid NAME --password PASS]
         [--credentials FILE] [--out DIR] [--dry-run]
Wi-Fi credentials also come from USOCKET_XS_SSID/USOCKET_XS_PASSWORD or ./.usocket-xs.json.
The default flavour is --debug on a board (xsbug over serial) and --release on sim (trace() to the terminal).`;

export function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: "string" }, port: { type: "string" }, out: { type: "string" },
      debug: { type: "boolean" }, instrumented: { type: "boolean" }, release: { type: "boolean" },
      ssid: { type: "string" }, password: { type: "string" }, credentials: { type: "string" },
      "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new UsageError(`one app at a time (got ${positionals.join(", ")})`);
  const target = parseTarget(values.target);
  if (target.sub && process.env.MODDABLE) {
    const bad = checkSub(process.env, target).find((c) => c.level === "fail");
    if (bad) throw new UsageError(`${bad.text}; ${bad.fix}`);
  }
  const flavours = ["debug", "instrumented", "release"].filter((f) => values[f]);
  if (flavours.length > 1) throw new UsageError(`choose one of --${flavours.join(", --")}`);
  const flavour = flavours[0] ?? (target.device ? "debug" : "release");
  if (!target.device && values.port) throw new UsageError("--port is for a board; the simulator has no serial port");
  const app = findApp(positionals[0]);
  const creds = credentials(values);
  const port = values.port ?? (target.device ? process.env.UPLOAD_PORT || undefined : undefined);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const out = resolve(values.out ?? join(cache, "usocket-xs", app.name));
  return { target, flavour, app, creds, port, out, dryRun: !!values["dry-run"] };
}

/** pid and every process under it (Linux /proc), parents first. */
function descendants(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const c of readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, "utf8").trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch { /* gone, or no /proc */ }
  }
  return out;
}

/** Runs one command, streaming its output line by line with the secrets masked. */
function run(argv, { cwd, env, hidden }) {
  return new Promise((done) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["inherit", "pipe", "pipe"] });
    let sdkError = false;
    const pipe = (from, to) => {
      let pending = "";
      const flush = (text) => {
        if (/^### (Error|\d+ error)/m.test(text)) sdkError = true;
        to.write(redact(text, hidden));
      };
      from.setEncoding("utf8");
      from.on("data", (chunk) => {
        pending += chunk;
        const i = pending.lastIndexOf("\n");
        if (i >= 0) { flush(pending.slice(0, i + 1)); pending = pending.slice(i + 1); }
        if (pending.length > 4096) { flush(pending); pending = ""; }
      });
      from.on("end", () => { if (pending) flush(pending); });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on("error", (e) => { process.stderr.write(`${argv[0]}: ${e.message}\n`); done(127); });
    child.on("close", (code, signal) => done(code === 0 && sdkError ? 1 : code ?? (signal ? 128 : 1)));
  });
}

export async function main(argv) {
  let o;
  try {
    o = parse(argv);
  } catch (e) {
    if (e instanceof UsageError || e.code?.startsWith?.("ERR_PARSE_ARGS")) {
      console.error(`flash: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (o.help) { console.log(USAGE); return 0; }
  const p = plan({ app: o.app, target: o.target, flavour: o.flavour, port: o.port, creds: o.creds, out: o.out });
  const hidden = secrets(o.creds);
  const header = `# usocket-xs flash ${o.app.name} → ${o.target.name} (${o.flavour})${o.creds.from ? `, Wi-Fi credentials from ${o.creds.from}` : ""}`;
  if (o.dryRun) {
    console.log(redact([`${header}: dry run, nothing is run`, ...describePlan(p)].join("\n"), hidden));
    return 0;
  }
  console.log(redact(header, hidden));
  const checks = doctor(o.target, { port: o.port });
  const failed = checks.filter((c) => c.level === "fail");
  for (const c of checks) if (c.level !== "ok") console.log(formatCheck(c));
  if (failed.length) {
    console.error(`flash: ${failed.length} prerequisite(s) missing (npm run doctor -- --target ${o.target.name} shows every check)`);
    return 1;
  }
  const env = { ...process.env };
  for (const [k, v] of Object.entries(p.env)) env[k] = k === "PATH" ? v.split(delimiter).map((d) => (d === "$PATH" ? process.env.PATH ?? "" : d)).join(delimiter) : v;
  mkdirSync(p.out, { recursive: true });
  for (const step of p.steps) {
    console.log(`# ${step.shown.join(" ")}`);
    const status = await run(step.argv, { cwd: p.cwd, env, hidden });
    if (status !== 0) {
      console.error(`flash: ${step.shown.slice(0, 6).join(" ")} failed (status ${status})`);
      return status;
    }
  }
  if (p.sim) {
    console.log(`# ${p.sim.argv.join(" ")} (Ctrl-C stops it)`);
    const child = spawn(p.sim.argv[0], p.sim.argv.slice(1), { cwd: p.cwd, env, stdio: "inherit" });
    // xvfb-run does not pass a signal on to mcsim: stop our own processes, by their ids, deepest first.
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => { for (const pid of descendants(child.pid).reverse()) { try { process.kill(pid, "SIGTERM"); } catch { /* gone */ } } });
    return await new Promise((done) => child.on("close", (code, signal) => done(code ?? (signal ? 0 : 1))));
  }
  if (o.flavour === "debug") console.log(`# flashed a debug build: it talks to xsbug over ${o.port ?? "the serial port"} (start xsbug, then: mcconfig -d -m -p ${o.target.platform} -t xsbug -o ${p.out})`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
