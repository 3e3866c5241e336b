// Back-pressure both ways: megabytes to a slow CPython reader, and from a fast CPython sender to a
// program that does not read for a while. Checked with SHA-256 computed here and in CPython.
import { harness } from "test-harness";
import { fixture, expectLine } from "./fixture";
import { equal, ok } from "./assert";
import { Sha256, sha256, pattern, mib } from "./data";

harness.describe("back-pressure", () => {
  const f = fixture();
  const slow = mib(4, harness.scale);

  harness.it(`sendall() of ${slow} bytes to a slow reader arrives intact`, async () => {
    const { s, peer } = await f.connected(["slowread:65536:0.005"]);
    const data = pattern(slow, 7);
    await s.sendall(data);
    s.close();
    const [n, digest] = await expectLine(peer, "EOF");
    equal(Number(n), slow, "bytes received by CPython");
    equal(digest, sha256(data), "sha256");
  }, 60000);

  harness.it("write() of megabytes to a slow reader returns the full count, data intact", async () => {
    const { s, peer } = await f.connected(["slowread:32768:0.002"]);
    const data = pattern(mib(2, harness.scale), 11);
    equal(await s.write(data), data.length);
    s.close();
    const [n, digest] = await expectLine(peer, "EOF");
    equal(Number(n), data.length);
    equal(digest, sha256(data));
  }, 60000);

  harness.it("a loop of send() calls delivers every byte once, in order", async () => {
    const { s, peer } = await f.connected(["slowread:65536:0.002"]);
    const data = pattern(mib(2, harness.scale), 13);
    let off = 0;
    while (off < data.length) {
      const n = await s.send(data.subarray(off));
      ok(n > 0 && n <= data.length - off, `send() took ${n}`);
      off += n;
    }
    s.close();
    const [n, digest] = await expectLine(peer, "EOF");
    equal(Number(n), data.length);
    equal(digest, sha256(data));
  }, 60000);

  harness.it("a buffer refilled as soon as each sendall() returns: two connections at once get every chunk as it was", async () => {
    const chunk = 64 * 1024, count = Math.max(8, mib(16, harness.scale) / chunk);
    const send = async (seed: number) => {
      const { s, peer } = await f.connected(["slowread:65536:0.002"]);
      const buf = new Uint8Array(chunk);
      const h = new Sha256();
      for (let i = 0; i < count; i++) {
        buf.set(pattern(chunk, seed * 1000 + i)); // overwrites what the previous sendall() sent
        h.update(buf);
        await s.sendall(buf);
      }
      s.close();
      const [n, digest] = await expectLine(peer, "EOF");
      equal(Number(n), chunk * count, "bytes received by CPython");
      equal(digest, h.hex(), "sha256");
    };
    await Promise.all([send(1), send(2)]);
  }, 60000);

  harness.it("sendall() calls started together are written whole and in call order", async () => {
    const { s, peer } = await f.connected(["slowread:65536:0.002"]);
    const parts = [pattern(mib(1, harness.scale), 1), pattern(mib(1, harness.scale) + 17, 2), pattern(100, 3)];
    await Promise.all(parts.map((p) => s.sendall(p)));
    s.close();
    const h = new Sha256();
    for (const p of parts) h.update(p);
    const [n, digest] = await expectLine(peer, "EOF");
    equal(Number(n), parts[0].length + parts[1].length + parts[2].length);
    equal(digest, h.hex());
  }, 60000);

  const fast = mib(32, harness.scale);
  harness.it(`a fast CPython sender is held back while we do not read; then all ${fast} bytes arrive intact`, async () => {
    const { s, peer } = await f.connected([`fastsend:${fast}:1.0`]);
    await harness.sleep(1200); // not reading
    const [progress] = await expectLine(peer, "PROGRESS");
    const held = Number(progress);
    ok(held < fast / 2, `the sender got ${held} of ${fast} bytes out while we were not reading: memory is not bounded`);
    const h = new Sha256();
    let total = 0;
    for (;;) {
      const chunk = await s.recv(65536);
      if (chunk.length === 0) break;
      h.update(chunk);
      total += chunk.length;
      if (total === fast) break;
    }
    const [n, digest] = await expectLine(peer, "SENT");
    equal(total, Number(n), "bytes received");
    equal(h.hex(), digest, "sha256");
  }, 60000);

  harness.it("a fast CPython client is held back before we accept() it; then its bytes arrive intact", async () => {
    const { listener, port } = f.listener();
    const peer = f.client(port, [`fastsend:${fast}:1.0`]);
    await expectLine(peer, "CONNECTED");
    const [progress] = await expectLine(peer, "PROGRESS"); // we have not accepted yet
    ok(Number(progress) < fast / 2, `the client got ${progress} of ${fast} bytes out before accept(): memory is not bounded`);
    const [s] = await listener.accept();
    f.adopt(s);
    const h = new Sha256();
    let total = 0;
    while (total < fast) {
      const chunk = await s.recv(65536);
      if (chunk.length === 0) break;
      h.update(chunk);
      total += chunk.length;
    }
    const [n, digest] = await expectLine(peer, "SENT");
    equal(total, Number(n));
    equal(h.hex(), digest);
  }, 60000);

  harness.it("readinto() of megabytes from a fast sender arrives intact", async () => {
    const size = mib(8, harness.scale);
    const { s, peer } = await f.connected([`sendrand:${size}`]);
    const buf = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = await s.readinto(buf.subarray(off, Math.min(size, off + 100000)));
      if (!n) break;
      off += n;
    }
    const [n, digest] = await expectLine(peer, "SENT");
    equal(off, Number(n));
    equal(sha256(buf), digest);
  }, 60000);
});
