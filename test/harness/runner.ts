// The runner shared by the XS lanes (test/harness/xs.ts under xsnap, test/harness/sim.ts in the
// Moddable simulator): a small describe/it/before/after/afterEach tree with per-test timeouts,
// filtering and skips, reporting each result through the lane. A lane supplies only what differs:
// its timers, its peers (see ./peers), its lane name and scale, its timeouts, and where results go.
// Nothing here uses a Node, web or Moddable API.
import type { Harness, Peer } from "./api";

export type Body = () => Promise<void> | void;
export type Status = "pass" | "fail" | "skip";
export interface Summary { passed: number; failed: number; skipped: number }

/** Moddable's "timer" (or the XS lane's stand-in for it) fits this. */
export interface Timers<T> {
  set(callback: () => void, ms: number): T;
  clear(timer: T): void;
}

export interface Lane<T = unknown> {
  lane: Harness["lane"];
  scale: number;
  timers: Timers<T>;
  spawn(command: string, args: string[]): Peer;
  /** A test without its own timeout gets defaultMs; one with its own gets it times factor. */
  timeouts: { defaultMs: number; factor: number; hookMs: number };
  /** Where each result goes (the runner counts them). */
  report(name: string, status: Status, ms: number, error?: string): void;
  /** An "after all" hook that failed; without this it is reported as a failed test "suite › after hook". */
  afterHookFailed?(suite: string, error: string): void;
}

export interface RunOptions {
  /** Tests whose full name this rejects are left out, not reported. */
  selected?(name: string): boolean;
  /** Full test name, or a suite name (everything in it) → why it is skipped on this lane. */
  skips?: { [name: string]: string };
}

export interface Runner {
  readonly harness: Harness;
  readonly summary: Summary;
  /** Report a result (counted in summary): the runner's own, or a lane's extra checks. */
  report(name: string, status: Status, ms: number, error?: string): void;
  /** Run every test registered so far. */
  run(options?: RunOptions): Promise<Summary>;
}

interface Test { kind: "test"; name: string; body: Body; timeoutMs?: number }
interface Suite {
  kind: "suite";
  name: string;
  parent?: Suite;
  items: (Test | Suite)[];
  before: Body[];
  after: Body[];
  afterEach: Body[];
}

export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const head = `${e.name}: ${e.message}`;
  const stack = typeof e.stack === "string" ? e.stack : "";
  return stack.startsWith(head) ? stack : head + (stack ? "\n" + stack : "");
}

