// The relay's HTTP request reader (examples/lib/http-request.ts) on our sockets, fed exact bytes by
// a CPython client: well-formed requests (whole, one byte per packet, with pauses), and every way
// it refuses one, with the status the server answers.
import { harness } from "test-harness";
import { fixture } from "./fixture";
import { RAW_HTTP_CLIENT } from "../peers/http";
import { esc, response } from "./http-client";
import { readHead, readBody, HttpError, type Limits, type Request } from "../../examples/lib/http-request";
import { respond, textResponse } from "../../examples/lib/http-response";
import { OSError, EPIPE } from "usocket-xs/errno";
import { equal, ok, fail, bytesEqual, between } from "./assert";

interface Outcome { req?: Request | null; body?: Uint8Array; error?: HttpError; answer: string; ms: number }

harness.describe("http request reader", () => {
  const f = fixture();

  /** One connection: the client's actions, our readHead (and readBody), our answer, its view of it. */
  async function exchange(actions: string[], lim: Limits = {}, withBody = false): Promise<Outcome> {
    const { listener, port } = f.listener();
    const peer = f.python(RAW_HTTP_CLIENT, [port, ...actions]);
    const [cl] = await listener.accept();
    f.adopt(cl);
    const t0 = Date.now();
    const out: Partial<Outcome> = {};
    try {
      out.req = await readHead(cl, lim, t0);
      if (out.req && withBody) out.body = await readBody(cl, out.req, lim, t0);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      out.error = e;
    }
    out.ms = Date.now() - t0;
    cl.settimeout(5);
    try {
      await respond(cl, out.error ? textResponse(out.error.status, out.error.message) : { status: 200, body: "ok" });
    } catch (e) {
      // Moddable cannot send after the peer's half-close (README, "Limits of Moddable's socket APIs").
      if (!(e instanceof OSError && e.errno === EPIPE && actions.indexOf("shutwr") >= 0 && harness.lane !== "node")) throw e;
    }
    cl.close();
    out.answer = await response(peer);
    return out as Outcome;
  }

  /** The reader refuses with `status`, and the client gets it (unless it was still sending when we closed: reset). */
  async function refused(actions: string[], status: number, lim: Limits = {}, withBody = false, mayReset = false): Promise<Outcome> {
    const o = await exchange(actions, lim, withBody);
    if (!o.error) fail(`expected ${status}, but the request was taken: ${o.req ? `${o.req.method} ${o.req.target}` : "null"}`);
    equal(o.error.status, status, `status (${o.error.message})`);
    const halfClosed = actions.indexOf("shutwr") >= 0 && harness.lane !== "node";
    if (!((mayReset || halfClosed) && o.answer === "")) ok(o.answer.startsWith(`HTTP/1.1 ${status} `), `the client got ${JSON.stringify(o.answer.slice(0, 60))}`);
    ok(o.error.message.length > 0, "a message says what was wrong");
    return o;
  }

  const send = (text: string) => `send:${esc(text)}`;

  harness.it("reads a browser-like GET: method, target, path, query, version, fields by lower-case name", async () => {
    const o = await exchange([send(
      "GET /state?x=1&y=2 HTTP/1.1\r\nHost: 192.168.4.1\r\nUser-Agent:  Mozilla/5.0 (Linux)  \r\n" +
      "Accept: text/html\r\nACCEPT: */*\r\nAuthorization: Basic cmVsYXk6czNjcmV0\r\n\r\n")]);
    ok(o.req, "a request");
    equal(o.req.method, "GET");
    equal(o.req.target, "/state?x=1&y=2");
    equal(o.req.path, "/state");
    equal(o.req.query, "x=1&y=2");
    equal(o.req.version, "HTTP/1.1");
    equal(o.req.headers.get("host"), "192.168.4.1");
    equal(o.req.headers.get("user-agent"), "Mozilla/5.0 (Linux)", "surrounding whitespace trimmed");
    equal(o.req.headers.get("accept"), "text/html, */*", "a repeated field joined");
    equal(o.req.contentLength, 0);
    ok(o.answer.startsWith("HTTP/1.1 200 OK\r\n"), o.answer);
  });

  harness.it("HTTP/1.0 needs no Host; bare LF line endings and empty lines before the request line are accepted", async () => {
    const o = await exchange([send("\r\n\nGET / HTTP/1.0\nAccept: */*\n\n")]);
    ok(o.req, "a request");
    equal(o.req.version, "HTTP/1.0");
    equal(o.req.headers.get("accept"), "*/*");
  });

  harness.it("an absolute-form target gives its path", async () => {
    const o = await exchange([send("GET http://192.168.4.1:80/state?q HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\n")]);
    ok(o.req, "a request");
    equal(o.req.path, "/state");
  });

  harness.it("a request sent one byte per packet, body included, reads the same", async () => {
    const o = await exchange([`bytes:${esc("POST /relay HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\nrelay=on")}`], {}, true);
    ok(o.req, "a request");
    equal(o.req.method, "POST");
    equal(o.req.contentLength, 8);
    ok(o.body, "a body");
    bytesEqual(o.body, "relay=on");
  });

  harness.it("a body arriving in pieces with pauses is read to exactly Content-Length bytes", async () => {
    const o = await exchange([
      send("POST /relay HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n"),
      "sleep:0.2", send('{"relay"'), "sleep:0.2", send(':"on"}EXTRA'),
    ], {}, true);
    ok(o.body, "a body");
    bytesEqual(o.body, '{"relay":"on"}');
  });

  harness.it("a client that closes without sending anything gives null (nothing to answer)", async () => {
    const { listener, port } = f.listener();
    const peer = f.python(RAW_HTTP_CLIENT, [port, "shutwr"]);
    const [cl] = await listener.accept();
    f.adopt(cl);
    equal(await readHead(cl, {}), null);
    cl.close();
    equal(await response(peer), "");
  });

  harness.it("Expect: 100-continue is answered with 100 Continue before the body is read", async () => {
    const { listener, port } = f.listener();
    const peer = f.python(RAW_HTTP_CLIENT, [port,
      send("POST /relay HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 8\r\n\r\n"),
      "expect100", send("relay=on")]);
    const [cl] = await listener.accept();
    f.adopt(cl);
    const req = await readHead(cl, {});
    ok(req, "a request");
    bytesEqual(await readBody(cl, req, {}), "relay=on");
    const interim = await peer.line();
    equal(interim, `INTERIM ${JSON.stringify("HTTP/1.1 100 Continue\r\n\r\n")}`);
    cl.close();
  });

  const malformed: [string, string, number][] = [
    ["binary garbage", "\x00\xff\x16\x03\x01\x02\x00\x01\r\n\r\n", 400],
    ["a TLS ClientHello", "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\n\n", 400],
    ["an HTTP/0.9 request line", "GET /\r\n\r\n", 400],
    ["two spaces in the request line", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["a lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400],
    ["a bad method token", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["a non-ASCII target", "GET /\xe9t\xe9 HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["a target that is not a path", "GET relay HTTP/1.1\r\nHost: h\r\n\r\n", 400],
    ["HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400],
    ["two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["a bare CR", "GET / HTTP/1.1\r\nHost: h\rX-A: b\r\n\r\n", 400],
    ["a NUL in a field value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x00b\r\n\r\n", 400],
    ["whitespace before the colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400],
    ["obsolete line folding", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n  b\r\n\r\n", 400],
    ["a field line without a colon", "GET / HTTP/1.1\r\nHost: h\r\nnonsense\r\n\r\n", 400],
    ["a Content-Length that is not a number", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12abc\r\n\r\n", 400],
    ["a negative Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400],
    ["two Content-Length fields", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", 400],
    ["HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505],
    ["a chunked upload", "POST /relay HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\non\r\n0\r\n\r\n", 501],
  ];
  for (const [what, text, status] of malformed) {
    harness.it(`${what} → ${status}`, async () => {
      await refused([send(text)], status);
    });
  }

  harness.it("a request line longer than maxHead → 414", async () => {
    await refused([send(`GET /${"a".repeat(600)} HTTP/1.1\r\nHost: h\r\n\r\n`)], 414, { maxHead: 512 });
  });

  harness.it("header fields beyond maxHead → 431, without reading on to their end", async () => {
    const o = await refused([send(`GET / HTTP/1.1\r\nHost: h\r\nCookie: ${"c".repeat(3000)}\r\n\r\n`)], 431, { maxHead: 1024 });
    ok(/1024/.test(o.error!.message), o.error!.message);
  });

  harness.it("the default limit takes 4 KiB of head and refuses 5 KiB with 431", async () => {
    const o = await exchange([send(`GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ${"p".repeat(3900)}\r\n\r\n`)]);
    ok(o.req, "4 KiB of head is taken");
    await refused([send(`GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ${"p".repeat(5000)}\r\n\r\n`)], 431);
  });

  harness.it("more than maxFields header fields → 431", async () => {
    let fields = "";
    for (let i = 0; i < 12; i++) fields += `X-${i}: ${i}\r\n`;
    await refused([send(`GET / HTTP/1.1\r\nHost: h\r\n${fields}\r\n`)], 431, { maxFields: 10 });
  });

  harness.it("a Content-Length above maxBody → 413, the body left unread", async () => {
    const o = await refused([send("POST /relay HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n"), send("x".repeat(1000))], 413, { maxBody: 256 }, true);
    ok(/100000/.test(o.error!.message) && /256/.test(o.error!.message), o.error!.message);
  });

  harness.it("a body cut short by the client's EOF → 400", async () => {
    await refused([send("POST /relay HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nrel"), "shutwr"], 400, {}, true);
  });

  harness.it("a head cut short by the client's EOF → 400", async () => {
    await refused([send("GET / HTTP/1.1\r\nHost: h\r\n"), "shutwr"], 400);
  });

  harness.it("a client that stops in the middle of the head → 408 once the request's time is up", async () => {
    const o = await refused([send("GET / HTTP/1.1\r\nHost: h\r\n"), "sleep:3"], 408, { timeout: 1 });
    between(o.ms, 900, 6000, "ms until the 408");
  }, 15000);

  harness.it("a client that connects and says nothing → 408", async () => {
    await refused(["sleep:3"], 408, { timeout: 1 });
  }, 15000);

  harness.it("a client trickling a byte at a time cannot stretch the deadline (one deadline for the whole request)", async () => {
    const trickle: string[] = [];
    for (const ch of "GET / HTTP/1.1\r\nHost: h\r\n\r\n") trickle.push(send(ch), "sleep:0.3");
    // It is still sending when the 408 goes out and we close: its kernel may drop our answer for the reset.
    const o = await refused(trickle, 408, { timeout: 1.5 }, false, true);
    between(o.ms, 1400, 6000, "ms until the 408");
  }, 20000);

  harness.it("a body that stalls → 408", async () => {
    await refused([send("POST /relay HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\nrel"), "sleep:3"], 408, { timeout: 1 }, true);
  }, 15000);
});
