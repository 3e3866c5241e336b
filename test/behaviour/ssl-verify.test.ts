// Certificate verification: each failure is an OSError whose message names what failed.
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { OSError } from "usocket-xs/errno";
import { fixture, expectLine } from "./fixture";
import { tlsFixture, sawLine } from "./tls-fixture";
import { equal, ok, rejectsWith, bytesEqual } from "./assert";

harness.describe("ssl verify", () => {
  const f = fixture();
  const t = tlsFixture(f);

  async function connectTo(cert: string, ctx: ssl.SSLContext, name = "localhost"): Promise<ssl.SSLSocket> {
    const { port } = await t.pyServer(cert, ["send:ok", "sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    return f.adopt(await ctx.wrap_socket(s, { server_hostname: name }));
  }

  harness.it("a certificate for another name: OSError naming the hostname mismatch", async () => {
    const e = await rejectsWith(connectTo("wrong", t.client()), ssl.SSLError, /hostname mismatch/);
    equal((e as OSError).errno, ssl.MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "errno");
    ok(/localhost/.test(e.message), `the name we asked for is in ${e.message}`);
  });

  harness.it("a certificate from an unknown CA: OSError naming the unknown CA", async () => {
    const e = await rejectsWith(connectTo("untrusted", t.client()), OSError, /unknown CA/);
    equal((e as OSError).errno, ssl.MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "errno");
  });

  harness.it("an expired certificate: OSError saying it expired", async () => {
    await rejectsWith(connectTo("expired", t.client()), OSError, /expired/);
  });

  harness.it("the IP address as server_hostname is checked against the IP subjectAltName", async () => {
    const s = await connectTo("server", t.client(), "127.0.0.1");
    bytesEqual(await s.read(2), "ok");
    await rejectsWith(connectTo("wrong", t.client(), "127.0.0.1"), OSError, /hostname mismatch/);
  });

  harness.it("CERT_NONE accepts anything: unknown CA, wrong name, expired", async () => {
    for (const cert of ["untrusted", "wrong", "expired"]) {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      ctx.check_hostname = false;
      ctx.verify_mode = ssl.CERT_NONE;
      const s = await connectTo(cert, ctx);
      bytesEqual(await s.read(2), "ok", cert);
      ok(s.getpeercert() instanceof Uint8Array, `${cert}: the certificate is still there to look at`);
    }
  });

  harness.it("CERT_REQUIRED with check_hostname = false verifies the chain but not the name", async () => {
    const ctx = t.client();
    ctx.check_hostname = false;
    const s = await connectTo("wrong", ctx, "localhost");
    bytesEqual(await s.read(2), "ok");
    await rejectsWith(connectTo("untrusted", ctx), OSError, /unknown CA/);
  });

  harness.it("the client default is CERT_REQUIRED with check_hostname, as CPython's PROTOCOL_TLS_CLIENT", () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    equal(ctx.verify_mode, ssl.CERT_REQUIRED);
    equal(ctx.check_hostname, true);
    const srv = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    equal(srv.verify_mode, ssl.CERT_NONE);
    equal(srv.check_hostname, false);
  });

  harness.it("the older ssl.wrap_socket(): cert_reqs CERT_REQUIRED with cadata and server_hostname verifies", async () => {
    const { port } = await t.pyServer("wrong", ["send:ok", "sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    await rejectsWith(Promise.resolve(ssl.wrap_socket(s, { cert_reqs: ssl.CERT_REQUIRED, cadata: t.certs().ca, server_hostname: "localhost" })),
      OSError, /hostname mismatch/);
    const b = await t.pyServer("server", ["send:ok", "sleep:0.5"]);
    const s2 = f.socket();
    await s2.connect(["127.0.0.1", b.port]);
    const tls = f.adopt(await ssl.wrap_socket(s2, { cert_reqs: ssl.CERT_REQUIRED, cadata: t.certs().ca, server_hostname: "localhost" }));
    bytesEqual(await tls.read(2), "ok");
  });

  harness.it("the older ssl.wrap_socket() defaults to CERT_NONE, as MicroPython's", async () => {
    const { port } = await t.pyServer("untrusted", ["send:ok", "sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await ssl.wrap_socket(s, { server_hostname: "localhost" }));
    bytesEqual(await tls.read(2), "ok");
  });

  harness.it("a server that requires a client certificate (s_server -Verify): without one the handshake fails, with one it works", async () => {
    const c = t.certs();
    const a = await t.sServer("server", ["-Verify", "1", "-verify_return_error", "-CAfile", `${c.dir}/ca.pem`]);
    const s = f.socket();
    await s.connect(["127.0.0.1", a.port]);
    const ctx = t.client();
    // TLS 1.3 sends the alert after the client's Finished: it may reach us as the handshake's end or on the first read.
    const e = await rejectsWith((async () => { const x = f.adopt(await ctx.wrap_socket(s, { server_hostname: "localhost" })); await x.recv(10); })(), OSError);
    ok(/alert|handshake|reset|closed/i.test(e.message), `a TLS failure, got ${e.message}`);

    const b = await t.sServer("server", ["-Verify", "1", "-verify_return_error", "-CAfile", `${c.dir}/ca.pem`]);
    const ctx2 = t.client();
    ctx2.load_cert_chain(c.client, c.clientKey);
    const s2 = f.socket();
    await s2.connect(["127.0.0.1", b.port]);
    const tls = f.adopt(await ctx2.wrap_socket(s2, { server_hostname: "localhost" }));
    await tls.sendall("with a certificate\n");
    await sawLine(b.peer, /^with a certificate$/);
  });

  harness.it("a CPython server requiring a client certificate sees ours", async () => {
    const c = t.certs();
    const { peer, port } = await t.pyServer("server", ["send:ok", "sleep:0.3"], "required");
    const ctx = t.client();
    ctx.load_cert_chain(c.client, c.clientKey);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await ctx.wrap_socket(s, { server_hostname: "localhost" }));
    const [, , cn] = await expectLine(peer, "HANDSHAKE");
    equal(cn, "usocket-xs_client");
    bytesEqual(await tls.read(2), "ok");
  });
});
