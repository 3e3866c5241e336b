// Bad input: a clear TypeError / RangeError / OSError at once, never a hang.
import { harness } from "test-harness";
import { EAFNOSUPPORT, EINVAL, ENOPROTOOPT, EAI_FAIL } from "usocket-xs/errno";
import * as socket from "usocket-xs/socket";
import { fixture } from "./fixture";
import { failsWith as fails, throwsWith, rejectsWith, ok } from "./assert";

/** Fails as expected, and promptly: a bad argument is never a wait (the bound is slack for a loaded machine). */
async function failsWith(call: () => unknown, expected: Parameters<typeof fails>[1]): Promise<void> {
  const t0 = harness.now();
  await fails(call, expected);
  ok(harness.now() - t0 < 2000, `took ${harness.now() - t0} ms`);
}

const PROMPT = 5000;
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

harness.describe("bad input", () => {
  const f = fixture();

  for (const [label, value] of [["42", 42], ["null", null], ["[1, 2]", [1, 2]], ["undefined", undefined], ["{}", {}]] as [string, unknown][]) {
    harness.it(`send(${label}) raises TypeError`, async () => {
      const [s] = await f.pair();
      await failsWith(() => s.send(value as Any), TypeError);
    }, PROMPT);
  }

  harness.it("sendall(42), write(null) and sendto([1,2], addr) raise TypeError", async () => {
    const [s] = await f.pair();
    await failsWith(() => s.sendall(42 as Any), TypeError);
    await failsWith(() => s.write(null as Any), TypeError);
    await failsWith(() => f.udp().sendto([1, 2] as Any, ["127.0.0.1", 9]), TypeError);
  }, PROMPT);

  harness.it("send() on an unconnected TCP socket fails instead of waiting", async () => {
    await failsWith(() => f.socket().send("x"), Error);
  }, PROMPT);

  for (const port of [70000, -1, 65536]) {
    harness.it(`connect() to port ${port} raises RangeError`, async () => {
      await failsWith(() => f.socket().connect(["127.0.0.1", port]), RangeError);
    }, PROMPT);
  }

  harness.it("bind() to port 70000 raises RangeError; sendto() port 70000 too", async () => {
    await failsWith(() => f.socket().bind(["127.0.0.1", 70000]), RangeError);
    await failsWith(() => f.udp().sendto("x", ["127.0.0.1", 70000]), RangeError);
  }, PROMPT);

  harness.it("a non-integer port raises TypeError", async () => {
    await failsWith(() => f.socket().connect(["127.0.0.1", "80" as Any]), TypeError);
    await failsWith(() => f.socket().connect(["127.0.0.1", 80.5]), TypeError);
  }, PROMPT);

  for (const [label, addr] of [
    ["a string", "127.0.0.1:80"], ["[port, host]", [80, "127.0.0.1"]], ["[host]", ["127.0.0.1"]],
    ["null", null], ["an object", { host: "127.0.0.1", port: 80 }], ["[]", []],
  ] as [string, unknown][]) {
    harness.it(`connect(${label}) raises TypeError`, async () => {
      await failsWith(() => f.socket().connect(addr as Any), TypeError);
    }, PROMPT);
  }

  harness.it("a malformed tuple to bind() and sendto() raises TypeError", async () => {
    await failsWith(() => f.socket().bind("0.0.0.0" as Any), TypeError);
    await failsWith(() => f.udp().sendto("x", [9, "127.0.0.1"] as Any), TypeError);
  }, PROMPT);

  harness.it("recv(-1) raises RangeError", async () => {
    const [s] = await f.pair();
    await failsWith(() => s.recv(-1), RangeError);
  }, PROMPT);

  harness.it("recvfrom(-5) and readinto(buf, -1) raise RangeError", async () => {
    const [s] = await f.pair();
    await failsWith(() => s.recvfrom(-5), RangeError);
    await failsWith(() => s.readinto(new Uint8Array(4), -1), RangeError);
  }, PROMPT);

  harness.it("recv(\"10\") and recv(1.5) raise TypeError", async () => {
    const [s] = await f.pair();
    await failsWith(() => s.recv("10" as Any), TypeError);
    await failsWith(() => s.recv(1.5), TypeError);
  }, PROMPT);

  harness.it("readinto() of a string raises TypeError", async () => {
    const [s] = await f.pair();
    await failsWith(() => s.readinto("abc" as Any), TypeError);
  }, PROMPT);

  harness.it("an unknown address family raises OSError EAFNOSUPPORT", () => {
    throwsWith(() => socket.socket(99), EAFNOSUPPORT);
  });

  harness.it("an unknown socket type raises OSError", () => {
    throwsWith(() => socket.socket(socket.AF_INET, 99), EINVAL);
  });

  harness.it("inet_pton() of garbage raises OSError EINVAL; of a number, TypeError", () => {
    throwsWith(() => socket.inet_pton(socket.AF_INET, "garbage"), EINVAL);
    throwsWith(() => socket.inet_pton(socket.AF_INET6, "garbage"), EINVAL);
    throwsWith(() => socket.inet_pton(socket.AF_INET, 42 as Any), TypeError);
  });

  harness.it("inet_ntop() of a non-buffer raises TypeError", () => {
    throwsWith(() => socket.inet_ntop(socket.AF_INET, [1, 2, 3, 4] as Any), TypeError);
    throwsWith(() => socket.inet_ntop(socket.AF_INET, "1.2.3.4" as Any), TypeError);
  });

  harness.it("settimeout(\"x\") raises TypeError, settimeout(-1) RangeError", () => {
    const s = f.socket();
    throwsWith(() => s.settimeout("x" as Any), TypeError);
    throwsWith(() => s.settimeout(-1), RangeError);
  });

  harness.it("getaddrinfo() with a port outside 0..65535 or a non-string host fails at once", async () => {
    await failsWith(() => socket.getaddrinfo("127.0.0.1", 70000), RangeError);
    await failsWith(() => socket.getaddrinfo(42 as Any, 80), TypeError);
  }, PROMPT);

  harness.it("bind() to a non-numeric host name raises OSError", () => {
    throwsWith(() => f.socket().bind(["example.invalid", 0]), EINVAL);
  });

  harness.it("an IPv6 address on an AF_INET socket is refused", () => {
    throwsWith(() => f.socket().bind(["::1", 0]), EAFNOSUPPORT);
  });

  // Values that break naive string conversion: the message must stay short and the library's own.
  function awkward(): [string, unknown][] {
    let shared: unknown[] = [1];
    for (let i = 0; i < 22; i++) shared = [shared, shared]; // 2^22 leaves to String() through
    const throwing = { toString(): string { throw new Error("the caller's own error"); } };
    return [
      ["a Symbol", Symbol("af")], ["an object whose toString() throws", throwing],
      ["a 22-level array sharing its halves", shared],
      ["a huge array", new Array(harness.lane === "node" ? 1_000_000 : 10_000).fill(7)],
      ["a function", function af() { return 0; }], ["a bigint", 10n ** 40n],
    ];
  }
  function short(e: Error, what: string): void {
    ok(e.message.length < 160, `${what}: a short message, got ${e.message.length} characters: ${e.message.slice(0, 160)}`);
  }

  for (const [label, v] of awkward()) {
    harness.it(`${label} as af, level or option gives the library's own short error`, async () => {
      const t0 = harness.now();
      short(throwsWith(() => socket.inet_pton(v as Any, "1.2.3.4"), EAFNOSUPPORT), "inet_pton");
      short(throwsWith(() => socket.inet_ntop(v as Any, new Uint8Array(4)), EAFNOSUPPORT), "inet_ntop");
      short(await rejectsWith(() => socket.getaddrinfo("127.0.0.1", 80, v as Any), EAI_FAIL), "getaddrinfo");
      short(throwsWith(() => f.socket().setsockopt(v as Any, v as Any, 1), ENOPROTOOPT), "setsockopt");
      short(throwsWith(() => socket.socket(v as Any), EAFNOSUPPORT), "socket");
      short(throwsWith(() => f.socket().settimeout(v as Any), TypeError), "settimeout");
      short(await rejectsWith(() => f.socket().recv(v as Any), TypeError), "recv");
      ok(harness.now() - t0 < 2000, `took ${harness.now() - t0} ms`);
    }, PROMPT);
  }

  harness.it("a huge string in an error message is cut short", async () => {
    const big = "9".repeat(harness.lane === "node" ? 1_000_000 : 10_000);
    short(throwsWith(() => socket.inet_pton(socket.AF_INET, big), EINVAL), "inet_pton");
    short(throwsWith(() => f.socket().bind([big, 0]), EINVAL), "bind");
    short(await rejectsWith(() => socket.getaddrinfo("127.0.0.1", big + "x"), EAI_FAIL), "getaddrinfo service");
  }, PROMPT);
});
