// Our TLS server (server_side), read by CPython's ssl client and openssl s_client. Hosts without a
// TLS server (Moddable) raise EOPNOTSUPP instead: see ssl-bad-input.
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { OSError } from "usocket-xs/errno";
import { fixture, expectLine } from "./fixture";
import { tlsFixture, sawLine } from "./tls-fixture";
import { equal, ok, bytesEqual, rejectsWith } from "./assert";
import { sha256, pattern, mib } from "./data";

const serverLane = harness.lane === "node";

harness.describe("ssl server", () => {
  const f = fixture();
  const t = tlsFixture(f);
  if (!serverLane) return;

  harness.it("server_side wrap of an accepted socket: CPython's verified client talks to it both ways", async () => {
    const { listener, port } = f.listener();
    const n = mib(1, harness.scale);
    const peer = t.pyClient(port, ["send:hello\\n", `sendrand:${n}`, "recveof"]);
    const [plain] = await listener.accept();
    f.adopt(plain);
    const s = f.adopt(await t.server().wrap_socket(plain, { server_side: true }));
    const [version] = await expectLine(peer, "CONNECTED");
    ok(/^TLSv1\.[23]$/.test(version), `version ${version}`);
    bytesEqual(await s.readline(), "hello\n");
    const data = await s.read(n);
    const [sn, sum] = await expectLine(peer, "SENT");
    equal(data!.length, Number(sn));
    equal(sha256(data!), sum, "sha256 of what we received");
    const back = pattern(n, 3);
    await s.sendall(back);
    s.close();
    const [rn, rsum] = await expectLine(peer, "EOF");
    equal(Number(rn), n);
    equal(rsum, sha256(back));
  });

  harness.it("openssl s_client verifies our certificate and exchanges lines", async () => {
    const { listener, port } = f.listener();
    const c = t.certs();
    const peer = f.spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-CAfile", `${c.dir}/ca.pem`,
      "-verify_return_error", "-servername", "localhost", "-verify_hostname", "localhost", "-quiet"]);
    const [plain] = await listener.accept();
    f.adopt(plain);
    const s = f.adopt(await t.server().wrap_socket(plain, { server_side: true }));
    await s.sendall("from our server\n");
    equal(await peer.line(), "from our server");
    peer.write("from s_client\n");
    bytesEqual(await s.readline(), "from s_client\n");
    peer.write("", true);
  });

  harness.it("a listening socket wrapped with server_side: accept() returns handshaken SSLSockets", async () => {
    const { listener, port } = f.listener();
    const tlsListener = f.adopt(t.server().wrap_socket(listener, { server_side: true }) as ssl.SSLSocket);
    const peer = t.pyClient(port, ["recv:2"]);
    const [s, addr] = await tlsListener.accept();
    f.adopt(s);
    ok(s instanceof ssl.SSLSocket, "an SSLSocket");
    equal(addr[0], "127.0.0.1");
    await expectLine(peer, "CONNECTED");
    await s.sendall("ok");
    equal(JSON.parse((await expectLine(peer, "GOT")).join(" ")), "ok");
  });

  harness.it("CERT_REQUIRED on the server: a client without a certificate fails, one with ours is seen", async () => {
    const ctx = t.server();
    ctx.verify_mode = ssl.CERT_REQUIRED;
    ctx.load_verify_locations({ cadata: t.certs().ca });
    const a = f.listener();
    const bare = t.pyClient(a.port, ["recv:2"]);
    const [p1] = await a.listener.accept();
    f.adopt(p1);
    const e = await rejectsWith(Promise.resolve(ctx.wrap_socket(p1, { server_side: true })), OSError);
    ok(/certificate/.test(e.message), `names the missing certificate: ${e.message}`);
    await expectLine(bare, "TLSERROR").catch(() => undefined);

    const b = f.listener();
    const withCert = t.pyClient(b.port, ["recv:2"], { cert: "client" });
    const [p2] = await b.listener.accept();
    f.adopt(p2);
    const s = f.adopt(await ctx.wrap_socket(p2, { server_side: true }));
    ok(s.getpeercert() instanceof Uint8Array, "the client's certificate");
    await s.sendall("ok");
    await expectLine(withCert, "CONNECTED");
    void sawLine;
  });

  harness.it("a client that is not TLS (plain HTTP) fails our handshake with a message that says so", async () => {
    const { listener, port } = f.listener();
    f.client(port, ["send:GET / HTTP/1.0\\r\\n\\r\\n", "sleep:1"]);
    const [plain] = await listener.accept();
    f.adopt(plain);
    await harness.sleep(100); // the request is already buffered when we wrap: it must reach TLS, not be lost
    const e = await rejectsWith(Promise.resolve(t.server().wrap_socket(plain, { server_side: true })), OSError, /does not speak TLS/);
    equal((e as OSError).errno, ssl.MBEDTLS_ERR_SSL_INVALID_RECORD);
  });
});
