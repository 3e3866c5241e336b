// The examples that serve many clients at once, run as child processes (Node lane): 50 clients
// that connect and say nothing must not stop 200 normal requests (from the bench's load
// generator, 50 at a time) being answered, and must still be connected when the last is answered
// (so nobody waited for them to time out). Also curl, and the asyncio-echo demo and client.
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import { generate } from "../../bench/load";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const children = new Set<ChildProcess>();
const sockets = new Set<net.Socket>();

/** Starts an example and resolves with its output so far once it prints "listening on (…, port)". */
function start(name: string, args: string[]): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${EXAMPLES}${name}.js`, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${name} not listening after 10 s: ${out}`)), 10000);
    const look = (b: Buffer) => {
      out += b;
      const m = /listening on \('[^']*', (\d+)\)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, port: Number(m[1]), out: () => out }); }
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${out}`)); });
  });
}

function run(name: string, args: string[], timeoutMs = 15000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${EXAMPLES}${name}.js`, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    child.stdout!.on("data", (b) => (out += b));
    child.stderr!.on("data", (b) => (out += b));
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${name} still running after ${timeoutMs} ms: ${out}`)); }, timeoutMs);
    child.on("close", (code) => { clearTimeout(timer); children.delete(child); resolve({ code, out }); });
  });
}

/** n connections that never send; resolves once all are connected. Each records whether it was closed. */
async function silent(port: number, n: number): Promise<{ closed: () => number }> {
  let closed = 0;
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => resolve());
    sockets.add(s);
    s.on("error", reject);
    s.on("close", () => { closed++; });
    s.resume();
  })));
  return { closed: () => closed };
}

for (const name of ["poll-server", "asyncio-server"]) {
  describe(`examples/${name}`, function () {
    this.timeout(60000);
    afterEach(() => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      for (const c of children) c.kill("SIGKILL");
      children.clear();
    });

    it("50 silent clients do not stop 200 requests (50 at a time) being answered, all before any silent one is dropped", async () => {
      const { port } = await start(name, ["0", "127.0.0.1", "-q"]);
      const quiet = await silent(port, 50);
      const r = await generate({ port, requests: 200, concurrency: 50, timeoutMs: 10000, deadlineMs: 30000 });
      assert.equal(r.errors, 0, `failed requests: ${JSON.stringify(r.kinds)} ${r.first.join("; ")}`);
      assert.equal(r.ok, 200);
      assert.equal(quiet.closed(), 0, "a silent client was dropped before the others were served: they waited for its timeout");
    });

    it("serves curl the article's page", async () => {
      const { port } = await start(name, ["0", "127.0.0.1", "-q"]);
      const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn("curl", ["-s", "-0", "--max-time", "10", `http://127.0.0.1:${port}/`]);
        children.add(c);
        let out = "";
        c.stdout.on("data", (b) => (out += b));
        c.on("close", (code) => resolve({ code, out }));
      });
      assert.equal(r.code, 0);
      assert.match(r.out, /<tr><td>Pin\(15\)<\/td><td>0<\/td><\/tr>/);
    });
  });
}

describe("examples/asyncio-echo", function () {
  this.timeout(30000);
  afterEach(() => { for (const c of children) c.kill("SIGKILL"); children.clear(); });

  it("the demo echoes three lines through its own server and exits 0", async () => {
    const r = await run("asyncio-echo", []);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /echo: hello\necho: from\necho: asyncio\n/);
  });

  it("client mode against server mode", async () => {
    const { port } = await start("asyncio-echo", ["server", "0", "127.0.0.1"]);
    const r = await run("asyncio-echo", ["client", "127.0.0.1", String(port), "one", "two"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /echo: one\necho: two\n/);
  });
});
