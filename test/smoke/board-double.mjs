// A board double for the smoke runner's tests: the smoke firmware running for real (on the Node
// host, or built for the Moddable simulator) with its output written, byte for byte in a board's
// serial framing, to one end of a socat pseudo-terminal pair. The runner reads the other end.
//
//   node test/smoke/board-double.mjs --pty PATH --peer PATH --format text|xsbug [options] [-- firmware args]
//     --baud N          the firmware's baud (default: 115200 text, 460800 xsbug)
//     --rom esp32|esp8266|none   boot-ROM text first, at 115200 / 74880 (default esp32)
//     --firmware node | sim:PATH/mc.so   (default node: dist/examples/smoke.js; sim: built by the caller)
//     --fault F         SMOKE_FAULT for the firmware (corrupt-echo, no-udp)
//     --hang-after-ready MS   MS after `ready`, the firmware dies and the line goes silent
//     --noise           garbage bytes and cut-off frames between the real ones
//     --only-garbage    never a whole frame: garbage and partial frames only
//     --break           after the login, a <break> the host must answer with <go/>
//
// Like a UART, the pty carries bytes only: the double reads the baud the runner set on the other
// end (baud-watch.py) and, when it differs from the one it "talks" at, the runner gets garbage,
// both ways. Like a debug build (mxDebug), in xsbug format it logs in at boot and waits 2 s for a
// tagged <go/>; unanswered, it disconnects and drops all further output for good. A command tagged
// with another machine's address crashes it (the device casts the tag to its machine pointer):
// it prints a panic and reboots. Status lines go to stderr as `double: …`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SerialPort } from "serialport";
import { sdk, startSim } from "../../scripts/lib/moddable.mjs";
import { deviceFrame, deviceLogFrame, deviceBinaryFrame, deviceDisconnect, CommandReader } from "../../scripts/lib/smoke/framing.mjs";

const args = process.argv.slice(2);
const sep = args.indexOf("--");
const fwArgs = sep >= 0 ? args.slice(sep + 1) : ["0", "0", "0", "0"];
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && (sep < 0 || i < sep) ? args[i + 1] : dflt; };
const flag = (name) => { const i = args.indexOf(name); return i >= 0 && (sep < 0 || i < sep); };

const ptyPath = opt("--pty");
const peerPath = opt("--peer");
const format = opt("--format", "text");
const baud = Number(opt("--baud", format === "xsbug" ? 460800 : 115200));
const rom = opt("--rom", "esp32");
const firmware = opt("--firmware", "node");
const fault = opt("--fault", "");
const hangAfterReady = opt("--hang-after-ready") ? Number(opt("--hang-after-ready")) : undefined;
const noise = flag("--noise");
const onlyGarbage = flag("--only-garbage");
const withBreak = flag("--break");
if (!ptyPath || !peerPath || !["text", "xsbug"].includes(format)) {
  console.error("usage: board-double.mjs --pty PATH --peer PATH --format text|xsbug [options] [-- firmware args]");
  process.exit(2);
}
const say = (m) => console.error(`double: ${m}`);
const MACHINE = 0x3ffb2a48; // "the machine's address": what a board tags its frames with

// ---- the UART: the runner's baud, and garbage when it differs
let peerBaud = 0;
let gotBaud;
const firstBaud = new Promise((r) => { gotBaud = r; });
const watch = spawn("python3", [fileURLToPath(new URL("./baud-watch.py", import.meta.url)), peerPath], { stdio: ["ignore", "pipe", "inherit"] });
watch.stdout.setEncoding("utf8");
watch.stdout.on("data", (t) => { for (const l of t.split("\n").filter(Boolean)) { peerBaud = Number(l); say(`runner baud ${peerBaud}`); gotBaud(); } });

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
const GARBLE = [0x00, 0x80, 0xf8, 0xfe, 0xe0, 0x1c, 0x78, 0xff, 0x86, 0x9e, 0xc0, 0x06];
/** What a receiver at `rx` baud makes of bytes sent at `tx`: mostly framing-error junk. */
function overTheWire(bytes, tx, rx) {
  if (!rx || rx === tx) return bytes;
  const n = Math.max(1, Math.round((bytes.length * rx) / tx));
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = GARBLE[(bytes[Math.floor((i * tx) / rx) % bytes.length] ^ rnd()) % GARBLE.length];
  return out;
}

const port = new SerialPort({ path: ptyPath, baudRate: baud, hupcl: false });
await new Promise((resolve, reject) => { port.once("open", resolve); port.once("error", reject); });
const send = (bytes, at = baud) => { if (!port.destroyed) port.write(overTheWire(bytes, at, peerBaud)); };

