// npm run bench, part (d): TLS through usocket-xs/ssl against raw node:tls in the same run.
//  bulk: 32 MiB each way to bench/peer.ts running as a node:tls server (Adler-32 checked), the
//        near end verifying the peer's certificate in both cases; best of ROUNDS, interleaved.
//  handshakes: sequential connect + full handshake (verified, no session resumption) + close.
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
const ROUNDS = 3;
const HANDSHAKES = 300;
const TARGET = 0.9;

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

    await rawUpload(port, 4 * MiB, rawOpen); await usocketUpload(port, 4 * MiB, open);
    await rawDownload(port, 4 * MiB, rawOpen); await usocketDownload(port, 4 * MiB, open);
    const best = { rawUp: Infinity, usUp: Infinity, rawDown: Infinity, usDown: Infinity };
    for (let r = 0; r < ROUNDS; r++) {
      best.rawUp = Math.min(best.rawUp, await rawUpload(port, TOTAL, rawOpen));
      best.usUp = Math.min(best.usUp, await usocketUpload(port, TOTAL, open));
      best.rawDown = Math.min(best.rawDown, await rawDownload(port, TOTAL, rawOpen));
      best.usDown = Math.min(best.usDown, await usocketDownload(port, TOTAL, open));
    }
    const up = [mbps(TOTAL, best.usUp), mbps(TOTAL, best.rawUp)];
    const down = [mbps(TOTAL, best.usDown), mbps(TOTAL, best.rawDown)];

    const handshakes = async (connect: () => Promise<{ close(): void }>) => {
      const t0 = performance.now();
      for (let i = 0; i < HANDSHAKES; i++) (await connect()).close();
      return HANDSHAKES / ((performance.now() - t0) / 1000);
    };
    const ours = () => open(port);
    const raw = async () => { const s = await rawOpen(port); return { close: () => s.destroy() }; };
    await handshakes(raw); await handshakes(ours);
    let hOurs = 0, hRaw = 0;
    for (let r = 0; r < ROUNDS; r++) {
      hRaw = Math.max(hRaw, await handshakes(raw));
      hOurs = Math.max(hOurs, await handshakes(ours));
    }

    console.log(`\n(d) TLS (${tls.DEFAULT_MAX_VERSION} max, certificate verified), ${TOTAL / MiB} MiB each way, Adler-32 checked, best of ${ROUNDS}`);
    console.log(`                      usocket-xs    node:tls    ratio`);
    console.log(`  send (to peer)    ${fmt(up[0])} MB/s ${fmt(up[1])} MB/s  ${(up[0] / up[1]).toFixed(2)}  ${verdict(up[0] / up[1])}`);
    console.log(`  recv (from peer)  ${fmt(down[0])} MB/s ${fmt(down[1])} MB/s  ${(down[0] / down[1]).toFixed(2)}  ${verdict(down[0] / down[1])}`);
    console.log(`  handshakes/s      ${fmt(hOurs)}      ${fmt(hRaw)}       ${(hOurs / hRaw).toFixed(2)}   (${HANDSHAKES} sequential, full handshake each)`);
    console.log(`  (target for throughput: usocket-xs/node:tls >= ${TARGET})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
