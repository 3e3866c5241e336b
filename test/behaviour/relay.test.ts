// The relay app (examples/relay/app.ts) serving real clients on our sockets: curl for the
// endpoints, statuses and authentication variants, a raw CPython client for what curl will not
// send (malformed requests and credentials, split and stalled requests). The relay's GPIO is read
// back after each switch (./relay-pin: the desktop's simulated pin, or on the XS lane the board's
// pin module over the stand-in for embedded:io/digital).
import { harness } from "test-harness";
import { socket, type Socket } from "usocket-xs/socket";
import { fixture } from "./fixture";
import { RAW_HTTP_CLIENT } from "../peers/http";
import { esc, response } from "./http-client";
import { RelayApp, parseRelayBody } from "../../examples/relay/app";
import { HttpError } from "../../examples/lib/http-request";
import type { RelayPin } from "../../examples/lib/relay-pin";
import { openTestPin, levelOf } from "./relay-pin";
import { encode } from "usocket-xs/bytes";
import { equal, ok, fail, throwsWith } from "./assert";

const USER = "relay", PASSWORD = "s3cret";
const RIGHT = "relay:s3cret";
const AUTH = "Basic cmVsYXk6czNjcmV0"; // base64("relay:s3cret")

interface Answer { status: number; head: string; body: string }

/** An HTTP answer split into status, header text (lower-cased names kept as sent) and body. */
function parseAnswer(text: string): Answer {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) fail(`not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`);
  const m = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  if (!m) fail(`bad status line: ${JSON.stringify(text.slice(0, 80))}`);
  return { status: Number(m[1]), head: text.slice(0, end + 2), body: text.slice(end + 4) };
}

function header(a: Answer, name: string): string | undefined {
  const m = new RegExp(`\\r\\n${name}: ([^\\r]*)\\r\\n`, "i").exec(a.head);
  return m ? m[1] : undefined;
}

/** A running app on 127.0.0.1:0 with its own pin; stop() closes the listener and frees the pin. */
interface Running { app: RelayApp; pin: RelayPin; port: number; stop(): Promise<void> }

function start(gpio: number, activeLow = false, extra: { maxClients?: number; timeout?: number } = {}): Running {
  const pin = openTestPin(gpio, activeLow);
  const app = new RelayApp({ user: USER, password: PASSWORD, pin, maxClients: extra.maxClients, limits: { timeout: extra.timeout ?? 10 } });
  const listener: Socket = socket();
  listener.bind(["127.0.0.1", 0]);
  listener.listen(8);
  const served = app.serve(listener);
  return {
    app, pin, port: listener.getsockname()[1],
    async stop() {
      listener.close();
      await served;
      pin.close();
    },
  };
}

