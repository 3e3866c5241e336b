// An SSLSocket's modes, EOF and resets are a plain socket's: EAGAIN/null when non-blocking,
// ETIMEDOUT with a timeout, the peer's close_notify as EOF, a TCP reset as ECONNRESET.
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { EAGAIN, ETIMEDOUT, ECONNRESET, EINPROGRESS, EALREADY, EISCONN, OSError } from "usocket-xs/errno";
import { fixture, expectLine } from "./fixture";
import { tlsFixture } from "./tls-fixture";
import { equal, ok, rejectsWith, bytesEqual, fail } from "./assert";

harness.describe("ssl modes", () => {
  const f = fixture();
  const t = tlsFixture(f);

  async function connected(actions: string[]): Promise<{ s: ssl.SSLSocket; peer: ReturnType<typeof f.spawn> }> {
    const { peer, port } = await t.pyServer("server", actions);
    const raw = f.socket();
    await raw.connect(["127.0.0.1", port]);
    const s = f.adopt(await t.client().wrap_socket(raw, { server_hostname: "localhost" }));
    await expectLine(peer, "HANDSHAKE");
    return { s, peer };
  }

  harness.it("non-blocking: recv raises EAGAIN, read/readline return null, until data comes", async () => {
    const { s, peer } = await connected(["wait", "send:line\\n"]);
    s.setblocking(false);
    await rejectsWith(s.recv(10), EAGAIN);
    equal(await s.read(10), null, "read");
    equal(await s.readline(), null, "readline");
    peer.write("\n");
    s.setblocking(true);
    bytesEqual(await s.readline(), "line\n");
  });

  harness.it("non-blocking write takes what fits and returns a count", async () => {
    const { s } = await connected(["recv:5"]);
    s.setblocking(false);
    const n = await s.write("hello");
    equal(n, 5);
  });

  harness.it("settimeout: recv raises ETIMEDOUT; bytes that come later are still read", async () => {
    const { s, peer } = await connected(["wait", "send:late"]);
    s.settimeout(0.2);
    await rejectsWith(s.recv(10), ETIMEDOUT);
    peer.write("\n");
    s.settimeout(5);
    bytesEqual(await s.read(4), "late");
  });

  harness.it("settimeout covers the handshake: a server that never answers it gives ETIMEDOUT", async () => {
    const { port } = await f.server(["sleep:5"]);
    const s = t.client().wrap_socket(f.socket(), { server_hostname: "localhost" }) as ssl.SSLSocket;
    f.adopt(s);
    s.settimeout(0.3);
    await rejectsWith(s.connect(["127.0.0.1", port]), ETIMEDOUT);
  });

  harness.it("non-blocking connect of an SSLSocket: EINPROGRESS, EALREADY while handshaking, then connected", async () => {
    const { peer, port } = await t.pyServer("server", ["send:hi"]);
    const s = t.client().wrap_socket(f.socket(), { server_hostname: "localhost" }) as ssl.SSLSocket;
    f.adopt(s);
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    const until = harness.now() + 8000;
    for (;;) {
      try {
        await s.connect(["127.0.0.1", port]);
        break;
      } catch (e) {
        if (!(e instanceof OSError) || e.errno !== EALREADY) throw e;
        if (harness.now() > until) fail("the handshake did not finish");
        await harness.sleep(20);
      }
    }
    await rejectsWith(s.connect(["127.0.0.1", port]), EISCONN);
    await expectLine(peer, "HANDSHAKE");
    s.setblocking(true);
    bytesEqual(await s.read(2), "hi");
  });

  harness.it("the peer's close_notify reads as EOF, repeatedly", async () => {
    const { s, peer } = await connected(["send:last", "unwrap"]);
    bytesEqual(await s.read(4), "last");
    await expectLine(peer, "UNWRAPPED");
    equal((await s.recv(10)).length, 0, "EOF");
    equal((await s.recv(10)).length, 0, "EOF again");
  });

  harness.it("a TCP reset mid-stream is ECONNRESET, then EOF", async () => {
    const { s, peer } = await connected(["send:some", "sleep:0.1", "linger0", "close"]);
    bytesEqual(await s.read(4), "some");
    await expectLine(peer, "DONE");
    await rejectsWith(s.recv(10), ECONNRESET);
    equal((await s.recv(10)).length, 0, "after the reset");
  });

  harness.it("our close() sends close_notify: CPython reads a clean EOF after all we sent", async () => {
    const { s, peer } = await connected(["recveof"]);
    await s.sendall("all of it");
    s.close();
    const [n] = await expectLine(peer, "EOF");
    equal(n, "9");
  });

  harness.it("do_handshake_on_connect: false returns at once; do_handshake() waits for it", async () => {
    const { peer, port } = await t.pyServer("server", ["send:x"]);
    const raw = f.socket();
    await raw.connect(["127.0.0.1", port]);
    const s = f.adopt(await t.client().wrap_socket(raw, { server_hostname: "localhost", do_handshake_on_connect: false }));
    await s.do_handshake();
    await expectLine(peer, "HANDSHAKE");
    ok(s.getpeercert() instanceof Uint8Array, "handshake done");
    bytesEqual(await s.read(1), "x");
  });
});
