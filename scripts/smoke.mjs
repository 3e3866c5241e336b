// `npm run smoke -- --port PATH [--baud N] [--format auto|text|xsbug] [--timeout S] [--no-reset]
//                   [--host ADDR] [--dns NAME] [--soak S] [-v]`
// Checks a board running the smoke firmware (examples/smoke): reads its serial output (plain text
// or xsbug frames, answering the debugger login a debug build waits for), learns its address and
// service ports, then checks it from this machine over the network: TCP echo, UDP echo, GET / with
// the project's http-get and with curl, 20 concurrent HTTP clients, the outbound check, memory.
// Prints a table; exits 0 only when every check passed, 1 on any failure (each says what to do),
// 2 on bad usage. Bounded: --timeout (default 150 s) for the whole run.
import { openPort, resetBoard, closePort } from "./lib/smoke/serial.mjs";
import { Board, BAUDS, SETTLE_MS } from "./lib/smoke/board.mjs";
import { memoryTrend } from "./lib/smoke/lines.mjs";
import * as checks from "./lib/smoke/checks.mjs";

const USAGE = "usage: npm run smoke -- --port PATH [--baud N] [--format auto|text|xsbug] [--timeout S] [--no-reset] [--host ADDR] [--dns NAME] [--soak S] [-v]";
const SERVICES = ["tcp-echo", "udp-echo", "http", "control"];
const SILENT_MS = 9000;   // the firmware prints a heartbeat every 2 s
const DETECT_MS = 25000;  // to find the format and baud (at most 40 % of --timeout)
const STATE_MS = 75000;   // from the first SMOKE line to `ready` (joining WiFi may take 30 s)

function parseArgs(argv) {
  const o = { format: "auto", timeout: 150, reset: true, dns: "-", soak: 10, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === "--port") o.port = value();
    else if (a === "--baud") { o.baud = Number(value()); if (!Number.isInteger(o.baud) || o.baud <= 0) usage("--baud takes a positive integer"); }
    else if (a === "--format") { o.format = value(); if (!["auto", "text", "xsbug"].includes(o.format)) usage("--format is auto, text or xsbug"); }
    else if (a === "--timeout") { o.timeout = Number(value()); if (!(o.timeout > 0)) usage("--timeout takes seconds > 0"); }
    else if (a === "--no-reset") o.reset = false;
    else if (a === "--host") o.host = value();
    else if (a === "--dns") o.dns = value();
    else if (a === "--soak") { o.soak = Number(value()); if (!(o.soak >= 0)) usage("--soak takes seconds >= 0"); }
    else if (a === "-v" || a === "--verbose") o.verbose = true;
    else if (a === "-h" || a === "--help") { console.log(USAGE); process.exit(0); }
    else usage(`unknown argument ${a}`);
  }
  if (!o.port) usage("--port is required (e.g. --port /dev/ttyUSB0)");
  return o;
}

