// End of stream: the peer closed normally.
import { harness } from "test-harness";
import { fixture, expectLine, expectGot } from "./fixture";
import { equal, ok, bytesEqual } from "./assert";
import { text } from "./data";

harness.describe("eof", () => {
  const f = fixture();

  harness.it("recv() after the peer closed returns an empty Uint8Array, repeatedly", async () => {
    const { s, peer } = await f.connected(["close"]);
    await expectLine(peer, "DONE");
    for (let i = 0; i < 3; i++) {
      const r = await s.recv(100);
      ok(r instanceof Uint8Array, "a Uint8Array");
      equal(r.length, 0, `recv #${i}`);
    }
  });

  harness.it("recv() returns the remaining bytes first, then empty", async () => {
    const { s } = await f.connected(["send:tail", "close"]);
    bytesEqual(await s.read(4), "tail");
    equal((await s.recv(10)).length, 0);
  });

  harness.it("a recv() waiting when the peer closes returns empty", async () => {
    const { s, peer } = await f.connected(["wait", "close"]);
    const r = s.recv(10);
    peer.write("\n");
    equal((await r).length, 0);
  });

  harness.it("read() reads everything up to EOF", async () => {
    const { s } = await f.connected(["send:one ", "sleep:0.1", "send:two ", "sleep:0.1", "send:three", "close"]);
    equal(text(await s.read()), "one two three");
    equal((await s.read())!.length, 0, "read() again at EOF");
  });

  harness.it("read(n) at EOF returns what is left, then empty", async () => {
    const { s } = await f.connected(["send:abc", "close"]);
    bytesEqual(await s.read(10), "abc");
    bytesEqual(await s.read(10), "");
  });

  harness.it("readline() returns the tail without a newline, then empty", async () => {
    const { s } = await f.connected(["send:line\\nabc", "close"]);
    bytesEqual(await s.readline(), "line\n");
    bytesEqual(await s.readline(), "abc");
    bytesEqual(await s.readline(), "");
    bytesEqual(await s.readline(), "");
  });

  harness.it("readinto() returns 0 at EOF", async () => {
    const { s } = await f.connected(["send:xy", "close"]);
    const buf = new Uint8Array(8);
    equal(await s.readinto(buf), 2);
    equal(await s.readinto(buf), 0);
  });

  harness.it("after the peer's half-close we can still send to it", async () => {
    const { s, peer } = await f.connected(["shutwr", "recv:5"]);
    equal((await s.recv(10)).length, 0, "EOF from the peer");
    await s.sendall("after");
    equal(await expectGot(peer), "after");
  });

  harness.it("our close() is the peer's EOF, after all we sent", async () => {
    const { s, peer } = await f.connected(["recveof"]);
    await s.sendall("bye");
    s.close();
    const [n] = await expectLine(peer, "EOF");
    equal(n, "3");
  });
});
