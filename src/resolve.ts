// getaddrinfo(), and turning the host part of an address tuple into numeric addresses.
import { OSError, EAI_FAIL } from "./errno";
import { AF_INET, AF_INET6, literalFamily } from "./inet";
import { describe } from "./bytes";
import { checkPort } from "./address";
import type { HostAddress, Port } from "./port";

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;

const SERVICES: { [name: string]: number } = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, ntp: 123, https: 443, mqtt: 1883, "secure-mqtt": 8883,
};

/** MicroPython's 5-tuple; `.at(-1)` (Python's `[-1]`) is typed as the address it is. */
export type AddrInfo = { at(index: -1 | 4): HostAddress } & [family: number, type: number, proto: number, canonname: string, sockaddr: HostAddress];

/**
 * Numeric addresses for host, IPv4 first (as lwIP answers). "localhost" is answered here, not
 * by the platform, because lwIP and Moddable's simulator do not resolve it.
 */
export function resolveHost(port: Port, host: string, family: 0 | 4 | 6): Promise<string[]> {
  const lit = literalFamily(host);
  if (lit) {
    if (family && lit !== family) return Promise.reject(new OSError(EAI_FAIL, `getaddrinfo: ${host} is not an IPv${family} address`));
    return Promise.resolve([host]);
  }
  if (host.toLowerCase() === "localhost") {
    return Promise.resolve(family === 6 ? ["::1"] : family === 4 ? ["127.0.0.1"] : ["127.0.0.1", "::1"]);
  }
  return new Promise((resolve, reject) => {
    port.resolve(host, family, (errno, addresses) => {
      const found = errno ? [] : addresses.filter((a) => !family || literalFamily(a) === family);
      if (!found.length) reject(new OSError(EAI_FAIL, `getaddrinfo: cannot resolve ${JSON.stringify(host)}`));
      else resolve(found.filter((a) => literalFamily(a) === 4).concat(found.filter((a) => literalFamily(a) === 6)));
    });
  });
}

function portNumber(port: unknown): number {
  if (typeof port === "string") {
    if (/^[0-9]+$/.test(port)) return checkPort(Number(port), "getaddrinfo");
    const known = SERVICES[port.toLowerCase()];
    if (known === undefined) throw new OSError(EAI_FAIL, `getaddrinfo: unknown service ${JSON.stringify(port)}`);
    return known;
  }
  if (port === null || port === undefined) return 0;
  return checkPort(port, "getaddrinfo");
}

export async function getaddrinfo(
  port: Port, host: string | null, service: number | string | null, af = 0, type = 0, proto = 0, _flags = 0,
): Promise<AddrInfo[]> {
  if (host !== null && typeof host !== "string") throw new TypeError(`getaddrinfo: host must be a string, got ${describe(host)}`);
  const p = portNumber(service);
  if (af !== 0 && af !== AF_INET && af !== AF_INET6) throw new OSError(EAI_FAIL, `getaddrinfo: unknown address family ${af}`);
  const family = af === AF_INET ? 4 : af === AF_INET6 ? 6 : 0;
  const addresses = await resolveHost(port, host ? host : family === 6 ? "::" : "0.0.0.0", family);
  return addresses.map((a) => [
    literalFamily(a) === 6 ? AF_INET6 : AF_INET, type || SOCK_STREAM, proto, "", [a, p],
  ] as AddrInfo);
}
