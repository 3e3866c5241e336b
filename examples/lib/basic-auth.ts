// HTTP Basic authentication (RFC 7617): "Authorization: Basic base64(user:password)", checked
// against the configured pair as bytes (UTF-8), with a comparison whose time does not depend on
// where the first wrong byte is. A missing field, another scheme, malformed base64 or a wrong
// pair all fail the same way: the caller answers 401 with `challenge(realm)`.
import { encode } from "usocket-xs/bytes";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Strict base64 (padding required, no whitespace, zero bits after the last character): bytes or null. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let pad = 0;
  if (text.endsWith("==")) pad = 2;
  else if (text.endsWith("=")) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j];
      const last = i + 4 === text.length;
      let v: number;
      if (c === "=" && last && j >= 4 - pad) v = 0;
      else if ((v = ALPHABET.indexOf(c)) < 0) return null;
      n = (n << 6) | v;
    }
    const bytes = i + 4 === text.length ? 3 - pad : 3;
    if (bytes < 3 && (n & (bytes === 1 ? 0xffff : 0xff)) !== 0) return null; // non-canonical trailing bits
    if (bytes > 0) out[o++] = (n >> 16) & 255;
    if (bytes > 1) out[o++] = (n >> 8) & 255;
    if (bytes > 2) out[o++] = n & 255;
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    s += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=";
    s += i + 2 < bytes.length ? ALPHABET[n & 63] : "=";
  }
  return s;
}

export class BasicAuth {
  private readonly expected: Uint8Array;

  /** Throws a TypeError for an empty password or a user name with ":" (Basic cannot carry it). */
  constructor(user: string, password: string) {
    if (!password) throw new TypeError("an empty password would let anyone in");
    if (user.indexOf(":") >= 0) throw new TypeError('the user name cannot contain ":" (HTTP Basic authentication splits on it)');
    this.expected = encode(`${user}:${password}`);
  }

  /** True when the Authorization field's value carries exactly the configured user and password. */
  check(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const m = /^([A-Za-z]+) +([^ ]+) *$/.exec(authorization);
    if (!m || m[1].toLowerCase() !== "basic") return false;
    const got = decodeBase64(m[2]);
    if (!got) return false;
    const want = this.expected;
    let diff = got.length ^ want.length;
    for (let i = 0; i < want.length; i++) diff |= want[i] ^ (got[i] ?? 0);
    return diff === 0;
  }
}

/** The WWW-Authenticate field of a 401. */
export function challenge(realm: string): [string, string] {
  return ["WWW-Authenticate", `Basic realm="${realm}", charset="UTF-8"`];
}
