// Non-blocking mode (setblocking(false) / settimeout(0)) and back to blocking.
import { harness } from "test-harness";
import { EAGAIN, EINPROGRESS, EALREADY, EISCONN, OSError } from "usocket-xs/errno";
import { Socket, MSG_PEEK } from "usocket-xs/socket";
import { fixture, expectLine, expectGot, waitsForPeer } from "./fixture";
import { equal, ok, bytesEqual, rejectsWith, fail } from "./assert";

/** Sends until the socket takes nothing more (peer not reading); returns the bytes sent. */
async function fill(s: Socket): Promise<number> {
  const chunk = new Uint8Array(64 * 1024);
  let total = 0;
  for (let i = 0; i < 4096; i++) {
    let n: number;
    try {
      n = await s.send(chunk);
    } catch (e) {
      if (e instanceof OSError && e.errno === EAGAIN) return total;
      throw e;
    }
    total += n;
  }
  return fail(`send() never raised EAGAIN after ${total} bytes`);
}

/**
 * Waits (blocking peeks) until at least n bytes have arrived, so that a non-blocking read that
 * follows finds them whatever the machine's load: no sleeping for a guessed time.
 */
async function arrived(s: Socket, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await s.recv(n, MSG_PEEK)).length >= n) return;
    await harness.sleep(10);
  }
  fail(`${n} bytes never arrived`);
}

/** Calls connect() again until it stops reporting EALREADY/EINPROGRESS. */
async function finishConnect(s: Socket, port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await s.connect(["127.0.0.1", port]);
      return;
    } catch (e) {
      if (!(e instanceof OSError) || (e.errno !== EALREADY && e.errno !== EINPROGRESS)) throw e;
    }
    await harness.sleep(10);
  }
  fail("the non-blocking connect never completed");
}

