// What crosses the serial line of a Moddable board, both ways (facts and sources:
// ../shared/reference/flash-serial-facts.md §5; M/xs/platforms/esp/xsPlatform.c, xsDebug.c).
//   device → host, text frame:   \r\n<?xs.HHHHHHHH?>\r\n<xsbug>…</xsbug>\r\n   (HHHHHHHH: the machine)
//   device → host, binary frame: \r\n<?xs#HHHHHHHH?>\r\n + 2-byte big-endian length + payload
//   device → host, disconnect:   \r\n<?xs-HHHHHHHH?>\r\n
//   host → device, command:      \r\n<?xs.HHHHHHHH?>\r\n<go/>\r\n  (the tag must name the machine:
//                                the device casts it to its machine pointer)
// Used by the smoke runner (reading a board) and by its board double (writing like one).

const PI = Buffer.from("\r\n<?xs");
const END = Buffer.from("</xsbug>\r\n");
const MAX_FRAME = 64 * 1024;

/** fxEchoString: control characters, " & < > and DEL become &#NN; everything else passes. */
export function escapeText(text) {
  return text.replace(/[\u0000-\u001f"&<>\u007f]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function unescapeText(text) {
  return text.replace(/&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot|apos);/gi, (_m, e) => {
    const k = e.toLowerCase();
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "amp") return "&";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    return String.fromCodePoint(k[1] === "x" ? parseInt(k.slice(2), 16) : Number(k.slice(1)));
  });
}

const hex8 = (machine) => (machine >>> 0).toString(16).toUpperCase().padStart(8, "0");

export function deviceFrame(machine, xml) {
  return Buffer.from(`\r\n<?xs.${hex8(machine)}?>\r\n<xsbug>${xml}</xsbug>\r\n`, "utf8");
}
export function deviceLogFrame(machine, text) {
  return deviceFrame(machine, `<log>${escapeText(text)}</log>`);
}
export function deviceBinaryFrame(machine, payload) {
  const head = Buffer.from(`\r\n<?xs#${hex8(machine)}?>\r\n`, "latin1");
  const len = Buffer.from([(payload.length >> 8) & 0xff, payload.length & 0xff]);
  return Buffer.concat([head, len, payload]);
}
export function deviceDisconnect(machine) {
  return Buffer.from(`\r\n<?xs-${hex8(machine)}?>\r\n`, "latin1");
}
export function hostCommand(machine, xml) {
  return Buffer.from(`\r\n<?xs.${hex8(machine)}?>\r\n${xml}\r\n`, "latin1");
}

/** Parses `\r\n<?xs?HHHHHHHH?>` at i; returns { kind, machine, next } or null (not yet / not one). */
function header(buf, i) {
  if (buf.length < i + 17) return null; // \r\n<?xs + kind + 8 hex + ?>
  const kind = String.fromCharCode(buf[i + 6]);
  if (kind !== "." && kind !== "#" && kind !== "-") return { bad: true };
  const hex = buf.toString("latin1", i + 7, i + 15);
  if (!/^[0-9A-Fa-f]{8}$/.test(hex) || buf[i + 15] !== 0x3f || buf[i + 16] !== 0x3e) return { bad: true };
  return { kind, machine: parseInt(hex, 16), next: i + 17 };
}

/**
 * Device → host reader. push(bytes) returns events:
 *   { type: "frame", machine, xml }   the inside of <xsbug>…</xsbug>
 *   { type: "binary", machine, length }
 *   { type: "disconnect", machine }
 *   { type: "garbage", bytes }         bytes outside any frame (ROM text, noise, a wrong baud)
 *   { type: "partial", bytes }         a frame cut short by the next header or by its size
 */
