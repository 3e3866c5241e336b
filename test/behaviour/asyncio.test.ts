// asyncio: tasks, sleeps, gather, wait_for, Event, Lock, and streams against CPython peers,
// cancellation above all (what Task.cancel() and a wait_for timeout stop, and that no byte is lost).
import { harness } from "test-harness";
import * as asyncio from "usocket-xs/asyncio";
import { CancelledError, TimeoutError, EOFError } from "usocket-xs/asyncio";
import { ECONNREFUSED } from "usocket-xs/errno";
import { fixture, expectLine, expectGot } from "./fixture";
import { equal, deepEqual, ok, bytesEqual, rejectsWith, throwsWith, fail } from "./assert";
import { text } from "./data";

harness.describe("asyncio", () => {
  const f = fixture();
  /** Streams opened in a test, closed after it. */
  const streams: asyncio.Stream[] = [];
  harness.afterEach(() => { for (const s of streams.splice(0)) s.close(); });
  async function open(port: number): Promise<asyncio.Stream> {
    const [r] = await asyncio.open_connection("127.0.0.1", port);
    streams.push(r);
    return r;
  }

  harness.it("run() and create_task(): tasks run concurrently; done() and the awaited result", async () => {
    const order: string[] = [];
    const worker = async (name: string, ms: number) => { await asyncio.sleep_ms(ms); order.push(name); return name.length; };
    const slow = asyncio.create_task(worker("slow", 200));
    const fast = asyncio.create_task(worker("quick", 20));
    equal(slow.done(), false);
    equal(await asyncio.run(fast), 5);
    equal(fast.done(), true);
    equal(await slow, 4);
    deepEqual(order, ["quick", "slow"]);
  });

  harness.it("sleep(s) and sleep_ms(ms) wait about that long", async () => {
    let t0 = harness.now();
    await asyncio.sleep(0.2);
    ok(harness.now() - t0 >= 180, `sleep(0.2) took ${harness.now() - t0} ms`);
    t0 = harness.now();
    await asyncio.sleep_ms(100);
    ok(harness.now() - t0 >= 90, `sleep_ms(100) took ${harness.now() - t0} ms`);
    throwsWith(() => asyncio.sleep("x" as never), TypeError, /sleep/);
  });

  harness.it("gather() gives results in order; a failure rejects it, or takes its place with return_exceptions", async () => {
    const boom = async () => { await asyncio.sleep_ms(10); throw new Error("boom"); };
    const value = async (v: number, ms: number) => { await asyncio.sleep_ms(ms); return v; };
    deepEqual(await asyncio.gather(value(1, 60), value(2, 10), value(3, 30)), [1, 2, 3]);
    await rejectsWith(asyncio.gather(value(1, 10), boom()), Error, /boom/);
    const r = await asyncio.gather(value(1, 30), boom(), { return_exceptions: true });
    equal(r.length, 2);
    equal(r[0], 1);
    ok(r[1] instanceof Error && (r[1] as Error).message === "boom", "the error in its place");
    deepEqual(await asyncio.gather(), []);
  });

  harness.it("wait_for() and wait_for_ms(): the result in time, TimeoutError otherwise (the awaitable cancelled)", async () => {
    equal(await asyncio.wait_for(asyncio.sleep_ms(10).then(() => "ok"), 5), "ok");
    const slow = asyncio.create_task(asyncio.sleep(10));
    const e = await rejectsWith(asyncio.wait_for(slow, 0.1), TimeoutError);
    equal(e.name, "TimeoutError");
    ok(slow.cancelled(), "the task waited for was cancelled");
    await rejectsWith(slow, CancelledError);
    await rejectsWith(asyncio.wait_for_ms(asyncio.sleep(10), 50), TimeoutError);
    equal(await asyncio.wait_for(Promise.resolve(7), null), 7);
  });

  harness.it("Task.cancel() of a sleeping task: CancelledError for whoever awaits it; cancel() twice is false", async () => {
    const t = asyncio.create_task(asyncio.sleep(10));
    await asyncio.sleep_ms(10);
    equal(t.cancel(), true);
    equal(t.cancel(), false);
    equal(t.done(), true);
    const e = await rejectsWith(t, CancelledError);
    equal(e.name, "CancelledError");
  });

  harness.it("Event: wait() until set(); clear(); is_set()", async () => {
    const ev = new asyncio.Event();
    let woke = 0;
    const waiters = [0, 1, 2].map(() => asyncio.create_task(ev.wait().then(() => { woke++; })));
    await asyncio.sleep_ms(20);
    equal(woke, 0);
    ev.set();
    await asyncio.gather(...waiters);
    equal(woke, 3);
    equal(ev.is_set(), true);
    equal(await ev.wait(), true);
    ev.clear();
    equal(ev.is_set(), false);
    await rejectsWith(asyncio.wait_for_ms(ev.wait(), 30), TimeoutError);
  });

  harness.it("Lock: one holder at a time, in turn; release() of a free lock raises", async () => {
    const lock = new asyncio.Lock();
    const log: string[] = [];
    const user = async (name: string) => {
      await lock.acquire();
      try { log.push(`${name}+`); await asyncio.sleep_ms(20); log.push(`${name}-`); } finally { lock.release(); }
    };
    await asyncio.gather(user("a"), user("b"), user("c"));
    deepEqual(log, ["a+", "a-", "b+", "b-", "c+", "c-"]);
    equal(lock.locked(), false);
    throwsWith(() => lock.release(), Error, /not acquired/);
  });

  harness.it("a failed task nobody awaits goes to the exception handler, not to an unhandled rejection", async () => {
    const seen: unknown[] = [];
    asyncio.get_event_loop().set_exception_handler((_loop, ctx) => { seen.push(ctx.exception); });
    try {
      asyncio.create_task((async () => { await asyncio.sleep_ms(5); throw new Error("lost"); })());
      asyncio.create_task(asyncio.sleep(10)).cancel(); // cancelled: not reported
      await asyncio.sleep_ms(50);
      equal(seen.length, 1);
      ok(seen[0] instanceof Error && (seen[0] as Error).message === "lost", "the task's error");
    } finally {
      asyncio.get_event_loop().set_exception_handler(null);
    }
  });

  harness.it("open_connection() to a CPython echo server: write, drain, readline, read, get_extra_info", async () => {
    const { peer, port } = await f.server(["echo"]);
    const [reader, writer] = await asyncio.open_connection("127.0.0.1", port);
    streams.push(reader);
    equal(reader, writer, "one Stream for both ends, as in MicroPython");
    writer.write("hello\nworld");
    await writer.drain();
    bytesEqual(await reader.readline(), "hello\n");
    bytesEqual(await reader.readexactly(5), "world");
    deepEqual(writer.get_extra_info("peername"), ["127.0.0.1", port]);
    equal(writer.get_extra_info("nothing", "dflt"), "dflt");
    const buf = new Uint8Array(8);
    writer.write(new Uint8Array([1, 2, 3]));
    await writer.drain();
    equal(await reader.readinto(buf), 3);
    deepEqual(Array.from(buf.subarray(0, 3)), [1, 2, 3]);
    await writer.wait_closed();
    await expectLine(peer, "DONE");
  });

  harness.it("open_connection() to a closed port raises OSError(ECONNREFUSED)", async () => {
    await rejectsWith(asyncio.open_connection("127.0.0.1", f.closedPort()), ECONNREFUSED);
  });

  harness.it("read(-1) reads to EOF; read(n) returns what is there, up to n; empty at EOF", async () => {
    const { port } = await f.server(["send:abc", "sleep:0.1", "send:defgh", "close"]);
    const r = await open(port);
    bytesEqual(await r.read(2), "ab");
    bytesEqual(await r.read(-1), "cdefgh");
    equal((await r.read(10)).length, 0);
  });

  harness.it("readexactly(n) raises EOFError when the stream ends short", async () => {
    const { port } = await f.server(["send:a", "sleep:0.2", "send:bcd", "close"]);
    const r = await open(port);
    bytesEqual(await r.readexactly(2), "ab", "waits for the second byte");
    equal((await r.readexactly(0)).length, 0);
    bytesEqual(await r.readexactly(1), "c");
    const e = await rejectsWith(r.readexactly(2), EOFError);
    equal(e.name, "EOFError");
    bytesEqual((e as EOFError).partial, "d");
    equal((await r.readexactly(0)).length, 0);
  });

  harness.it("wait_for(readline(), t) times out without losing a byte: the next readline() has the whole line", async () => {
    const { port } = await f.server(["send:hel", "sleep:0.6", "send:lo\\n", "wait"]);
    const r = await open(port);
    await rejectsWith(asyncio.wait_for(r.readline(), 0.2), TimeoutError);
    bytesEqual(await r.readline(), "hello\n");
  });

  harness.it("Task.cancel() of a task blocked in readline(): the task and its readline() end with CancelledError; the stream still works", async () => {
    const { peer, port } = await f.server(["wait", "send:later\\n", "wait"]);
    const r = await open(port);
    let inside: unknown;
    const handler = async (reader: asyncio.Stream) => {
      try {
        await reader.readline();
        fail("readline() returned");
      } catch (e) {
        inside = e;
        throw e;
      }
    };
    const t = asyncio.create_task(handler(r));
    await asyncio.sleep_ms(50);
    equal(t.cancel(), true);
    await rejectsWith(t, CancelledError);
    await asyncio.sleep_ms(0);
    ok(inside instanceof CancelledError, `the readline() inside the task was rejected with CancelledError, got ${inside}`);
    peer.write("\n");
    bytesEqual(await r.readline(), "later\n", "the line is there for the next reader");
  });

  harness.it("Task.cancel() of a task blocked in drain() while the peer does not read", async () => {
    const { peer, port } = await f.server(["wait", "recveof"]);
    const w = await open(port);
    const big = new Uint8Array(Math.max(4 << 20, Math.round((8 << 20) * harness.scale)));
    const t = asyncio.create_task((async () => { w.write(big); await w.drain(); })());
    await asyncio.sleep_ms(200);
    equal(t.done(), false, "drain() is waiting for the peer");
    t.cancel();
    await rejectsWith(t, CancelledError);
    w.close();
    peer.write("\n");
    await expectLine(peer, "EOF");
  }, 60000);

  harness.it("start_server(): the callback gets (reader, writer); close() and wait_closed() stop it", async () => {
    const server = await asyncio.start_server(async (reader, writer) => {
      const line = await reader.readline();
      writer.write(`echo: ${text(line)}`);
      await writer.drain();
      await writer.wait_closed();
    }, "127.0.0.1", 0);
    const port = server.sockets[0].getsockname()[1];
    const peer = f.client(port, ["send:hi\\n", "recv:9"]);
    await expectLine(peer, "CONNECTED");
    equal(await expectGot(peer), "echo: hi\n");
    server.close();
    await server.wait_closed();
    ok(server.task.done(), "the accepting task finished");
    await rejectsWith(asyncio.open_connection("127.0.0.1", port), ECONNREFUSED);
  });

  harness.it("cancelling a Server's task stops its accept() and closes it", async () => {
    const server = await asyncio.start_server(() => {}, "127.0.0.1", 0);
    const port = server.sockets[0].getsockname()[1];
    equal(server.task.cancel(), true);
    await server.wait_closed();
    await rejectsWith(asyncio.open_connection("127.0.0.1", port), ECONNREFUSED);
  });

  harness.it("start_server(): get_extra_info(\"peername\") is the client's [host, port]", async () => {
    const seen: unknown[] = [];
    const server = await asyncio.start_server(async (_reader, writer) => {
      seen.push(writer.get_extra_info("peername"));
      await writer.wait_closed();
    }, "127.0.0.1", 0);
    try {
      const peer = f.client(server.sockets[0].getsockname()[1], ["recv:1"]);
      const [local] = await expectLine(peer, "CONNECTED");
      await expectLine(peer, "GOT");
      deepEqual(seen, [["127.0.0.1", Number(local)]]);
    } finally {
      server.close();
      await server.wait_closed();
    }
  });

  harness.it("bad input to stream calls is a rejection that says what was wrong; the stream still works", async () => {
    const { port } = await f.server(["send:ok\\n", "wait"]);
    const r = await open(port);
    await rejectsWith(r.read("x" as never), TypeError, /read: n must be an integer/);
    await rejectsWith(r.readexactly(-1), RangeError, /must not be negative/);
    await rejectsWith(r.readinto("text" as never), TypeError, /readinto/);
    throwsWith(() => r.write(5 as never), TypeError, /write: expected a string/);
    bytesEqual(await r.readline(), "ok\n");
  });

  harness.it("start_server() rejects a callback that is not a function, and a bad ssl", async () => {
    await rejectsWith(asyncio.start_server(5 as never, "127.0.0.1", 0), TypeError, /callback must be a function/);
    await rejectsWith(asyncio.start_server(() => {}, "127.0.0.1", 0, { ssl: true }), TypeError, /SSLContext/);
  });
});
