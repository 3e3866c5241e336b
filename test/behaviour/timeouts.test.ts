// settimeout(t): a wait longer than t seconds raises ETIMEDOUT (110, as on the device ports), and
// bytes that arrived before the timeout stay for the next read.
import { harness } from "test-harness";
import { ETIMEDOUT, OSError } from "usocket-xs/errno";
import { Socket } from "usocket-xs/socket";
import { fixture, expectGot, watch, waitsForPeer } from "./fixture";
import { equal, ok, between, bytesEqual, rejectsWith } from "./assert";

/** The call rejects with ETIMEDOUT after roughly `seconds`. */
async function timesOut(p: () => Promise<unknown>, seconds: number): Promise<void> {
  const t0 = harness.now();
  await rejectsWith(p, ETIMEDOUT, /ETIMEDOUT/);
  between(harness.now() - t0, seconds * 1000 * 0.75, seconds * 1000 + 1500, "ms until ETIMEDOUT");
}

harness.describe("timeouts", () => {
  const f = fixture();

  async function quiet(): Promise<Socket> {
    const { s } = await f.connected(["recveof"]);
    s.settimeout(0.2);
    return s;
  }

  harness.it("gettimeout() reports the timeout", () => {
    const s = f.socket();
    s.settimeout(0.2);
    equal(s.gettimeout(), 0.2);
  });

  harness.it("recv() with nothing arriving raises ETIMEDOUT after ~0.2 s", async () => {
    const s = await quiet();
    await timesOut(() => s.recv(10), 0.2);
  });

  harness.it("read(n) raises ETIMEDOUT", async () => {
    const s = await quiet();
    await timesOut(() => s.read(10), 0.2);
  });

  harness.it("read() to EOF raises ETIMEDOUT", async () => {
    const s = await quiet();
    await timesOut(() => s.read(), 0.2);
  });

  harness.it("readinto() raises ETIMEDOUT", async () => {
    const s = await quiet();
    await timesOut(() => s.readinto(new Uint8Array(8)), 0.2);
  });

  harness.it("readline() raises ETIMEDOUT", async () => {
    const s = await quiet();
    await timesOut(() => s.readline(), 0.2);
  });

  harness.it("recvfrom() on UDP raises ETIMEDOUT", async () => {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    u.settimeout(0.2);
    await timesOut(() => u.recvfrom(10), 0.2);
  });

  harness.it("accept() with no client raises ETIMEDOUT", async () => {
    const { listener } = f.listener();
    listener.settimeout(0.2);
    await timesOut(() => listener.accept(), 0.2);
  });

  harness.it("connect() to a peer that never answers raises ETIMEDOUT", async () => {
    const port = await f.blackhole();
    const s = f.socket();
    s.settimeout(0.3);
    await timesOut(() => s.connect(["127.0.0.1", port]), 0.3);
  });

  harness.it("send() to a peer that stops reading raises ETIMEDOUT once nothing fits", async () => {
    const { s } = await f.connected(["wait", "recveof"]);
    s.settimeout(0.2);
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 4096; i++) {
      const t0 = harness.now();
      try {
        await s.send(chunk);
      } catch (e) {
        ok(e instanceof OSError && e.errno === ETIMEDOUT, `ETIMEDOUT, got ${e}`);
        between(harness.now() - t0, 150, 1700, "ms until ETIMEDOUT");
        return;
      }
    }
    ok(false, "send() never timed out");
  });

  harness.it("a call that completes within the timeout is not affected", async () => {
    const { s } = await f.connected(["sleep:0.05", "send:in time"]);
    s.settimeout(2);
    bytesEqual(await s.read(7), "in time");
  });

  harness.it("bytes that arrived before a read(n) timeout are not lost", async () => {
    const { s, peer } = await f.connected(["send:abc", "wait", "send:defghij", "wait"]);
    s.settimeout(0.2);
    await rejectsWith(s.read(10), ETIMEDOUT);
    peer.write("\n");
    bytesEqual(await s.read(10), "abcdefghij");
    peer.write("\n");
  });

  harness.it("bytes that arrived before a readline() timeout are not lost", async () => {
    const { s, peer } = await f.connected(["send:hel", "wait", "send:lo\\nnext", "wait"]);
    s.settimeout(0.2);
    await rejectsWith(s.readline(), ETIMEDOUT);
    peer.write("\n");
    bytesEqual(await s.readline(), "hello\n");
    bytesEqual(await s.read(4), "next");
    peer.write("\n");
  });

  harness.it("bytes that arrived before a readinto() timeout are not lost", async () => {
    const { s, peer } = await f.connected(["send:12", "wait", "send:345", "wait"]);
    s.settimeout(0.2);
    const buf = new Uint8Array(5);
    await rejectsWith(s.readinto(buf), ETIMEDOUT);
    peer.write("\n");
    equal(await s.readinto(buf), 5);
    bytesEqual(buf, "12345");
    peer.write("\n");
  });

  harness.it("the socket keeps working after a timeout", async () => {
    const { s, peer } = await f.connected(["wait", "send:later", "recv:4"]);
    s.settimeout(0.2);
    await rejectsWith(s.recv(10), ETIMEDOUT);
    peer.write("\n");
    bytesEqual(await s.recv(10), "later");
    await s.sendall("more");
    equal(await expectGot(peer), "more");
  });

  // Platform timers hold at most 2^31 - 1 ms (24.8 days); Node fires a longer one after 1 ms.
  for (const [label, seconds] of [["3e6 s (beyond 2^31 ms)", 3e6], ["2147483.648 s (2^31 ms)", 2147483.648], ["Infinity", Infinity]] as [string, number][]) {
    harness.it(`settimeout(${label}) waits instead of timing out at once`, async () => {
      const { s, peer } = await f.connected(["wait", "send:late"]);
      s.settimeout(seconds);
      equal(s.gettimeout(), seconds);
      bytesEqual(await waitsForPeer(s.recv(10), peer), "late");
    });
  }

  harness.it("accept() with a timeout beyond 2^31 ms waits for its client", async () => {
    const { listener, port } = f.listener();
    listener.settimeout(1e7);
    const a = watch(listener.accept());
    await harness.sleep(300);
    ok(!a.settled, "accept() is still waiting");
    f.client(port, ["send:ok"]);
    const [c] = await a.promise;
    f.adopt(c);
    bytesEqual(await c.read(2), "ok");
  });
});
