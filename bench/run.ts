// npm run bench: usocket-xs against raw node:net, measured in the same run.
//  (a) bulk TCP throughput, 64 MiB each direction over 127.0.0.1, Adler-32 checked on both ends;
//      the far end is raw node:net in a child process (bench/peer.ts), the near end is either
//      usocket-xs (sendall of 64 KiB chunks / recv(65536) loop) or raw node:net (write()/'drain',
//      'data' events). Best of ROUNDS rounds, the two interleaved so both see the same machine.
//  (b) the tutorial's pin-table web server: 2000 sequential HTTP/1.0 requests, a new connection
//      each, from a raw node:net client here, against examples/pin-table.js and against the same
//      server on node:net (bench/raw-web-server.ts), each in its own process. (examples/web-server,
//      the article's server with its station block, sends a different page and is not benched.)
//  (c) the same two servers under load: LOAD_REQUESTS requests, LOAD_CONCURRENCY at a time (a new
//      connection each), from the load generator (bench/load.ts) in a process of its own. The
//      sequential server has listen(1): every client must still be answered.
//  (d) TLS (bench/tls.ts).
//  (e) servers that serve many clients at once: POLL_REQUESTS requests, POLL_CONCURRENCY at a time,
//      against examples/poll-server (one select.poll() loop) and examples/asyncio-server
//      (start_server), each beside the node:net server doing the same work; best of LOAD_ROUNDS
//      after a warm-up. Target: POLL_TARGET of node:net.
// `npm run bench -- tls` runs (d) alone.
// Exits 1 if a checksum or a response is wrong or any request of (c) or (e) failed; a ratio below target
// prints BELOW TARGET.
import * as net from "node:net";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import * as socket from "usocket-xs/socket";
import { decode } from "usocket-xs/bytes";
import { Adler32, chunk, chunks, HEADER, PAGE } from "./common";
import { runLoad, loadLine } from "./load";
import { tlsBench } from "./tls";

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
const WARMUP = 8 * MiB;
const ROUNDS = 5;
const HTTP_ROUNDS = 3;
const HTTP_WARMUP = 1000;
const REQUESTS = 2000;
const TARGET = 0.9;
const LOAD_REQUESTS = 10000;
const LOAD_CONCURRENCY = 200;
const POLL_REQUESTS = 10000;
const POLL_CONCURRENCY = 100;
const POLL_TARGET = 0.8;
const LOAD_ROUNDS = 3;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const children: ChildProcess[] = [];
let failed = false;

export function startChild(file: string, args: string[], ready: RegExp): Promise<number> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CHILD_FLAGS?.split(" ").filter(Boolean) ?? []), file, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${out}`)), 10000);
    child.stdout!.on("data", (b) => {
      out += b;
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${file} exited with ${code}: ${out}`)); });
  });
}

function stopChildren(): void {
  for (const c of children) { c.stdin?.end(); c.kill(); }
}

/** Raises if the peer's checksum differs from ours. */
function check(what: string, ours: number, reply: string): void {
  const theirs = Number(reply.trim());
  if (theirs !== ours) {
    failed = true;
    throw new Error(`${what}: checksum mismatch, sent ${ours.toString(16)}, received ${theirs.toString(16)} (reply ${JSON.stringify(reply)})`);
  }
}

// ---- (a) throughput: each function returns seconds ----

/** How a usocket-xs run opens its connection (tls.ts passes a TLS one). */
export type Open = (port: number) => Promise<socket.Socket>;
const plainOpen: Open = async (port) => {
  const s = socket.socket();
  await s.connect(["127.0.0.1", port]);
  return s;
};
export type RawOpen = (port: number) => Promise<net.Socket>;
const rawPlainOpen: RawOpen = async (port) => {
  const sock = net.connect({ host: "127.0.0.1", port });
  await once(sock, "connect");
  return sock;
};

