// select and asyncio over TLS: an SSLSocket is pollable through the same hook (its readiness is
// that of the decrypted bytes), and asyncio streams take an SSLContext as ssl.
import { harness } from "test-harness";
import * as select from "usocket-xs/select";
import * as asyncio from "usocket-xs/asyncio";
import * as ssl from "usocket-xs/ssl";
import { POLLIN } from "usocket-xs/select";
import { fixture, expectLine } from "./fixture";
import { tlsFixture } from "./tls-fixture";
import { deepEqual, bytesEqual } from "./assert";

harness.describe("select over TLS", () => {
  const f = fixture();
  const t = tlsFixture(f);

  harness.it("an SSLSocket is writable (4) after the handshake, readable (1) once decrypted data is there", async () => {
    const { peer, port } = await t.pyServer("server", ["wait", "send:secret\\n", "wait"]);
    const raw = f.socket();
    await raw.connect(["127.0.0.1", port]);
    const s = f.adopt(await t.client().wrap_socket(raw, { server_hostname: "localhost" }));
    await expectLine(peer, "HANDSHAKE");
    const p = select.poll();
    p.register(s);
    deepEqual(await p.poll(0), [[s, 4]]);
    p.modify(s, POLLIN);
    deepEqual(await p.poll(0), [], "nothing decrypted yet");
    peer.write("\n");
    deepEqual(await p.poll(10000), [[s, POLLIN]]);
    bytesEqual(await s.readline(), "secret\n");
  });

  harness.it("asyncio.open_connection(host, port, { ssl: SSLContext }) reads and writes through TLS", async () => {
    const { port } = await t.pyServer("server", ["recv:5", "send:world\\n", "wait"]);
    const ctx: ssl.SSLContext = t.client();
    const [r, w] = await asyncio.open_connection("127.0.0.1", port, { ssl: ctx, server_hostname: "localhost" });
    try {
      w.write("hello");
      await w.drain();
      bytesEqual(await r.readline(), "world\n");
    } finally {
      await w.wait_closed();
    }
  });
});
