// A TCP client talking to a CPython server: connect, send/recv, addresses, what send accepts.
import { harness } from "test-harness";
import * as socket from "usocket-xs/socket";
import { fixture, expectLine, expectGot } from "./fixture";
import { equal, deepEqual, ok, bytesEqual } from "./assert";
import { ascii, text } from "./data";

harness.describe("tcp client", () => {
  const f = fixture();

  harness.it("socket() defaults to AF_INET, SOCK_STREAM, proto 0 and needs no `new`", () => {
    const s = f.adopt(socket.socket());
    equal(s.family, socket.AF_INET);
    equal(s.type, socket.SOCK_STREAM);
    equal(s.proto, 0);
    ok(s instanceof socket.Socket, "socket() returns a Socket");
  });

  harness.it("exports MicroPython's constants as numbers", () => {
    const names = ["AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "IPPROTO_IP", "IPPROTO_TCP",
      "IPPROTO_UDP", "SOL_SOCKET", "SO_REUSEADDR", "SO_BROADCAST", "SO_KEEPALIVE", "TCP_NODELAY",
      "IP_ADD_MEMBERSHIP", "MSG_PEEK", "MSG_DONTWAIT"];
    const mod = socket as unknown as { [k: string]: unknown };
    for (const n of names) equal(typeof mod[n], "number", n);
    equal(socket.AF_INET, 2);
    equal(socket.AF_INET6, 10);
    equal(socket.SOCK_STREAM, 1);
    equal(socket.SOCK_DGRAM, 2);
  });

  harness.it("connects to a CPython server and exchanges bytes both ways", async () => {
    const { s, peer } = await f.connected(["recv:5", "send:world"]);
    await s.sendall("hello");
    equal(await expectGot(peer), "hello");
    bytesEqual(await s.read(5), "world");
  });

  harness.it("sendall() resolves to undefined (MicroPython's None)", async () => {
    const { s, peer } = await f.connected(["recv:3"]);
    equal(await s.sendall("abc"), undefined);
    equal(await expectGot(peer), "abc");
  });

  harness.it("send() returns the number of bytes taken", async () => {
    const { s, peer } = await f.connected(["recv:3"]);
    equal(await s.send(ascii("abc")), 3);
    equal(await expectGot(peer), "abc");
  });

  harness.it("recv() returns a Uint8Array of what arrived", async () => {
    const { s } = await f.connected(["send:pong"]);
    const got = await s.recv(100);
    ok(got instanceof Uint8Array, "recv gives a Uint8Array");
    bytesEqual(got, "pong");
  });

  harness.it("round-trips every byte value through a CPython echo", async () => {
    const { s } = await f.connected(["echo"]);
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    await s.sendall(all);
    deepEqual(await s.read(256), all);
  });

  harness.it("sends a string as UTF-8", async () => {
    const { s, peer } = await f.connected(["recv:6"]);
    await s.sendall("h\u00e9\u20ac"); // 1 + 2 + 3 bytes
    equal(await expectGot(peer), "h\u00c3\u00a9\u00e2\u0082\u00ac");
  });

  harness.it("sends NUL, astral characters and surrogate pairs joined from their halves as UTF-8; a lone surrogate as U+FFFD", async () => {
    const { s, peer } = await f.connected(["recv:17"]);
    const hi = String.fromCharCode(0xd83d), lo = String.fromCharCode(0xde00);
    await s.sendall("a\u0000\u{1f600}" + hi + lo + hi + "z" + lo); // 1 + 1 + 4 + 4 + 3 + 1 + 3 bytes
    const smile = "\u00f0\u009f\u0098\u0080", replacement = "\u00ef\u00bf\u00bd";
    equal(await expectGot(peer), `a\u0000${smile}${smile}${replacement}z${replacement}`);
  });

  harness.it("sends ArrayBuffer, DataView and other typed arrays as their bytes", async () => {
    const { s, peer } = await f.connected(["recv:10"]);
    const ab = new Uint8Array([65, 66]).buffer;
    await s.sendall(ab);
    await s.sendall(new DataView(new Uint8Array([0, 67, 68, 0]).buffer, 1, 2));
    await s.sendall(new Uint16Array([0x4645])); // little-endian on every host we run on: "EF"
    await s.sendall(new Uint8Array([0, 0, 71, 72, 73, 74]).subarray(2));
    equal(await expectGot(peer), "ABCDEFGHIJ");
  });

  harness.it("getpeername() is the server's [host, port]; getsockname() our end", async () => {
    const { s, peer, port } = await f.connected(["peeraddr"]);
    deepEqual(s.getpeername(), ["127.0.0.1", port]);
    const [host, local] = s.getsockname();
    equal(host, "127.0.0.1");
    deepEqual(await expectLine(peer, "PEER"), ["127.0.0.1", String(local)], "the server sees our getsockname()");
  });

  harness.it("connects by the name \"localhost\"", async () => {
    const { peer, port } = await f.server(["send:hi"]);
    const s = f.socket();
    await s.connect(["localhost", port]);
    bytesEqual(await s.read(2), "hi");
    void peer;
  });

  harness.it("connects over IPv6 to ::1", async () => {
    const l = f.socket(socket.AF_INET6);
    l.bind(["::1", 0]);
    l.listen();
    const port = l.getsockname()[1];
    const c = f.socket(socket.AF_INET6);
    const accepting = l.accept();
    await c.connect(["::1", port]);
    const [s, addr] = await accepting;
    f.adopt(s);
    equal(addr[0], "::1");
    equal(c.getpeername()[0], "::1");
    await c.sendall("six");
    equal(text(await s.read(3)), "six");
  });

  harness.it("getpeername() before connect raises ENOTCONN", async () => {
    const s = f.socket();
    let code = 0;
    try { s.getpeername(); } catch (e) { code = (e as { errno: number }).errno; }
    equal(code, 107);
  });
});
