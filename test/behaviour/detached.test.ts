// A program's buffer detached (transferred) while a call that uses it is waiting: the call fails
// with TypeError; nothing is reported as sent that was not, and no received byte is lost.
import { harness } from "test-harness";
import { fixture, expectLine, watch } from "./fixture";
import { ok, bytesEqual, rejectsWith, fail } from "./assert";
import { mib } from "./data";

/** Detaches b: ArrayBuffer.prototype.transfer (XS, Node 21+) or structuredClone's transfer (Node 20). */
function detach(b: ArrayBuffer): void {
  const g = globalThis as { structuredClone?: (v: unknown, o: { transfer: ArrayBuffer[] }) => unknown };
  const transfer = (b as { transfer?: () => ArrayBuffer }).transfer;
  if (typeof transfer === "function") transfer.call(b);
  else if (g.structuredClone) g.structuredClone(b, { transfer: [b] });
  else fail("this engine cannot detach an ArrayBuffer");
  ok(b.byteLength === 0, "the buffer is detached");
}

harness.describe("detached buffers", () => {
  const f = fixture();

  harness.it("sendall() whose buffer is detached while it waits rejects, and says how much was sent", async () => {
    const { s, peer } = await f.connected(["wait", "recveof"]);
    const size = mib(8, harness.scale);
    const big = new Uint8Array(size);
    const p = watch(s.sendall(big));
    await harness.sleep(200);
    ok(!p.settled, "sendall() waits for a peer that is not reading");
    detach(big.buffer);
    peer.write("\n");
    await rejectsWith(p.promise, TypeError, new RegExp(`detached or resized while waiting: \\d+ of ${size} bytes were sent`));
    s.close();
    const [n] = await expectLine(peer, "EOF");
    ok(Number(n) < size, `the peer got ${n} of ${size} bytes`);
  }, 60000);

  harness.it("write() whose buffer is detached while it waits rejects too", async () => {
    const { s, peer } = await f.connected(["wait", "recveof"]);
    const big = new Uint8Array(mib(8, harness.scale));
    const p = watch(s.write(big));
    await harness.sleep(200);
    ok(!p.settled, "write() waits for a peer that is not reading");
    detach(big.buffer); // the next wake-up fails it: room made by the kernel, or the peer reading
    peer.write("\n");
    await rejectsWith(p.promise, TypeError, /detached/);
  }, 60000);

  harness.it("readinto() whose buffer is detached while it waits rejects and keeps the bytes for the next read", async () => {
    const { s, peer } = await f.connected(["send:12", "wait", "send:345", "wait"]);
    const buf = new Uint8Array(5);
    const r = watch(s.readinto(buf));
    await harness.sleep(200);
    ok(!r.settled, "readinto() waits for 5 bytes");
    detach(buf.buffer);
    peer.write("\n");
    await rejectsWith(r.promise, TypeError, /detached/);
    bytesEqual(await s.read(5), "12345");
    peer.write("\n");
  });
});