harness.describe("modes", () => {
  const f = fixture();

  harness.it("blocking is the default: gettimeout() is null", () => {
    equal(f.socket().gettimeout(), null);
  });

  harness.it("non-blocking recv() with no data raises EAGAIN at once", async () => {
    const { s } = await f.connected(["recveof"]);
    s.setblocking(false);
    await rejectsWith(s.recv(10), EAGAIN);
  });

  harness.it("non-blocking recvfrom() on TCP with no data raises EAGAIN", async () => {
    const { s } = await f.connected(["recveof"]);
    s.setblocking(false);
    await rejectsWith(s.recvfrom(10), EAGAIN);
  });

  harness.it("non-blocking recvfrom() on UDP with nothing queued raises EAGAIN", async () => {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    u.setblocking(false);
    await rejectsWith(u.recvfrom(10), EAGAIN);
  });

  harness.it("non-blocking accept() with no client raises EAGAIN", async () => {
    const { listener } = f.listener();
    listener.setblocking(false);
    await rejectsWith(listener.accept(), EAGAIN);
  });

  harness.it("non-blocking accept() returns a client that is waiting", async () => {
    const { listener, port } = f.listener();
    listener.setblocking(false);
    const peer = f.client(port, ["send:q"]);
    await expectLine(peer, "CONNECTED");
    for (let i = 0; i < 100; i++) {
      try {
        const [s] = await listener.accept();
        f.adopt(s);
        return;
      } catch (e) {
        if (!(e instanceof OSError) || e.errno !== EAGAIN) throw e;
      }
      await harness.sleep(10);
    }
    fail("accept() kept raising EAGAIN with a client connected");
  });

  harness.it("non-blocking send() raises EAGAIN once nothing more fits", async () => {
    const { s } = await f.connected(["wait", "recveof"]);
    s.setblocking(false);
    ok((await fill(s)) > 0, "some bytes were taken first");
  });

  harness.it("non-blocking write() returns null once nothing more fits", async () => {
    const { s } = await f.connected(["wait", "recveof"]);
    s.setblocking(false);
    await fill(s);
    equal(await s.write(new Uint8Array(1024)), null);
  });

  harness.it("non-blocking read(), readinto() and readline() return null with no data", async () => {
    const { s } = await f.connected(["recveof"]);
    s.setblocking(false);
    equal(await s.read(10), null);
    equal(await s.read(), null);
    equal(await s.readinto(new Uint8Array(4)), null);
    equal(await s.readline(), null);
  });

  harness.it("non-blocking read(n) returns what is there without waiting for n", async () => {
    const { s, peer } = await f.connected(["send:abc", "wait"]);
    await arrived(s, 3);
    s.setblocking(false);
    bytesEqual(await s.read(10), "abc");
    equal(await s.read(10), null);
    peer.write("\n");
  });

  harness.it("non-blocking readline() returns a partial line when there is no newline yet", async () => {
    const { s, peer } = await f.connected(["send:par", "wait", "send:tial\\n", "wait"]);
    await arrived(s, 3);
    s.setblocking(false);
    bytesEqual(await s.readline(), "par");
    peer.write("\n");
    s.setblocking(true);
    await arrived(s, 5);
    s.setblocking(false);
    bytesEqual(await s.readline(), "tial\n");
    peer.write("\n");
  });

  harness.it("non-blocking reads at EOF return empty, not null", async () => {
    const { s, peer } = await f.connected(["close"]);
    await expectLine(peer, "DONE");
    equal((await s.recv(1, MSG_PEEK)).length, 0, "EOF has arrived"); // a blocking peek waits for it
    s.setblocking(false);
    bytesEqual(await s.read(10), "");
    bytesEqual(await s.readline(), "");
    equal((await s.recv(10)).length, 0);
  });

  harness.it("non-blocking connect() raises EINPROGRESS, then completes", async () => {
    const { peer, port } = await f.server(["recv:2"]);
    const s = f.socket();
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    await finishConnect(s, port);
    await rejectsWith(s.connect(["127.0.0.1", port]), EISCONN);
    s.setblocking(true);
    await s.sendall("ok");
    equal(await expectGot(peer), "ok");
  });

  harness.it("a second non-blocking connect() while the first is pending raises EALREADY", async () => {
    const port = await f.blackhole();
    const s = f.socket();
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    await rejectsWith(s.connect(["127.0.0.1", port]), EALREADY);
  });

  harness.it("settimeout(0) is non-blocking: recv() raises EAGAIN, read() gives null", async () => {
    const { s } = await f.connected(["recveof"]);
    s.settimeout(0);
    equal(s.gettimeout(), 0);
    await rejectsWith(s.recv(10), EAGAIN);
    equal(await s.read(5), null);
  });

  // The peer sends only when told, so "still waiting" below does not depend on how fast anything runs.
  harness.it("settimeout(null) is blocking: recv() waits for data that comes later", async () => {
    const { s, peer } = await f.connected(["wait", "send:late"]);
    s.settimeout(0);
    s.settimeout(null);
    equal(s.gettimeout(), null);
    bytesEqual(await waitsForPeer(s.recv(10), peer), "late");
  });

  harness.it("setblocking(true) after setblocking(false) blocks again", async () => {
    const { s, peer } = await f.connected(["wait", "send:x"]);
    s.setblocking(false);
    await rejectsWith(s.recv(1), EAGAIN);
    s.setblocking(true);
    bytesEqual(await waitsForPeer(s.recv(1), peer), "x");
  });

  harness.it("a non-blocking socket still receives what the peer sends", async () => {
    const { s, peer } = await f.connected(["wait", "send:data"]);
    s.setblocking(false);
    await rejectsWith(s.recv(10), EAGAIN);
    peer.write("\n");
    for (let i = 0; i < 100; i++) {
      try {
        bytesEqual(await s.recv(10), "data");
        return;
      } catch (e) {
        if (!(e instanceof OSError) || e.errno !== EAGAIN) throw e;
      }
      await harness.sleep(10);
    }
    fail("the data never arrived");
  });
});
