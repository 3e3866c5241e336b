// TLS clients with verification on: both wrapping orders, data both ways, SNI, makefile(), what the
// connection reports (certificate, cipher, version).
import { harness } from "test-harness";
import * as ssl from "usocket-xs/ssl";
import { getaddrinfo } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { tlsFixture, sawLine } from "./tls-fixture";
import { equal, ok, bytesEqual } from "./assert";
import { pattern, sha256, text, mib, Sha256 } from "./data";

harness.describe("ssl client", () => {
  const f = fixture();
  const t = tlsFixture(f);

  harness.it("MicroPython order: wrap_socket of a connected socket is a Promise of a verified SSLSocket", async () => {
    const { peer, port } = await t.pyServer("server", ["recv:5", "send:world"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const p = t.client().wrap_socket(s, { server_hostname: "localhost" });
    ok(p instanceof Promise, "a Promise");
    const tls = f.adopt(await p);
    ok(tls instanceof ssl.SSLSocket, "an SSLSocket");
    await expectLine(peer, "HANDSHAKE");
    await tls.sendall("hello");
    equal(JSON.parse((await expectLine(peer, "GOT")).join(" ")), "hello");
    bytesEqual(await tls.read(5), "world");
  });

  harness.it("CPython order (the article's): wrap_socket first returns the SSLSocket at once; connect() handshakes", async () => {
    const { peer, port } = await t.pyServer("server", ["send:hi", "recv:3"]);
    const addr = (await getaddrinfo("localhost", port))[0][4];
    const s = t.client().wrap_socket(f.socket(), { server_hostname: "localhost" });
    ok(s instanceof ssl.SSLSocket, "an SSLSocket, not a Promise");
    const tls = f.adopt(s as ssl.SSLSocket);
    await tls.connect(addr);
    const [version] = await expectLine(peer, "HANDSHAKE");
    ok(/^TLSv1\.[23]$/.test(version), `TLS version ${version}`);
    bytesEqual(await tls.read(2), "hi");
    await tls.sendall("bye");
    equal(JSON.parse((await expectLine(peer, "GOT")).join(" ")), "bye");
  });

  harness.it("checksummed megabytes both ways over a verified connection", async () => {
    const n = mib(1, harness.scale);
    const { peer, port } = await t.pyServer("server", [`sendrand:${n}`, "recveof"]);
    const tls = f.adopt(t.client().wrap_socket(f.socket(), { server_hostname: "localhost" }) as ssl.SSLSocket);
    await tls.connect(["127.0.0.1", port]);
    await expectLine(peer, "HANDSHAKE");
    const h = new Sha256();
    let got = 0;
    while (got < n) {
      const b = await tls.recv(65536);
      if (b.length === 0) break;
      h.update(b);
      got += b.length;
    }
    const [sn, sum] = await expectLine(peer, "SENT");
    equal(got, Number(sn), "bytes received");
    equal(h.hex(), sum, "sha256 of what we received");
    const data = pattern(n, 7);
    await tls.sendall(data);
    tls.close();
    const [rn, rsum] = await expectLine(peer, "EOF");
    equal(Number(rn), n, "bytes the peer received");
    equal(rsum, sha256(data), "sha256 of what the peer received");
  }, 60000); // the XS lane's Session stand-in makes a parent round trip per TLS record

  harness.it("sends SNI: openssl s_server -servername sees the name", async () => {
    const c = t.certs();
    const { peer, port } = await t.sServer("server", ["-servername", "localhost", "-cert2", `${c.dir}/server.pem`, "-key2", `${c.dir}/server.key`]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await t.client().wrap_socket(s, { server_hostname: "localhost" }));
    await sawLine(peer, /Hostname in TLS extension: "localhost"/);
    await tls.sendall("ping\n");
    await sawLine(peer, /^ping$/);
  });

  harness.it("makefile().readline() over TLS", async () => {
    const { port } = await t.pyServer("server", ["send:first line\\nsecond\\n", "sleep:0.2", "send:tail", "unwrap"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await t.client().wrap_socket(s, { server_hostname: "localhost" }));
    const file = tls.makefile("rwb", 0);
    bytesEqual(await file.readline(), "first line\n");
    bytesEqual(await file.readline(), "second\n");
    bytesEqual(await file.readline(), "tail");
    bytesEqual(await file.readline(), "");
  });

  harness.it("getpeercert() is the server's DER certificate; cipher() and version() name what was negotiated", async () => {
    const { port } = await t.pyServer("server", ["sleep:0.5"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await t.client().wrap_socket(s, { server_hostname: "localhost" }));
    const der = tls.getpeercert(true)!;
    ok(der instanceof Uint8Array && der[0] === 0x30 && der.length > 300, `DER bytes, got ${der && der.length}`);
    const expected = ssl_der(t.certs().server);
    equal(sha256(der), sha256(expected), "the server's certificate");
    const v = tls.version();
    ok(v === "TLSv1.2" || v === "TLSv1.3", `version ${v}`);
    const c = tls.cipher();
    ok(c !== null && typeof c[0] === "string" && c[0].length > 0 && c[1] !== "" && c[2] >= 128, `cipher ${c}`);
  });

  harness.it("PROTOCOL_TLSv1_2 (the article's) verifies by default and negotiates TLS 1.2", async () => {
    const { peer, port } = await t.pyServer("server", ["sleep:0.3"]);
    const ctx = t.client(ssl.PROTOCOL_TLSv1_2);
    equal(ctx.verify_mode, ssl.CERT_REQUIRED, "verify_mode");
    equal(ctx.check_hostname, true, "check_hostname");
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const tls = f.adopt(await ctx.wrap_socket(s, { server_hostname: "127.0.0.1" }));
    const [version] = await expectLine(peer, "HANDSHAKE");
    equal(version, "TLSv1.2", "the server's view");
    equal(tls.version(), "TLSv1.2", "ours");
  });

  harness.it("the article's HTTPS GET from openssl s_server -www, CPython order", async () => {
    const { port } = await t.sServer("server", ["-www"]);
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2);
    ctx.load_verify_locations({ cadata: t.certs().ca });
    const s = f.adopt(await ctx.wrap_socket(f.socket(), { server_hostname: "localhost" }));
    await s.connect((await getaddrinfo("localhost", port))[0][4]);
    await s.sendall("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n");
    let page = "";
    for (;;) {
      const data = await s.recv(5000);
      if (data.length === 0) break;
      page += text(data);
    }
    ok(/^HTTP\/1\.0 200 ok/.test(page), `status line of ${JSON.stringify(page.slice(0, 80))}`);
    ok(/s_server -accept/.test(page) || /Ciphers/.test(page), "s_server's status page");
  });
});

/** DER of the first certificate in PEM text (the test's own little decoder: no Buffer in XS). */
function ssl_der(pemText: string): Uint8Array {
  const body = pemText.split("-----")[2].replace(/\s+/g, "");
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const out: number[] = [];
  let acc = 0, bits = 0;
  for (let i = 0; i < body.length && body[i] !== "="; i++) {
    acc = (acc << 6) | abc.indexOf(body[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); }
  }
  return new Uint8Array(out);
}
