// The TLS Session stand-in's own tests: the SDK's habits hosts/moddable relies on, against CPython's
// ssl server, over a plain usocket-xs socket as the transport.
import { harness } from "test-harness";
import Session from "ssl/session";
import * as socket from "usocket-xs/socket";
import { fixture } from "../../behaviour/fixture";
import { tlsFixture } from "../../behaviour/tls-fixture";
import { equal, ok } from "../../behaviour/assert";

/** A transport for the Session over a connected socket: what arrived, and writes that go out. */
function transport(s: socket.Socket) {
  const q: number[] = [];
  const pending: Uint8Array[] = [];
  return {
    q,
    pending,
    read(type?: unknown, n?: number): any {
      if (type === undefined) return q.length;
      const k = Math.min(n!, q.length);
      return k ? new Uint8Array(q.splice(0, k)).buffer : undefined;
    },
    write(b: ArrayBuffer | Uint8Array) { pending.push(new Uint8Array(b instanceof Uint8Array ? b : new Uint8Array(b)).slice()); },
    async flush() { while (pending.length) await s.sendall(pending.shift()!); },
    async more() { const d = await s.recv(65536); for (let i = 0; i < d.length; i++) q.push(d[i]); return d.length; },
  };
}

harness.describe("xs stand-in: ssl/session", () => {
  const f = fixture();
  const t = tlsFixture(f);

  async function handshake(cert: string, name: string): Promise<{ session: Session; records: number[]; said: string; error?: string }> {
    const { port } = await t.pyServer(cert, ["sleep:1"]);
    const s = f.socket();
    await s.connect(["127.0.0.1", port]);
    const c = t.certs();
    const der = (await ssl_der(c.ca));
    const session = new Session({ tls_server_name: name, protocolVersion: 0x303, cache: false, verify: true, certificate: der });
    const tr = transport(s);
    const g = globalThis as unknown as { trace: (x: string) => void };
    const saved = g.trace;
    let said = "";
    const records: number[] = [];
    session.initiateHandshake();
    session.handshake(tr as never, 0);
    await tr.flush();
    try {
      for (let done = false; !done;) {
        if (!tr.q.length) await tr.more();
        const before = tr.q.length;
        g.trace = (x: string) => { said += x; };
        try { done = session.handshake(tr as never, tr.q.length); } finally { g.trace = saved; }
        records.push(before - tr.q.length);
        await tr.flush();
      }
    } catch (e) {
      return { session, records, said, error: String(e) };
    }
    return { session, records, said };
  }

  harness.it("handshake() takes the server's flight one record per call and returns true when done", async () => {
    const r = await handshake("server", "localhost");
    equal(r.error, undefined, "no failure");
    // ServerHello, Certificate, ServerKeyExchange, ServerHelloDone, then ChangeCipherSpec and Finished: one call each at least
    ok(r.records.length >= 5, `one call per record (bytes taken per call: ${r.records.join(",")})`);
    for (const n of r.records) ok(n >= 0, `bytes taken: ${n}`);
    equal(r.session.protocolVersion, 0x303, "TLS 1.2");
  });

  harness.it("a wrong name throws 'certificate: auth err' after trace()ing the SDK's words", async () => {
    const r = await handshake("wrong", "localhost");
    ok(r.error && /certificate: auth err/.test(r.error), `error ${r.error}`);
    ok(/subjectAltName match failed for localhost/.test(r.said), `trace ${JSON.stringify(r.said)}`);
  });

  harness.it("an expired certificate traces the SDK's date validation message", async () => {
    const r = await handshake("expired", "localhost");
    ok(r.error && /auth err/.test(r.error), `error ${r.error}`);
    ok(/date validation failed/.test(r.said), `trace ${JSON.stringify(r.said)}`);
  });
});

async function ssl_der(pemText: string): Promise<ArrayBuffer> {
  const body = pemText.split("-----")[2].replace(/\s+/g, "");
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const out: number[] = [];
  let acc = 0, bits = 0;
  for (let i = 0; i < body.length && body[i] !== "="; i++) {
    acc = (acc << 6) | abc.indexOf(body[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 255); }
  }
  return new Uint8Array(out).buffer;
}
