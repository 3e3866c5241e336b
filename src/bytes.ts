// MicroPython's bytes methods a program needs beside socket: decode(), equality, joining. Pure
// ES2022: XS has no TextEncoder/TextDecoder, Node has no need of them here. What socket itself uses
// (encode, toBytes, the argument checks) is in arguments.ts, so a program that never decodes does
// not carry decode().
import { toBytes, type BytesLike } from "./arguments";

export { encode, toBytes, toWritableBytes, checkInt, describe, quote, type BytesLike } from "./arguments";

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
