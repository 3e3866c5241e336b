// The peer reset the connection, or went away while we were still sending.
import { harness } from "test-harness";
import { ECONNRESET, EPIPE, OSError } from "usocket-xs/errno";
import { fixture, expectLine } from "./fixture";
import { equal, ok, rejectsWith, fail } from "./assert";

harness.describe("reset", () => {
  const f = fixture();

  harness.it("peer closes with our data unread: recv() raises ECONNRESET once, then returns empty", async () => {
    const { s, peer } = await f.connected(["peek", "close"]); // closes once the bytes are in its receive buffer
    await s.sendall("unread by the peer");
    await expectLine(peer, "DONE");
    await rejectsWith(s.recv(10), ECONNRESET);
    equal((await s.recv(10)).length, 0, "after the reset: EOF");
    equal((await s.recv(10)).length, 0, "and again");
  });

  harness.it("after a reset was reported, send() raises EPIPE or ECONNRESET", async () => {
    const { s, peer } = await f.connected(["sleep:0.1", "linger0", "close"]);
    await expectLine(peer, "DONE");
    await rejectsWith(s.recv(10), ECONNRESET);
    const e = await rejectsWith(s.send("late"), OSError);
    ok([EPIPE, ECONNRESET].indexOf((e as OSError).errno) >= 0, `EPIPE or ECONNRESET, got ${e.message}`);
  });

  harness.it("a recv() waiting when the reset arrives rejects with ECONNRESET", async () => {
    const { s } = await f.connected(["sleep:0.2", "linger0", "close"]);
    await rejectsWith(s.recv(10), ECONNRESET);
  });

  harness.it("read() and readline() see the reset too", async () => {
    // (the peer waits a moment: a reset that lands before connect() returns fails the connect)
    const a = await f.connected(["sleep:0.1", "linger0", "close"]);
    await expectLine(a.peer, "DONE");
    await rejectsWith(a.s.read(10), ECONNRESET);
    const b = await f.connected(["sleep:0.1", "linger0", "close"]);
    await expectLine(b.peer, "DONE");
    await rejectsWith(b.s.readline(), ECONNRESET);
  });

  harness.it("sending after the peer has gone raises EPIPE or ECONNRESET", async () => {
    const { s, peer } = await f.connected(["close"]);
    await expectLine(peer, "DONE");
    await harness.sleep(50);
    const chunk = new Uint8Array(1024);
    for (let i = 0; i < 200; i++) {
      try {
        await s.send(chunk);
      } catch (e) {
        ok(e instanceof OSError && (e.errno === EPIPE || e.errno === ECONNRESET), `EPIPE or ECONNRESET, got ${e}`);
        return;
      }
      await harness.sleep(10);
    }
    fail("send() kept succeeding to a peer that had gone");
  });

  harness.it("sendall() to a peer that resets mid-transfer rejects instead of hanging", async () => {
    const { s, peer } = await f.connected(["sleep:0.2", "linger0", "close"]);
    const big = new Uint8Array(16 * 1024 * 1024);
    const e = await rejectsWith(s.sendall(big), OSError);
    ok([EPIPE, ECONNRESET].indexOf((e as OSError).errno) >= 0, `EPIPE or ECONNRESET, got ${e.message}`);
    void peer;
  });

  harness.it("accept() still gives the address of a client that reset before it was accepted", async () => {
    const { listener, port } = f.listener();
    // Connected long enough for the host to see the client, then reset: the host must remember who
    // it was (Node, for one, forgets a destroyed socket's address).
    const peer = f.client(port, ["sleep:0.2", "linger0", "close"]);
    await peer.exit;
    await harness.sleep(100);
    const [c, addr] = await listener.accept();
    f.adopt(c);
    equal(addr[0], "127.0.0.1");
    ok(addr[1] > 0 && addr[1] !== port, `the client's port, got ${addr[1]}`);
  });
});