function usage(msg) {
  console.error(`smoke: ${msg}\n${USAGE}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const deadline = started + opts.timeout * 1000;
const left = () => deadline - Date.now();
const note = (msg) => console.error(`smoke: ${msg}`);
const rows = [];
let port, board;

function row(check, result, ms, detail, advice) {
  rows.push({ check, result, ms, detail, advice });
  if (opts.verbose) note(`${result.toUpperCase()} ${check}: ${detail}`);
}

const CRASHED = "it crashed, hung or lost power: watch its output (a serial terminal at the baud above, or xsbug for a debug build) and run again";
let boardGone = null; // why the checks stopped: the board went silent or closed during a check

/** After a failure: does the board still print (its next heartbeat within SILENT_MS)? */
async function stillTalking() {
  if (board.closed) return false;
  const ev = await board.waitFor((e) => e.type === "smoke" || e.type === "closed", Math.min(SILENT_MS, left() - 2000));
  return ev?.type === "smoke";
}

async function timed(check, fn, advice) {
  if (boardGone) { row(check, "skip", undefined, boardGone); return { result: "skip" }; }
  const t0 = Date.now();
  const r = await fn();
  let why = r.result === "fail" ? (typeof advice === "function" ? advice(r) : advice) : undefined;
  if (r.result === "fail" && !(await stillTalking())) {
    boardGone = `not run: the board stopped talking during "${check}"`;
    why = `the board stopped talking while this check ran, so ${CRASHED}`;
  }
  row(check, r.result, Date.now() - t0, r.detail, why);
  return r;
}

function printTable() {
  const head = ["check", "result", "time", "detail"];
  const body = rows.map((r) => [r.check, r.result.toUpperCase(), r.ms === undefined ? "" : `${(r.ms / 1000).toFixed(1)} s`, r.detail]);
  const w = [0, 1, 2].map((i) => Math.max(head[i].length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c)).join("  ");
  console.log(line(head));
  console.log(line(w.map((n) => "-".repeat(n)).concat("-".repeat(6))));
  for (const b of body) console.log(line(b));
  const failed = rows.filter((r) => r.result === "fail");
  for (const f of failed) console.log(`\nFAIL ${f.check}: ${f.detail}${f.advice ? `\n  what to do: ${f.advice}` : ""}`);
  console.log(failed.length ? `\nsmoke: ${failed.length} check(s) failed` : `\nsmoke: all ${rows.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function finish(code) {
  printTable();
  if (board) board.closing = true;
  await closePort(port);
  process.exit(code ?? (rows.some((r) => r.result === "fail") ? 1 : 0));
}

const overall = setTimeout(() => {
  row("overall", "fail", Date.now() - started, `the run took longer than --timeout ${opts.timeout} s`, "the board is slow or stuck; rerun with -v to see where, or raise --timeout");
  void finish(1);
}, opts.timeout * 1000);
overall.unref?.();

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const lastLines = () => (board.recent.length ? ` Last other output: ${board.recent.slice(-3).map((l) => JSON.stringify(l)).join(", ")}.` : "");

// ---- 1. the port
const bauds = opts.baud ? [opts.baud] : BAUDS;
try {
  port = await openPort(opts.port, bauds[0]);
} catch (e) {
  row("serial port", "fail", Date.now() - started, e.message, undefined);
  await finish(1);
}
board = new Board(port, { format: opts.format });
board.on((ev) => {
  if (!opts.verbose) return;
  if (ev.type === "smoke") note(`board: SMOKE v1 ${ev.line.raw}`);
  else if (ev.type === "answered") note(`answered <${ev.why}> with <go/>${ev.error ? ` (write failed: ${ev.error.message})` : ""}`);
  else if (ev.type === "format") note(`format ${ev.format} at ${ev.baud} baud`);
  else note(`board: ${ev.type}`);
});
let resetNote = "not reset (--no-reset)";
if (opts.reset) {
  const why = await resetBoard(port);
  resetNote = why ? `could not reset over RTS/DTR (${why})` : "reset with an RTS pulse";
  if (why) note(`${resetNote}: press the board's RESET/EN button now, unless it already runs the smoke firmware`);
}
note(`listening on ${opts.port} at ${bauds[0]} baud (${bauds.length > 1 ? `trying ${bauds.join(", ")}` : "--baud"}; format ${opts.format}; ${resetNote})`);

// ---- 2. format and baud
const detectMs = Math.min(DETECT_MS, opts.timeout * 400);
const detectEnd = Date.now() + Math.min(detectMs, left());
if (bauds.length === 1) {
  await board.waitFor((ev) => ev.type === "format" || ev.type === "closed", detectEnd - Date.now());
} else {
  // Stay at the first baud until bytes come: a reset (or the RESET button) makes the boot ROM
  // print at once, so silence is no reason to switch; switching while a debug build logs in would
  // miss the login it sends only once.
  if (board.stats.bytes === 0) await board.waitFor((ev) => ev.type === "closed" || ev.type === "bytes", detectEnd - Date.now());
  let first = true;
  while (!board.locked && !board.closed && Date.now() < detectEnd) {
    for (const baud of bauds) {
      if (board.locked || board.closed || Date.now() >= detectEnd) break;
      if (!first) await board.switchBaud(baud, opts.reset);
      first = false;
      const bytesBefore = board.perBaud[baud]?.bytes ?? 0;
      // The board talks (bytes came), so give each baud longer than the firmware's 2 s heartbeat
      // after the switch settles; once bytes come at this baud, 2.5 s more for a frame or a SMOKE
      // line (longer while clean text keeps coming: a firmware line may be on its way).
      await board.waitFor((ev) => ev.type === "format" || ev.type === "closed", Math.min(SETTLE_MS + 2500, detectEnd - Date.now()));
      if ((board.perBaud[baud]?.bytes ?? 0) > bytesBefore && !board.locked) {
        const until = Math.min(Date.now() + (board.stats.cleanLines ? 4500 : 2500), detectEnd);
        await board.waitFor((ev) => ev.type === "format" || ev.type === "closed", until - Date.now());
      }
    }
  }
}
if (board.closed) {
  row("serial port", "fail", Date.now() - started, `${opts.port} closed while reading (${board.closed?.message ?? "disconnected"})`, "the board was unplugged or reset its USB (boards with native USB re-enumerate on reset): plug it in and run again");
  await finish(1);
}
if (!board.locked) {
  const st = board.stats;
  const tried = Object.keys(board.perBaud).join(", ") || bauds.join(", ");
  let detail, advice;
  if (st.bytes === 0) {
    detail = `the board printed nothing in ${Math.round(detectMs / 1000)} s at ${tried} baud`;
    advice = "a release build prints nothing over serial (ESP32 and ESP8266), nor does an ESP8266 -i build: flash the smoke firmware as a debug build (npm run flash -- smoke --target esp32|esp8266 --ssid NAME --password KEY: debug is the default) or, on ESP32, an instrumented one (--instrumented). Also check the cable and the port (is this the board?), and press RESET if the port cannot reset it.";
  } else if (st.xsbugSeen && opts.format === "text") {
    detail = `xsbug frames arrived (a debug build), but --format text was asked for`;
    advice = "run again with --format xsbug or --format auto";
  } else if (st.partial > 0) {
    detail = `${st.partial} xsbug frames arrived cut short, and ${st.garbage} bytes of garbage, never a whole frame or a SMOKE v1 line`;
    advice = "a noisy or loose connection, or a wrong baud rate: try another USB cable or port, leave --baud out, and keep the cable short";
  } else if (st.cleanLines > 0 && (st.garbageAfterText ?? 0) > 8) {
    detail = `boot-ROM text came through at ${board.baud} baud, then ${st.garbageAfterText} bytes that are neither xsbug frames nor lines.${lastLines()}`;
    advice = `the firmware talks at another baud: leave --baud out to try ${BAUDS.join(", ")}, or pass its rate: 460800 ESP32 debug (-d), 921600 ESP8266 debug, 115200 ESP32 -i, the subplatform's DEBUGGER_SPEED otherwise`;
  } else if (st.cleanLines > 0) {
    detail = `the board prints text (${st.cleanLines} lines) at ${board.baud} baud but no SMOKE v1 lines.${lastLines()}`;
    advice = "is the smoke firmware flashed? (npm run flash -- smoke --target esp32 --ssid NAME --password KEY). Boot-ROM text alone means the firmware prints at another baud (pass --baud: 460800 ESP32 -d, 921600 ESP8266 -d, 115200 ESP32 -i) or is a release build";
  } else {
    detail = `${st.bytes} bytes arrived at ${tried} baud, none of them an xsbug frame or a SMOKE v1 line (garbage: ${st.garbage} bytes, ${st.partial} partial frames)`;
    advice = `wrong baud rate? Leave --baud out to try ${BAUDS.join(", ")}, or pass the firmware's: 460800 for ESP32 debug (-d), 921600 for ESP8266 debug, 115200 for ESP32 -i, the subplatform's DEBUGGER_SPEED (e.g. 1500000) otherwise.`;
  }
  row("serial format", "fail", Date.now() - started, detail, advice);
  await finish(1);
}
row("serial format", "pass", Date.now() - started, `${board.locked} at ${board.baud} baud${board.stats.garbage ? `, ${board.stats.garbage} garbage bytes skipped` : ""}${board.stats.partial ? `, ${board.stats.partial} partial frames` : ""}`);

// ---- 3. the firmware's state: address, services, ready
const stateT0 = Date.now();
const complete = () => board.state.ip && board.state.ready && SERVICES.every((s) => board.state.services[s]);
const stateEnd = Date.now() + Math.min(STATE_MS, left());
while (!complete() && !board.closed && !board.disconnected && Date.now() < stateEnd) {
  // the block repeats every 10 s; a board that goes quiet for longer is stuck
  const quiet = Date.now() - Math.max(board.lastSmokeAt, board.lastByteAt, stateT0);
  if (quiet > SILENT_MS * 2) break;
  if ((board.state.ipLines ?? 0) >= 2) break; // the block came round again without what is missing
  if (!board.state.ip && board.state.errors.filter((e) => e.startsWith("wifi:")).length >= 3) break; // three failed joins
  await board.waitFor((ev) => ev.type === "smoke" || ev.type === "closed" || ev.type === "disconnect", Math.min(1000, stateEnd - Date.now()));
}
{
  const s = board.state;
  const errors = s.errors.length ? ` Board errors: ${s.errors.slice(-3).join(" | ")}.` : "";
  if (board.locked === "xsbug" && board.disconnected && !complete()) {
    const l = board.login;
    row("firmware", "fail", Date.now() - stateT0, l && l.answeredAt
      ? `the board disconnected its debugger after we answered its login (in ${l.answeredAt - l.at} ms)${errors}`
      : `the board's debugger login was not answered within 2 s, and a debug build then drops all output for good${errors}`,
    "reset the board (RESET/EN, or let the runner reset it: leave out --no-reset) and run again right away; close any xsbug/serial2xsbug that may have answered first");
    await finish(1);
  }
  if (board.lastSmokeAt === 0) {
    row("firmware", "fail", Date.now() - stateT0, `${board.locked} output at ${board.baud} baud, but no SMOKE v1 line.${lastLines()}`,
      "flash the smoke firmware (npm run flash -- smoke --target esp32 --ssid NAME --password KEY): another program prints here");
    await finish(1);
  }
  if (!s.ip) {
    const noWifi = s.errors.some((e) => /EOPNOTSUPP|has no WiFi/.test(e));
    row("wifi", "fail", Date.now() - stateT0, `the board never reported an IP address.${errors}`, noWifi
      ? "this build of the firmware has no WiFi support on its host: rebuild it with the project's manifest (npm run flash -- smoke …)"
      : "check the WiFi name and password given to the build (npm run flash -- smoke --target esp32 --ssid NAME --password KEY), that the network is 2.4 GHz, and that the board is in range");
    await finish(1);
  }
  row("wifi", "pass", Date.now() - stateT0, `ip=${s.ip}`);
  const missing = SERVICES.filter((n) => !s.services[n]);
  if (missing.length || !s.ready) {
    row("services", "fail", Date.now() - stateT0,
      `${missing.length ? `never came up: ${missing.join(", ")}` : "all listed, but no `ready`"} (up: ${Object.entries(s.services).map(([k, v]) => `${k}:${v}`).join(" ") || "none"}).${errors}`,
      "the firmware could not start a service: see the board errors; a port in use or out of sockets/memory are the usual causes");
    await finish(1);
  }
  row("services", "pass", Date.now() - stateT0, SERVICES.map((n) => `${n}:${s.services[n]}`).join(" "));
}

// ---- 4. the network checks
const host = opts.host ?? board.state.ip;
const sv = board.state.services;
const unreachable = `the board is not reachable from this machine at ${host}: is this computer on the same network (not a guest WiFi that isolates clients)? A firewall?`;
let reboots = 0;
board.on((ev) => { if (ev.type === "reboot") reboots++; });
const checksT0 = Date.now();
await timed("tcp echo", () => checks.tcpEcho(host, sv["tcp-echo"]), (r) => (/checksum/.test(r.detail) ? "bytes were corrupted between this machine and the board: run again; if it repeats, report it with the output of -v" : unreachable));
await timed("udp echo", () => checks.udpEcho(host, sv["udp-echo"]), `UDP does not get through to ${host}: a firewall on this machine, or a network that drops UDP`);
await timed("http-get", () => checks.httpGetExample(host, sv.http), unreachable);
await timed("curl", () => checks.httpCurl(host, sv.http), unreachable);
await timed(`http x${checks.HTTP_CLIENTS}`, () => checks.httpConcurrent(host, sv.http), "the board could not serve 20 clients at once: out of sockets or memory (see the mem lines with -v)");
await timed("outbound", () => checks.outbound(host, sv.control, opts.dns), "the board could not resolve the name or connect back to this machine: check its DNS/gateway (SMOKE v1 ip= line), and that this machine accepts incoming TCP");

// a short soak so the memory trend has samples under load
const soakEnd = Math.min(checksT0 + opts.soak * 1000, deadline - 5000);
let soakRounds = 0, soakFailures = 0;
while (!boardGone && Date.now() < soakEnd) {
  const r = await checks.tcpEcho(host, sv["tcp-echo"]).catch(() => ({ result: "fail" }));
  soakRounds++;
  if (r.result !== "pass") soakFailures++;
  if (soakFailures > 2) break;
  await sleep(Math.min(500, soakEnd - Date.now()));
}

// ---- 5. still alive, no restart, memory
if (!boardGone) await board.waitFor((ev) => ev.type === "smoke" && ev.line.flags.has("mem"), Math.min(SILENT_MS, left() - 1000));
const quietFor = Date.now() - board.lastSmokeAt;
if (board.closed) {
  row("board alive", "fail", undefined, `${opts.port} closed during the run`, "the board was unplugged or its USB reset; check the cable and power");
} else if (quietFor > SILENT_MS) {
  row("board alive", "fail", undefined, `the board stopped talking ${Math.round(quietFor / 1000)} s ago (no heartbeat; its last line: ${JSON.stringify(`SMOKE v1 ${board.lastSmoke ?? ""}`)})`, CRASHED);
} else if (reboots > 0) {
  row("board alive", "fail", undefined, `the board restarted ${reboots} time(s) during the run`, "a crash or a brown-out: power it from a better USB port or supply; look for a panic in its serial output");
} else {
  const st = board.stats;
  const serial = board.locked === "xsbug" ? `serial: ${st.frames} frames, ${st.garbage} garbage bytes, ${st.partial} partial frames skipped` : `serial: ${st.dirtyLines} garbled lines skipped`;
  row("board alive", "pass", undefined, `heartbeat ${Math.round(quietFor / 100) / 10} s ago${soakRounds ? `; soak: ${soakRounds} TCP echo rounds, ${soakFailures} failed` : ""}; ${serial}`);
}
if (soakFailures) row("soak", "fail", undefined, `${soakFailures} of ${soakRounds} TCP echo rounds failed after the checks`, "the board degrades under repeated load: see the mem lines (-v)");
const trend = memoryTrend(board.state.mem);
const inst = board.state.instruments;
const sdkFigures = inst ? `; SDK instruments (${inst.count}): chunks ${inst.last.chunks}/${inst.last.chunksAvailable}, slots ${inst.last.slots}/${inst.last.slotsAvailable} bytes used/available` : "";
row("memory", trend.verdict, undefined, trend.detail + sdkFigures, "memory leaks under the checks' load: report it with the mem lines (-v)");
clearTimeout(overall);
await finish();