harness.describe("relay app", () => {
  const f = fixture();
  let r: Running;
  harness.before(() => { r = start(2); });
  harness.after(async () => { await r.stop(); });

  async function curl(path: string, args: string[] = [], port = r.port): Promise<Answer> {
    const p = f.spawn("curl", ["-s", "-i", "--max-time", "15", ...args, `http://127.0.0.1:${port}${path}`]);
    const exit = await p.exit;
    if (exit.code !== 0) fail(`curl ${args.join(" ")} ${path} exited ${exit.code}: ${exit.stderr}`);
    return parseAnswer(exit.stdout);
  }
  const authed = (args: string[] = []) => ["-u", RIGHT, ...args];

  async function raw(actions: string[], port = r.port): Promise<Answer> {
    return parseAnswer(await response(f.python(RAW_HTTP_CLIENT, [port, ...actions])));
  }
  const get = (path: string, fields: string) => `send:${esc(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${fields}\r\n`)}`;

  async function switchTo(state: "on" | "off"): Promise<void> {
    const a = await curl("/relay", authed(["-d", `relay=${state}`]));
    equal(a.status, 200, a.body);
  }

  harness.it("without credentials every path answers 401 with a Basic challenge, and the relay does not move", async () => {
    await switchTo("off");
    for (const [path, args] of [["/", []], ["/state", []], ["/nothing", []], ["/relay", ["-d", "relay=on"]]] as [string, string[]][]) {
      const a = await curl(path, args);
      equal(a.status, 401, `${path}`);
      equal(header(a, "WWW-Authenticate"), 'Basic realm="relay", charset="UTF-8"', `${path}: WWW-Authenticate`);
    }
    equal(r.app.on, false);
    equal(levelOf(r.pin), 0);
  });

  harness.it("a wrong password or user → 401", async () => {
    equal((await curl("/state", ["-u", "relay:wrong"])).status, 401);
    equal((await curl("/state", ["-u", "admin:s3cret"])).status, 401);
    equal((await curl("/state", ["-u", "relay:s3cret2"])).status, 401);
    equal((await curl("/state", ["-u", "relay:"])).status, 401);
  });

  harness.it("malformed credentials → 401: bad base64, no colon, another scheme, no token", async () => {
    for (const value of ["Basic cmVsYXk6czNjcmV0!", "Basic cmVsYXk6czNjcmV", "Basic %%%%", "Basic cmVsYXlzM2NyZXQ=", "Bearer cmVsYXk6czNjcmV0", "Basic", "cmVsYXk6czNjcmV0"]) {
      const a = await raw([get("/state", `Authorization: ${value}\r\n`)]);
      equal(a.status, 401, value);
      ok(header(a, "WWW-Authenticate"), `${value}: a challenge`);
    }
  });

  harness.it("the right credentials, the scheme in any case → 200", async () => {
    equal((await curl("/state", authed())).status, 200);
    equal((await raw([get("/state", `Authorization: bAsIc ${AUTH.slice(6)}\r\n`)])).status, 200);
  });

  harness.it("GET / is the page: role=status text, real ON and OFF buttons in a form posting to /relay", async () => {
    await switchTo("off");
    const a = await curl("/", authed());
    equal(a.status, 200);
    equal(header(a, "Content-Type"), "text/html; charset=utf-8");
    equal(header(a, "Connection"), "close");
    ok(/<p id="state" role="status">Relay is OFF<\/p>/.test(a.body), "status text");
    ok(/<form method="post" action="\/relay">/.test(a.body), "a form");
    ok(/<button name="relay" value="on"[^>]*>ON<\/button>/.test(a.body), "an ON button");
    ok(/<button name="relay" value="off"[^>]*>OFF<\/button>/.test(a.body), "an OFF button");
    equal(Number(header(a, "Content-Length")), encode(a.body).length, "Content-Length");
  });

  harness.it("POST /relay relay=on (form) switches the pin; GET /state and the page say ON after it", async () => {
    await switchTo("off");
    const a = await curl("/relay", authed(["-d", "relay=on"]));
    equal(a.status, 200);
    equal(header(a, "Content-Type"), "application/json");
    equal(a.body, '{"relay":"on"}');
    equal(levelOf(r.pin), 1, "GPIO level");
    equal((await curl("/state", authed())).body, '{"relay":"on"}');
    ok(/Relay is ON/.test((await curl("/", authed())).body), "the page after a reload");
  });

  harness.it("POST /relay with JSON switches it off", async () => {
    await switchTo("on");
    const a = await curl("/relay", authed(["-H", "Content-Type: application/json", "-d", '{"relay":"off"}']));
    equal(a.status, 200);
    equal(a.body, '{"relay":"off"}');
    equal(levelOf(r.pin), 0, "GPIO level");
  });

  harness.it("a browser's form post (Accept: text/html) is answered 303 to /, so a reload does not post again", async () => {
    const a = await curl("/relay", authed(["-H", "Accept: text/html,application/xhtml+xml", "-d", "relay=on"]));
    equal(a.status, 303);
    equal(header(a, "Location"), "/");
    equal(levelOf(r.pin), 1);
  });

  harness.it("HEAD / and HEAD /state: the fields without the body", async () => {
    const a = await curl("/", authed(["-I"]));
    equal(a.status, 200);
    equal(a.body, "");
    ok(Number(header(a, "Content-Length")) > 500, "the page's length");
  });

  harness.it("404 for other paths", async () => {
    for (const path of ["/index.html", "/favicon.ico", "/relay/on", "/state/"]) equal((await curl(path, authed())).status, 404, path);
  });

  harness.it("405 with Allow for methods a path does not take", async () => {
    const cases: [string, string, string][] = [["/", "POST", "GET, HEAD"], ["/state", "PUT", "GET, HEAD"], ["/relay", "GET", "POST"], ["/relay", "DELETE", "POST"]];
    for (const [path, method, allow] of cases) {
      const a = await curl(path, authed(["-X", method]));
      equal(a.status, 405, `${method} ${path}`);
      equal(header(a, "Allow"), allow, `${method} ${path}: Allow`);
    }
  });

  harness.it("413 for a body above the limit, and the relay does not move", async () => {
    await switchTo("off");
    const a = await curl("/relay", authed(["-d", `relay=on&pad=${"x".repeat(400)}`]));
    equal(a.status, 413);
    ok(/256/.test(a.body), a.body);
    equal(levelOf(r.pin), 0);
  });

  harness.it("413 for a large upload curl announces with Expect: 100-continue (the body is never sent)", async () => {
    const a = await curl("/relay", authed(["-H", "Expect: 100-continue", "--data-binary", "x".repeat(2000)]));
    equal(a.status, 413);
  });

  harness.it("415 for another body type; 400 for a bad value or bad JSON", async () => {
    equal((await curl("/relay", authed(["-H", "Content-Type: text/plain", "-d", "on"]))).status, 415);
    equal((await curl("/relay", authed(["-d", "relay=maybe"]))).status, 400);
    equal((await curl("/relay", authed(["-d", "state=on"]))).status, 400);
    equal((await curl("/relay", authed(["-H", "Content-Type: application/json", "-d", "{relay:on"]))).status, 400);
    equal((await curl("/relay", authed(["-H", "Content-Type: application/json", "-d", '{"relay":true}']))).status, 400);
  });

  harness.it("400 for a malformed request, before any credentials are looked at", async () => {
    equal((await raw([`send:${esc("GET /\x00 HTTP/1.1\r\n\r\n")}`])).status, 400);
    equal((await raw([`send:${esc("GET / HTTP/1.1\r\n\r\n")}`])).status, 400, "HTTP/1.1 without Host");
  });

  harness.it("403 for a POST from another site's page (Origin), even with the browser's cached credentials", async () => {
    await switchTo("off");
    const a = await curl("/relay", authed(["-H", "Origin: http://evil.example", "-d", "relay=on"]));
    equal(a.status, 403);
    equal(levelOf(r.pin), 0);
    const same = await curl("/relay", authed(["-H", `Origin: http://127.0.0.1:${r.port}`, "-d", "relay=on"]));
    equal(same.status, 200, "the relay's own page");
  });

  harness.it("a request split into one-byte packets is served", async () => {
    const body = "relay=off";
    const a = await raw([`bytes:${esc(`POST /relay HTTP/1.0\r\nAuthorization: ${AUTH}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`)}`]);
    equal(a.status, 200);
    equal(a.body, '{"relay":"off"}');
    equal(levelOf(r.pin), 0);
  });

  harness.it("several clients at once: all answered", async () => {
    const clients = [0, 1, 2, 3, 4, 5].map((i) => f.spawn("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "--max-time", "20", "-u", RIGHT,
      ...(i % 2 ? ["-d", `relay=${i % 4 === 1 ? "on" : "off"}`] : []), `http://127.0.0.1:${r.port}${i % 2 ? "/relay" : "/state"}`]));
    for (const c of clients) {
      const e = await c.exit;
      equal(e.stdout.trim(), "200", e.stderr);
    }
  }, 30000);

  harness.it("a stalled client does not hold up the others", async () => {
    const stalled = f.python(RAW_HTTP_CLIENT, [r.port, `send:${esc("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")}`, "mark:stalled", "sleep:20"]);
    equal(await stalled.line(), "MARK stalled");
    const a = await curl("/state", authed());
    equal(a.status, 200, "served while the other client stalls (its 10 s are not up)");
    stalled.kill();
  }, 30000);
});

