// MicroPython's `select` module: poll() and select() over the readiness hook that sockets (and
// so makefile()'s result, the socket itself) and TLS sockets implement (readiness.ts). poll() resolves when MicroPython's
// would return; while it waits it sleeps until a registered object says something changed
// (pollWatch), never in a loop.
import { host } from "usocket-xs/host";
import { OSError, Errno } from "./errno";
import { describe, checkInt } from "./arguments";
import { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, MP_STREAM_POLL, type Pollable } from "./readiness";
import { Deadline } from "./deadline";

export { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL, MP_STREAM_POLL };
export type { Pollable };

/** ipoll() flag: an object reported once has its eventmask set to 0 until modify() (MicroPython's). */
const ONESHOT = 1;
const NEVER_MASKED = POLLERR | POLLHUP | POLLNVAL;

interface Waiting<T> {
  resolve(r: [T, number][]): void;
  reject(e: unknown): void;
  deadline?: Deadline;
}

function checkPollable(obj: unknown, what: string): void {
  const o = obj as Pollable | null;
  if (o === null || (typeof o !== "object" && typeof o !== "function") || typeof o.ioctl !== "function" || typeof o.pollWatch !== "function") {
    throw new TypeError(`${what}: ${describe(obj)} is not pollable (expected a socket, or an object with ioctl() and pollWatch())`);
  }
}

function checkMask(mask: unknown, what: string): number {
  if (checkInt(mask, what, "eventmask") < 0) throw new RangeError(`${what}: eventmask must not be negative, got ${mask}`);
  return mask as number;
}

/** Milliseconds to wait: negative, null or undefined wait for ever (Infinity). */
function checkTimeout(t: unknown, what: string): number {
  if (t === undefined || t === null) return Infinity;
  if (typeof t !== "number" || t !== t) throw new TypeError(`${what}: timeout must be a number of milliseconds, got ${describe(t)}`);
  return t < 0 ? Infinity : Math.ceil(t);
}

export class Poll<T extends Pollable = Pollable> {
  private objs: T[] = [];
  private masks: number[] = [];
  private waiting: Waiting<T>[] = [];
  private checkQueued = false;
  /**
   * Given to every registered object's pollWatch() while a poll() waits, and taken back after: a
   * poll object the program drops leaves nothing behind in its sockets.
   */
  private readonly wake = (): void => {
    if (this.checkQueued) return;
    this.checkQueued = true;
    Promise.resolve().then(() => { this.checkQueued = false; this.check(); });
  };

  /** Register obj (again: change its mask). POLLERR and POLLHUP are reported whatever the mask. */
  register(obj: T, eventmask: number = POLLIN | POLLOUT): void {
    checkPollable(obj, "register");
    checkMask(eventmask, "register");
    const i = this.objs.indexOf(obj);
    if (i >= 0) this.masks[i] = eventmask;
    else {
      this.objs.push(obj);
      this.masks.push(eventmask);
      if (this.waiting.length) obj.pollWatch(this.wake, true);
    }
    if (this.waiting.length) this.wake();
  }

  /** Change the mask of a registered object: OSError(ENOENT) if it is not registered. */
  modify(obj: T, eventmask: number): void {
    checkMask(eventmask, "modify");
    const i = this.objs.indexOf(obj);
    if (i < 0) throw new OSError(Errno.ENOENT, "modify: object is not registered");
    this.masks[i] = eventmask;
    if (this.waiting.length) this.wake();
  }

  /** Stop polling obj; an object that is not registered is ignored, as in MicroPython. */
  unregister(obj: T): void {
    const i = this.objs.indexOf(obj);
    if (i < 0) return;
    this.objs.splice(i, 1);
    this.masks.splice(i, 1);
    if (this.waiting.length) obj.pollWatch(this.wake, false);
  }

  /**
   * [obj, events][] of the registered objects that have an event, once there is at least one or
   * timeout ms have passed (0: at once; negative or omitted: for ever).
   */
  poll(timeout?: number): Promise<[T, number][]> {
    let ms: number, r: [T, number][];
    try {
      ms = checkTimeout(timeout, "poll");
      r = this.ready();
    } catch (e) {
      return Promise.reject(e);
    }
    if (r.length || ms === 0) return Promise.resolve(r);
    return new Promise((resolve, reject) => {
      const w: Waiting<T> = { resolve, reject };
      if (ms !== Infinity) w.deadline = new Deadline(host, ms, () => { this.leave(w); resolve([]); });
      if (this.waiting.push(w) === 1) this.watch(true);
    });
  }