// ---- the board's life
let child = null;
let silent = false;    // a debug build after an unanswered login: output dropped for good
let connected = false; // xsbug: login answered
let waitingGo = null;  // resolve() for the next <go/>
const commands = new CommandReader();
port.on("data", (raw) => {
  const bytes = overTheWire(raw, peerBaud || baud, baud);
  for (const c of commands.push(bytes)) {
    if (format !== "xsbug") continue;
    if (c.machine !== MACHINE) { say(`command tagged ${c.machine.toString(16)} is not this machine: crash`); void crash(); return; }
    if (c.xml === "<go/>" && waitingGo) { const w = waitingGo; waitingGo = null; w(); }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ROM_ESP32 = "ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\nconfigsip: 0, SPIWP:0xee\r\nclk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\nmode:DIO, clock div:2\r\nload:0x3fff0030,len:7104\r\nload:0x40078000,len:15576\r\nentry 0x4008067c\r\nI (29) boot: ESP-IDF v6.0 2nd stage bootloader\r\nI (31) boot: compile time Dec  2 2026 05:00:00\r\n";
const ROM_ESP8266 = "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x4010f000, len 3424, room 16 \r\ntail 0\r\nchksum 0x2e\r\nload 0x3fff20b8, len 40, room 0 \r\n";

async function boot() {
  silent = false;
  connected = false;
  send(Buffer.from([0xff, 0x00, 0xf0, 0x0f, 0xc3, 0x28, 0xa0]), baud); // power-on noise, not UTF-8
  if (rom === "esp32") send(Buffer.from(ROM_ESP32, "latin1"), 115200);
  if (rom === "esp8266") send(Buffer.from(ROM_ESP8266, "latin1"), 74880);
  await sleep(300);
  if (onlyGarbage) { void garbageForever(); return; }
  if (format === "xsbug") {
    await sleep(250);
    send(Buffer.from("<?xs-00000000?>\r\n", "latin1"));
    send(deviceFrame(MACHINE, `<login name="main" value="XS 17.3.0 32-bit LE 32-bit ID" flags="e"/>`));
    const answered = await Promise.race([new Promise((r) => { waitingGo = () => r(true); }), sleep(2000).then(() => false)]);
    if (!answered) {
      waitingGo = null;
      send(deviceDisconnect(MACHINE));
      silent = true;
      say("login not answered within 2 s: running on, output dropped for good");
    } else {
      connected = true;
      say("login answered");
      if (withBreak) {
        send(deviceFrame(MACHINE, `<break path="examples/smoke.ts" line="1" id="0">debugger</break>`));
        await new Promise((r) => { waitingGo = r; });
        say("break answered");
      }
      send(deviceBinaryFrame(MACHINE, Buffer.from([1, 2, 3, 0, 0xff])));
    }
  } else {
    send(Buffer.from("I (312) cpu_start: Application information:\r\nI (320) app_init: Project name:     xs_esp32\r\n", "latin1"));
  }
  startFirmware();
}

async function garbageForever() {
  for (;;) {
    const frame = deviceLogFrame(MACHINE, "SMOKE v1 boot firmware=smoke host=double\n");
    send(frame.subarray(0, 20 + (rnd() % 20)));
    send(Buffer.from(Array.from({ length: 40 }, rnd)));
    await sleep(200);
  }
}

function emitLine(text) {
  if (silent) return;
  if (format === "text") { send(Buffer.from(text + "\r\n", "utf8")); return; }
  if (!connected) return;
  if (noise && rnd() % 3 === 0) {
    send(deviceLogFrame(MACHINE, "cut off by the next fra").subarray(0, 30));
    send(Buffer.from([0x00, 0xfe, 0x41, 0x0d, 0x0a, 0xc3]));
  }
  send(deviceLogFrame(MACHINE, text + "\n"));
  if (rnd() % 4 === 0) send(deviceFrame(MACHINE, `<samples>${rnd()},${rnd()},0,1</samples>`));
}

function startFirmware() {
  let pending = "";
  const onText = (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      emitLine(text);
      if (hangAfterReady !== undefined && /SMOKE v1 ready/.test(text)) {
        setTimeout(() => { say("hang: firmware killed, line silent"); silent = true; void stopFirmware(); }, hangAfterReady);
      }
    }
  };
  if (firmware.startsWith("sim:")) {
    // The firmware built for the Moddable simulator: its trace() output is carried to the pty.
    const s = sdk();
    if (!s.ok) { say(`no simulator: ${s.missing.join("; ")}`); process.exit(1); }
    const sim = startSim(s, firmware.slice(4), { onLine: (l) => onText(l + "\n"), onError: (l) => say(`mcsim: ${l}`) });
    child = { kill: () => sim.stop(), stop: () => sim.stop() };
    say("firmware started in mcsim");
    void sim.exited.then((code) => say(`mcsim exited (${code})`));
    return;
  }
  const proc = spawn(process.execPath, [fileURLToPath(new URL("../../dist/examples/smoke.js", import.meta.url)), ...fwArgs],
    { env: { ...process.env, SMOKE_FAULT: fault }, stdio: ["ignore", "pipe", "pipe"] });
  child = { kill: () => proc.kill("SIGKILL"), stop: () => proc.kill("SIGKILL") };
  say(`firmware started (pid ${proc.pid})`);
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", onText);
  proc.stderr.on("data", (b) => process.stderr.write(b));
  proc.on("exit", (code, signal) => say(`firmware exited (${code ?? signal})`));
}

async function stopFirmware() {
  const c = child;
  child = null;
  await c?.stop();
}

async function crash() {
  silent = true;
  await stopFirmware();
  await sleep(50);
  silent = false;
  send(Buffer.from("Guru Meditation Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.\r\n", "latin1"), 115200);
  await sleep(200);
  void boot();
}

const stop = async () => {
  watch.kill("SIGKILL");
  await stopFirmware();
  port.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500);
};
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, stop);
say(`${format} at ${baud} baud on ${ptyPath}`);
await firstBaud;
await boot();
