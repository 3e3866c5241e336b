// SO_LINGER: struct linger as MicroPython programs pass it, struct.pack("ii", l_onoff, l_linger).
import { harness } from "test-harness";
import { EINVAL } from "usocket-xs/errno";
import { SOL_SOCKET, SO_LINGER } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { equal, throwsWith } from "./assert";

/** struct.pack("ii", onoff, seconds): two int32s in the machine's byte order. */
function linger(onoff: number, seconds: number): Uint8Array {
  return new Uint8Array(new Int32Array([onoff, seconds]).buffer);
}

harness.describe("SO_LINGER", () => {
  const f = fixture();

  harness.it("on with linger 0: close() resets the connection (the peer reads ECONNRESET)", async () => {
    const { s, peer } = await f.connected(["recveof"]);
    equal(s.setsockopt(SOL_SOCKET, SO_LINGER, linger(1, 0)), undefined);
    s.close();
    equal((await expectLine(peer, "RESET"))[0], "0");
  });

  harness.it("a socket accepted from a listener with SO_LINGER 0 inherits it", async () => {
    const { listener, port } = f.listener();
    listener.setsockopt(SOL_SOCKET, SO_LINGER, linger(1, 0));
    const peer = f.client(port, ["recveof"]);
    const [c] = await listener.accept();
    await expectLine(peer, "CONNECTED"); // (a reset before the client's connect() returned would fail that)
    c.close();
    equal((await expectLine(peer, "RESET"))[0], "0");
  });

  harness.it("off, or on with a linger time: close() ends with FIN as usual", async () => {
    for (const value of [linger(0, 0), linger(1, 5)]) {
      const { s, peer } = await f.connected(["recveof"]);
      s.setsockopt(SOL_SOCKET, SO_LINGER, value);
      await s.sendall("bye");
      s.close();
      equal((await expectLine(peer, "EOF"))[0], "3");
    }
  });

  harness.it("takes exactly 8 bytes: an int or 4 bytes raise EINVAL", () => {
    const s = f.socket();
    throwsWith(() => s.setsockopt(SOL_SOCKET, SO_LINGER, 1), EINVAL);
    throwsWith(() => s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(4)), EINVAL);
    equal(SO_LINGER, 13);
  });
});
