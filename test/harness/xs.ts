// The XS lane of the test harness: runs inside Moddable's XS engine (xsnap-worker). A small
// describe/it/before/after/afterEach runner with per-test timeouts (timers come from the parent,
// through the "timer" stand-in), peers started by the parent, results reported to the parent one
// by one, then a summary. Nothing here uses a Node or web API.
import Timer from "timer";
import { call, on, isXS } from "../xs/standins/bridge";
import type { Harness, Peer, PeerExit } from "./api";

type Body = () => Promise<void> | void;
interface Test { kind: "test"; name: string; body: Body; timeoutMs: number }
interface Suite {
  kind: "suite";
  name: string;
  parent?: Suite;
  items: (Test | Suite)[];
  before: Body[];
  after: Body[];
  afterEach: Body[];
}

const DEFAULT_TIMEOUT_MS = 10000;
const HOOK_TIMEOUT_MS = 10000;
const root: Suite = { kind: "suite", name: "", items: [], before: [], after: [], afterEach: [] };
let current = root;

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? "\n" + e.stack : ""}`;
  return String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { Timer.set(() => resolve(), ms); });
}

/** body() with a time limit; the timer is cleared either way. */
function withTimeout(body: Body, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = Timer.set(() => reject(new Error(`${what}: timeout of ${ms} ms exceeded`)), ms);
    let p: Promise<void> | void;
    try {
      p = body();
    } catch (e) {
      Timer.clear(t);
      reject(e);
      return;
    }
    Promise.resolve(p).then(
      () => { Timer.clear(t); resolve(); },
      (e) => { Timer.clear(t); reject(e); },
    );
  });
}

// ---- peers: programs the parent starts for us ----

interface PeerState {
  lines: string[];
  waiters: { resolve(line: string): void; reject(e: Error): void }[];
  exited?: PeerExit;
  command: string;
  resolveExit(e: PeerExit): void;
}
const peers = new Map<number, PeerState>();
let nextPeer = 1;

on("peer", (ev: { pid: number; type: "line" | "exit"; line?: string; code?: number | null; stdout?: string; stderr?: string }) => {
  const p = peers.get(ev.pid);
  if (!p) return;
  if (ev.type === "line") {
    const w = p.waiters.shift();
    if (w) w.resolve(ev.line!);
    else p.lines.push(ev.line!);
    return;
  }
  p.exited = { code: ev.code ?? null, stdout: ev.stdout ?? "", stderr: ev.stderr ?? "" };
  peers.delete(ev.pid);
  const why = new Error(`${p.command} exited (code ${p.exited.code}) before writing a line; stderr: ${p.exited.stderr.trim().slice(-2000)}`);
  for (const w of p.waiters.splice(0)) w.reject(why);
  p.resolveExit(p.exited);
});

function spawn(command: string, args: string[]): Peer {
  const pid = nextPeer++;
  let resolveExit!: (e: PeerExit) => void;
  const exit = new Promise<PeerExit>((r) => { resolveExit = r; });
  const p: PeerState = { lines: [], waiters: [], command, resolveExit };
  peers.set(pid, p);
  call("peer.spawn", { pid, command, args });
  return {
    line() {
      const l = p.lines.shift();
      if (l !== undefined) return Promise.resolve(l);
      if (p.exited) return Promise.reject(new Error(`${command} exited (code ${p.exited.code}) before writing a line; stderr: ${p.exited.stderr.trim().slice(-2000)}`));
      return new Promise<string>((resolve, reject) => { p.waiters.push({ resolve, reject }); });
    },
    exit,
    write(text: string, end = false) {
      if (!p.exited) call("peer.write", { pid, text, end });
    },
    kill() {
      if (!p.exited) call("peer.kill", { pid });
    },
  };
}

export const harness: Harness = {
  lane: "xs",
  scale: 1,
  describe(name, body) {
    const s: Suite = { kind: "suite", name, parent: current, items: [], before: [], after: [], afterEach: [] };
    current.items.push(s);
    const outer = current;
    current = s;
    try { body(); } finally { current = outer; }
  },
  it(name, body, timeoutMs) {
    current.items.push({ kind: "test", name, body, timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS });
  },
  before(body) { current.before.push(body); },
  after(body) { current.after.push(body); },
  afterEach(body) { current.afterEach.push(body); },
  spawn,
  sleep,
  now() { return Date.now(); },
};

// ---- running ----

let passed = 0, failed = 0;

function report(name: string, ok: boolean, ms: number, error?: string): void {
  if (ok) passed++; else failed++;
  call("result", { name, ok, ms, error });
}

function fullName(s: Suite, name: string): string {
  const parts = [name];
  for (let p: Suite | undefined = s; p && p !== root; p = p.parent) parts.unshift(p.name);
  return parts.join(" › ");
}

function testsIn(s: Suite): [Suite, Test][] {
  const out: [Suite, Test][] = [];
  for (const i of s.items) {
    if (i.kind === "test") out.push([s, i]);
    else out.push(...testsIn(i));
  }
  return out;
}

async function runSuite(s: Suite, filter: RegExp | undefined): Promise<void> {
  const mine = testsIn(s).filter(([suite, t]) => !filter || filter.test(fullName(suite, t.name)));
  if (!mine.length) return;
  for (const h of s.before) {
    try {
      await withTimeout(h, HOOK_TIMEOUT_MS, "before hook");
    } catch (e) {
      for (const [suite, t] of mine) report(fullName(suite, t.name), false, 0, `before hook failed: ${describeError(e)}`);
      return;
    }
  }
  for (const item of s.items) {
    if (item.kind === "suite") { await runSuite(item, filter); continue; }
    const name = fullName(s, item.name);
    if (filter && !filter.test(name)) continue;
    const t0 = Date.now();
    let error: string | undefined;
    try {
      await withTimeout(item.body, item.timeoutMs, "test");
    } catch (e) {
      error = describeError(e);
    }
    for (let p: Suite | undefined = s; p; p = p.parent) {
      for (const h of p.afterEach) {
        try {
          await withTimeout(h, HOOK_TIMEOUT_MS, "afterEach hook");
        } catch (e) {
          error = (error ? error + "\n" : "") + `afterEach hook failed: ${describeError(e)}`;
        }
      }
    }
    report(name, error === undefined, Date.now() - t0, error);
  }
  for (const h of s.after) {
    try {
      await withTimeout(h, HOOK_TIMEOUT_MS, "after hook");
    } catch (e) {
      report(fullName(s, "after hook"), false, 0, describeError(e));
    }
  }
}

/** Checks run after the suite (the stand-ins add theirs: no double close, nothing left open). */
const finalChecks: [string, () => void][] = [];
export function atEnd(name: string, check: () => void): void {
  finalChecks.push([name, check]);
}

/** Called by the bundle once every test file has registered its tests. */
export async function run(filterSource?: string): Promise<void> {
  if (!isXS()) {
    call("fatal", { message: "the engine running the XS lane is not Moddable's XS" });
    return;
  }
  call("hello", { engine: "xs" });
  const filter = filterSource ? new RegExp(filterSource) : undefined;
  try {
    await runSuite(root, filter);
    for (const [name, check] of finalChecks) {
      try { check(); report(name, true, 0); } catch (e) { report(name, false, 0, describeError(e)); }
    }
  } catch (e) {
    report("harness", false, 0, describeError(e));
  }
  call("done", { passed, failed });
}