export async function usocketUpload(port: number, total: number, open = plainOpen): Promise<number> {
  const t0 = performance.now();
  const s = await open(port);
  await s.sendall(`U ${total}\n`);
  const sum = new Adler32();
  for (let i = 0, n = chunks(total); i < n; i++) {
    const c = chunk(i, total);
    sum.update(c);
    await s.sendall(c);
  }
  let reply = "";
  for (;;) {
    const d = await s.recv(100);
    if (!d.length) break;
    reply += decode(d);
  }
  s.close();
  const t = (performance.now() - t0) / 1000;
  check("usocket-xs upload", sum.digest(), reply);
  return t;
}

export async function usocketDownload(port: number, total: number, open = plainOpen): Promise<number> {
  const t0 = performance.now();
  const s = await open(port);
  await s.sendall(`D ${total}\n`);
  const sum = new Adler32();
  let got = 0;
  let reply = "";
  for (;;) {
    const d = await s.recv(65536);
    if (!d.length) break;
    const k = Math.min(d.length, total - got);
    if (k > 0) { sum.update(k < d.length ? d.subarray(0, k) : d); got += k; }
    if (k < d.length) reply += decode(d.subarray(k));
  }
  s.close();
  const t = (performance.now() - t0) / 1000;
  if (got !== total) { failed = true; throw new Error(`usocket-xs download: got ${got} of ${total} bytes`); }
  check("usocket-xs download", sum.digest(), reply);
  return t;
}

export async function rawUpload(port: number, total: number, open = rawPlainOpen): Promise<number> {
  const t0 = performance.now();
  const sock = await open(port);
  let reply = "";
  sock.on("data", (b) => (reply += b));
  const ended = once(sock, "end");
  sock.write(`U ${total}\n`);
  const sum = new Adler32();
  for (let i = 0, n = chunks(total); i < n; i++) {
    const c = chunk(i, total);
    sum.update(c);
    if (!sock.write(c)) await once(sock, "drain");
  }
  await ended;
  sock.destroy();
  const t = (performance.now() - t0) / 1000;
  check("node:net upload", sum.digest(), reply);
  return t;
}

export async function rawDownload(port: number, total: number, open = rawPlainOpen): Promise<number> {
  const t0 = performance.now();
  const sock = await open(port);
  const sum = new Adler32();
  let got = 0;
  let reply = "";
  sock.on("data", (b: Buffer) => {
    const k = Math.min(b.length, total - got);
    if (k > 0) { sum.update(k < b.length ? b.subarray(0, k) : b); got += k; }
    if (k < b.length) reply += b.subarray(k).toString();
  });
  const ended = once(sock, "end");
  sock.write(`D ${total}\n`);
  await ended;
  sock.destroy();
  const t = (performance.now() - t0) / 1000;
  if (got !== total) { failed = true; throw new Error(`node:net download: got ${got} of ${total} bytes`); }
  check("node:net download", sum.digest(), reply);
  return t;
}

// ---- (b) sequential HTTP/1.0 requests ----

const EXPECTED = HEADER + PAGE;

