// How the public functions take their arguments: a byte view of the caller's data (strings as
// UTF-8), integer checks, and a caller's value described in a few words for an error message.
import { host } from "usocket-xs/host";

export type BytesLike = string | ArrayBuffer | ArrayBufferView;

/** UTF-8 encoding of a string (the host's: XS and Node have a native encoder); a lone surrogate becomes U+FFFD. */
export function encode(text: string): Uint8Array {
  return host.encode(text);
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

/** Why a call that waited with the caller's buffer fails when the buffer changed under it (said once: each copy costs bytecode). */
export const DETACHED = "the buffer was detached or resized while waiting";

/** A writable byte view for readinto(). */
export function toWritableBytes(data: unknown, what: string): Uint8Array {
  if (typeof data === "string") throw new TypeError(`${what}: a string is immutable; pass a Uint8Array or ArrayBuffer`);
  return toBytes(data, what);
}

/** v if it is an integer; otherwise a TypeError "what: name must be an integer, got …". */
export function checkInt(v: unknown, what: string, name: string): number {
  mustBe(Number.isInteger(v), v, what, name, "an integer");
  return v as number;
}

/** TypeError "what: name must be kind, got …" unless ok. */
export function mustBe(ok: boolean, v: unknown, what: string, name: string, kind: string): void {
  if (!ok) throw new TypeError(`${what}: ${name} must be ${kind}, got ${describe(v)}`);
}

/**
 * A caller's value in an error message, in a few words: numbers and booleans as themselves,
 * anything else by its kind only. Never its contents or its toString(): a Symbol, an object whose
 * toString throws, a huge or deeply shared array must all give the library's own short message.
 */
export function describe(v: unknown): string {
  const t = typeof v;
  if (t === "number" || t === "boolean") return `${t} ${v}`;
  if (v == null) return `${v}`;
  if (t !== "object") return `a ${t}`; // a string, a function, a symbol, a bigint
  try { return Array.isArray(v) ? "an Array" : "an object"; } catch { return "an object"; } // a revoked Proxy
}

/** A caller's string in an error message: quoted, at most 64 characters of it. */
export function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? s.slice(0, 64) + "…" : s);
}