harness.describe("relay app, details", () => {
  const f = fixture();

  harness.it("an active-low relay: OFF is level 1 from the start, ON is level 0", async () => {
    const r = start(4, true);
    try {
      equal(levelOf(r.pin), 1, "OFF at start");
      const p = f.spawn("curl", ["-s", "--max-time", "10", "-u", RIGHT, "-d", "relay=on", `http://127.0.0.1:${r.port}/relay`]);
      equal((await p.exit).stdout, '{"relay":"on"}');
      equal(levelOf(r.pin), 0, "ON");
    } finally {
      await r.stop();
    }
  });

  harness.it("one client at a time (maxClients 1): a stalled client is cut off at its timeout, then the next is served", async () => {
    const r = start(5, false, { maxClients: 1, timeout: 1 });
    try {
      const stalled = f.python(RAW_HTTP_CLIENT, [r.port, `send:${esc("GET / HTTP/1.1\r\n")}`, "mark:stalled", "sleep:5"]);
      equal(await stalled.line(), "MARK stalled");
      const t0 = Date.now();
      const p = f.spawn("curl", ["-s", "--max-time", "15", "-u", RIGHT, `http://127.0.0.1:${r.port}/state`]);
      equal((await p.exit).stdout, '{"relay":"off"}');
      ok(Date.now() - t0 < 14000, "served once the stalled client's second was up");
      ok(parseAnswer(await response(stalled)).status === 408, "the stalled client was told 408");
    } finally {
      await r.stop();
    }
  }, 30000);

  harness.it("a wrap (a TLS handshake) runs inside the client's task: one that fails or stalls costs only that client", async () => {
    const pin = openTestPin(13, false);
    let calls = 0;
    const app = new RelayApp({
      user: USER, password: PASSWORD, pin, limits: { timeout: 10 },
      wrap: async (cl) => {
        calls++;
        if (calls === 1) throw new Error("handshake failed");
        if (calls === 2) await cl.recv(1); // stalls: the client sends nothing
        return cl;
      },
    });
    const listener = socket();
    listener.bind(["127.0.0.1", 0]);
    listener.listen(8);
    const port = listener.getsockname()[1];
    const served = app.serve(listener);
    try {
      const failed = f.python(RAW_HTTP_CLIENT, [port]);
      equal(await response(failed), "", "the failed one is closed");
      const stalled = f.python(RAW_HTTP_CLIENT, [port, "mark:connected", "sleep:20"]);
      equal(await stalled.line(), "MARK connected");
      const p = f.spawn("curl", ["-s", "--max-time", "10", "-u", RIGHT, `http://127.0.0.1:${port}/state`]);
      equal((await p.exit).stdout, '{"relay":"off"}', "served beside the stalled handshake");
      equal(calls, 3);
    } finally {
      listener.close();
      await served;
      pin.close();
    }
  }, 30000);

  harness.it("starts OFF, and refuses an empty password or a user name with a colon", () => {
    const pin = openTestPin(12, false);
    try {
      const app = new RelayApp({ user: USER, password: PASSWORD, pin });
      equal(app.on, false);
      equal(levelOf(pin), 0);
      throwsWith(() => new RelayApp({ user: USER, password: "", pin }), TypeError, /empty password/);
      throwsWith(() => new RelayApp({ user: "a:b", password: PASSWORD, pin }), TypeError, /":"/);
    } finally {
      pin.close();
    }
  });

  harness.it("parseRelayBody: form and JSON, strictly", () => {
    const b = (s: string) => encode(s);
    equal(parseRelayBody("application/x-www-form-urlencoded", b("relay=on")), true);
    equal(parseRelayBody("application/x-www-form-urlencoded; charset=UTF-8", b("x=1&relay=off")), false);
    equal(parseRelayBody("application/json", b('{"relay":"on"}')), true);
    for (const [type, body, status] of [
      ["application/x-www-form-urlencoded", "relay=on&relay=off", 400],
      ["application/x-www-form-urlencoded", "relay=%zz", 400],
      ["application/json", "[]", 400],
      ["application/json", '{"relay":"ON"}', 400],
      [undefined, "relay=on", 415],
    ] as [string | undefined, string, number][]) {
      const v = parseRelayBody(type, b(body));
      ok(v instanceof HttpError && v.status === status, `${type} ${body}: ${v instanceof HttpError ? v.status : v}`);
    }
  });
});
