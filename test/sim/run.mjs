// `npm run test:sim`: the behaviour suite (test/behaviour/*.test.ts) inside the Moddable simulator.
// Builds test/sim (mcconfig -m -p lin -t build, into build/sim/test), listens for the app's control
// connection on 127.0.0.1, runs mcsim headless under xvfb-run, starts the peers the tests ask for
// (python3 …) on this side, prints one line per test and "N passed, N failed", and always stops its
// own mcsim by PID. Skips (exit 0) when MODDABLE is unset. Exit 1 on any failure, on zero tests,
// on a crash of the app, or when the run hangs (no message for IDLE_MS, or longer than TOTAL_MS).
// The app runs at mcconfig's default creation.stack (384 slots); without --grep, test/sim/stack.mjs
// then checks the library at 256 (ESP8266) and that no manifest raises the default, and
// test/sim/examples.mjs runs the article's server and client (station block first) in mcsim.
import { createServer } from "node:net";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { root, sdk, buildLin, startSim } from "../../scripts/lib/moddable.mjs";
import { SKIPS } from "./skips.mjs";
import { createPeers } from "../lib/peers.mjs";

const TOTAL_MS = Number(process.env.SIM_TOTAL_MS ?? 30 * 60_000);
const IDLE_MS = Number(process.env.SIM_IDLE_MS ?? 120_000);
const CONNECT_MS = 60_000;
const verbose = process.argv.includes("-v") || !!process.env.SIM_VERBOSE;
const grep = (() => { const i = process.argv.indexOf("--grep"); return i > 0 ? process.argv[i + 1] : undefined; })();

if (!process.env.MODDABLE) {
  console.log("test:sim skipped: MODDABLE is not set (the Moddable SDK built for lin is needed)");
  process.exit(0);
}
const s = sdk();
if (!s.ok) {
  for (const m of s.missing) console.error(`missing: ${m}`);
  process.exit(1);
}

const modules = readdirSync(join(root, "test/behaviour"))
  .filter((f) => f.endsWith(".test.ts"))
  .sort()
  .map((f) => `test/behaviour/${f.slice(0, -3)}`);
if (modules.length === 0) {
  console.error("no test/behaviour/*.test.ts");
  process.exit(1);
}

// The control port: fixed when free (the build is then unchanged from the last run), else any.
function listen(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
let server;
try { server = await listen(Number(process.env.SIM_CONTROL_PORT ?? 47613)); }
catch { server = await listen(0); }
const controlPort = server.address().port;

console.log(`test:sim: building test/sim for lin (control port ${controlPort})…`);
let built;
try {
  built = buildLin(s, join(root, "test/sim"), join(root, "build/sim"), { config: { controlPort } });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

let sendToSim = () => {}; // set when the app connects
const peers = createPeers((ev) => sendToSim({ t: "peer", ...ev }), { stderrTail: 4000 });
let passed = 0, failed = 0, skipped = 0, done = false, crashed = "";
// The app's abort hook keeps the VM going so the rest of the suite still reports, but on a device
// (no hook) each of these would have stopped the VM: any one fails the run.
let aborts = 0;
let lastMessage = Date.now();
const simLog = [];

const sim = startSim(s, built.so, {
  onLine(l) {
    simLog.push(l);
    if (simLog.length > 200) simLog.shift();
    if (verbose) console.log(`  [sim] ${l}`);
    if (/XS abort/.test(l)) {
      aborts++;
      if (!verbose) console.log(`  [sim] ${l}`);
    }
  },
  onError(l) { if (verbose) console.error(`  [sim:err] ${l}`); },
});

let finish;
const finished = new Promise((resolve) => { finish = resolve; });

const ascii = (text) => text.replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

server.on("connection", (conn) => {
  if (server.taken) { conn.destroy(); return; }
  server.taken = true;
  lastMessage = Date.now();
  sendToSim = (m) => { if (!conn.destroyed) conn.write(ascii(JSON.stringify(m)) + "\n"); };
  sendToSim({ t: "start", modules, skips: SKIPS, only: grep });
  let buf = "";
  conn.setEncoding("utf8");
  conn.on("data", (chunk) => {
    lastMessage = Date.now();
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line) handle(JSON.parse(line));
    }
  });
  conn.on("close", () => { if (!done) { crashed ||= "the app closed the control connection before it was done"; finish(); } });
  conn.on("error", () => {});
});

function handle(m) {
  if (peers.handle(m.t, m)) return;
  switch (m.t) {
    case "result": {
      if (m.status === "pass") { passed++; console.log(`  ok    ${m.name} (${m.ms} ms)`); }
      else if (m.status === "skip") { skipped++; console.log(`  skip  ${m.name}: ${m.error ?? ""}`); }
      else {
        failed++;
        console.log(`  FAIL  ${m.name} (${m.ms} ms)`);
        const text = String(m.error ?? "");
        for (const l of (text.length > 1500 ? text.slice(0, 1500) + " …" : text).split("\n")) console.log(`          ${l}`);
      }
      break;
    }
    case "log": console.log(`  [sim] ${m.text}`); break;
    case "fatal": crashed = `the app failed: ${m.error}`; finish(); break;
    case "done": done = true; finish(); break;
  }
}

const watchdog = setInterval(() => {
  if (Date.now() - lastMessage > IDLE_MS) { crashed = `no message from the app for ${IDLE_MS / 1000} s (hang)`; finish(); }
}, 1000);
const total = setTimeout(() => { crashed = `the run took longer than ${TOTAL_MS / 1000} s`; finish(); }, TOTAL_MS);
sim.exited.then((code) => { if (!done) { crashed ||= `mcsim exited (${code})`; finish(); } });
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { interrupted = true; crashed = `interrupted (${sig})`; finish(); });

await finished;
clearInterval(watchdog);
clearTimeout(total);
peers.killAll();
await sim.stop();
server.close();

if (crashed) {
  console.log(`test:sim: ${crashed}`);
  if (!verbose) { console.log("last simulator output:"); for (const l of simLog.slice(-30)) console.log(`  [sim] ${l}`); }
}
if (aborts) console.log(`test:sim: ${aborts} XS abort(s) during the run: each would stop the VM on a device (see [sim] lines above)`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped (test/sim/skips.mjs)` : ""}`);
let stackFailed = false;
if (!grep && !interrupted) {
  // The stack check (test/sim/stack.mjs): the library at creation.stack 256, and no manifest
  // raising the SDK's default. Left out with --grep, which asks for some tests only.
  const r = spawnSync(process.execPath, [join(root, "test/sim/stack.mjs")], { stdio: "inherit" });
  stackFailed = r.status !== 0;
  // The article's server and client in the simulator, with their station block (test/sim/examples.mjs).
  const e = spawnSync(process.execPath, [join(root, "test/sim/examples.mjs")], { stdio: "inherit" });
  stackFailed ||= e.status !== 0;
}
process.exit(crashed || failed > 0 || aborts > 0 || passed === 0 || interrupted || stackFailed ? 1 : 0);
