// Node's error codes as MicroPython errno numbers.
import * as errno from "usocket-xs/errno";

const byCode: { [code: string]: number } = {
  EPERM: errno.EPERM, ENOENT: errno.ENOENT, EIO: errno.EIO, EBADF: errno.EBADF, EAGAIN: errno.EAGAIN,
  ENOMEM: errno.ENOMEM, EACCES: errno.EACCES, EINVAL: errno.EINVAL, EPIPE: errno.EPIPE,
  EMSGSIZE: errno.EMSGSIZE, EAFNOSUPPORT: errno.EAFNOSUPPORT, EADDRINUSE: errno.EADDRINUSE,
  EADDRNOTAVAIL: errno.EADDRNOTAVAIL, ENETUNREACH: errno.ENETUNREACH, ECONNABORTED: errno.ECONNABORTED,
  ECONNRESET: errno.ECONNRESET, ENOBUFS: errno.ENOBUFS, EISCONN: errno.EISCONN, ENOTCONN: errno.ENOTCONN,
  ETIMEDOUT: errno.ETIMEDOUT, ECONNREFUSED: errno.ECONNREFUSED, EHOSTUNREACH: errno.EHOSTUNREACH,
  EALREADY: errno.EALREADY, EINPROGRESS: errno.EINPROGRESS,
  ERR_SOCKET_DGRAM_NOT_RUNNING: errno.EBADF,
  ERR_SOCKET_BAD_PORT: errno.EINVAL, ERR_INVALID_ARG_TYPE: errno.EINVAL, ERR_INVALID_ARG_VALUE: errno.EINVAL,
};

/** errno for a Node error (an Error with .code) or a negative libuv status. */
export function toErrno(e: unknown): number {
  if (typeof e === "number") return byCode[uvName(e)] ?? errno.EIO;
  const code = (e as { code?: unknown })?.code;
  return (typeof code === "string" && byCode[code]) || errno.EIO;
}

export function toOSError(e: unknown): errno.OSError {
  return new errno.OSError(toErrno(e), e instanceof Error ? e.message : undefined);
}

function uvName(status: number): string {
  // os.constants.errno maps names to positive numbers; libuv reports their negatives on Linux.
  for (const name in osErrno) if (osErrno[name] === -status) return name;
  return "";
}

import { constants } from "node:os";
const osErrno = constants.errno as { [name: string]: number };
