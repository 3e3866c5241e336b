// Corners where a port's behaviour is easy to get wrong: partial non-blocking writes, recv(0),
// a bound client port, what a timed-out accept() leaves, options.
import { harness } from "test-harness";
import { EAGAIN, EBADF, EINVAL, ECONNREFUSED, ENOPROTOOPT, ETIMEDOUT, OSError } from "usocket-xs/errno";
import { AF_INET6, SOCK_DGRAM, SOL_SOCKET, SO_REUSEADDR, SO_KEEPALIVE, IPPROTO_TCP, TCP_NODELAY } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { equal, ok, bytesEqual, rejectsWith, throwsWith, failsWith } from "./assert";
import { pattern, sha256 } from "./data";

harness.describe("edge cases", () => {
  const f = fixture();

  harness.it("non-blocking write() of more than fits returns the count it sent, and the peer gets exactly that", async () => {
    const { s, peer } = await f.connected(["wait", "recveof"]);
    s.setblocking(false);
    const data = pattern(mib64(), 3);
    let sent = 0;
    for (let i = 0; i < 1000 && sent < data.length; i++) {
      const n = await s.write(data.subarray(sent));
      if (n === null) break;
      ok(n > 0, `write() gave ${n}`);
      sent += n;
    }
    ok(sent > 0 && sent < data.length, `sent ${sent} of ${data.length}`);
    s.setblocking(true);
    peer.write("\n");
    s.close();
    const [n, digest] = await expectLine(peer, "EOF");
    equal(Number(n), sent, "the peer received what write() reported");
    equal(digest, sha256(data.subarray(0, sent)));
  }, 30000);

  harness.it("recv(0) returns an empty Uint8Array at once", async () => {
    const { s } = await f.connected(["recveof"]);
    const r = await s.recv(0);
    equal(r.length, 0);
  }, 2000);

  harness.it("a client bound to a port before connect() uses that port", async () => {
    const { peer, port } = await f.server(["peeraddr"]);
    const { listener } = f.listener();
    const local = listener.getsockname()[1];
    listener.close(); // free a known port
    const s = f.socket();
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    s.bind(["127.0.0.1", local]);
    await s.connect(["127.0.0.1", port]);
    equal(s.getsockname()[1], local);
    equal((await expectLine(peer, "PEER"))[1], String(local));
  });

  harness.it("a client arriving after accept() timed out is kept for the next accept()", async () => {
    const { listener, port } = f.listener();
    listener.settimeout(0.1);
    await rejectsWith(listener.accept(), ETIMEDOUT);
    const peer = f.client(port, ["send:kept"]);
    await expectLine(peer, "CONNECTED");
    listener.settimeout(5);
    const [s] = await listener.accept();
    f.adopt(s);
    bytesEqual(await s.read(4), "kept");
  });

  harness.it("close() ends a connect() that is waiting (EBADF)", async () => {
    const port = await f.blackhole();
    const s = f.socket();
    const pending = s.connect(["127.0.0.1", port]);
    await harness.sleep(50);
    s.close();
    await rejectsWith(pending, EBADF);
  });

  harness.it("close() ends a sendall() that is waiting (EBADF)", async () => {
    const { s } = await f.connected(["wait", "recveof"]);
    const pending = s.sendall(new Uint8Array(16 * 1024 * 1024));
    await harness.sleep(100);
    s.close();
    await rejectsWith(pending, EBADF);
  });

  harness.it("setsockopt() accepts SO_REUSEADDR, SO_KEEPALIVE, TCP_NODELAY with ints or buffers", async () => {
    const { s } = await f.connected(["recveof"]);
    equal(s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), undefined);
    s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
    s.setsockopt(IPPROTO_TCP, TCP_NODELAY, new Uint8Array([1, 0, 0, 0]));
  });

  harness.it("setsockopt() of an unknown option raises OSError ENOPROTOOPT (92)", () => {
    throwsWith(() => f.socket().setsockopt(SOL_SOCKET, 12345, 1), ENOPROTOOPT);
    equal(ENOPROTOOPT, 92);
  });

  harness.it("UDP sendto() port 0 raises OSError EINVAL", async () => {
    await failsWith(() => f.udp().sendto("x", ["127.0.0.1", 0]), EINVAL);
  }, 2000);

  harness.it("TCP connect() to port 0 raises ECONNREFUSED", async () => {
    await rejectsWith(f.socket().connect(["127.0.0.1", 0]), ECONNREFUSED);
  }, 2000);

  harness.it("sendto() on a TCP socket raises OSError", async () => {
    await failsWith(() => f.socket().sendto("x", ["127.0.0.1", 9]), OSError);
  }, 2000);

  harness.it("UDP over IPv6 (::1)", async () => {
    const a = f.socket(AF_INET6, SOCK_DGRAM);
    a.bind(["::1", 0]);
    const b = f.socket(AF_INET6, SOCK_DGRAM);
    await b.sendto("v6", ["::1", a.getsockname()[1]]);
    const [data, from] = await a.recvfrom(10);
    bytesEqual(data, "v6");
    equal(from[0], "::1");
  });

  harness.it("a non-blocking recv() on a socket still connecting raises EAGAIN", async () => {
    const port = await f.blackhole();
    const s = f.socket();
    s.setblocking(false);
    await failsWith(() => s.connect(["127.0.0.1", port]), OSError);
    await rejectsWith(s.recv(1), EAGAIN);
  });
});

function mib64(): number {
  return 16 * 1024 * 1024;
}
