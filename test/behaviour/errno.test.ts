// The errno module: OSError, the constants (MicroPython's numbers), errorcode.
import { harness } from "test-harness";
import * as errno from "usocket-xs/errno";
import { OSError, errorcode } from "usocket-xs/errno";
import { fixture } from "./fixture";
import { equal, ok, rejectsWith } from "./assert";

const NUMBERS: [string, number][] = [
  ["EPERM", 1], ["ENOENT", 2], ["EIO", 5], ["EBADF", 9], ["EAGAIN", 11], ["ENOMEM", 12], ["EACCES", 13],
  ["EEXIST", 17], ["EINVAL", 22], ["EPIPE", 32], ["EOPNOTSUPP", 95], ["EADDRINUSE", 98], ["ECONNABORTED", 103],
  ["ECONNRESET", 104], ["ENOBUFS", 105], ["EISCONN", 106], ["ENOTCONN", 107], ["ETIMEDOUT", 110],
  ["ECONNREFUSED", 111], ["EHOSTUNREACH", 113], ["EALREADY", 114], ["EINPROGRESS", 115],
];

harness.describe("errno", () => {
  const f = fixture();

  harness.it("the constants have MicroPython's numbers", () => {
    const mod = errno as unknown as { [k: string]: unknown };
    for (const [name, n] of NUMBERS) equal(mod[name], n, name);
    equal(errno.EMSGSIZE, 90);
    equal(errno.EAFNOSUPPORT, 97);
  });

  harness.it("errorcode maps each number to its name", () => {
    for (const [name, n] of NUMBERS) equal(errorcode[n], name, `errorcode[${n}]`);
  });

  harness.it("OSError is an Error with .errno, .args[0] and \"[Errno N] NAME\"", () => {
    const e = new OSError(errno.ECONNREFUSED);
    ok(e instanceof Error, "instanceof Error");
    ok(e instanceof OSError, "instanceof OSError");
    equal(e.errno, 111);
    equal(e.args[0], 111);
    equal(e.message, "[Errno 111] ECONNREFUSED");
    equal(e.name, "OSError");
    ok(String(e).indexOf("OSError") === 0, `String(e) starts with OSError: ${String(e)}`);
  });

  harness.it("an OSError with a detail keeps the number first", () => {
    const e = new OSError(errno.EINVAL, "bad thing");
    equal(e.errno, 22);
    equal(e.args[0], 22);
    ok(e.message.indexOf("[Errno 22] EINVAL") === 0, e.message);
  });

  harness.it("errors from a real socket are OSError instances with the errno", async () => {
    const e = await rejectsWith(f.socket().connect(["127.0.0.1", f.closedPort()]), errno.ECONNREFUSED);
    ok(e instanceof OSError && e instanceof Error, "an OSError");
    equal((e as OSError).args[0], errno.ECONNREFUSED);
    ok(e.message.indexOf("[Errno 111] ECONNREFUSED") === 0, e.message);
  });
});
