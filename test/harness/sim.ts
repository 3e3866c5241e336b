// The simulator lane of the test harness: runs inside the Moddable simulator (mcsim, XS), built by
// test/sim/run.mjs. A small describe/it/before/after/afterEach runner with per-test timeouts on
// Moddable timers. Everything outside XS goes over one TCP control connection to run.mjs on
// 127.0.0.1 (port from the manifest config, key "controlPort"): it starts the peers (python3, …)
// and relays their output, says which test modules to load and which tests to skip, and receives
// one result per test. The control connection uses Moddable's classic socket directly, never the
// library under test. Lines of ASCII JSON both ways (non-ASCII is \u-escaped by the sender).
import Timer from "timer";
import { Socket } from "socket";
import config from "mc/config";
import type { Harness, Peer, PeerExit } from "./api";

declare const trace: (text: string) => void;

type Body = () => Promise<void> | void;
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

/** The simulator's sockets are polled on timers: give every test more time than on Node. */
const DEFAULT_TIMEOUT_MS = 30000;
const TIMEOUT_FACTOR = 3;
const HOOK_TIMEOUT_MS = 30000;

const root: Suite = { kind: "suite", name: "", items: [], before: [], after: [], afterEach: [] };
let current = root;

// ---- control connection ----

type Message = { [key: string]: unknown };
let out = "";
let sock: Socket | undefined;
let connected = false;
let inbuf = "";
const handlers = new Map<string, (m: Message) => void>();

function ascii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function flush(): void {
  if (!sock || !connected || !out) return;
  const s = sock as unknown as { write(...data: unknown[]): number | undefined };
  for (;;) {
    if (!out) return;
    let free = 0;
    try { free = s.write() as number; } catch { return; }
    if (free <= 0) return; // wait for "data sent"
    const part = out.slice(0, free);
    try { s.write(part); } catch { return; }
    out = out.slice(part.length);
  }
}

/** Send one message to run.mjs (queued until the connection is up and has room). */
export function send(m: Message): void {
  out += ascii(JSON.stringify(m)) + "\n";
  flush();
}

function receive(text: string): void {
  inbuf += text;
  let i;
  while ((i = inbuf.indexOf("\n")) >= 0) {
    const line = inbuf.slice(0, i);
    inbuf = inbuf.slice(i + 1);
    if (!line) continue;
    let m: Message;
    try { m = JSON.parse(line) as Message; } catch { trace(`sim harness: bad control line ${line}\n`); continue; }
    const h = handlers.get(String(m.t));
    if (h) h(m);
  }
}

/** Connect to run.mjs; resolves with its "start" message. */
export function connect(): Promise<Message> {
  const port = Number((config as unknown as { controlPort?: unknown }).controlPort);
  return new Promise((resolve, reject) => {
    if (!(port > 0)) { reject(new Error("sim harness: config.controlPort is not set")); return; }
    handlers.set("start", resolve);
    const s = new Socket({ host: "127.0.0.1", port });
    sock = s;
    s.callback = function (message: number) {
      const raw = this as unknown as { read(type?: unknown): unknown };
      if (message === 1) { connected = true; flush(); }
      else if (message === 2) { const t = raw.read(String); if (typeof t === "string") receive(t); }
      else if (message === 3) flush();
      else if (message < 0) {
        connected = false;
        trace("sim harness: control connection closed\n");
        reject(new Error("control connection closed"));
      }
    };
  });
}

// ---- peers: programs run.mjs starts for us ----

interface PeerState {
  command: string;
  lines: string[];
  waiters: { resolve(line: string): void; reject(e: Error): void }[];
  exited?: PeerExit;
  resolveExit(e: PeerExit): void;
}
const peers = new Map<number, PeerState>();
let nextPeer = 1;

function exitedError(p: PeerState): Error {
  return new Error(`${p.command} exited (code ${p.exited!.code}) before writing a line; stderr: ${p.exited!.stderr.trim().slice(-2000)}`);
}

handlers.set("line", (m) => {
  const p = peers.get(Number(m.id));
  if (!p) return;
  const w = p.waiters.shift();
  if (w) w.resolve(String(m.line)); else p.lines.push(String(m.line));
});
handlers.set("exit", (m) => {
  const p = peers.get(Number(m.id));
  if (!p) return;
  peers.delete(Number(m.id));
  p.exited = { code: (m.code as number | null) ?? null, stdout: String(m.stdout ?? ""), stderr: String(m.stderr ?? "") };
  for (const w of p.waiters.splice(0)) w.reject(exitedError(p));
  p.resolveExit(p.exited);
});

function spawn(command: string, args: string[]): Peer {
  const id = nextPeer++;
  let resolveExit!: (e: PeerExit) => void;
  const exit = new Promise<PeerExit>((r) => { resolveExit = r; });
  const p: PeerState = { command, lines: [], waiters: [], resolveExit };
  peers.set(id, p);
  send({ t: "spawn", id, command, args });
  return {
    line() {
      const l = p.lines.shift();
      if (l !== undefined) return Promise.resolve(l);
      if (p.exited) return Promise.reject(exitedError(p));
      return new Promise<string>((resolve, reject) => p.waiters.push({ resolve, reject }));
    },
    exit,
    write(text: string, end = false) { send({ t: "write", id, text, end }); },
    kill() { if (!p.exited) send({ t: "kill", id }); },
  };
}

