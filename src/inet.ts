// Numeric address text <-> bytes (inet_pton/inet_ntop) and recognising literals.
import { OSError, EINVAL, EAFNOSUPPORT } from "./errno";
import { toBytes, describe } from "./bytes";

export const AF_INET = 2;
export const AF_INET6 = 10;

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
  if (text.length > 45 || text.length < 2) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const words: number[] = [];
  const all = head.concat(tail);
  let v4: Uint8Array | undefined;
  const last = all.length ? all[all.length - 1] : "";
  if (last.indexOf(".") >= 0) {
    v4 = parseIPv4(last);
    if (!v4) return undefined;
    if (tail.length) tail.pop(); else head.pop();
  }
  const hex = (g: string): number => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : -1);
  for (let i = 0; i < head.length; i++) words.push(hex(head[i]));
  const fixed = head.length + tail.length + (v4 ? 2 : 0);
  if (halves.length === 2) {
    if (fixed > 7) return undefined;
    for (let i = fixed; i < 8; i++) words.push(0);
  } else if (fixed !== 8) return undefined;
  for (let i = 0; i < tail.length; i++) words.push(hex(tail[i]));
  if (words.some((w) => w < 0)) return undefined;
  const out = new Uint8Array(16);
  for (let i = 0; i < words.length; i++) { out[2 * i] = words[i] >> 8; out[2 * i + 1] = words[i] & 255; }
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

/** RFC 5952 text: lower case, the longest run of two or more zero words as "::". */
export function formatIPv6(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[2 * i] << 8) | b[2 * i + 1]);
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return "::ffff:" + formatIPv4(b.subarray(12));
  }
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(w);
  return hex(w.slice(0, best)) + "::" + hex(w.slice(best + bestLen));
}

export function inet_pton(af: number, text: string): Uint8Array {
  if (typeof text !== "string") throw new TypeError(`inet_pton: address must be a string, got ${describe(text)}`);
  let out: Uint8Array | undefined;
  if (af === AF_INET) out = parseIPv4(text);
  else if (af === AF_INET6) out = parseIPv6(text);
  else throw new OSError(EAFNOSUPPORT, `inet_pton: unknown address family ${af}`);
  if (!out) throw new OSError(EINVAL, `inet_pton: ${JSON.stringify(text)} is not a valid ${af === AF_INET ? "IPv4" : "IPv6"} address`);
  return out;
}

export function inet_ntop(af: number, packed: unknown): string {
  const b = toBytes(packed, "inet_ntop");
  if (typeof packed === "string") throw new TypeError("inet_ntop: expected packed bytes, got a string");
  if (af === AF_INET) {
    if (b.length !== 4) throw new OSError(EINVAL, `inet_ntop: AF_INET needs 4 bytes, got ${b.length}`);
    return formatIPv4(b);
  }
  if (af === AF_INET6) {
    if (b.length !== 16) throw new OSError(EINVAL, `inet_ntop: AF_INET6 needs 16 bytes, got ${b.length}`);
    return formatIPv6(b);
  }
  throw new OSError(EAFNOSUPPORT, `inet_ntop: unknown address family ${af}`);
}
