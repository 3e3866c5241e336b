// MicroPython's `errno` module: the numbers are MicroPython's (Linux values), so
// `e.errno === errno.ECONNRESET` reads the same on every port.
import * as self from "./errno";

/**
 * The same numbers as a const enum, for the library's own modules: tsc and esbuild write each
 * number in place, where an imported constant costs XS bytecode at every use.
 */
export const enum Errno {
  EPERM = 1,
  ENOENT = 2,
  EIO = 5,
  EBADF = 9,
  EAGAIN = 11,
  ENOMEM = 12,
  EACCES = 13,
  EEXIST = 17,
  EINVAL = 22,
  EPIPE = 32,
  EMSGSIZE = 90,
  ENOPROTOOPT = 92,
  EOPNOTSUPP = 95,
  EAFNOSUPPORT = 97,
  EADDRINUSE = 98,
  EADDRNOTAVAIL = 99,
  ENETUNREACH = 101,
  ECONNABORTED = 103,
  ECONNRESET = 104,
  ENOBUFS = 105,
  EISCONN = 106,
  ENOTCONN = 107,
  ETIMEDOUT = 110,
  ECONNREFUSED = 111,
  EHOSTUNREACH = 113,
  EALREADY = 114,
  EINPROGRESS = 115,
  EAI_FAIL = -202,
}

export const EPERM = Errno.EPERM;
export const ENOENT = Errno.ENOENT;
export const EIO = Errno.EIO;
export const EBADF = Errno.EBADF;
export const EAGAIN = Errno.EAGAIN;
export const ENOMEM = Errno.ENOMEM;
export const EACCES = Errno.EACCES;
export const EEXIST = Errno.EEXIST;
export const EINVAL = Errno.EINVAL;
export const EPIPE = Errno.EPIPE;
export const EMSGSIZE = Errno.EMSGSIZE;
export const ENOPROTOOPT = Errno.ENOPROTOOPT;
export const EOPNOTSUPP = Errno.EOPNOTSUPP;
export const EAFNOSUPPORT = Errno.EAFNOSUPPORT;
export const EADDRINUSE = Errno.EADDRINUSE;
export const EADDRNOTAVAIL = Errno.EADDRNOTAVAIL;
export const ENETUNREACH = Errno.ENETUNREACH;
export const ECONNABORTED = Errno.ECONNABORTED;
export const ECONNRESET = Errno.ECONNRESET;
export const ENOBUFS = Errno.ENOBUFS;
export const EISCONN = Errno.EISCONN;
export const ENOTCONN = Errno.ENOTCONN;
export const ETIMEDOUT = Errno.ETIMEDOUT;
export const ECONNREFUSED = Errno.ECONNREFUSED;
export const EHOSTUNREACH = Errno.EHOSTUNREACH;
export const EALREADY = Errno.EALREADY;
export const EINPROGRESS = Errno.EINPROGRESS;
/** getaddrinfo failure, as MicroPython's ESP32 port reports it (lwIP's EAI_FAIL, negated). */
export const EAI_FAIL = Errno.EAI_FAIL;

export const errorcode: { [errno: number]: string } = {};

/** MicroPython's OSError: `.errno` and `.args[0]` hold the number. */
export class OSError extends Error {
  readonly errno: number;
  readonly args: [number, ...string[]];
  constructor(errno: number, detail?: string) {
    const name = errorcode[errno];
    super(`[Errno ${errno}] ${name ?? "error"}${detail ? ": " + detail : ""}`);
    this.errno = errno;
    this.args = detail ? [errno, detail] : [errno];
  }
  // Set on the prototype so a release build that strips function names still reports "OSError".
  declare readonly name: string;
}
Object.defineProperty(OSError.prototype, "name", { value: "OSError" });

// errorcode from this module's own number exports: each name is written once (a literal table
// would repeat all of them in the bytecode). Last, so every export it reads is initialised.
for (const name in self) {
  const n = (self as unknown as { [name: string]: unknown })[name];
  if (typeof n === "number") errorcode[n] = name;
}