  /** The same as poll(), one result at a time: `for await (const [obj, ev] of p.ipoll(…))`. */
  async *ipoll(timeout?: number, flags = 0): AsyncGenerator<[T, number]> {
    checkInt(flags, "ipoll", "flags");
    const r = await this.poll(timeout);
    for (let i = 0; i < r.length; i++) {
      if (flags & ONESHOT) {
        const k = this.objs.indexOf(r[i][0]);
        if (k >= 0) this.masks[k] = 0;
      }
      yield r[i];
    }
  }

  private ready(): [T, number][] {
    const out: [T, number][] = [];
    const objs = this.objs;
    for (let i = 0; i < objs.length; i++) {
      const mask = this.masks[i];
      const ev = objs[i].ioctl(MP_STREAM_POLL, mask) & (mask | NEVER_MASKED);
      if (ev) out.push([objs[i], ev]);
    }
    return out;
  }

  private check(): void {
    if (!this.waiting.length) return;
    let r: [T, number][];
    try {
      r = this.ready();
    } catch (e) {
      this.finish((w) => w.reject(e));
      return;
    }
    if (r.length) this.finish((w) => w.resolve(r.slice()));
  }

  private finish(settle: (w: Waiting<T>) => void): void {
    const all = this.waiting;
    this.waiting = [];
    this.watch(false);
    for (let i = 0; i < all.length; i++) {
      all[i].deadline?.cancel();
      settle(all[i]);
    }
  }

  private leave(w: Waiting<T>): void {
    const i = this.waiting.indexOf(w);
    if (i >= 0) this.waiting.splice(i, 1);
    if (!this.waiting.length) this.watch(false);
  }

  private watch(on: boolean): void {
    const objs = this.objs;
    for (let i = 0; i < objs.length; i++) objs[i].pollWatch(this.wake, on);
  }
}

/** select.poll(): a new poll object. */
export function poll<T extends Pollable = Pollable>(): Poll<T> {
  return new Poll<T>();
}

/**
 * select.select(rlist, wlist, xlist, timeout): the objects readable, writable, and in error or
 * hung up (timeout in seconds; omitted or null: for ever). As MicroPython, an object in error
 * lands in the third list even when it was only in the first two.
 */
export async function select<T extends Pollable>(rlist: T[], wlist: T[], xlist: T[], timeout?: number | null): Promise<[T[], T[], T[]]> {
  const lists = [rlist, wlist, xlist];
  const bits = [POLLIN, POLLOUT, POLLERR | POLLHUP];
  const objs: T[] = [], masks: number[] = [];
  for (let k = 0; k < 3; k++) {
    const l = lists[k];
    if (!Array.isArray(l)) throw new TypeError(`select: lists must be arrays, got ${describe(l)}`);
    for (let i = 0; i < l.length; i++) {
      checkPollable(l[i], "select");
      const j = objs.indexOf(l[i]);
      if (j >= 0) masks[j] |= bits[k];
      else { objs.push(l[i]); masks.push(bits[k]); }
    }
  }
  let ms = -1;
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== "number" || timeout !== timeout) throw new TypeError(`select: timeout must be seconds or null, got ${describe(timeout)}`);
    if (timeout < 0) throw new RangeError(`select: timeout must not be negative, got ${timeout}`);
    ms = timeout * 1000;
  }
  const p = new Poll<T>();
  for (let i = 0; i < objs.length; i++) p.register(objs[i], masks[i]);
  const ready = await p.poll(ms);
  const r: T[] = [], w: T[] = [], x: T[] = [];
  for (let i = 0; i < ready.length; i++) {
    const obj = ready[i][0], ev = ready[i][1];
    if (ev & POLLIN) r.push(obj);
    if (ev & POLLOUT) w.push(obj);
    if (ev & ~(POLLIN | POLLOUT)) x.push(obj);
  }
  return [r, w, x];
}
