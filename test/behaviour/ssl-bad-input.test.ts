// Bad arguments and peers that do not speak TLS: each a clear error, never a hang.
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { OSError, EINVAL, EOPNOTSUPP, EBADF } from "usocket-xs/errno";
import { SOCK_DGRAM } from "usocket-xs/socket";
import { fixture } from "./fixture";
import { tlsFixture } from "./tls-fixture";
import { equal, ok, throwsWith, rejectsWith, failsWith } from "./assert";

harness.describe("ssl bad input", () => {
  const f = fixture();
  const t = tlsFixture(f);

  harness.it("cadata that is not a certificate: OSError(EINVAL) saying so", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    throwsWith(() => ctx.load_verify_locations({ cadata: "not a certificate" }), EINVAL, /BEGIN CERTIFICATE/);
    throwsWith(() => ctx.load_verify_locations({ cadata: new Uint8Array([1, 2, 3, 4]) }), EINVAL, /not a DER certificate/);
    throwsWith(() => ctx.load_verify_locations({ cadata: new Uint8Array([0x30, 3, 1, 2, 3]) }), EINVAL, /not an X\.509 certificate/);
    throwsWith(() => ctx.load_verify_locations({ cadata: "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n" }), EINVAL, /base64/);
    throwsWith(() => ctx.load_verify_locations(), TypeError, /cafile, capath or cadata/);
  });

  harness.it("cadata takes DER bytes too, one or several certificates", async () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    const c = t.certs();
    ctx.load_verify_locations({ cadata: c.otherca + c.ca }); // PEM with two certificates
    const { port } = await t.pyServer("server", ["send:ok", "sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await ctx.wrap_socket(s, { server_hostname: "localhost" }));
    const der = tls.getpeercert()!;
    // a DER certificate in, concatenated with another: both accepted
    const ctx2 = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    const two = new Uint8Array(der.length * 2);
    two.set(der);
    two.set(der, der.length);
    ctx2.load_verify_locations({ cadata: two });
  });

  harness.it("a key that does not parse: OSError(EINVAL)", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    throwsWith(() => ctx.load_cert_chain(t.certs().server, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), EINVAL, /PRIVATE KEY/);
    throwsWith(() => ctx.load_cert_chain(new Uint8Array(0)), EINVAL);
  });

  harness.it("wrap_socket of something that is not a socket: TypeError", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    throwsWith(() => ctx.wrap_socket({} as never, { server_hostname: "x" }), TypeError, /socket/);
    throwsWith(() => ctx.wrap_socket(null as never), TypeError);
    throwsWith(() => ctx.wrap_socket(f.udp(), { server_hostname: "x" }), EOPNOTSUPP, /SOCK_STREAM/);
    void SOCK_DGRAM;
  });

  harness.it("check_hostname without server_hostname: OSError(EINVAL) saying what to do", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    throwsWith(() => ctx.wrap_socket(f.socket()), EINVAL, /server_hostname/);
  });

  harness.it("bad settings: verify_mode out of range, CERT_NONE with check_hostname, unknown protocol", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    throwsWith(() => { ctx.verify_mode = 7; }, RangeError);
    throwsWith(() => { ctx.verify_mode = ssl.CERT_NONE; }, EINVAL, /check_hostname/);
    throwsWith(() => new ssl.SSLContext(99), RangeError, /protocol/);
    throwsWith(() => ctx.set_ciphers(3 as never), TypeError);
  });

  harness.it("server_side with a client context, or without a certificate: OSError(EINVAL)", async () => {
    const [a] = await f.pair();
    throwsWith(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).wrap_socket(a, { server_side: true }), EINVAL, /PROTOCOL_TLS_SERVER/);
    throwsWith(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).wrap_socket(a, { server_side: true }), EINVAL, /load_cert_chain/);
  });

  if (harness.lane !== "node") {
    harness.it("server_side on Moddable: OSError(EOPNOTSUPP), the SDK has no TLS server", async () => {
      const [a] = await f.pair();
      await failsWith(() => t.server().wrap_socket(a, { server_side: true }), EOPNOTSUPP, /server/);
    });
  }

  harness.it("a peer that is not TLS (a plain HTTP reply): OSError naming it", async () => {
    const { port } = await f.server(["send:HTTP/1.0 400 Bad Request\\r\\n\\r\\nplain text, not TLS\\r\\n", "sleep:1"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const e = await rejectsWith(Promise.resolve(t.client().wrap_socket(s, { server_hostname: "localhost" })), OSError);
    ok(/TLS|record|handshake/.test(e.message), `names the protocol problem: ${e.message}`);
  });

  harness.it("the wrapped socket is detached: using it raises EBADF; the SSLSocket closes twice harmlessly", async () => {
    const { port } = await t.pyServer("server", ["sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await t.client().wrap_socket(s, { server_hostname: "localhost" }));
    await rejectsWith(s.recv(1), EBADF);
    tls.close();
    tls.close();
    await rejectsWith(tls.recv(1), EBADF);
    equal(tls.getpeercert === undefined, false);
  });
});
