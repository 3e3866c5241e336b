// Reads a board's serial output: finds its format (plain text, or xsbug frames) and baud, answers
// the debugger handshake a debug build waits 2 s for (<login> and <break> with a tagged <go/>),
// and turns what the smoke firmware prints into `SMOKE v1` events and a state (address, services,
// ready, memory samples). Everything else is kept as the last few lines, for diagnosis.
import { FrameReader, LineReader, hostCommand, parseFrameXml } from "./framing.mjs";
import { parseSmokeLine, memFigures } from "./lines.mjs";
import { flushPort, resetBoard, setBaud, writePort } from "./serial.mjs";

/** Firmware bauds worth trying, likeliest first: ESP32 -d, ESP32 -i, ESP8266 -d, some boards' -d. */
export const BAUDS = [460800, 115200, 921600, 1500000];
/**
 * After a baud switch, bytes the serial bridge (or a pty) had already taken at the old baud still
 * arrive for a while, clean if the old baud was right. They are read, but they cannot decide the
 * format or baud: that needs bytes that came after this long.
 */
export const SETTLE_MS = 300;

export class Board {
  constructor(port, { format = "auto", log = () => {} } = {}) {
    this.port = port;
    this.format = format; // wanted: auto | text | xsbug
    this.locked = null;   // detected: text | xsbug
    this.log = log;
    this.baud = port.baudRate;
    this.settleUntil = 0;
    this.frames = new FrameReader();
    this.lines = new LineReader();
    this.logText = "";
    this.stats = { bytes: 0, garbage: 0, partial: 0, frames: 0, cleanLines: 0, dirtyLines: 0, xsbugSeen: 0 };
    this.perBaud = {};
    this.state = { ip: undefined, services: {}, ready: false, errors: [], mem: [], boots: 0, outbound: [] };
    this.login = null; // { at, machine, answeredAt }
    this.breaks = 0;
    this.disconnected = false;
    this.lastByteAt = 0;
    this.lastSmokeAt = 0;
    this.recent = []; // last non-SMOKE lines
    this.listeners = new Set();
    port.on("data", (chunk) => this.onData(chunk));
    port.on("close", (err) => { this.closed = err ?? true; this.emit({ type: "closed", error: err }); });
    port.on("error", (err) => this.emit({ type: "port-error", error: err }));
  }

  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  emit(ev) { for (const fn of [...this.listeners]) fn(ev); }

  /** Resolve with the first event `pred` accepts, or with null after ms. */
  waitFor(pred, ms) {
    return new Promise((resolve) => {
      const off = this.on((ev) => { if (pred(ev)) { off(); clearTimeout(t); resolve(ev); } });
      const t = setTimeout(() => { off(); resolve(null); }, Math.max(0, ms));
    });
  }

  async switchBaud(baud, reset) {
    this.baud = baud;
    await setBaud(this.port, baud);
    await flushPort(this.port);
    this.settleUntil = Date.now() + SETTLE_MS;
    this.frames = new FrameReader();
    this.lines = new LineReader();
    this.perBaud[baud] ??= { bytes: 0, garbage: 0, clean: 0 };
    return reset ? resetBoard(this.port) : null;
  }

  onData(chunk) {
    this.stats.bytes += chunk.length;
    this.lastByteAt = Date.now();
    const pb = (this.perBaud[this.baud] ??= { bytes: 0, garbage: 0, clean: 0 });
    pb.bytes += chunk.length;
    if (this.locked !== "text") this.readFrames(chunk, pb);
    if (this.locked !== "xsbug") {
      for (const line of this.lines.push(chunk)) this.textLine(line, pb);
    }
    this.emit({ type: "bytes", count: chunk.length });
  }

  readFrames(chunk, pb) {
    for (const ev of this.frames.push(chunk)) {
      if (ev.type === "garbage") { this.stats.garbage += ev.bytes; this.stats.garbageAfterText = (this.stats.garbageAfterText ?? 0) + ev.bytes; pb.garbage += ev.bytes; continue; }
      if (ev.type === "partial") { this.stats.partial++; continue; }
      this.stats.xsbugSeen++;
      if (this.format === "text") continue; // told text: frames are noted (diagnosis), not used
      this.lock("xsbug");
      if (ev.type === "disconnect") {
        // <?xs-00000000?> is the reset marker a debug build sends once at start-up, not a disconnect
        if (ev.machine !== 0) { this.disconnected = true; this.emit({ type: "disconnect" }); }
        continue;
      }
      if (ev.type !== "frame") continue;
      this.stats.frames++;
      pb.clean++;
      for (const item of parseFrameXml(ev.xml)) {
        if (item.type === "login") {
          this.login = { at: Date.now(), machine: ev.machine, name: item.attrs.name, value: item.attrs.value };
          void this.answer(ev.machine, "login");
        } else if (item.type === "break") {
          this.breaks++;
          void this.answer(ev.machine, "break");
        } else if (item.type === "instruments") {
          this.instrumentNames = item.names;
        } else if (item.type === "samples") {
          this.instrumentSample(item.values);
        } else if (item.type === "log") {
          this.logText += item.text;
          let nl;
          while ((nl = this.logText.indexOf("\n")) >= 0) {
            this.textLine({ text: this.logText.slice(0, nl).replace(/\r$/, ""), clean: true }, pb, true);
            this.logText = this.logText.slice(nl + 1);
          }
        }
      }
    }
  }

