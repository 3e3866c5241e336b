// getaddrinfo(): MicroPython's 5-tuples with [host, port] sockaddrs.
import { harness } from "test-harness";
import { OSError, EAI_FAIL } from "usocket-xs/errno";
import { getaddrinfo, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM } from "usocket-xs/socket";
import { fixture } from "./fixture";
import { equal, ok, deepEqual, bytesEqual, rejectsWith } from "./assert";

harness.describe("getaddrinfo", () => {
  const f = fixture();

  harness.it("getaddrinfo(\"localhost\", 80) gives 5-tuples, IPv4 first", async () => {
    const r = await getaddrinfo("localhost", 80);
    ok(r.length >= 1, "at least one entry");
    deepEqual(r[0], [AF_INET, SOCK_STREAM, 0, "", ["127.0.0.1", 80]]);
    for (const e of r) equal(e.length, 5, "a 5-tuple");
  });

  harness.it("a numeric IPv4 host comes back as itself", async () => {
    deepEqual(await getaddrinfo("127.0.0.1", 8080), [[AF_INET, SOCK_STREAM, 0, "", ["127.0.0.1", 8080]]]);
  });

  harness.it("a numeric IPv6 host comes back as AF_INET6", async () => {
    const r = await getaddrinfo("::1", 443);
    equal(r[0][0], AF_INET6);
    deepEqual(r[0][4], ["::1", 443]);
  });

  harness.it("[0][4] and [0].at(-1) are the [host, port] to connect to", async () => {
    const r = await getaddrinfo("127.0.0.1", 8080);
    deepEqual(r[0][4], ["127.0.0.1", 8080]);
    deepEqual(r[0].at(-1), ["127.0.0.1", 8080]);
  });

  harness.it("the service name \"http\" is port 80; a numeric string is a port", async () => {
    equal((await getaddrinfo("127.0.0.1", "http"))[0][4][1], 80);
    equal((await getaddrinfo("127.0.0.1", "8080"))[0][4][1], 8080);
  });

  harness.it("an unknown service name, even one an Object inherits, raises EAI_FAIL", async () => {
    for (const name of ["nosuchservice", "constructor", "toString", "__proto__"]) {
      const e = await rejectsWith(getaddrinfo("127.0.0.1", name), OSError);
      equal((e as OSError).errno, EAI_FAIL, name);
    }
  });

  harness.it("the type argument comes back in the tuple", async () => {
    equal((await getaddrinfo("127.0.0.1", 53, 0, SOCK_DGRAM))[0][1], SOCK_DGRAM);
  });

  harness.it("af = AF_INET6 for \"localhost\" gives ::1", async () => {
    const r = await getaddrinfo("localhost", 80, AF_INET6);
    deepEqual(r[0][4], ["::1", 80]);
    for (const e of r) equal(e[0], AF_INET6);
  });

  harness.it("a host that does not resolve rejects with OSError EAI_FAIL (-202)", async () => {
    const e = await rejectsWith(getaddrinfo("no-such-host.invalid", 80), OSError);
    equal((e as OSError).errno, EAI_FAIL);
    equal(EAI_FAIL, -202);
  }, 20000);

  harness.it("its result connects to a CPython server", async () => {
    const { port } = await f.server(["send:resolved"]);
    const addr = (await getaddrinfo("localhost", port))[0].at(-1) as [string, number];
    const s = f.socket();
    await s.connect(addr);
    bytesEqual(await s.read(8), "resolved");
  });
});