function request(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    let body = "";
    const timer = setTimeout(() => { sock.destroy(); reject(new Error("request timed out")); }, 5000);
    sock.setEncoding("latin1");
    sock.on("connect", () => sock.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: bench\r\n\r\n"));
    sock.on("data", (s: string) => (body += s));
    sock.on("end", () => { clearTimeout(timer); sock.destroy(); resolve(body); });
    sock.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

/** Requests per second over n sequential requests. */
async function requestRate(port: number, n: number, what: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await request(port);
    if (r !== EXPECTED) {
      failed = true;
      throw new Error(`${what}: request ${i} got a different response:\n${JSON.stringify(r.slice(0, 200))}`);
    }
  }
  return n / ((performance.now() - t0) / 1000);
}

// ---- report ----

export const mbps = (bytes: number, s: number) => bytes / 1e6 / s;
export const fmt = (x: number, d = 0) => x.toFixed(d).padStart(8);
export const verdict = (r: number) => (r >= TARGET ? "PASS" : "BELOW TARGET");

/** `npm run bench -- tls` runs section (d) only; with no argument, every section. */
const only = process.argv[2];
if (only !== undefined && only !== "tls") throw new Error(`bench: unknown section ${JSON.stringify(only)} (sections: tls)`);

async function main(): Promise<void> {
  console.log(`usocket-xs bench (Node ${process.version}); MB = 10^6 bytes; peers in child processes`);
  if (only !== "tls") await plainSections();
  await tlsBench({ startChild, peer: here("./peer.js"), usocketUpload, usocketDownload, rawUpload, rawDownload, mbps, fmt, verdict });
}

async function plainSections(): Promise<void> {
  const peer = await startChild(here("./peer.js"), [], /port (\d+)/);

  // warm-up: JIT both paths
  await rawUpload(peer, WARMUP); await usocketUpload(peer, WARMUP);
  await rawDownload(peer, WARMUP); await usocketDownload(peer, WARMUP);

  type Run = "rawUp" | "usUp" | "rawDown" | "usDown";
  const best = { rawUp: Infinity, usUp: Infinity, rawDown: Infinity, usDown: Infinity };
  const cpuRuns: { [k in Run]: number[] } = { rawUp: [], usUp: [], rawDown: [], usDown: [] };
  const measure = async (k: Run, f: (port: number, total: number) => Promise<number>) => {
    const c0 = process.cpuUsage();
    best[k] = Math.min(best[k], await f(peer, TOTAL));
    const c = process.cpuUsage(c0);
    cpuRuns[k].push((c.user + c.system) / 1000);
  };
  for (let r = 0; r < ROUNDS; r++) {
    await measure("rawUp", rawUpload);
    await measure("usUp", usocketUpload);
    await measure("rawDown", rawDownload);
    await measure("usDown", usocketDownload);
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  const cpu = { rawUp: median(cpuRuns.rawUp), usUp: median(cpuRuns.usUp), rawDown: median(cpuRuns.rawDown), usDown: median(cpuRuns.usDown) };
  const up = [mbps(TOTAL, best.usUp), mbps(TOTAL, best.rawUp)];
  const down = [mbps(TOTAL, best.usDown), mbps(TOTAL, best.rawDown)];
  console.log(`\n(a) bulk TCP, 64 MiB each way, Adler-32 checked on both ends (all matched), best of ${ROUNDS}`);
  console.log(`                      usocket-xs    node:net    ratio`);
  console.log(`  send (to peer)    ${fmt(up[0])} MB/s ${fmt(up[1])} MB/s  ${(up[0] / up[1]).toFixed(2)}  ${verdict(up[0] / up[1])}`);
  console.log(`  recv (from peer)  ${fmt(down[0])} MB/s ${fmt(down[1])} MB/s  ${(down[0] / down[1]).toFixed(2)}  ${verdict(down[0] / down[1])}`);
  console.log(`  near-end CPU per 64 MiB (median; user+sys of this process, checksum included):`);
  console.log(`    send ${fmt(cpu.usUp)} ms usocket-xs ${fmt(cpu.rawUp)} ms node:net;  recv ${fmt(cpu.usDown)} ms usocket-xs ${fmt(cpu.rawDown)} ms node:net`);
  console.log(`  (target: usocket-xs/node:net >= ${TARGET})`);

  const ours = await startChild(here("../examples/pin-table.js"), ["0", "127.0.0.1", "-q"], /listening on \('127\.0\.0\.1', (\d+)\)/);
  const raw = await startChild(here("./raw-web-server.js"), ["0", "127.0.0.1"], /listening on \('127\.0\.0\.1', (\d+)\)/);
  await requestRate(ours, HTTP_WARMUP, "examples/pin-table"); // warm-up: let both JITs settle
  await requestRate(raw, HTTP_WARMUP, "node:net server");
  let rOurs = 0, rRaw = 0;
  for (let r = 0; r < HTTP_ROUNDS; r++) {
    rOurs = Math.max(rOurs, await requestRate(ours, REQUESTS, "examples/pin-table"));
    rRaw = Math.max(rRaw, await requestRate(raw, REQUESTS, "node:net server"));
  }
  console.log(`\n(b) the tutorial's pin-table web server, ${REQUESTS} sequential HTTP/1.0 requests, new connection each, best of ${HTTP_ROUNDS}`);
  console.log(`  examples/pin-table (usocket-xs)   ${fmt(rOurs)} req/s`);
  console.log(`  same server on node:net           ${fmt(rRaw)} req/s`);
  console.log(`  ratio                             ${fmt(rOurs / rRaw, 2)}`);
  console.log(`  MicroPython unix port: not installed here, not measured. (For scale only, from another machine,`);
  console.log(`  shared/reference/micropython-socket-semantics.md: 7429 req/s with ab -n 2000 -c 1; recv(65536) loop 604 MB/s.)`);

  console.log(`\n(c) ${LOAD_REQUESTS} HTTP/1.0 requests, ${LOAD_CONCURRENCY} at a time, a new connection each (load generator in its own process); every answer checked`);
  const loaded = async (label: string, port: number) => {
    const r = await runLoad({ port, requests: LOAD_REQUESTS, concurrency: LOAD_CONCURRENCY });
    console.log(`  ${loadLine(label, r)}`);
    if (r.errors) failed = true;
    return r.rate;
  };
  const lOurs = await loaded("examples/pin-table (sequential, listen(1))", ours);
  const lRaw = await loaded("same server on node:net", raw);
  console.log(`  ratio                                        ${fmt(lOurs / lRaw, 2)}`);

  console.log(`\n(e) ${POLL_REQUESTS} HTTP/1.0 requests, ${POLL_CONCURRENCY} at a time, against the servers that serve many clients at once; best of ${LOAD_ROUNDS} after a warm-up`);
  const listening = /listening on \('127\.0\.0\.1', (\d+)\)/;
  const poll = await startChild(here("../examples/poll-server.js"), ["0", "127.0.0.1", "-q"], listening);
  const aio = await startChild(here("../examples/asyncio-server.js"), ["0", "127.0.0.1", "-q"], listening);
  const many = { poll: 0, aio: 0, raw: 0 };
  const errs = { poll: 0, aio: 0, raw: 0 }, done = { poll: 0, aio: 0, raw: 0 };
  const round = async (k: keyof typeof many, label: string, port: number, n: number, show: boolean) => {
    const r = await runLoad({ port, requests: n, concurrency: POLL_CONCURRENCY });
    errs[k] += r.errors;
    done[k] += r.ok;
    if (r.errors) { failed = true; console.log(`  ${loadLine(label, r)}`); }
    else if (show) many[k] = Math.max(many[k], r.rate);
  };
  for (let i = 0; i <= LOAD_ROUNDS; i++) { // round 0 warms the JITs up
    const n = i ? POLL_REQUESTS : 2000;
    await round("raw", "node:net server", raw, n, i > 0);
    await round("poll", "examples/poll-server", poll, n, i > 0);
    await round("aio", "examples/asyncio-server", aio, n, i > 0);
  }
  const line = (label: string, k: keyof typeof many) => {
    const ratio = many[k] / many.raw;
    const verdict = k === "raw" ? `(target: ratio >= ${POLL_TARGET})` : `ratio ${ratio.toFixed(2)}  ${ratio >= POLL_TARGET ? "PASS" : "BELOW TARGET"}`;
    console.log(`  ${label} ${fmt(many[k])} req/s  ${done[k]} answered, ${errs[k]} errors   ${verdict}`);
  };
  line("examples/poll-server (select.poll)   ", "poll");
  line("examples/asyncio-server (start_server)", "aio");
  line("node:net server (same work)           ", "raw");
  if (failed) console.log(`  FAILED: requests went unanswered (see above)`);
}

main().then(
  () => { stopChildren(); process.exit(failed ? 1 : 0); },
  (e) => { console.error(`bench failed: ${e instanceof Error ? e.stack : e}`); stopChildren(); process.exit(failed ? 1 : 2); },
);
