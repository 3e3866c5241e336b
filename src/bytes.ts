// Bytes in and out. Pure ES2022: XS has no TextEncoder/TextDecoder, Node has no need of them here.

export type BytesLike = string | ArrayBuffer | ArrayBufferView;

/** UTF-8 encoding of a string. ASCII takes a fast path. */
export function encode(text: string): Uint8Array {
  const n = text.length;
  let ascii = true;
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const out = new Uint8Array(n * 3);
  let o = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) { out[o++] = 0xc0 | (c >> 6); out[o++] = 0x80 | (c & 63); }
    else if (c < 0x10000) { out[o++] = 0xe0 | (c >> 12); out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63); }
    else {
      out[o++] = 0xf0 | (c >> 18); out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, o);
}

/** UTF-8 decoding; malformed sequences become U+FFFD. */
export function decode(bytes: BytesLike): string {
  const b = toBytes(bytes, "decode");
  // Pieces of 32 characters, joined at the end: each argument to fromCharCode.apply takes a slot of
  // XS's stack (384 slots by default on Moddable, 256 on ESP8266), and decode() may be called deep
  // in a program's own calls.
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i < b.length;) {
    const c = b[i];
    let cp = 0xfffd, len = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0 && cont(b, i + 1)) { cp = ((c & 31) << 6) | (b[i + 1] & 63); len = 2; }
    else if (c >= 0xe0 && c < 0xf0 && cont(b, i + 1) && cont(b, i + 2)) {
      cp = ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); len = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) { cp = 0xfffd; len = 1; }
    } else if (c >= 0xf0 && c < 0xf5 && cont(b, i + 1) && cont(b, i + 2) && cont(b, i + 3)) {
      cp = ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63); len = 4;
      if (cp < 0x10000 || cp > 0x10ffff) { cp = 0xfffd; len = 1; }
    }
    if (cp >= 0x10000) { cp -= 0x10000; chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
    else chunk.push(cp);
    i += len;
    if (chunk.length >= 32) { parts.push(String.fromCharCode.apply(null, chunk)); chunk = []; }
  }
  parts.push(String.fromCharCode.apply(null, chunk));
  return parts.join("");
}

function cont(b: Uint8Array, i: number): boolean {
  return i < b.length && (b[i] & 0xc0) === 0x80;
}

/**
 * A view of the caller's bytes (no copy for buffers). `what` names the caller in the TypeError,
 * since MicroPython rejects int/None/list with "object with buffer protocol required".
 */
export function toBytes(data: unknown, what: string): Uint8Array {
  if (typeof data === "string") return encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`${what}: expected a string, ArrayBuffer or ArrayBufferView, got ${describe(data)}`);
}

/** A writable byte view for readinto(). */
export function toWritableBytes(data: unknown, what: string): Uint8Array {
  if (typeof data === "string") throw new TypeError(`${what}: a string is immutable; pass a Uint8Array or ArrayBuffer`);
  return toBytes(data, what);
}

/** v if it is an integer; otherwise a TypeError "what: name must be an integer, got …". */
export function checkInt(v: unknown, what: string, name: string): number {
  if (!Number.isInteger(v)) throw new TypeError(`${what}: ${name} must be an integer, got ${describe(v)}`);
  return v as number;
}

/**
 * A caller's value in an error message, in a few words: numbers and booleans as themselves,
 * anything else by its kind only. Never its contents or its toString(): a Symbol, an object whose
 * toString throws, a huge or deeply shared array must all give the library's own short message.
 */
export function describe(v: unknown): string {
  const t = typeof v;
  if (t === "number" || t === "boolean") return `${t} ${v}`;
  if (v === null || v === undefined) return `${v}`;
  if (t !== "object") return t === "string" ? "a string" : `a ${t}`;
  try { return Array.isArray(v) ? "an Array" : "an object"; } catch { return "an object"; } // a revoked Proxy
}

/** A caller's string in an error message: quoted, at most 64 characters of it. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? s.slice(0, 64) + "…" : s);
}

export function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (let i = 0; i < parts.length; i++) { out.set(parts[i], o); o += parts[i].length; }
  return out;
}

/** Byte-wise equality against bytes or a string (compared as UTF-8). */
export function equals(a: BytesLike, b: BytesLike): boolean {
  const x = toBytes(a, "equals"), y = toBytes(b, "equals");
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
