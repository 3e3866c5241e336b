// Addresses from programs: checking [host, port] tuples, the address to bind, and resolving host
// names to numeric addresses (getaddrinfo()).
import { OSError, Errno } from "./errno";
import { describe, quote, checkInt, mustBe } from "./arguments";
import { AF, literalFamily } from "./inet";
import type { HostAddress } from "./port";
import { host as platform } from "usocket-xs/host";

export function checkPort(port: unknown, what: string): number {
  if (checkInt(port, what, "port") < 0 || (port as number) > 65535) throw new RangeError(`${what}: port must be 0-65535, got ${port}`);
  return port as number;
}

/** [host, port] from a program; extra IPv6 tuple fields (flowinfo, scope id) are accepted and ignored. */
export function checkAddress(addr: unknown, what: string): [string, number] {
  mustBe(Array.isArray(addr) && addr.length >= 2 && addr.length <= 4, addr, what, "address", "a [host, port] array");
  const a = addr as unknown[];
  mustBe(typeof a[0] === "string", a[0], what, "host", "a string");
  return [a[0] as string, checkPort(a[1], what)];
}

/** The numeric address to bind: "" is the wildcard; names other than "localhost" need getaddrinfo first. */
export function bindableHost(host: string, family: 4 | 6): string {
  if (host === "") return family === 6 ? "::" : "0.0.0.0";
  if (host.toLowerCase() === "localhost") return family === 6 ? "::1" : "127.0.0.1";
  const lit = literalFamily(host);
  if (!lit) throw new OSError(Errno.EINVAL, `bind: ${quote(host)} is not a numeric address; resolve it with getaddrinfo() first`);
  if (lit !== family) throw new OSError(Errno.EAFNOSUPPORT, `bind: ${quote(host)} is not an IPv${family} address`);
  return host;
}

/** Socket types as a const enum for the library's own modules (written in place, like Errno; socket exports them). */
export const enum Sock { STREAM = 1, DGRAM = 2 }

// No prototype: a service named "constructor" or "__proto__" is just unknown (and on Moddable the
// __proto__ accessor may be dead-stripped from the app, which aborts the VM when reached).
const SERVICES: { [name: string]: number } = {
  __proto__: null as unknown as number,
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, ntp: 123, https: 443, mqtt: 1883, "secure-mqtt": 8883,
};

/** MicroPython's 5-tuple; `.at(-1)` (Python's `[-1]`) is typed as the address it is. */
export type AddrInfo = { at(index: -1 | 4): HostAddress } & [family: number, type: number, proto: number, canonname: string, sockaddr: HostAddress];

/**
 * Numeric addresses for host, IPv4 first (as lwIP answers). "localhost" is answered here, not
 * by the platform, because lwIP and Moddable's simulator do not resolve it.
 */
export async function resolveHost(host: string, family: 0 | 4 | 6): Promise<string[]> {
  const lit = literalFamily(host);
  if (lit) {
    if (family && lit !== family) throw new OSError(Errno.EAI_FAIL, `getaddrinfo: ${quote(host)} is not an IPv${family} address`);
    return [host];
  }
  const found = (host.toLowerCase() === "localhost" ? ["127.0.0.1", "::1"]
    : await new Promise<string[]>((resolve) => platform.resolve(host, family, (errno, addresses) => resolve(errno ? [] : addresses))))
    .filter((a) => !family || literalFamily(a) === family);
  if (!found.length) throw new OSError(Errno.EAI_FAIL, `getaddrinfo: cannot resolve ${quote(host)}`);
  return found.filter((a) => literalFamily(a) === 4).concat(found.filter((a) => literalFamily(a) === 6));
}

export async function getaddrinfo(
  host: string | null, service: number | string | null, af = 0, type?: number, proto = 0, _flags?: number,
): Promise<AddrInfo[]> {
  mustBe(host === null || typeof host === "string", host, "getaddrinfo", "host", "a string");
  let p: number;
  if (typeof service === "string" && !/^[0-9]+$/.test(service)) {
    const known = SERVICES[service.toLowerCase()];
    if (known === undefined) throw new OSError(Errno.EAI_FAIL, `getaddrinfo: unknown service ${quote(service)}`);
    p = known;
  } else p = service == null ? 0 : checkPort(typeof service === "string" ? Number(service) : service, "getaddrinfo");
  if (af !== 0 && af !== AF.INET && af !== AF.INET6) throw new OSError(Errno.EAI_FAIL, `getaddrinfo: unknown address family ${describe(af)}`);
  const family = af === AF.INET ? 4 : af === AF.INET6 ? 6 : 0;
  const addresses = await resolveHost(host ? host : family === 6 ? "::" : "0.0.0.0", family);
  return addresses.map((a) => [
    literalFamily(a) === 6 ? AF.INET6 : AF.INET, type || Sock.STREAM, proto, "", [a, p],
  ] as AddrInfo);
}
