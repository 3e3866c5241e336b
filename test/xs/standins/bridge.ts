// Inside XS (xsnap-worker): the line to the Node parent. Requests are synchronous
// issueCommand(JSON) calls that the parent answers; events arrive through handleCommand.
// Imported first by the bundle: it captures xsnap's extras and then removes from globalThis what a
// Moddable device does not have, so the library cannot lean on them by accident.
/* eslint-disable @typescript-eslint/no-explicit-any */
const g = globalThis as any;
const issue: (b: ArrayBuffer) => ArrayBuffer = g.issueCommand;
const Enc = g.TextEncoder, Dec = g.TextDecoder;
const enc = new Enc(), dec = new Dec();
const b64 = g.Base64 as { encode(b: ArrayBuffer): string; decode(s: string): ArrayBuffer };
export const print: (s: string) => void = g.print;

for (const name of ["TextEncoder", "TextDecoder", "setImmediate", "setTimeout", "clearTimeout", "queueMicrotask", "console", "Base64", "performance"]) {
  delete g[name];
}

export function toBase64(bytes: Uint8Array): string {
  const ab = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  return b64.encode(ab as ArrayBuffer);
}
export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(b64.decode(s));
}

export function call(op: string, args: object = {}): any {
  const reply = issue(enc.encode(JSON.stringify({ op, ...args })).buffer);
  const msg = reply.byteLength ? JSON.parse(dec.decode(reply)) : {};
  if (msg.error !== undefined) {
    const e = new Error(msg.error) as Error & { code?: string };
    e.code = msg.code;
    throw e;
  }
  return msg;
}

type Listener = (ev: any) => void;
const listeners: { [kind: string]: Listener } = {};
export function on(kind: string, fn: Listener): void {
  listeners[kind] = fn;
}

/** An exception escaping a callback: on a device it would be traced; here it fails the run. */
export function uncaught(e: unknown): void {
  const text = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
  call("uncaught", { text });
}

g.handleCommand = (buf: ArrayBuffer): ArrayBuffer => {
  const ev = JSON.parse(dec.decode(buf));
  const fn = listeners[ev.ev];
  try {
    if (!fn) throw new Error(`no listener for event ${ev.ev}`);
    fn(ev);
  } catch (e) {
    uncaught(e);
  }
  return new ArrayBuffer(0); // never a Promise: xsnap would not wait for it
};

/**
 * Moddable delivers each native event as its own message, after the current callback and its
 * Promise jobs. post() does the same: the parent sends a "posted" event back for each.
 */
const posted: (() => void)[] = [];
export function post(fn: () => void): void {
  posted.push(fn);
  call("post");
}
on("posted", () => {
  const fn = posted.shift();
  if (fn) fn();
});

/** True when this is Moddable's XS engine (see the XS lane's README notes in run.mjs). */
export function isXS(): boolean {
  return typeof g.print === "function" && typeof g.Compartment === "function" && typeof g.ModuleSource === "function" &&
    typeof g.trace === "function" &&
    /^function \[".*"\] \(\)\{\[native code\]\}$/.test(Function.prototype.toString.call(Array.prototype.push));
}
