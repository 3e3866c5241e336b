// Calls that MicroPython would block in wait here, in arrival order, until their attempt succeeds,
// fails, or their timeout passes.
import { OSError, Errno } from "./errno";
import { host } from "usocket-xs/host";

/** Returned by an attempt that cannot complete yet. */
export const WOULD_BLOCK: unique symbol = Symbol("would block");
export type Attempt<T> = () => T | typeof WOULD_BLOCK;

/** The longest one-shot timer every host can set: 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;

/** A waiting call; timer and onTimeout exist only when it has them (each property is a heap slot). */
interface Waiter {
  attempt: Attempt<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer?: unknown;
  /** Called when the wait times out, before the caller sees ETIMEDOUT. */
  onTimeout?: () => void;
}

/** The onChange of an owner whose notify() is all it does (one function for every owner). */
export function notifyOwner(this: { notify(): void }): void {
  this.notify();
}

export class WaitQueue {
  private list: Waiter[] = [];
  declare private readonly owner?: object;
  /**
   * onChange runs after the waiters may have changed (with `this` = owner when given: one shared
   * function then serves every owner, instead of a closure each).
   */
  constructor(private readonly onChange: (this: never) => void, owner?: object) {
    if (owner) this.owner = owner;
  }

  private changed(): void {
    this.onChange.call(this.owner as never);
  }

  get busy(): boolean {
    return this.list.length > 0;
  }

  /** Wait until attempt() gives a value; timeoutMs null (or Infinity) waits for ever. */
  add<T>(attempt: Attempt<T>, timeoutMs: number | null, onTimeout?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter = { attempt, resolve: resolve as (v: unknown) => void, reject };
      if (onTimeout) w.onTimeout = onTimeout;
      if (timeoutMs !== null && timeoutMs !== Infinity) this.arm(w, timeoutMs);
      this.list.push(w);
      this.changed();
    });
  }

  /** A platform timer holds at most MAX_TIMER_MS (Node fires a longer one after 1 ms): chain them. */
  private arm(w: Waiter, ms: number): void {
    const step = ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
    w.timer = host.setTimer(step, () => {
      w.timer = undefined;
      if (ms > step) { this.arm(w, ms - step); return; }
      const i = this.list.indexOf(w);
      if (i >= 0) this.list.splice(i, 1);
      w.onTimeout?.();
      w.reject(new OSError(Errno.ETIMEDOUT));
      this.wake();
    });
  }

  /** Run waiting attempts in order; stop at the first that still cannot complete. */
  wake(): void {
    while (this.list.length) {
      const w = this.list[0];
      let r: unknown;
      try {
        r = w.attempt();
      } catch (e) {
        this.finish(w);
        w.reject(e);
        continue;
      }
      if (r === WOULD_BLOCK) break;
      this.finish(w);
      w.resolve(r);
    }
    this.changed();
  }

  /** The socket was closed: every wait ends with OSError(EBADF) (or the error given). */
  failAll(error?: unknown): void {
    const all = this.list;
    this.list = [];
    for (let i = 0; i < all.length; i++) {
      const w = all[i];
      if (w.timer !== undefined) host.clearTimer(w.timer);
      w.reject(error === undefined ? new OSError(Errno.EBADF) : error);
    }
  }

  /** asyncio's cancellation: every wait ends with error; the socket stays usable (nothing was consumed). */
  cancelAll(error: unknown): void {
    if (!this.list.length) return;
    this.failAll(error);
    this.changed();
  }

  private finish(w: Waiter): void {
    this.list.shift();
    if (w.timer !== undefined) host.clearTimer(w.timer);
  }
}
