// A closed socket: every call raises EBADF; close() twice is harmless; waits end.
import { harness } from "test-harness";
import { EBADF } from "usocket-xs/errno";
import { Socket, SOL_SOCKET, SO_REUSEADDR } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { equal, ok, failsWith, rejectsWith } from "./assert";

type Call = (s: Socket) => unknown;

const calls: [string, Call][] = [
  ["recv", (s) => s.recv(10)],
  ["recvfrom", (s) => s.recvfrom(10)],
  ["read", (s) => s.read(10)],
  ["read()", (s) => s.read()],
  ["readinto", (s) => s.readinto(new Uint8Array(4))],
  ["readline", (s) => s.readline()],
  ["send", (s) => s.send("x")],
  ["sendall", (s) => s.sendall("x")],
  ["write", (s) => s.write("x")],
  ["sendto", (s) => s.sendto("x", ["127.0.0.1", 9])],
  ["accept", (s) => s.accept()],
  ["connect", (s) => s.connect(["127.0.0.1", 9])],
  ["bind", (s) => s.bind(["127.0.0.1", 0])],
  ["listen", (s) => s.listen()],
  ["setsockopt", (s) => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)],
  ["setblocking", (s) => s.setblocking(false)],
  ["settimeout", (s) => s.settimeout(1)],
  ["makefile", (s) => s.makefile()],
  ["getsockname", (s) => s.getsockname()],
  ["getpeername", (s) => s.getpeername()],
];

harness.describe("closed", () => {
  const f = fixture();

  for (const [name, call] of calls) {
    harness.it(`${name} on a closed connected socket raises EBADF`, async () => {
      const [s] = await f.pair();
      s.close();
      await failsWith(() => call(s), EBADF);
    });
  }

  harness.it("every call on a closed socket that was never connected raises EBADF", async () => {
    for (const [name, call] of calls) {
      const s = f.socket();
      s.close();
      const e = await failsWith(() => call(s), EBADF);
      ok(e, name);
    }
  });

  harness.it("every call on a closed UDP socket raises EBADF", async () => {
    for (const [name, call] of calls) {
      const s = f.udp();
      s.bind(["127.0.0.1", 0]);
      s.close();
      const e = await failsWith(() => call(s), EBADF);
      ok(e, name);
    }
  });

  harness.it("every call on a closed listening socket raises EBADF", async () => {
    for (const [name, call] of calls) {
      const { listener } = f.listener();
      listener.close();
      const e = await failsWith(() => call(listener), EBADF);
      ok(e, name);
    }
  });

  harness.it("close() twice is harmless", async () => {
    const { s } = await f.connected(["recveof"]);
    s.close();
    s.close();
    const u = f.udp();
    u.close();
    u.close();
    const never = f.socket();
    never.close();
    never.close();
  });

  harness.it("close() ends a recv() that is waiting (EBADF)", async () => {
    const { s } = await f.connected(["recveof"]);
    const pending = s.recv(10);
    await harness.sleep(20);
    s.close();
    await rejectsWith(pending, EBADF);
  });

  harness.it("close() ends an accept() that is waiting (EBADF)", async () => {
    const { listener } = f.listener();
    const pending = listener.accept();
    await harness.sleep(20);
    listener.close();
    await rejectsWith(pending, EBADF);
  });

  harness.it("close() ends a UDP recvfrom() that is waiting (EBADF)", async () => {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    const pending = u.recvfrom(10);
    await harness.sleep(20);
    u.close();
    await rejectsWith(pending, EBADF);
  });

  harness.it("the peer sees EOF after our close()", async () => {
    const { s, peer } = await f.connected(["recveof"]);
    s.close();
    equal((await expectLine(peer, "EOF"))[0], "0");
  });

  harness.it("closing a listener refuses new clients", async () => {
    const { listener, port } = f.listener();
    listener.close();
    const peer = f.client(port, []);
    equal(await peer.line(), "ERROR ECONNREFUSED");
  });
});