// ---- the runner ----

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { Timer.set(() => resolve(), ms); });
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const head = `${e.name}: ${e.message}`;
  const stack = typeof e.stack === "string" ? e.stack : "";
  return stack.startsWith(head) ? stack : head + (stack ? "\n" + stack : "");
  return String(e);
}

/** body() with a time limit; the timer is cleared either way. */
function withTimeout(body: Body, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = Timer.set(() => reject(new Error(`${what}: timeout of ${ms} ms exceeded`)), ms);
    let p: Promise<void> | void;
    try { p = body(); } catch (e) { Timer.clear(t); reject(e); return; }
    Promise.resolve(p).then(
      () => { Timer.clear(t); resolve(); },
      (e) => { Timer.clear(t); reject(e); },
    );
  });
}

export const harness: Harness = {
  lane: "sim",
  /** The simulator moves about 50 kB/s per socket: payloads shrink to their 64 KiB floor or near it. */
  scale: 1 / 256,
  describe(name, body) {
    const suite: Suite = { kind: "suite", name, parent: current, items: [], before: [], after: [], afterEach: [] };
    current.items.push(suite);
    const saved = current;
    current = suite;
    try { body(); } finally { current = saved; }
  },
  it(name, body, timeoutMs) { current.items.push({ kind: "test", name, body, timeoutMs }); },
  before(body) { current.before.push(body); },
  after(body) { current.after.push(body); },
  afterEach(body) { current.afterEach.push(body); },
  spawn,
  sleep,
  now() { return Date.now(); },
};

export interface Summary { passed: number; failed: number; skipped: number }

function fullName(suite: Suite, name: string): string {
  const parts = [name];
  for (let s: Suite | undefined = suite; s && s !== root; s = s.parent) parts.unshift(s.name);
  return parts.join(" › ");
}

/** The reason a test is skipped on this lane, if it is: exact name, or a suite name prefix. */
function skipReason(skips: { [name: string]: string }, name: string): string | undefined {
  for (const key of Object.keys(skips)) if (name === key || name.startsWith(key + " › ")) return skips[key];
  return undefined;
}

/** Run everything registered so far, reporting each result to run.mjs. */
export async function run(skips: { [name: string]: string }, only?: string): Promise<Summary> {
  // run.mjs --grep: tests whose name does not contain it are left out (not reported).
  const selected = (name: string) => only === undefined || name.includes(only);
  const sum: Summary = { passed: 0, failed: 0, skipped: 0 };
  const report = (name: string, status: "pass" | "fail" | "skip", ms: number, error?: string) => {
    if (status === "pass") sum.passed++; else if (status === "fail") sum.failed++; else sum.skipped++;
    send({ t: "result", name, status, ms, error });
  };
  async function suite(s: Suite, afterEachChain: Body[]): Promise<void> {
    const chain = [...s.afterEach, ...afterEachChain];
    const tests: string[] = [];
    const collect = (x: Suite) => { for (const i of x.items) if (i.kind === "suite") collect(i); else if (selected(fullName(x, i.name))) tests.push(fullName(x, i.name)); };
    collect(s);
    const runnable = tests.filter((n) => skipReason(skips, n) === undefined);
    if (tests.length === 0) return;
    if (runnable.length === 0) {
      for (const n of tests) report(n, "skip", 0, skipReason(skips, n));
      return;
    }
    for (const h of s.before) {
      try { await withTimeout(h, HOOK_TIMEOUT_MS, `"before all" hook in ${s.name}`); }
      catch (e) {
        for (const n of tests) report(n, "fail", 0, `before hook failed: ${describeError(e)}`);
        return;
      }
    }
    for (const item of s.items) {
      if (item.kind === "suite") { await suite(item, chain); continue; }
      const name = fullName(s, item.name);
      if (!selected(name)) continue;
      const why = skipReason(skips, name);
      if (why !== undefined) { report(name, "skip", 0, why); continue; }
      const ms = item.timeoutMs !== undefined ? item.timeoutMs * TIMEOUT_FACTOR : DEFAULT_TIMEOUT_MS;
      const t0 = Date.now();
      let error: string | undefined;
      try { await withTimeout(item.body, ms, "test"); } catch (e) { error = describeError(e); }
      for (const h of chain) {
        try { await withTimeout(h, HOOK_TIMEOUT_MS, `"after each" hook`); }
        catch (e) { error = (error ? error + "\n" : "") + `afterEach hook failed: ${describeError(e)}`; }
      }
      report(name, error === undefined ? "pass" : "fail", Date.now() - t0, error);
    }
    for (const h of s.after) {
      try { await withTimeout(h, HOOK_TIMEOUT_MS, `"after all" hook in ${s.name}`); }
      catch (e) { send({ t: "log", text: `after hook in ${s.name} failed: ${describeError(e)}` }); }
    }
  }
  await suite(root, []);
  return sum;
}