  async answer(machine, why) {
    const err = await writePort(this.port, hostCommand(machine, "<go/>"));
    if (why === "login" && this.login) this.login.answeredAt = Date.now();
    this.emit({ type: "answered", why, error: err });
  }

  textLine(line, pb, fromFrame = false) {
    if (!line.clean) {
      // garbage then a whole SMOKE line (bytes from before a baud switch, or line noise): keep the line
      const at = line.text.indexOf("SMOKE v1 ");
      const tail = at >= 0 ? line.text.slice(at) : "";
      if (!tail || /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(tail)) { this.stats.dirtyLines++; pb.garbage += line.bytes ?? 0; return; }
      line = { text: tail, clean: true };
    }
    if (!fromFrame && /<\?xs|<\/?xsbug>/.test(line.text)) return; // xsbug frames seen as lines
    const smoke = parseSmokeLine(line.text);
    if (!smoke) {
      const inst = /^instruments( key)?: (.*)$/.exec(line.text.trim());
      if (inst && inst[1]) this.instrumentNames = inst[2].split(",");
      else if (inst) this.instrumentSample(inst[2].split(",").map(Number));
      if (!fromFrame && /^[\x20-\x7e\t]{6,}$/.test(line.text.trim())) {
        this.stats.cleanLines++;
        this.stats.garbageAfterText = 0;
        if (/^instruments:/.test(line.text) && this.format !== "xsbug") this.voteText();
      }
      if (line.text.trim()) { this.recent.push(line.text.slice(0, 200)); if (this.recent.length > 12) this.recent.shift(); }
      return;
    }
    if (!fromFrame) {
      if (this.format === "xsbug") return;
      this.voteText();
    }
    pb.clean++;
    this.lastSmokeAt = Date.now();
    this.lastSmoke = smoke.raw;
    this.apply(smoke);
    this.emit({ type: "smoke", line: smoke });
  }

  /**
   * The SDK's own instrumentation (debug builds: <instruments> then <samples> frames; -i builds:
   * `instruments key:` then `instruments:` lines): the XS heaps used/available, kept first and last.
   */
  instrumentSample(values) {
    const names = (this.instrumentNames ?? []).map((n) => n.trim().toLowerCase());
    const at = (name) => { const i = names.indexOf(name); return i >= 0 && Number.isFinite(values[i]) ? values[i] : undefined; };
    const sample = { chunks: at("chunk used"), chunksAvailable: at("chunk available"), slots: at("slot used"), slotsAvailable: at("slot available") };
    if (sample.chunks === undefined || sample.slots === undefined) return;
    this.state.instruments ??= { first: sample, count: 0 };
    this.state.instruments.last = sample;
    this.state.instruments.count++;
  }

  /** Whether bytes arriving now were taken at the current baud (see SETTLE_MS). */
  settled() { return Date.now() >= this.settleUntil; }

  /**
   * A clean firmware line (a SMOKE v1 or an instruments line) at this baud decides text: garbage
   * at a wrong baud never makes one. (An xsbug frame decides xsbug at once, for the same reason,
   * and because the login must be answered within 2 s.)
   */
  voteText() {
    this.stats.cleanLines++;
    this.lock("text");
  }

  /** The format and baud are found, unless these bytes may be the old baud's (see SETTLE_MS). */
  lock(format) {
    if (this.locked || !this.settled()) return;
    this.locked = format;
    this.emit({ type: "format", format, baud: this.baud });
  }

  apply({ fields, flags }) {
    const s = this.state;
    if (flags.has("boot")) {
      s.boots++;
      if (s.boots > 1) this.emit({ type: "reboot" });
    }
    if (fields.ip) { s.ip = fields.ip; s.ipLines = (s.ipLines ?? 0) + 1; }
    if (fields.service && fields.port) s.services[fields.service] = Number(fields.port);
    if (flags.has("ready")) s.ready = true;
    if (fields.error !== undefined) { s.errors.push(fields.error); if (s.errors.length > 50) s.errors.shift(); }
    if (flags.has("mem")) s.mem.push({ at: Date.now(), ...memFigures(fields) });
    if (flags.has("outbound")) s.outbound.push(fields);
  }
}
