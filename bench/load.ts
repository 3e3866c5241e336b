// An HTTP/1.0 load generator on node:net (what `ab -n N -c C` does): N requests, at most C at a
// time, each on a new connection to 127.0.0.1 (no keep-alive), each answer read to EOF and checked.
// Bounded in count (N), in time per request (timeoutMs) and in total (deadlineMs: requests not yet
// started by then count as errors). Loopback only.
//
// For the bench: `await runLoad({ port, requests: 10000, concurrency: 100 })` runs it in a child
// process of its own (bench/load-child.ts), so the load does not share a CPU with the server, and
// resolves with a LoadResult; `loadLine(label, result)` formats it. A run with errors > 0 is a
// failed run. `idle: 50` first opens 50 clients that connect and say nothing for the whole run
// (slow-client rows). `generate(options)` is the same thing in this process.
import * as net from "node:net";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HEADER, PAGE } from "./common";

export interface LoadOptions {
  port: number;
  requests: number;
  concurrency: number;
  /** The exact response every request must get (default: the article's page, as bench/common.ts has it). */
  expect?: string;
  path?: string;
  /** Per request, connect to EOF (default 10 s). */
  timeoutMs?: number;
  /** For the whole run (default 120 s). */
  deadlineMs?: number;
  /** Silent clients opened first, that connect and say nothing until the run ends (default 0). */
  idle?: number;
}

export interface LoadResult {
  requests: number;
  concurrency: number;
  ok: number;
  errors: number;
  seconds: number;
  /** Answered requests per second. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Errors by kind: ECONNRESET, timeout, "wrong response", "not started (deadline)", … */
  kinds: { [kind: string]: number };
  /** The first few errors, in words. */
  first: string[];
}

/** Runs the load in a child process (node bench/load-child.js) and resolves with its result. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  // One level below dist/ whether this code sits in dist/bench or in a shared dist/chunks file.
  const child = fileURLToPath(new URL("../bench/load-child.js", import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.setEncoding("utf8");
    p.stdout.on("data", (s: string) => (out += s));
    p.on("error", reject);
    p.on("close", (code) => {
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch {
        reject(new Error(`load generator exited (${code}) without a result: ${out.slice(0, 500)}`));
      }
    });
  });
}

/** One request: the whole response, or an Error whose message names the kind of failure. */
function request(port: number, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    let body = "";
    const timer = setTimeout(() => { sock.destroy(); reject(new Error("timeout")); }, timeoutMs);
    sock.setEncoding("latin1");
    sock.on("connect", () => sock.write(`GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: usocket-xs-bench\r\n\r\n`));
    sock.on("data", (s: string) => (body += s));
    sock.on("end", () => { clearTimeout(timer); sock.destroy(); resolve(body); });
    sock.on("error", (e: NodeJS.ErrnoException) => { clearTimeout(timer); sock.destroy(); reject(new Error(e.code ?? e.message)); });
  });
}

export async function generate(options: LoadOptions): Promise<LoadResult> {
  const { port, requests, concurrency } = options;
  const expect = options.expect ?? HEADER + PAGE;
  const path = options.path ?? "/";
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = performance.now() + (options.deadlineMs ?? 120_000);
  const kinds: { [kind: string]: number } = {};
  const first: string[] = [];
  const times: number[] = [];
  let ok = 0, errors = 0, next = 0;
  const fail = (i: number, kind: string, detail = "") => {
    errors++;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (first.length < 5) first.push(`request ${i}: ${kind}${detail}`);
  };
  const silent: net.Socket[] = [];
  for (let i = 0; i < (options.idle ?? 0); i++) {
    const s = net.connect({ host: "127.0.0.1", port });
    s.on("error", () => {}); // a server may close a silent client; that is its business
    silent.push(s);
  }
  await Promise.all(silent.map((s) => new Promise((resolve) => { s.once("connect", resolve); s.once("error", resolve); })));
  const t0 = performance.now();
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      if (performance.now() > deadline) { fail(i, "not started (deadline)"); continue; }
      const start = performance.now();
      try {
        const r = await request(port, path, timeoutMs);
        times.push(performance.now() - start);
        if (r === expect) ok++;
        else fail(i, r.length ? "wrong response" : "closed without an answer", r.length ? `: ${JSON.stringify(r.slice(0, 80))}` : "");
      } catch (e) {
        times.push(performance.now() - start);
        fail(i, (e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  for (const s of silent) s.destroy();
  times.sort((a, b) => a - b);
  const at = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : 0);
  return {
    requests, concurrency, ok, errors, seconds, rate: ok / seconds,
    p50Ms: at(0.5), p99Ms: at(0.99), maxMs: times.length ? times[times.length - 1] : 0, kinds, first,
  };
}

/** "label  1234 req/s  0 errors  (p50 … p99 … max … ms)", then the first errors if any. */
export function loadLine(label: string, r: LoadResult): string {
  const f = (x: number) => x.toFixed(0);
  let s = `${label.padEnd(44)} ${f(r.rate).padStart(6)} req/s  ${r.ok}/${r.requests} answered, ${r.errors} errors` +
    `  (latency p50 ${f(r.p50Ms)} ms, p99 ${f(r.p99Ms)} ms, max ${f(r.maxMs)} ms)`;
  if (r.errors) {
    s += `\n    FAILED: ${Object.entries(r.kinds).map(([k, n]) => `${n} × ${k}`).join(", ")}`;
    for (const e of r.first) s += `\n      ${e}`;
  }
  return s;
}
