// What one TLS connection costs in XS memory (npm run tls-memory, scripts/tls-memory.mjs, builds this for the simulator):
// the SDK's instrumentation ("XS Slot Heap Used", "XS Chunk Heap Used") around verified
// connections to an openssl s_server (port in config.port, its CA as the resource ca.pem).
// Printed per connection: the growth during the handshake (garbage included, read before any
// collection: the memory the handshake needs at its peak, as an upper bound), what stays after a
// collection while the connection is open, and the handshake's wall time.
import Timer from "timer";
import Instrumentation from "instrumentation";
import Debug from "debug";
import config from "mc/config";
import * as socket from "usocket-xs/socket";
import * as ssl from "usocket-xs/ssl";

declare const trace: (text: string) => void;

const SLOTS = Instrumentation.map("XS Slot Heap Used"), CHUNKS = Instrumentation.map("XS Chunk Heap Used");
const used = () => [Instrumentation.get(SLOTS) ?? NaN, Instrumentation.get(CHUNKS) ?? NaN]; // NaN: a release build (no instrumentation)
const port = Number((config as unknown as { port: string }).port);

async function open(ctx: ssl.SSLContext): Promise<{ s: ssl.SSLSocket; during: number[]; ms: number }> {
  const s = socket.socket();
  await s.connect(["127.0.0.1", port]);
  Debug.gc();
  const before = used();
  const t0 = Date.now();
  const tls = await ctx.wrap_socket(s, { server_hostname: "localhost" });
  const ms = Date.now() - t0;
  const after = used();
  return { s: tls, during: [after[0] - before[0], after[1] - before[1]], ms };
}

async function main(): Promise<void> {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  ctx.load_verify_locations("ca.pem");
  // One at a time (the first also loads the TLS modules). openssl s_server -www serves one
  // connection at a time, so they cannot be open together here.
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => Timer.set(() => resolve(), 300)); // the previous one's deferred closes are done
    Debug.gc();
    const base = used();
    const c = await open(ctx);
    Debug.gc();
    const kept = used();
    trace(`tls-memory: connection ${i + 1}: handshake ${c.ms} ms; during the handshake +${c.during[0]} slot bytes +${c.during[1]} chunk bytes; kept while open and idle ${kept[0] - base[0]} slot bytes ${kept[1] - base[1]} chunk bytes\n`);
    await c.s.sendall("GET / HTTP/1.0\r\n\r\n");
    await c.s.recv(100);
    c.s.close();
  }
  trace("tls-memory: done\n");
}

Timer.set(() => {
  main().catch((e) => trace(`tls-memory: failed: ${e}\n`));
}, 0);
