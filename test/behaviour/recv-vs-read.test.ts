// recv(n) returns what is available; read(n) waits for n; readinto() fills; readline() splits lines.
import { harness } from "test-harness";
import { fixture, expectGot, watch } from "./fixture";
import { equal, ok, bytesEqual } from "./assert";
import { text } from "./data";
import { MSG_PEEK } from "usocket-xs/socket";

harness.describe("recv vs read", () => {
  const f = fixture();

  harness.it("recv(n) returns what is available without waiting for n", async () => {
    const { s, peer } = await f.connected(["send:abc", "wait", "send:def"]);
    bytesEqual(await s.recv(100), "abc");
    peer.write("\n");
    bytesEqual(await s.recv(100), "def");
  });

  harness.it("recv(n) returns at most n bytes and keeps the rest", async () => {
    const { s } = await f.connected(["send:abcdef"]);
    await s.recv(6, MSG_PEEK); // until all six have arrived
    bytesEqual(await s.recv(2), "ab");
    bytesEqual(await s.recv(100), "cdef");
  });

  harness.it("read(n) waits until n bytes have arrived", async () => {
    const { s, peer } = await f.connected(["send:abc", "wait", "send:def", "wait", "send:ghi"]);
    const r = watch(s.read(7));
    await harness.sleep(200);
    ok(!r.settled, "read(7) waits while only 3 bytes can have come");
    peer.write("\n");
    await harness.sleep(200);
    ok(!r.settled, "read(7) waits while only 6 bytes can have come");
    peer.write("\n");
    bytesEqual(await r.promise, "abcdefg");
    bytesEqual(await s.read(2), "hi");
  });

  harness.it("readinto(buf) fills the whole buffer and returns the count", async () => {
    const { s } = await f.connected(["send:1234", "sleep:0.1", "send:5678"]);
    const buf = new Uint8Array(8);
    equal(await s.readinto(buf), 8);
    bytesEqual(buf, "12345678");
  });

  harness.it("readinto(buf, nbytes) reads only nbytes", async () => {
    const { s } = await f.connected(["send:abcdef"]);
    const buf = new Uint8Array(6);
    equal(await s.readinto(buf, 4), 4);
    deepBytes(buf, [97, 98, 99, 100, 0, 0]);
    bytesEqual(await s.read(2), "ef");
  });

  harness.it("readinto() writes into a view at its offset, and into an ArrayBuffer", async () => {
    const { s } = await f.connected(["send:xyzw"]);
    const backing = new Uint8Array(6);
    equal(await s.readinto(backing.subarray(2, 4)), 2);
    deepBytes(backing, [0, 0, 120, 121, 0, 0]);
    const ab = new ArrayBuffer(2);
    equal(await s.readinto(ab), 2);
    deepBytes(new Uint8Array(ab), [122, 119]);
  });

  harness.it("readline() returns one line at a time from a segment holding several", async () => {
    const { s } = await f.connected(["send:one\\ntwo\\nthree\\n"]);
    bytesEqual(await s.readline(), "one\n");
    bytesEqual(await s.readline(), "two\n");
    bytesEqual(await s.readline(), "three\n");
  });

  harness.it("readline() waits for the newline across segments", async () => {
    const { s } = await f.connected(["send:sp", "sleep:0.1", "send:lit li", "sleep:0.1", "send:ne\\r\\nrest"]);
    bytesEqual(await s.readline(), "split line\r\n");
    bytesEqual(await s.read(4), "rest");
  });

  harness.it("readline(limit) returns at most limit bytes; the rest of the line comes next", async () => {
    const { s } = await f.connected(["send:abcdefgh\\nxy\\n"]);
    bytesEqual(await s.readline(3), "abc");
    bytesEqual(await s.readline(100), "defgh\n");
    bytesEqual(await s.readline(3), "xy\n");
  });

  harness.it("readline(limit) does not wait for a newline once limit bytes are there", async () => {
    const { s } = await f.connected(["send:0123456789"]);
    bytesEqual(await s.readline(4), "0123");
    bytesEqual(await s.makefile("rb").readline(4), "4567");
  });

  harness.it("recv() and read() interleave without losing or reordering bytes", async () => {
    const { s } = await f.connected(["send:0123456789abcdef\\nXYZ"]);
    bytesEqual(await s.read(3), "012");
    bytesEqual(await s.recv(2), "34");
    bytesEqual(await s.readline(), "56789abcdef\n");
    bytesEqual(await s.read(3), "XYZ");
  });

  harness.it("write() blocks until everything is taken and returns the count", async () => {
    const { s, peer } = await f.connected(["recv:11"]);
    equal(await s.write("hello world"), 11);
    equal(await expectGot(peer), "hello world");
  });

  harness.it("reads queued one after another are served in order", async () => {
    const { s } = await f.connected(["sleep:0.1", "send:aaabbbccc"]);
    const r = await Promise.all([s.read(3), s.read(3), s.read(3)]);
    equal(r.map(text).join(","), "aaa,bbb,ccc");
  });
});

function deepBytes(actual: Uint8Array, expected: number[]): void {
  equal(Array.from(actual).join(","), expected.join(","));
}
