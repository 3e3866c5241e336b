// npm run bench, part (d) (alone: npm run bench -- tls): TLS through usocket-xs/ssl against raw
// node:tls in the same run.
//  bulk: 32 MiB each way to bench/peer.ts running as a node:tls server (Adler-32 checked), the
//        near end verifying the peer's certificate in both cases; each timing includes connect and
//        handshake, as for (a). After a warm-up, ROUNDS rounds; in each round both sides run once,
//        in turn, the order swapped every round (so neither always runs after the other's garbage).
//        Each round gives a ratio (raw time / usocket-xs time); the bench prints the median ratio
//        and the spread (lowest-highest), and the median MB/s and near-end CPU of each side.
//  handshakes: sequential connect + full handshake (verified, no session resumption) + close,
//        HANDSHAKES per round, rounds as for bulk.
// The certificate is a throw-away one made by openssl in a temporary directory.
import * as tls from "node:tls";
import { once } from "node:events";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as socket from "usocket-xs/socket";
import * as ssl from "usocket-xs/ssl";
import type { Open, RawOpen } from "./run";

/** What run.ts lends (passed in, not imported: bench/run.js is the entry point and must stay one file). */
export interface BenchParts {
  startChild(file: string, args: string[], ready: RegExp): Promise<number>;
  peer: string;
  usocketUpload(port: number, total: number, open: Open): Promise<number>;
  usocketDownload(port: number, total: number, open: Open): Promise<number>;
  rawUpload(port: number, total: number, open: RawOpen): Promise<number>;
  rawDownload(port: number, total: number, open: RawOpen): Promise<number>;
  mbps(bytes: number, s: number): number;
  fmt(x: number, d?: number): string;
  verdict(r: number): string;
}

const MiB = 1024 * 1024;
const TOTAL = 32 * MiB;
const ROUNDS = 9;
const HANDSHAKES = 200;
const HANDSHAKE_ROUNDS = 7;
const TARGET = 0.9;

const median = (xs: number[]) => { const s = xs.slice().sort((a, b) => a - b); const m = s.length >> 1; return s.length & 1 ? s[m] : (s[m - 1] + s[m]) / 2; };
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;

/** One side's run: a value (seconds, or handshakes/s) and the CPU this process spent on it (ms). */
async function timed(f: () => Promise<number>): Promise<[number, number]> {
  const c0 = process.cpuUsage();
  const v = await f();
  const c = process.cpuUsage(c0);
  return [v, (c.user + c.system) / 1000];
}

/** Rounds of usocket-xs against raw, the order swapped each round: every value and CPU figure of both. */
async function rounds(n: number, ours: () => Promise<number>, raw: () => Promise<number>) {
  const r = { ours: [] as number[], raw: [] as number[], oursCpu: [] as number[], rawCpu: [] as number[] };
  for (let i = 0; i < n; i++) {
    const pair: [() => Promise<number>, number[], number[]][] = [[raw, r.raw, r.rawCpu], [ours, r.ours, r.oursCpu]];
    if (i & 1) pair.reverse();
    for (const [f, values, cpu] of pair) {
      const [v, c] = await timed(f);
      values.push(v);
      cpu.push(c);
    }
  }
  return r;
}

export async function tlsBench(b: BenchParts): Promise<void> {
  const { startChild, usocketUpload, usocketDownload, rawUpload, rawDownload, mbps, fmt, verdict } = b;
  const dir = mkdtempSync(join(tmpdir(), "usocket-xs-bench-"));
  try {
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
      "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { cwd: dir });
    if (made.status !== 0) {
      console.log(`\n(d) TLS: skipped, openssl could not make a certificate: ${made.stderr}`);
      return;
    }
    const cert = readFileSync(join(dir, "cert.pem"), "latin1");
    const port = await startChild(b.peer, [join(dir, "cert.pem"), join(dir, "key.pem")], /port (\d+)/);

    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    ctx.load_verify_locations({ cadata: cert });
    const open: Open = async (p) => {
      const s = socket.socket();
      await s.connect(["127.0.0.1", p]);
      return ctx.wrap_socket(s, { server_hostname: "localhost" });
    };
    const secureContext = tls.createSecureContext({ ca: cert });
    const rawOpen: RawOpen = async (p) => {
      const sock = tls.connect({ host: "127.0.0.1", port: p, servername: "localhost", secureContext });
      await once(sock, "secureConnect");
      return sock;
    };

    // warm-up: JIT both paths
    await rawUpload(port, 4 * MiB, rawOpen); await usocketUpload(port, 4 * MiB, open);
    await rawDownload(port, 4 * MiB, rawOpen); await usocketDownload(port, 4 * MiB, open);
    const up = await rounds(ROUNDS, () => usocketUpload(port, TOTAL, open), () => rawUpload(port, TOTAL, rawOpen));
    const down = await rounds(ROUNDS, () => usocketDownload(port, TOTAL, open), () => rawDownload(port, TOTAL, rawOpen));

    const handshakes = async (connect: () => Promise<{ close(): void }>) => {
      const t0 = performance.now();
      for (let i = 0; i < HANDSHAKES; i++) (await connect()).close();
      return HANDSHAKES / ((performance.now() - t0) / 1000);
    };
    const ours = () => open(port);
    const raw = async () => { const s = await rawOpen(port); return { close: () => s.destroy() }; };
    await handshakes(raw); await handshakes(ours);
    const hs = await rounds(HANDSHAKE_ROUNDS, () => handshakes(ours), () => handshakes(raw));

    console.log(`\n(d) TLS (${tls.DEFAULT_MAX_VERSION} max, certificate verified), ${TOTAL / MiB} MiB each way, Adler-32 checked; ${ROUNDS} rounds after a warm-up,`);
    console.log(`    the two sides in turn (order swapped each round); medians, and the spread of the per-round ratio`);
    console.log(`                      usocket-xs    node:tls    ratio (spread)`);
    const bulk = (label: string, r: Awaited<ReturnType<typeof rounds>>) => {
      const ratios = r.raw.map((t, i) => t / r.ours[i]); // time raw / time ours = throughput ours / throughput raw
      const m = median(ratios);
      console.log(`  ${label}  ${fmt(mbps(TOTAL, median(r.ours)))} MB/s ${fmt(mbps(TOTAL, median(r.raw)))} MB/s  ${m.toFixed(2)} (${spread(ratios)})  ${verdict(m)}`);
      return `${fmt(median(r.oursCpu))} ms usocket-xs ${fmt(median(r.rawCpu))} ms node:tls`;
    };
    const upCpu = bulk("send (to peer)  ", up);
    const downCpu = bulk("recv (from peer)", down);
    const hRatios = hs.ours.map((h, i) => h / hs.raw[i]);
    console.log(`  handshakes/s      ${fmt(median(hs.ours))}      ${fmt(median(hs.raw))}       ${median(hRatios).toFixed(2)} (${spread(hRatios)})   (${HANDSHAKE_ROUNDS} rounds of ${HANDSHAKES} sequential, full handshake each)`);
    console.log(`  near-end CPU per ${TOTAL / MiB} MiB (median; user+sys of this process, checksum included):`);
    console.log(`    send ${upCpu};  recv ${downCpu}`);
    console.log(`  near-end CPU per handshake: ${(median(hs.oursCpu) / HANDSHAKES * 1000).toFixed(0)} us usocket-xs, ${(median(hs.rawCpu) / HANDSHAKES * 1000).toFixed(0)} us node:tls`);
    console.log(`  (target for throughput: usocket-xs/node:tls >= ${TARGET}, the median ratio)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