export class FrameReader {
  constructor() {
    this.buf = Buffer.alloc(0);
  }
  push(chunk) {
    const events = [];
    let buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let i = 0;
    for (;;) {
      const at = buf.indexOf(PI, i);
      if (at < 0) {
        // keep a tail that may be the start of a header
        const keep = Math.min(buf.length - i, PI.length - 1);
        if (buf.length - keep > i) events.push({ type: "garbage", bytes: buf.length - keep - i });
        i = buf.length - keep;
        break;
      }
      if (at > i) events.push({ type: "garbage", bytes: at - i });
      const h = header(buf, at);
      if (h === null) { i = at; break; }
      if (h.bad) { events.push({ type: "garbage", bytes: PI.length }); i = at + PI.length; continue; }
      if (h.kind === "-") {
        events.push({ type: "disconnect", machine: h.machine });
        i = h.next;
        continue;
      }
      if (h.kind === "#") {
        if (buf.length < h.next + 4) { i = at; break; }
        const length = (buf[h.next + 2] << 8) | buf[h.next + 3];
        if (buf.length < h.next + 4 + length) { i = at; break; }
        events.push({ type: "binary", machine: h.machine, length });
        i = h.next + 4 + length;
        continue;
      }
      const end = buf.indexOf(END, h.next);
      const nextPi = buf.indexOf(PI, h.next);
      if (nextPi >= 0 && (end < 0 || nextPi < end)) {
        events.push({ type: "partial", bytes: nextPi - at });
        i = nextPi;
        continue;
      }
      if (end < 0) {
        if (buf.length - at > MAX_FRAME) { events.push({ type: "partial", bytes: buf.length - at }); i = buf.length; }
        else i = at;
        break;
      }
      const body = buf.toString("utf8", h.next, end);
      const open = body.indexOf("<xsbug>");
      events.push({ type: "frame", machine: h.machine, xml: open >= 0 ? body.slice(open + 7) : body });
      i = end + END.length;
    }
    this.buf = i < buf.length ? Buffer.from(buf.subarray(i)) : Buffer.alloc(0);
    return events;
  }
}

/** What a frame's XML says: logs (text, unescaped), a login, a break, instrument names and samples. */
export function parseFrameXml(xml) {
  const out = [];
  const re = /<(log)>([\s\S]*?)<\/log>|<(login)\b([^>]*)\/?>|<(break)\b([^>]*)>|<(samples)>([^<]*)<\/samples>|<(instruments)>([\s\S]*?)<\/instruments>/g;
  let m;
  while ((m = re.exec(xml))) {
    if (m[1]) out.push({ type: "log", text: unescapeText(m[2]) });
    else if (m[3]) out.push({ type: "login", attrs: attrs(m[4]) });
    else if (m[5]) out.push({ type: "break", attrs: attrs(m[6]) });
    else if (m[7]) out.push({ type: "samples", values: m[8].split(/[,;]/).map(Number) });
    else if (m[9]) out.push({ type: "instruments", names: [...m[10].matchAll(/<instrument name="([^"]*)"/g)].map((n) => unescapeText(n[1])) });
  }
  return out;
}

function attrs(text) {
  const a = {};
  for (const m of text.matchAll(/(\w+)="([^"]*)"/g)) a[m[1]] = unescapeText(m[2]);
  return a;
}

/** Host → device reader (for a board double): push(bytes) returns [{ machine, xml }] per complete command. */
export class CommandReader {
  constructor() {
    this.text = "";
  }
  push(chunk) {
    this.text += chunk.toString("latin1");
    const out = [];
    const re = /\r\n<\?xs\.([0-9A-Fa-f]{8})\?>\r\n(<[^\r]*>)\r\n/g;
    let m, last = 0;
    while ((m = re.exec(this.text))) {
      out.push({ machine: parseInt(m[1], 16), xml: m[2] });
      last = re.lastIndex;
    }
    this.text = this.text.slice(last);
    if (this.text.length > 4096) this.text = this.text.slice(-512);
    return out;
  }
}

/**
 * Lines of text (\n-terminated, \r dropped). Bytes that are not printable ASCII or valid UTF-8
 * make a line "dirty": the caller treats dirty lines as noise.
 */
export class LineReader {
  constructor(max = 4096) {
    this.parts = [];
    this.size = 0;
    this.max = max;
  }
  push(chunk) {
    const out = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      this.parts.push(chunk.subarray(start, nl));
      out.push(finishLine(Buffer.concat(this.parts)));
      this.parts = [];
      this.size = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.parts.push(Buffer.from(chunk.subarray(start)));
      this.size += chunk.length - start;
      if (this.size > this.max) {
        out.push({ text: "", clean: false, bytes: this.size });
        this.parts = [];
        this.size = 0;
      }
    }
    return out;
  }
}

function finishLine(bytes) {
  let b = bytes;
  while (b.length && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(b);
  // eslint-disable-next-line no-control-regex
  const clean = !/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(text);
  return { text, clean, bytes: bytes.length + 1 };
}
