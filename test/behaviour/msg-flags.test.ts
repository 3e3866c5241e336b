// recv(n, MSG_PEEK) and recv(n, MSG_DONTWAIT).
import { harness } from "test-harness";
import { EAGAIN, EOPNOTSUPP } from "usocket-xs/errno";
import { MSG_PEEK, MSG_DONTWAIT } from "usocket-xs/socket";
import { fixture, expectGot } from "./fixture";
import { bytesEqual, rejectsWith, ok, equal } from "./assert";

harness.describe("MSG_PEEK and MSG_DONTWAIT", () => {
  const f = fixture();

  harness.it("recv(n, MSG_PEEK) returns data without consuming it", async () => {
    const { s } = await f.connected(["send:peekaboo"]);
    const first = await s.recv(4, MSG_PEEK);
    ok(first.length > 0 && first.length <= 4, "some bytes");
    bytesEqual(first, "peekaboo".slice(0, first.length));
    bytesEqual(await s.read(8), "peekaboo");
  });

  harness.it("recv(n, MSG_PEEK) twice gives the same bytes", async () => {
    const { s } = await f.connected(["send:same"]);
    await s.recv(4, MSG_PEEK);
    const a = await s.recv(4, MSG_PEEK);
    const b = await s.recv(4, MSG_PEEK);
    bytesEqual(a, Array.from(b));
  });

  harness.it("recv(n, MSG_PEEK) on a blocking socket waits for data", async () => {
    const { s } = await f.connected(["sleep:0.1", "send:z"]);
    bytesEqual(await s.recv(1, MSG_PEEK), "z");
    bytesEqual(await s.recv(1), "z");
  });

  harness.it("recv(n, MSG_DONTWAIT) on a blocking socket with no data raises EAGAIN", async () => {
    const { s } = await f.connected(["recveof"]);
    await rejectsWith(s.recv(10, MSG_DONTWAIT), EAGAIN);
    ok(s.gettimeout() === null, "the socket stays blocking");
  });

  harness.it("recv(n, MSG_DONTWAIT) returns data that is there", async () => {
    const { s } = await f.connected(["send:here"]);
    await s.recv(1, MSG_PEEK); // wait until it has arrived
    bytesEqual(await s.recv(10, MSG_DONTWAIT), "here");
  });

  harness.it("MSG_PEEK | MSG_DONTWAIT peeks without waiting", async () => {
    const { s } = await f.connected(["wait", "send:pd"]);
    await rejectsWith(s.recv(10, MSG_PEEK | MSG_DONTWAIT), EAGAIN);
  });

  harness.it("recvfrom(n, MSG_PEEK) on UDP leaves the datagram queued", async () => {
    const { peer, port } = await f.udpEcho();
    const u = f.udp();
    await u.sendto("dgram", ["127.0.0.1", port]);
    const [a, from] = await u.recvfrom(100, MSG_PEEK);
    bytesEqual(a, "dgram");
    const [b, from2] = await u.recvfrom(100);
    bytesEqual(b, "dgram");
    ok(from[1] === port && from2[1] === port, "from the echo server");
    void peer;
  });

  harness.it("recvfrom(n, MSG_DONTWAIT) on UDP with nothing queued raises EAGAIN", async () => {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    await rejectsWith(u.recvfrom(10, MSG_DONTWAIT), EAGAIN);
  });

  harness.it("send(b, MSG_PEEK) raises OSError EOPNOTSUPP; send(b, MSG_DONTWAIT) sends", async () => {
    const { s, peer } = await f.connected(["recv:2"]);
    await rejectsWith(s.send("no", MSG_PEEK), EOPNOTSUPP, /takes are MSG_DONTWAIT$/);
    equal(await s.send("ok", MSG_DONTWAIT), 2);
    equal(await expectGot(peer), "ok");
  });
});
