// connect() to a port nobody listens on.
import { harness } from "test-harness";
import { ECONNREFUSED, EINPROGRESS, EALREADY, OSError } from "usocket-xs/errno";
import { fixture } from "./fixture";
import { ok, rejectsWith, fail } from "./assert";

harness.describe("refused", () => {
  const f = fixture();

  harness.it("blocking connect() to a closed port rejects with ECONNREFUSED", async () => {
    const port = f.closedPort();
    await rejectsWith(f.socket().connect(["127.0.0.1", port]), ECONNREFUSED, /ECONNREFUSED/);
  });

  harness.it("connect() with a timeout to a closed port rejects with ECONNREFUSED, not a timeout", async () => {
    const port = f.closedPort();
    const s = f.socket();
    s.settimeout(10);
    const t0 = harness.now();
    await rejectsWith(s.connect(["127.0.0.1", port]), ECONNREFUSED);
    ok(harness.now() - t0 < 8000, "refused, long before the timeout");
  });

  harness.it("connect() by name (\"localhost\") to a closed port rejects with ECONNREFUSED", async () => {
    const port = f.closedPort();
    await rejectsWith(f.socket().connect(["localhost", port]), ECONNREFUSED);
  });

  harness.it("non-blocking connect() raises EINPROGRESS; a later connect() reports ECONNREFUSED", async () => {
    const port = f.closedPort();
    const s = f.socket();
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    for (let i = 0; i < 100; i++) {
      try {
        await s.connect(["127.0.0.1", port]);
        fail("connect() to a closed port succeeded");
      } catch (e) {
        ok(e instanceof OSError, `OSError, got ${e}`);
        if (e.errno === ECONNREFUSED) return;
        ok(e.errno === EALREADY || e.errno === EINPROGRESS, `EALREADY while pending, got ${e.message}`);
      }
      await harness.sleep(10);
    }
    fail("never reported ECONNREFUSED");
  });
});
