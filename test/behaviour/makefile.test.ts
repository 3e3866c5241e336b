// makefile(): the socket itself, as MicroPython's ESP32 and ESP8266 ports return it; closing it
// closes the socket; forgetting it closes nothing.
import { harness } from "test-harness";
import { EBADF } from "usocket-xs/errno";
import { socket } from "usocket-xs/socket";
import { fixture, expectLine, expectGot } from "./fixture";
import { equal, bytesEqual, rejectsWith, throwsWith, ok } from "./assert";
import { text } from "./data";

harness.describe("makefile", () => {
  const f = fixture();

  harness.it("readline() through makefile() reads request lines up to the blank line", async () => {
    const { s } = await f.connected(["send:GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\nbody"]);
    const file = s.makefile("rwb");
    const lines: string[] = [];
    for (;;) {
      const line = await file.readline();
      if (!line || text(line) === "\r\n" || line.length === 0) break;
      lines.push(text(line));
    }
    equal(lines.join("|"), "GET / HTTP/1.0\r\n|Host: x\r\n");
    bytesEqual(await file.read(4), "body");
  });

  harness.it("write() through makefile() reaches the peer and returns the count", async () => {
    const { s, peer } = await f.connected(["recv:6"]);
    const file = s.makefile("wb");
    equal(await file.write("via fd"), 6);
    equal(await expectGot(peer), "via fd");
  });

  harness.it("read() and readinto() through makefile()", async () => {
    const { s } = await f.connected(["send:abcdefgh", "close"]);
    const file = s.makefile();
    bytesEqual(await file.read(3), "abc");
    const buf = new Uint8Array(3);
    equal(await file.readinto(buf), 3);
    bytesEqual(buf, "def");
    bytesEqual(await file.read(), "gh");
  });

  harness.it("makefile() returns the socket itself, in every mode; a bad mode raises RangeError", async () => {
    const { s } = await f.connected(["recveof"]);
    equal(s.makefile(), s);
    equal(s.makefile("rwb", 0), s);
    throwsWith(() => s.makefile("x"), RangeError);
    throwsWith(() => s.makefile(1 as unknown as string), RangeError);
  });

  harness.it("closing the file closes the socket: the socket raises EBADF and the peer sees EOF", async () => {
    const { s, peer } = await f.connected(["recveof"]);
    const file = s.makefile("rwb");
    await file.write("x");
    file.close();
    await rejectsWith(s.recv(1), EBADF);
    throwsWith(() => s.getpeername(), EBADF);
    equal((await expectLine(peer, "EOF"))[0], "1");
  });

  harness.it("a forgotten makefile() object closes nothing, even after garbage collection", async () => {
    const { s, peer } = await f.connected(["echo"]);
    for (let i = 0; i < 200; i++) s.makefile("rwb"); // never closed, never used again
    let junk: unknown[] = [];
    for (let i = 0; i < 20000; i++) junk.push({ i, pad: new Uint8Array(64) });
    junk = [];
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    await harness.sleep(50);
    // the socket, and sockets created after, all still work
    await s.sendall("still open");
    bytesEqual(await s.read(10), "still open");
    const later = f.adopt(socket());
    later.bind(["127.0.0.1", 0]);
    later.listen();
    ok(later.getsockname()[1] > 0, "a later socket works");
    void peer;
    void junk;
  });

  harness.it("for await iterates the lines until EOF", async () => {
    const { s } = await f.connected(["send:a\\nb\\nc", "close"]);
    const lines: string[] = [];
    for await (const line of s.makefile()) lines.push(text(line));
    equal(lines.join("|"), "a\n|b\n|c");
  });
});
