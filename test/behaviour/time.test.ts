// time: sleeps that let everything else run, and ticks that wrap at 2^30 as on the ESP ports.
import { harness } from "test-harness";
import * as time from "usocket-xs/time";
import { equal, ok, deepEqual, throwsWith, bytesEqual } from "./assert";
import { fixture } from "./fixture";

const P = 2 ** 30;

harness.describe("time", () => {
  const f = fixture();

  harness.it("ticks_ms()/ticks_us() are integers in 0..2^30-1 and move forward across a sleep", async () => {
    const a = time.ticks_ms(), u = time.ticks_us();
    ok(Number.isInteger(a) && a >= 0 && a < P, `ticks_ms ${a}`);
    ok(Number.isInteger(u) && u >= 0 && u < P, `ticks_us ${u}`);
    await time.sleep_ms(60);
    const d = time.ticks_diff(time.ticks_ms(), a);
    ok(d >= 55, `at least the 60 ms slept (less a clock tick), got ${d}`);
  });

  harness.it("ticks_diff() and ticks_add() wrap at 2^30", () => {
    equal(time.ticks_add(P - 1, 1), 0);
    equal(time.ticks_add(0, -1), P - 1);
    equal(time.ticks_add(P - 10, 25), 15);
    equal(time.ticks_diff(5, P - 5), 10, "5 is 10 after 2^30-5");
    equal(time.ticks_diff(P - 5, 5), -10);
    equal(time.ticks_diff(time.ticks_add(123, 1000), 123), 1000);
    equal(time.ticks_diff(time.ticks_add(7, -(P / 2)), 7), -(P / 2));
    equal(time.ticks_diff(100, 100), 0);
    equal(time.ticks_diff(P / 2, 0), -(P / 2), "half a period away reads as the past");
    equal(time.ticks_add(3, P / 2 - 1), 3 + P / 2 - 1);
  });

  harness.it("ticks_add() raises for |delta| >= 2^29; non-integers raise TypeError", () => {
    throwsWith(() => time.ticks_add(0, P / 2), RangeError, /ticks interval overflow/);
    throwsWith(() => time.ticks_add(0, -(P / 2) - 1), RangeError, /ticks interval overflow/);
    throwsWith(() => time.ticks_add(0.5, 1), TypeError);
    throwsWith(() => time.ticks_diff("1" as unknown as number, 1), TypeError);
  });

  harness.it("sleep(s), sleep_ms(ms), sleep_us(us) return Promises that wait at least that long", async () => {
    for (const [call, ms] of [[() => time.sleep(0.05), 50], [() => time.sleep_ms(50), 50], [() => time.sleep_us(50000), 50]] as [() => Promise<void>, number][]) {
      const t0 = harness.now();
      const p = call();
      ok(p instanceof Promise);
      equal(await p, undefined);
      ok(harness.now() - t0 >= ms - 5, `waited ${harness.now() - t0} ms, asked ${ms}`);
    }
    await time.sleep(0);
    await time.sleep_us(1);
  });

  harness.it("bad sleep arguments raise at once", () => {
    throwsWith(() => time.sleep(-1), RangeError, /negative/);
    throwsWith(() => time.sleep_ms("5" as unknown as number), TypeError);
    throwsWith(() => time.sleep_us(NaN), TypeError);
  });

  harness.it("waiting in sleep() does not hold up other sockets", async () => {
    const [a, b] = await f.pair();
    const sleeping = time.sleep(0.5).then(() => "slept");
    await a.send("ping");
    const got = await b.recv(10);
    bytesEqual(got, "ping");
    await b.send("pong");
    bytesEqual(await a.recv(10), "pong");
    equal(await Promise.race([sleeping, Promise.resolve("first")]), "first", "the echo finished while sleep() still waited");
    equal(await sleeping, "slept");
  });

  harness.it("time(), gmtime(), localtime() and mktime()", () => {
    const t = time.time();
    ok(Number.isInteger(t) && t > 0);
    deepEqual(time.gmtime(0), [1970, 1, 1, 0, 0, 0, 3, 1], "1970-01-01 was a Thursday");
    deepEqual(time.gmtime(951782400), [2000, 2, 29, 0, 0, 0, 1, 60], "2000-02-29, a Tuesday, day 60");
    deepEqual(time.localtime(86399), [1970, 1, 1, 23, 59, 59, 3, 1]);
    equal(time.mktime(time.gmtime(1700000000)), 1700000000);
    equal(time.gmtime().length, 8);
  });
});
