// Built-ins of Moddable's XS that xsnap lacks. xsnap is built with mxCESU8, which leaves out
// ArrayBuffer.fromString, and its XS predates ES2024's well-formed strings; Moddable's XS (the
// simulator and every board) has all three. Installed only where missing, before the library loads.
//
// Moddable's XS holds strings as UTF-8, a lone surrogate as its own 3-byte sequence, and
// fromString copies those bytes (NUL is held as C0 80 and comes out as 00). One difference stays:
// XS joins strings by copying bytes, so a pair joined from its two halves is two 3-byte halves there
// (not well formed), while xsnap, like V8, sees one character. The simulator lane covers that case.
/* eslint-disable @typescript-eslint/no-explicit-any */
const A = ArrayBuffer as any, S = String.prototype as any;

function isLead(c: number): boolean { return c >= 0xd800 && c <= 0xdbff; }
function isTrail(c: number): boolean { return c >= 0xdc00 && c <= 0xdfff; }

/** Code points of s, a lone surrogate as itself. */
function codePoints(s: string, each: (cp: number) => void): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i), d = s.charCodeAt(i + 1);
    if (isLead(c) && isTrail(d)) { each(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)); i++; } else each(c);
  }
}

if (typeof A.fromString !== "function") {
  Object.defineProperty(A, "fromString", {
    configurable: true, writable: true,
    value(text: unknown): ArrayBuffer {
      const out: number[] = [];
      codePoints(String(text), (c) => {
        if (c < 0x80) out.push(c);
        else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
        else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      });
      return new Uint8Array(out).buffer;
    },
  });
}
if (typeof S.isWellFormed !== "function") {
  Object.defineProperty(S, "isWellFormed", {
    configurable: true, writable: true,
    value(this: string): boolean {
      let ok = true;
      codePoints(String(this), (c) => { if (c >= 0xd800 && c <= 0xdfff) ok = false; });
      return ok;
    },
  });
}
if (typeof S.toWellFormed !== "function") {
  Object.defineProperty(S, "toWellFormed", {
    configurable: true, writable: true,
    value(this: string): string {
      let out = "";
      codePoints(String(this), (c) => { out += String.fromCodePoint(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c); });
      return out;
    },
  });
}
