// Certificates and keys as programs give them (PEM text, DER bytes, one or several) turned into
// DER, the form every host takes. Pure ES2022: XS has no atob.
import { OSError, EINVAL } from "usocket-xs/errno";
import { toBytes, decode, describe, type BytesLike } from "usocket-xs/bytes";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeBase64(text: string, what: string): Uint8Array {
  const out = new Uint8Array((text.length * 3) >> 2);
  let bits = 0, acc = 0, o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) break; // "="
    if (c === 10 || c === 13 || c === 32 || c === 9) continue;
    const v = B64.indexOf(text[i]);
    if (v < 0) throw new OSError(EINVAL, `${what}: PEM body is not base64`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; }
  }
  return out.slice(0, o);
}

/** The DER element starting at `at`: its total length, or -1 when the bytes do not hold one. */
function elementLength(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) return -1;
  let len = b[at + 1], head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > b.length) return -1;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i];
    head += n;
  }
  return at + head + len <= b.length ? head + len : -1;
}

function headLength(b: Uint8Array, at: number): number {
  return b[at + 1] & 0x80 ? 2 + (b[at + 1] & 0x7f) : 2;
}

/** An X.509 certificate's outline: SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING signature }. */
function isCertificate(der: Uint8Array): boolean {
  if (der[0] !== 0x30 || elementLength(der, 0) !== der.length) return false;
  let at = headLength(der, 0);
  const tags = [0x30, 0x30, 0x03];
  for (let i = 0; i < 3; i++) {
    if (der[at] !== tags[i]) return false;
    const n = elementLength(der, at);
    if (n < 0) return false;
    at += n;
  }
  return at === der.length;
}

interface Block { label: string; der: Uint8Array }

function pemBlocks(text: string, what: string): Block[] {
  const out: Block[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ label: m[1], der: decodeBase64(m[2], what) });
  return out;
}

function isPemText(b: Uint8Array): boolean {
  // "-----BEGIN", possibly after white space
  let i = 0;
  while (i < b.length && (b[i] === 32 || b[i] === 10 || b[i] === 13 || b[i] === 9)) i++;
  return b[i] === 45 && b[i + 1] === 45 && b[i + 5] === 66;
}

function asText(data: string | BytesLike, what: string): string | Uint8Array {
  if (typeof data === "string") return data;
  const b = toBytes(data, what);
  return isPemText(b) ? decode(b) : b;
}

/** One or several certificates: PEM text (str or bytes) or DER bytes (concatenated for several). */
export function certificates(data: string | BytesLike, what: string): Uint8Array[] {
  if (data === null || data === undefined) throw new TypeError(`${what}: expected PEM text or DER bytes, got ${describe(data)}`);
  const src = asText(data, what);
  const out: Uint8Array[] = [];
  if (typeof src === "string") {
    const blocks = pemBlocks(src, what);
    for (let i = 0; i < blocks.length; i++) if (blocks[i].label === "CERTIFICATE" || blocks[i].label === "TRUSTED CERTIFICATE") out.push(blocks[i].der);
    if (!out.length) throw new OSError(EINVAL, `${what}: no "-----BEGIN CERTIFICATE-----" block in the PEM text`);
  } else {
    for (let at = 0; at < src.length;) {
      const n = src[at] === 0x30 ? elementLength(src, at) : -1;
      if (n < 0) throw new OSError(EINVAL, `${what}: bytes at offset ${at} are not a DER certificate (nor PEM text)`);
      out.push(src.slice(at, at + n));
      at += n;
    }
    if (!out.length) throw new OSError(EINVAL, `${what}: no certificate in 0 bytes`);
  }
  for (let i = 0; i < out.length; i++) {
    if (!isCertificate(out[i])) throw new OSError(EINVAL, `${what}: certificate ${i + 1} is not an X.509 certificate`);
  }
  return out;
}

/** A private key: PEM text ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY") or DER bytes. */
export function privateKey(data: string | BytesLike, what: string): Uint8Array {
  if (data === null || data === undefined) throw new TypeError(`${what}: expected a PEM or DER private key, got ${describe(data)}`);
  const src = asText(data, what);
  let der: Uint8Array | undefined;
  if (typeof src === "string") {
    const blocks = pemBlocks(src, what);
    for (let i = 0; i < blocks.length && !der; i++) if (/PRIVATE KEY$/.test(blocks[i].label)) der = blocks[i].der;
    if (!der) {
      const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(src);
      throw new OSError(EINVAL, `${what}: ${encrypted ? "encrypted private keys are not supported" : 'no "-----BEGIN … PRIVATE KEY-----" block in the PEM text'}`);
    }
  } else der = src;
  if (der[0] !== 0x30 || elementLength(der, 0) !== der.length) throw new OSError(EINVAL, `${what}: not a DER private key`);
  return der;
}
