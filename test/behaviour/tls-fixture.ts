// TLS helpers for behaviour tests: throw-away certificates (made once per file by openssl, removed
// after it) and the TLS peers of test/peers/tls.ts.
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { TLS_SERVER, TLS_CLIENT, MAKE_CERTS, sServerArgs } from "../peers/tls";
import { readyPort, expectLine, type Fixture, type Peer } from "./fixture";
import { ok, fail } from "./assert";

export interface Certs {
  dir: string;
  [name: string]: string;
}

export interface TlsFixture {
  certs(): Certs;
  /** A client context trusting the test CA. */
  client(protocol?: number): ssl.SSLContext;
  /** A server context with the `cert` certificate (its chain) and key. */
  server(cert?: string): ssl.SSLContext;
  /** CPython TLS server running actions after the handshake; verify: client certificates. */
  pyServer(cert: string, actions: string[], verify?: "none" | "optional" | "required"): Promise<{ peer: Peer; port: number }>;
  /** CPython TLS client of 127.0.0.1:port; ca "-" verifies nothing. */
  pyClient(port: number, actions: string[], options?: { ca?: string; name?: string; cert?: string }): Peer;
  /** `openssl s_server` with `cert`; returns it and its port. */
  sServer(cert: string, extra?: string[]): Promise<{ peer: Peer; port: number }>;
}

export function tlsFixture(f: Fixture): TlsFixture {
  let certs: Certs | undefined;
  harness.before(async () => {
    const p = harness.spawn("python3", ["-c", MAKE_CERTS]);
    const line = await p.line();
    certs = JSON.parse(line) as Certs;
    ok(certs.dir && certs.ca, "certificates made");
    await p.exit;
  }, 120000); // three RSA keys: seconds on a loaded machine
  harness.after(async () => {
    if (certs) await harness.spawn("rm", ["-rf", certs.dir]).exit;
  });
  const t: TlsFixture = {
    certs() {
      if (!certs) fail("no certificates (the before hook failed)");
      return certs;
    },
    client(protocol = ssl.PROTOCOL_TLS_CLIENT) {
      const ctx = new ssl.SSLContext(protocol);
      ctx.load_verify_locations({ cadata: t.certs().ca });
      return ctx;
    },
    server(cert = "server") {
      const c = t.certs();
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      ctx.load_cert_chain(c[cert], c[cert + "Key"]);
      return ctx;
    },
    async pyServer(cert, actions, verify = "none") {
      const peer = f.python(TLS_SERVER, [t.certs().dir, cert, verify, ...actions]);
      return { peer, port: await readyPort(peer) };
    },
    pyClient(port, actions, options = {}) {
      return f.python(TLS_CLIENT, [port, t.certs().dir, options.ca ?? "ca", options.name ?? "localhost", options.cert ?? "-", ...actions]);
    },
    async sServer(cert, extra = []) {
      const peer = f.spawn("openssl", sServerArgs(t.certs().dir, cert, extra));
      for (;;) {
        const line = await peer.line();
        const m = /^ACCEPT .*:(\d+)$/.exec(line);
        if (m) return { peer, port: Number(m[1]) };
      }
    },
  };
  return t;
}

/** Lines of s_server's output until one matching re (s_server logs as it goes). */
export async function sawLine(peer: Peer, re: RegExp): Promise<string> {
  for (;;) {
    const line = await peer.line();
    if (re.test(line)) return line;
  }
}

export { expectLine };
