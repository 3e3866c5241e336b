// The node lane's harness itself: peers, lines, exit, stdin, kill.
import { strict as assert } from "node:assert";
import { harness } from "test-harness";

describe("node harness", () => {
  it("is the node lane at scale 1", () => {
    assert.equal(harness.lane, "node");
    assert.equal(harness.scale, 1);
  });

  it("line() gives a peer's stdout lines in order; exit has the code and all output", async () => {
    const p = harness.spawn("python3", ["-c", "import sys\nprint('one')\nprint('two', flush=True)\nsys.stderr.write('err')\nsys.exit(3)"]);
    assert.equal(await p.line(), "one");
    assert.equal(await p.line(), "two");
    const r = await p.exit;
    assert.equal(r.code, 3);
    assert.equal(r.stdout, "one\ntwo\n");
    assert.equal(r.stderr, "err");
  });

  it("line() rejects when the peer exits without writing one, with its stderr", async () => {
    const p = harness.spawn("python3", ["-c", "raise SystemExit('boom')"]);
    await assert.rejects(p.line(), /boom/);
  });

  it("a last line without a newline is still a line", async () => {
    const p = harness.spawn("python3", ["-c", "import sys; sys.stdout.write('tail')"]);
    assert.equal(await p.line(), "tail");
  });

  it("write() reaches the peer's stdin; end closes it", async () => {
    const p = harness.spawn("python3", ["-c", "import sys\nfor l in sys.stdin: print(l.strip().upper(), flush=True)"]);
    p.write("abc\n");
    assert.equal(await p.line(), "ABC");
    p.write("", true);
    assert.equal((await p.exit).code, 0);
  });

  it("kill() ends a peer", async () => {
    const p = harness.spawn("python3", ["-c", "import time; time.sleep(60)"]);
    p.kill();
    const r = await p.exit;
    assert.equal(r.code, null);
  });

  it("a command that does not exist fails line() instead of hanging", async () => {
    const p = harness.spawn("no-such-command-usocket-xs", []);
    await assert.rejects(p.line(), /no-such-command|ENOENT/);
    await p.exit;
  });

  it("sleep() and now() measure milliseconds", async () => {
    const t0 = harness.now();
    await harness.sleep(50);
    const dt = harness.now() - t0;
    assert.ok(dt >= 45 && dt < 1000, `slept ${dt} ms`);
  });
});
