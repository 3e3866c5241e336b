// MicroPython's `errno` module: the numbers are MicroPython's (Linux values), so
// `e.errno === errno.ECONNRESET` reads the same on every port.

export const EPERM = 1;
export const ENOENT = 2;
export const EIO = 5;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EEXIST = 17;
export const EINVAL = 22;
export const EPIPE = 32;
export const EMSGSIZE = 90;
export const ENOPROTOOPT = 92;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const EADDRNOTAVAIL = 99;
export const ENETUNREACH = 101;
export const ECONNABORTED = 103;
export const ECONNRESET = 104;
export const ENOBUFS = 105;
export const EISCONN = 106;
export const ENOTCONN = 107;
export const ETIMEDOUT = 110;
export const ECONNREFUSED = 111;
export const EHOSTUNREACH = 113;
export const EALREADY = 114;
export const EINPROGRESS = 115;
/** getaddrinfo failure, as MicroPython's ESP32 port reports it (lwIP's EAI_FAIL, negated). */
export const EAI_FAIL = -202;

export const errorcode: { [errno: number]: string } = {
  [EPERM]: "EPERM", [ENOENT]: "ENOENT", [EIO]: "EIO", [EBADF]: "EBADF", [EAGAIN]: "EAGAIN",
  [ENOMEM]: "ENOMEM", [EACCES]: "EACCES", [EEXIST]: "EEXIST", [EINVAL]: "EINVAL", [EPIPE]: "EPIPE",
  [EMSGSIZE]: "EMSGSIZE", [ENOPROTOOPT]: "ENOPROTOOPT", [EOPNOTSUPP]: "EOPNOTSUPP",
  [EAFNOSUPPORT]: "EAFNOSUPPORT", [EADDRINUSE]: "EADDRINUSE", [EADDRNOTAVAIL]: "EADDRNOTAVAIL",
  [ENETUNREACH]: "ENETUNREACH", [ECONNABORTED]: "ECONNABORTED", [ECONNRESET]: "ECONNRESET",
  [ENOBUFS]: "ENOBUFS", [EISCONN]: "EISCONN", [ENOTCONN]: "ENOTCONN", [ETIMEDOUT]: "ETIMEDOUT",
  [ECONNREFUSED]: "ECONNREFUSED", [EHOSTUNREACH]: "EHOSTUNREACH", [EALREADY]: "EALREADY",
  [EINPROGRESS]: "EINPROGRESS", [EAI_FAIL]: "EAI_FAIL",
};

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
