// UDP with CPython: sendto/recvfrom, datagram boundaries, truncation, connected UDP, errors.
import { harness } from "test-harness";
import { EADDRINUSE, EMSGSIZE } from "usocket-xs/errno";
import { SOCK_DGRAM, AF_INET } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { UDP_SENDER } from "../peers/python";
import { equal, ok, deepEqual, bytesEqual, rejectsWith, failsWith } from "./assert";
import { pattern } from "./data";

harness.describe("udp", () => {
  const f = fixture();

  /** Our bound UDP socket and its port. */
  function bound(): { u: ReturnType<typeof f.udp>; port: number } {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    return { u, port: u.getsockname()[1] };
  }

  /** A CPython sender that sends these datagrams to port; resolves with its source port. */
  async function send(port: number, payloads: string[]): Promise<number> {
    const p = f.python(UDP_SENDER, [port, ...payloads]);
    const [from] = await expectLine(p, "FROM");
    await expectLine(p, "SENT");
    return Number(from);
  }

  harness.it("socket(AF_INET, SOCK_DGRAM) makes a UDP socket", () => {
    const u = f.udp();
    equal(u.type, SOCK_DGRAM);
    equal(u.family, AF_INET);
  });

  harness.it("sendto() a CPython echo server; recvfrom() returns [bytes, [host, port]]", async () => {
    const { peer, port } = await f.udpEcho();
    const u = f.udp();
    equal(await u.sendto("ping", ["127.0.0.1", port]), 4);
    const [data, addr] = await u.recvfrom(100);
    bytesEqual(data, "ping");
    deepEqual(addr, ["127.0.0.1", port]);
    const [len, srcPort] = await expectLine(peer, "GOT");
    equal(len, "4");
    equal(Number(srcPort), u.getsockname()[1], "CPython saw our getsockname() port");
  });

  harness.it("bind() leaves the port bound: datagrams sent right after it returns arrive", async () => {
    const { u, port } = bound();
    ok(port > 0, "a port");
    const from = await send(port, ["first"]);
    const [data, addr] = await u.recvfrom(100);
    bytesEqual(data, "first");
    deepEqual(addr, ["127.0.0.1", from]);
  });

  harness.it("a CPython sender waiting for the port sends the instant bind() returns, and nothing is lost", async () => {
    const q = f.python(UDP_SENDER, ["wait", "instant"]);
    await expectLine(q, "FROM");
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    q.write(`${u.getsockname()[1]}\n`);
    await expectLine(q, "SENT");
    bytesEqual((await u.recvfrom(100))[0], "instant");
  });

  harness.it("datagram boundaries are kept", async () => {
    const { u, port } = bound();
    await send(port, ["a", "bb", "n:1000", "ccc"]);
    equal((await u.recvfrom(2000))[0].length, 1);
    equal((await u.recvfrom(2000))[0].length, 2);
    equal((await u.recvfrom(2000))[0].length, 1000);
    bytesEqual((await u.recvfrom(2000))[0], "ccc");
  });

  harness.it("recvfrom(4) truncates a longer datagram and discards the rest", async () => {
    const { u, port } = bound();
    await send(port, ["abcdefgh", "next"]);
    bytesEqual((await u.recvfrom(4))[0], "abcd");
    bytesEqual((await u.recvfrom(100))[0], "next");
  });

  harness.it("recv(n) on UDP returns one datagram's bytes", async () => {
    const { u, port } = bound();
    await send(port, ["one", "two"]);
    bytesEqual(await u.recv(100), "one");
    bytesEqual(await u.recv(100), "two");
  });

  harness.it("an empty datagram arrives as an empty Uint8Array", async () => {
    const { peer, port } = await f.udpEcho();
    const u = f.udp();
    await u.sendto(new Uint8Array(0), ["127.0.0.1", port]);
    const [data, addr] = await u.recvfrom(10);
    equal(data.length, 0);
    equal(addr[1], port);
    void peer;
  });

  harness.it("a large datagram (60000 bytes) round-trips intact", async () => {
    const { port } = await f.udpEcho();
    const u = f.udp();
    const data = pattern(60000, 5);
    await u.sendto(data, ["127.0.0.1", port]);
    deepEqual((await u.recvfrom(65535))[0], data);
  });

  harness.it("connected UDP: connect() then send()/recv() talk to that peer", async () => {
    const { peer, port } = await f.udpEcho();
    const u = f.udp();
    await u.connect(["127.0.0.1", port]);
    equal(await u.send("conn"), 4);
    bytesEqual(await u.recv(100), "conn");
    deepEqual(u.getpeername(), ["127.0.0.1", port]);
    await expectLine(peer, "GOT");
  });

  harness.it("connected UDP ignores datagrams from other senders", async () => {
    const { port: echo } = await f.udpEcho();
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    await u.connect(["127.0.0.1", echo]);
    await send(u.getsockname()[1], ["stranger"]);
    await u.send("friend");
    bytesEqual(await u.recv(100), "friend");
  });

  harness.it("bind() to a UDP port CPython holds raises EADDRINUSE", async () => {
    const port = await f.heldPort("udp");
    const u = f.udp();
    await failsWith(() => u.bind(["127.0.0.1", port]), EADDRINUSE);
  });

  harness.it("bind() to a UDP port one of our sockets holds raises EADDRINUSE", async () => {
    const { port } = bound();
    await failsWith(() => f.udp().bind(["127.0.0.1", port]), EADDRINUSE);
  });

  harness.it("sendto() of a 70000-byte datagram raises EMSGSIZE", async () => {
    const { port } = await f.udpEcho();
    const u = f.udp();
    await rejectsWith(u.sendto(new Uint8Array(70000), ["127.0.0.1", port]), EMSGSIZE);
  });

  harness.it("sendto() by the name \"localhost\"", async () => {
    const { port } = await f.udpEcho();
    const u = f.udp();
    await u.sendto("named", ["localhost", port]);
    bytesEqual((await u.recvfrom(100))[0], "named");
  });
});

