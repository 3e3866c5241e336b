// hosts/moddable on the lin stand-ins (the simulator's quirks), through the library's API.
import { harness } from "test-harness";
import { socket } from "usocket-xs/socket";
import { ECONNREFUSED } from "usocket-xs/errno";
import { Listener, Socket as Classic } from "socket";
import { settings, stats, type Platform } from "../standins/settings";
import { equal, ok, rejectsWith, bytesEqual } from "../../behaviour/assert";
import { closedPort } from "../../behaviour/fixture";

function on(p: Platform, body: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = settings.platform;
    settings.platform = p;
    try { await body(); } finally { settings.platform = before; }
  };
}

/** Our listener, a client connected to it, and the accepted end. */
async function connectedPair() {
  const l = socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  const c = socket();
  await c.connect(["127.0.0.1", l.getsockname()[1]]);
  const [s] = await l.accept();
  return { l, c, s };
}

harness.describe("hosts/moddable on lin", () => {
  harness.it("connect() to a closed port rejects with ECONNREFUSED (connected + disconnected, no sign of a peer)", on("lin", async () => {
    await rejectsWith(socket().connect(["127.0.0.1", closedPort()]), ECONNREFUSED);
  }));

  harness.it("EOF after data is EOF, and close() after it never closes the native socket twice", on("lin", async () => {
    await harness.sleep(20); // let earlier tests' deferred closes finish
    const before = { ...stats };
    const { l, c, s } = await connectedPair();
    await s.sendall("x".repeat(5000));
    s.close();
    const got = await c.read();
    equal(got!.length, 5000);
    bytesEqual((await c.recv(1)), "");
    c.close();
    l.close();
    await harness.sleep(20);
    equal(stats.doubleCloses, before.doubleCloses, "no double close");
    equal(stats.sockets, before.sockets, "every native socket closed");
  }));

  harness.it("sendall() of 64 KiB in 1 KB writes, one per data-sent message, arrives intact", on("lin", async () => {
    const { l, c, s } = await connectedPair();
    const big = new Uint8Array(65536);
    for (let i = 0; i < big.length; i++) big[i] = i * 7;
    const reading = c.read(big.length);
    await s.sendall(big);
    bytesEqual((await reading)!, big);
    s.close(); c.close(); l.close();
  }));

  harness.it("a paused stream on lin keeps the bytes the SDK would discard", on("lin", async () => {
    const { l, c, s } = await connectedPair();
    const big = new Uint8Array(40000).fill(65);
    await s.sendall(big); // more than rxLimit (8 KB): the stream pauses while nobody reads
    await harness.sleep(200);
    const got = await c.read(big.length);
    equal(got!.length, big.length);
    s.close(); c.close(); l.close();
  }));

  harness.it("the classic Listener stand-in is what listen() uses (sanity)", async () => {
    ok(typeof Listener === "function" && typeof Classic === "function", "stand-ins bound");
  });
});