export function createRunner<T>(lane: Lane<T>): Runner {
  const { timers } = lane;
  const root: Suite = { kind: "suite", name: "", items: [], before: [], after: [], afterEach: [] };
  let current = root;
  const summary: Summary = { passed: 0, failed: 0, skipped: 0 };

  function report(name: string, status: Status, ms: number, error?: string): void {
    if (status === "pass") summary.passed++; else if (status === "fail") summary.failed++; else summary.skipped++;
    lane.report(name, status, ms, error);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { timers.set(() => resolve(), ms); });
  }

  // On Moddable the JS stack is small: 384 slots by default (mcconfig's creation.stack), 256 on
  // ESP8266. An async function called from another runs on top of its caller's frame until its first
  // await, and suite() alone takes about 100 slots, so calling run() → suite(root) → suite() →
  // withTimeout() → body() directly put the first test's body about 380 slots deep (a stack
  // overflow before the first result). Instead every suite and every test or hook body starts from
  // a timer callback of its own, near the bottom of the stack (about 50 slots), as a socket or timer
  // callback in an application does, whatever the nesting of suites.

  /** fn() called from a timer callback; its result, or what it throws. */
  function later<R>(fn: () => R | Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      timers.set(() => {
        try { Promise.resolve(fn()).then(resolve, reject); } catch (e) { reject(e); }
      }, 0);
    });
  }

  /** body() with a time limit; the timer is cleared either way. */
  function withTimeout(body: Body, ms: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const t = timers.set(() => reject(new Error(`${what}: timeout of ${ms} ms exceeded`)), ms);
      later(body).then(
        () => { timers.clear(t); resolve(); },
        (e) => { timers.clear(t); reject(e); },
      );
    });
  }

  function fullName(suite: Suite, name: string): string {
    const parts = [name];
    for (let s: Suite | undefined = suite; s && s !== root; s = s.parent) parts.unshift(s.name);
    return parts.join(" › ");
  }

  const harness: Harness = {
    lane: lane.lane,
    scale: lane.scale,
    describe(name, body) {
      const suite: Suite = { kind: "suite", name, parent: current, items: [], before: [], after: [], afterEach: [] };
      current.items.push(suite);
      const saved = current;
      current = suite;
      try { body(); } finally { current = saved; }
    },
    it(name, body, timeoutMs) { current.items.push({ kind: "test", name, body, timeoutMs }); },
    before(body, timeoutMs) { current.before.push(timeoutMs === undefined ? body : Object.assign(() => body(), { timeoutMs })); },
    after(body) { current.after.push(body); },
    afterEach(body) { current.afterEach.push(body); },
    spawn: lane.spawn,
    sleep,
    now() { return Date.now(); },
  };

  async function run(options: RunOptions = {}): Promise<Summary> {
    const { defaultMs, factor, hookMs } = lane.timeouts;
    const selected = options.selected ?? (() => true);
    const skips = options.skips ?? {};
    /** The reason a test is skipped on this lane, if it is: exact name, or a suite name prefix. */
    const skipReason = (name: string): string | undefined => {
      for (const key of Object.keys(skips)) if (name === key || name.startsWith(key + " › ")) return skips[key];
      return undefined;
    };

    async function suite(s: Suite, afterEachChain: Body[]): Promise<void> {
      const chain = [...s.afterEach, ...afterEachChain];
      const tests: string[] = [];
      const collect = (x: Suite) => {
        for (const i of x.items) {
          if (i.kind === "suite") collect(i);
          else if (selected(fullName(x, i.name))) tests.push(fullName(x, i.name));
        }
      };
      collect(s);
      if (tests.length === 0) return;
      if (tests.every((n) => skipReason(n) !== undefined)) {
        for (const n of tests) report(n, "skip", 0, skipReason(n));
        return;
      }
      for (const h of s.before) {
        try { await withTimeout(h, (h as { timeoutMs?: number }).timeoutMs ?? hookMs, `"before all" hook in ${s.name}`); }
        catch (e) {
          for (const n of tests) report(n, "fail", 0, `before hook failed: ${describeError(e)}`);
          return;
        }
      }
      for (const item of s.items) {
        if (item.kind === "suite") { await later(() => suite(item, chain)); continue; }
        const name = fullName(s, item.name);
        if (!selected(name)) continue;
        const why = skipReason(name);
        if (why !== undefined) { report(name, "skip", 0, why); continue; }
        const ms = item.timeoutMs !== undefined ? item.timeoutMs * factor : defaultMs;
        const t0 = Date.now();
        let error: string | undefined;
        try { await withTimeout(item.body, ms, "test"); } catch (e) { error = describeError(e); }
        for (const h of chain) {
          try { await withTimeout(h, hookMs, `"after each" hook`); }
          catch (e) { error = (error ? error + "\n" : "") + `afterEach hook failed: ${describeError(e)}`; }
        }
        report(name, error === undefined ? "pass" : "fail", Date.now() - t0, error);
      }
      for (const h of s.after) {
        try { await withTimeout(h, hookMs, `"after all" hook in ${s.name}`); }
        catch (e) {
          if (lane.afterHookFailed) lane.afterHookFailed(s.name, describeError(e));
          else report(fullName(s, "after hook"), "fail", 0, describeError(e));
        }
      }
    }

    await later(() => suite(root, []));
    return summary;
  }

  return { harness, summary, report, run };
}
