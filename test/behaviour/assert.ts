// Assertions for behaviour tests: plain ES2022, so they run in every lane (no node:assert).
import { OSError, errorcode } from "usocket-xs/errno";

export class AssertionError extends Error {}
Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError" });

type ErrorClass = abstract new (...args: never[]) => Error;

function isBytes(v: unknown): v is ArrayBufferView {
  return ArrayBuffer.isView(v);
}

/** A short readable rendering of a value for failure messages. */
export function show(v: unknown): string {
  if (v instanceof Uint8Array) {
    let ascii = true;
    for (let i = 0; i < v.length && i < 100; i++) if (v[i] < 9 || v[i] > 126) { ascii = false; break; }
    const head = v.subarray(0, 100);
    let text = "";
    // One character at a time: fromCharCode.apply(null, head) would put 100 arguments on XS's small stack.
    if (ascii) for (let i = 0; i < head.length; i++) text += String.fromCharCode(head[i]);
    const body = ascii ? JSON.stringify(text) : `[${Array.from(head).join(",")}]`;
    return `Uint8Array(${v.length}) ${body}${v.length > 100 ? "…" : ""}`;
  }
  if (isBytes(v)) return `${v.constructor.name}(${v.byteLength} bytes)`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v.length > 300 ? v.slice(0, 300) + "…" : v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (typeof v === "symbol") return v.toString();
  return String(v);
}

export function fail(message: string): never {
  throw new AssertionError(message);
}

export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) fail(`${message} (got ${show(value)})`);
}

export function equal(actual: unknown, expected: unknown, message?: string): void {
  if (!Object.is(actual, expected)) fail(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (isBytes(a) && isBytes(b)) {
    if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  return false;
}

/** Structural equality for arrays (nested) and typed arrays (same type, same bytes). */
export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!same(actual, expected)) fail(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
}

/** actual is a Uint8Array holding exactly these bytes (a string is compared as ASCII/Latin-1). */
export function bytesEqual(actual: unknown, expected: string | ArrayLike<number>, message?: string): void {
  if (!(actual instanceof Uint8Array)) fail(`${message ? message + ": " : ""}expected a Uint8Array, got ${show(actual)}`);
  const want = typeof expected === "string" ? Array.from(expected, (c) => c.charCodeAt(0)) : Array.from(expected);
  deepEqual(actual, new Uint8Array(want), message);
}

export function between(value: number, low: number, high: number, message = "value"): void {
  if (!(value >= low && value <= high)) fail(`${message}: expected ${low}..${high}, got ${value}`);
}

function check(e: unknown, expected: number | ErrorClass, pattern: RegExp | undefined, what: string): void {
  if (typeof expected === "number") {
    if (!(e instanceof OSError)) fail(`${what}: expected OSError(${errorcode[expected] ?? expected}), got ${show(e)}`);
    if (e.errno !== expected) fail(`${what}: expected OSError ${errorcode[expected] ?? expected} (${expected}), got ${e.errno} (${e.message})`);
  } else if (!(e instanceof expected)) {
    fail(`${what}: expected ${expected.name}, got ${show(e)}`);
  }
  if (pattern && !pattern.test((e as Error).message)) fail(`${what}: message ${show((e as Error).message)} does not match ${pattern}`);
}

/** The promise (or the promise a function returns) rejects with OSError(errno) or an instance of the class. */
export async function rejectsWith(
  promise: Promise<unknown> | (() => Promise<unknown>), expected: number | ErrorClass, pattern?: RegExp,
): Promise<Error> {
  let p: Promise<unknown>;
  try {
    p = typeof promise === "function" ? promise() : promise;
  } catch (e) {
    fail(`expected a rejection, but the call threw synchronously: ${show(e)}`);
  }
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    check(e, expected, pattern, "rejection");
    return e as Error;
  }
  return fail(`expected a rejection with ${expectedName(expected)}, but it resolved to ${show(value)}`);
}

/** An errno's name, or an error class's name, for failure messages. */
function expectedName(expected: number | ErrorClass): string {
  return typeof expected === "number" ? errorcode[expected] ?? String(expected) : expected.name;
}

/** The call throws (synchronously) OSError(errno) or an instance of the class. */
export function throwsWith(call: () => unknown, expected: number | ErrorClass, pattern?: RegExp): Error {
  let value: unknown;
  try {
    value = call();
  } catch (e) {
    check(e, expected, pattern, "exception");
    return e as Error;
  }
  if (value instanceof Promise) value.catch(() => {});
  return fail(`expected ${expectedName(expected)} to be thrown, but the call returned ${show(value)}`);
}

/** Either it throws synchronously or the returned promise rejects: for calls where either is fine. */
export async function failsWith(call: () => unknown, expected: number | ErrorClass, pattern?: RegExp): Promise<Error> {
  let r: unknown;
  try {
    r = call();
  } catch (e) {
    check(e, expected, pattern, "exception");
    return e as Error;
  }
  return rejectsWith(Promise.resolve(r), expected, pattern);
}
