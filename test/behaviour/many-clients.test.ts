// Many clients at once: a single select.poll() loop and asyncio.start_server() each serve 20
// concurrent CPython clients whose bytes are checksummed, also with silent clients connected
// in front of them (a silent client must not stall anyone else).
import { harness } from "test-harness";
import * as select from "usocket-xs/select";
import * as asyncio from "usocket-xs/asyncio";
import { POLLIN, POLLNVAL } from "usocket-xs/select";
import type { Socket } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { CHECKSUM_CLIENTS, SILENT_CLIENTS } from "../peers/python";
import { equal } from "./assert";

const CLIENTS = 20;
/** What the servers met, for the failure message. */
const errors: string[] = [];

/** A client's request, "<size>\n" and size bytes, checksummed with Adler-32 (zlib's) as it arrives. */
class Request {
  a = 1;
  b = 0;
  n = 0;
  size = -1;
  private head = "";
  /** Takes bytes; true once the whole request is there. */
  update(d: Uint8Array): boolean {
    let i = 0;
    while (this.size < 0 && i < d.length) {
      const c = d[i++];
      if (c === 10) this.size = Number(this.head); else this.head += String.fromCharCode(c);
    }
    let a = this.a, b = this.b;
    for (; i < d.length; i++) { a = (a + d[i]) % 65521; b = (b + a) % 65521; this.n++; }
    this.a = a; this.b = b;
    return this.n === this.size;
  }
  reply(): string {
    return `${this.n} ${(this.b * 65536 + this.a)}\n`;
  }
}

/**
 * The poll server: one loop, non-blocking sockets. Each client's bytes are checksummed as they
 * come; once its request is whole it gets "<count> <adler32>\n" and is closed. Ends when the
 * listener is closed.
 */
async function pollServer(listener: Socket): Promise<number> {
  listener.setblocking(false);
  const p = select.poll();
  p.register(listener, POLLIN);
  const sums = new Map<unknown, Request>();
  let served = 0;
  for (;;) {
    const ready = await p.poll();
    for (let i = 0; i < ready.length; i++) {
      const obj = ready[i][0], ev = ready[i][1];
      if (obj === listener) {
        if (ev & POLLNVAL) {
          sums.forEach((_sum, c) => (c as Socket).close());
          return served;
        }
        const c = (await listener.accept())[0];
        c.setblocking(false);
        p.register(c, POLLIN);
        sums.set(c, new Request());
        continue;
      }
      const c = obj as unknown as Socket;
      const sum = sums.get(c)!;
      try {
        const d = await c.recv(4096);
        if (d.length && !sum.update(d)) continue;
        if (d.length) {
          await c.send(sum.reply());
          served++;
        }
      } catch (e) {
        errors.push(String(e)); // that client is gone (the test fails on what the clients saw)
      }
      p.unregister(c);
      sums.delete(c);
      c.close();
    }
  }
}

/** The same service on start_server(). */
async function handler(reader: asyncio.Stream, writer: asyncio.Stream): Promise<void> {
  const sum = new Request();
  try {
    for (;;) {
      const d = await reader.read(4096);
      if (!d.length) return;
      if (sum.update(d)) break;
    }
    writer.write(sum.reply());
    await writer.drain();
  } catch (e) {
    errors.push(String(e));
  } finally {
    await writer.wait_closed();
  }
}

harness.describe("many clients", () => {
  const f = fixture();
  const size = Math.max(256, Math.round(32768 * harness.scale));

  async function clients(port: number): Promise<void> {
    const peer = f.python(CHECKSUM_CLIENTS, [port, CLIENTS, size]);
    errors.length = 0;
    equal((await peer.line()), `OK ${CLIENTS}`, `servers' errors: ${errors.slice(0, 3).join("; ")}`);
  }

  harness.it(`a select.poll() server serves ${CLIENTS} concurrent CPython clients, each checksummed`, async () => {
    const { listener, port } = f.listener(5);
    const serving = pollServer(listener);
    await clients(port);
    listener.close();
    equal(await serving, CLIENTS);
  }, 120000);

  harness.it(`start_server() serves ${CLIENTS} concurrent CPython clients, each checksummed`, async () => {
    const server = await asyncio.start_server(handler, "127.0.0.1", 0);
    try {
      await clients(server.sockets[0].getsockname()[1]);
    } finally {
      server.close();
      await server.wait_closed();
    }
  }, 120000);

  harness.it("silent clients connected first do not stop a select.poll() server serving the others", async () => {
    const { listener, port } = f.listener(5);
    const serving = pollServer(listener);
    await expectLine(f.python(SILENT_CLIENTS, [port, 10]), "HELD");
    await clients(port);
    listener.close();
    equal(await serving, CLIENTS);
  }, 120000);

  harness.it("silent clients connected first do not stop start_server() serving the others", async () => {
    const server = await asyncio.start_server(handler, "127.0.0.1", 0);
    try {
      const port = server.sockets[0].getsockname()[1];
      await expectLine(f.python(SILENT_CLIENTS, [port, 10]), "HELD");
      await clients(port);
    } finally {
      server.close();
      await server.wait_closed();
    }
  }, 120000);
});
