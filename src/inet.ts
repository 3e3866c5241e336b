// Numeric address text <-> bytes (inet_pton/inet_ntop) and recognising literals.
import { OSError, Errno } from "./errno";
import { toBytes, describe, quote, mustBe } from "./arguments";

/** The address families as a const enum for the library's own modules (written in place, like Errno; socket exports them). */
export const enum AF { INET = 2, INET6 = 10 }

/** 4 bytes for a dotted quad, or undefined. Strict: four decimal parts 0..255, no leading zeros. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** 16 bytes for an IPv6 literal (with "::" and a trailing dotted quad allowed), or undefined. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (text.length > 45 || text.length < 2 || halves.length > 2) return undefined;
  // The groups in order, and where "::" stands among them (-1: nowhere).
  let groups: string[] = [], gap = -1;
  for (let h = 0; h < halves.length; h++) {
    if (h) gap = groups.length;
    if (halves[h] !== "") groups = groups.concat(halves[h].split(":"));
  }
  let v4: Uint8Array | undefined;
  if (groups.length && groups[groups.length - 1].indexOf(".") >= 0) {
    v4 = parseIPv4(groups.pop()!);
    if (!v4) return undefined;
    if (gap > groups.length) return undefined; // "1.2.3.4::": the dotted quad must end the address
  }
  const fixed = groups.length + (v4 ? 2 : 0);
  if (gap < 0 ? fixed !== 8 : fixed > 7) return undefined;
  const out = new Uint8Array(16);
  for (let i = 0; i < groups.length; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(groups[i])) return undefined;
    const w = parseInt(groups[i], 16), at = 2 * (gap >= 0 && i >= gap ? i + 8 - fixed : i);
    out[at] = w >> 8;
    out[at + 1] = w & 255;
  }
  if (v4) out.set(v4, 12);
  return out;
}

/** 4 or 6 for a numeric literal, 0 otherwise. A "%zone" suffix counts as IPv6. */
export function literalFamily(text: string): 0 | 4 | 6 {
  if (parseIPv4(text)) return 4;
  const pct = text.indexOf("%");
  return parseIPv6(pct >= 0 ? text.slice(0, pct) : text) ? 6 : 0;
}

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function inet_pton(af: number, text: string): Uint8Array {
  mustBe(typeof text === "string", text, "inet_pton", "address", "a string");
  let out: Uint8Array | undefined;
  if (af === AF.INET) out = parseIPv4(text);
  else if (af === AF.INET6) out = parseIPv6(text);
  else throw new OSError(Errno.EAFNOSUPPORT, `inet_pton: unknown address family ${describe(af)}`);
  if (!out) throw new OSError(Errno.EINVAL, `inet_pton: ${quote(text)} is not a valid ${af === AF.INET ? "IPv4" : "IPv6"} address`);
  return out;
}

export function inet_ntop(af: number, packed: unknown): string {
  const b = toBytes(packed, "inet_ntop");
  if (typeof packed === "string") throw new TypeError("inet_ntop: expected packed bytes, got a string");
  if (af === AF.INET) {
    if (b.length !== 4) throw new OSError(Errno.EINVAL, `inet_ntop: AF_INET needs 4 bytes, got ${b.length}`);
    return formatIPv4(b);
  }
  if (af === AF.INET6) {
    if (b.length !== 16) throw new OSError(Errno.EINVAL, `inet_ntop: AF_INET6 needs 16 bytes, got ${b.length}`);
    // RFC 5952 text: lower case, the first longest run of two or more zero words as "::".
    const w: string[] = [];
    for (let i = 0; i < 16; i += 2) w.push(((b[i] << 8) | b[i + 1]).toString(16));
    let s = w.join(":");
    if (/^(0:){5}ffff:/.test(s)) return "::ffff:" + formatIPv4(b.subarray(12));
    // Framed in colons, each run of two or more zero words is ":0:…0:"; the first longest becomes "::",
    // then the frame goes where it does not end in "::".
    s = `:${s}:`;
    const runs = s.match(/:(0:){2,}/g);
    if (runs) s = s.replace(runs.reduce((a, r) => (r.length > a.length ? r : a)), "::");
    return s.replace(/^:(?!:)|(?<!:):$/g, "");
  }
  throw new OSError(Errno.EAFNOSUPPORT, `inet_ntop: unknown address family ${describe(af)}`);
}
