// Checking the [host, port] tuples that programs pass in.
import { OSError, EAFNOSUPPORT, EINVAL } from "./errno";
import { describe, checkInt } from "./bytes";
import { literalFamily } from "./inet";

export function checkPort(port: unknown, what: string): number {
  if (checkInt(port, what, "port") < 0 || (port as number) > 65535) throw new RangeError(`${what}: port must be 0-65535, got ${port}`);
  return port as number;
}

/** [host, port] from a program; extra IPv6 tuple fields (flowinfo, scope id) are accepted and ignored. */
export function checkAddress(addr: unknown, what: string): [string, number] {
  if (!Array.isArray(addr) || addr.length < 2 || addr.length > 4) {
    throw new TypeError(`${what}: address must be a [host, port] array, got ${describe(addr)}`);
  }
  if (typeof addr[0] !== "string") throw new TypeError(`${what}: host must be a string, got ${describe(addr[0])}`);
  return [addr[0], checkPort(addr[1], what)];
}

/** The numeric address to bind: "" is the wildcard; names other than "localhost" need getaddrinfo first. */
export function bindableHost(host: string, family: 4 | 6): string {
  if (host === "") return family === 6 ? "::" : "0.0.0.0";
  if (host.toLowerCase() === "localhost") return family === 6 ? "::1" : "127.0.0.1";
  const lit = literalFamily(host);
  if (!lit) throw new OSError(EINVAL, `bind: ${JSON.stringify(host)} is not a numeric address; resolve it with getaddrinfo() first`);
  if (lit !== family) throw new OSError(EAFNOSUPPORT, `bind: ${host} is not an IPv${family} address`);
  return host;
}
