// The article's three programs, compiled (dist/examples), run as child processes against real
// peers: curl and CPython's article client against our web server, our http-get against
// CPython's http.server, our UDP echo server and client against CPython's. Node lane only.
// Needs python3, curl and nc (netcat-openbsd) on PATH; .ci/run installs them.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const children = new Set<ChildProcess>();

function requireTool(tool: string, pkg: string): void {
  const r = spawnSync("sh", ["-c", `command -v ${tool}`]);
  if (r.status !== 0) throw new Error(`${tool} is not installed: these tests need it (Debian package ${pkg}; .ci/run installs it)`);
}

interface Started {
  child: ChildProcess;
  match: RegExpExecArray;
  output(): string;
}

/** Start a long-running program and wait (bounded) until its stdout matches `ready`. */
function start(cmd: string, args: string[], ready: RegExp, timeoutMs = 5000, cwd?: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    let done = false;
    const finish = (err?: Error, match?: RegExpExecArray) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) { child.kill("SIGKILL"); reject(err); } else resolve({ child, match: match!, output: () => out });
    };
    const timer = setTimeout(() => finish(new Error(`${cmd} ${args.join(" ")} not ready after ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
    const look = (b: Buffer) => {
      out += b.toString();
      const m = ready.exec(out);
      if (m) finish(undefined, m);
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.on("error", (e) => finish(e));
    child.on("exit", (code, signal) => finish(new Error(`${cmd} exited (${code ?? signal}) before it was ready; output:\n${out}`)));
  });
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program to completion; killed (and rejected) if it takes longer than timeoutMs. */
function run(cmd: string, args: string[], input?: string | Buffer, timeoutMs = 10000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    children.add(child);
    let stdout = "", stderr = "";
    child.stdout!.on("data", (b) => (stdout += b));
    child.stderr!.on("data", (b) => (stderr += b));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} ${args.join(" ")} still running after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("close", (code) => { clearTimeout(timer); children.delete(child); resolve({ code, stdout, stderr }); });
    child.stdin!.end(input ?? "");
  });
}

function example(name: string): string {
  return join(EXAMPLES, `${name}.js`);
}

/** One HTTP/1.0 request over node:net: the whole response, bounded in time. */
function fetchRaw(port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no complete response within ${timeoutMs} ms`)); }, timeoutMs);
    s.on("connect", () => s.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"));
    s.on("data", (b) => chunks.push(b));
    s.on("error", (e) => { clearTimeout(timer); reject(e); });
    s.on("end", () => { clearTimeout(timer); s.destroy(); resolve(Buffer.concat(chunks).toString()); });
  });
}

function assertPage(response: string): void {
  assert.match(response, /^HTTP\/1\.0 200 OK\r\n/, `status line: ${JSON.stringify(response.slice(0, 80))}`);
  assert.match(response, /Content-type: text\/html\r\n\r\n<!DOCTYPE html>/);
  assert.match(response, /<tr><td>Pin\(15\)<\/td><td>0<\/td><\/tr>/);
  assert.match(response, /<\/html>\n$/);
}

const PY_HTTP_GET = `
import socket, sys
def http_get(url):
    _, _, host, path = url.split('/', 3)
    name, port = host.split(':')
    addr = socket.getaddrinfo(name, int(port))[0][-1]
    s = socket.socket()
    s.connect(addr)
    s.send(bytes('GET /%s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' % (path, host), 'utf8'))
    while True:
        data = s.recv(200)
        if data:
            sys.stdout.write(str(data, 'utf8'))
        else:
            break
    s.close()
http_get(sys.argv[1])
`;

const PY_RESET = `
import socket, struct, sys, time
port, payload = int(sys.argv[1]), sys.argv[2].encode()
s = socket.create_connection(('127.0.0.1', port))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
if payload:
    s.send(payload)
    time.sleep(0.05)
s.close()
print('reset sent')
`;

const PY_UDP_CLIENT = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for i in range(3):
    msg = ('ping %d' % i).encode()
    s.sendto(msg, ('127.0.0.1', int(sys.argv[1])))
    data, addr = s.recvfrom(1024)
    assert data == msg, (data, msg)
    print('echo', data.decode(), addr[1])
`;

const PY_UDP_ECHO_SERVER = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
print('port', s.getsockname()[1], flush=True)
while True:
    data, addr = s.recvfrom(2048)
    s.sendto(data.upper(), addr)
`;

describe("examples (node lane)", function () {
  this.timeout(30000);

  before(function () {
    requireTool("python3", "python3");
    requireTool("curl", "curl");
    requireTool("nc", "netcat-openbsd");
  });

  after(function () {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    children.clear();
  });

  describe("web-server", function () {
    let server: Started;
    let port: number;

    before(async function () {
      server = await start(process.execPath, [example("web-server"), "0", "127.0.0.1", "-q"], /listening on \('127\.0\.0\.1', (\d+)\)/);
      port = Number(server.match[1]);
    });
    after(function () {
      server?.child.kill("SIGKILL");
    });
    afterEach(function () {
      assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
    });

    it("serves the page to curl", async function () {
      const r = await run("curl", ["-s", "-i", "--max-time", "5", `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stderr);
      assertPage(r.stdout);
    });

    it("serves the page to CPython's client from the article (getaddrinfo(...)[0][-1], recv(200) loop)", async function () {
      const r = await run("python3", ["-c", PY_HTTP_GET, `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stderr);
      assertPage(r.stdout);
    });

    it("serves our own http-get example", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assertPage(r.stdout);
    });

    it("survives a client that connects and closes without sending", async function () {
      const r = await run("python3", ["-c", `import socket; socket.create_connection(('127.0.0.1', ${port})).close()`]);
      assert.equal(r.code, 0, r.stderr);
      assertPage(await fetchRaw(port));
    });

    it("survives clients that reset the connection (SO_LINGER 0), before and after a request", async function () {
      for (const payload of ["", "GET / HTTP/1.0\r\n", "GET / HTTP/1.0\r\n\r\n"]) {
        const r = await run("python3", ["-c", PY_RESET, String(port), payload]);
        assert.equal(r.code, 0, r.stderr);
      }
      const c = await run("curl", ["-s", "-i", "--max-time", "5", `http://127.0.0.1:${port}/`]);
      assert.equal(c.code, 0, c.stderr);
      assertPage(c.stdout);
    });

    it("survives garbage (binary, no newline) sent through nc", async function () {
      const garbage = Buffer.from([0, 255, 13, 1, 2, 3, 200, 10, 0xc3, 0x28, 7]);
      const r = await run("nc", ["-N", "-w", "5", "127.0.0.1", String(port)], garbage);
      assert.equal(r.code, 0, r.stderr);
      const c = await run("curl", ["-s", "-i", "--max-time", "5", `http://127.0.0.1:${port}/`]);
      assert.equal(c.code, 0, c.stderr);
      assertPage(c.stdout);
    });

    it("reads a 50 MB header line in pieces (readline(1024)): the server's memory stays small", async function () {
      const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))![1]) * 1024;
      const before = peak();
      const response = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const s = net.connect({ host: "127.0.0.1", port });
        const timer = setTimeout(() => { s.destroy(); reject(new Error("no response within 20 s")); }, 20000);
        s.on("connect", () => {
          s.write("GET / HTTP/1.0\r\nX-Long: ");
          s.write(Buffer.alloc(50 * 1024 * 1024, "a"));
          s.write("\r\n\r\n");
        });
        s.on("data", (b) => chunks.push(b));
        s.on("error", (e) => { clearTimeout(timer); reject(e); });
        s.on("end", () => { clearTimeout(timer); s.destroy(); resolve(Buffer.concat(chunks).toString()); });
      });
      assertPage(response);
      const grew = peak() - before;
      assert.ok(grew < 16 * 1024 * 1024, `the server's peak memory grew by ${(grew / 1048576).toFixed(1)} MiB`);
    });

    it("answers 200 sequential requests, a new connection each", async function () {
      for (let i = 0; i < 200; i++) {
        const response = await fetchRaw(port);
        try {
          assertPage(response);
        } catch (e) {
          throw new Error(`request ${i}: ${(e as Error).message}`);
        }
      }
    });
  });

  describe("http-get", function () {
    let dir: string;
    let pyServer: Started;
    // ASCII: http-get decodes each recv(100) on its own, as the article does, so a multi-byte
    // character split across two recv()s would print as U+FFFD.
    const body = "hello from CPython's http.server\n".repeat(20);

    before(async function () {
      dir = mkdtempSync(join(tmpdir(), "usocket-xs-http-"));
      writeFileSync(join(dir, "known.txt"), body);
      pyServer = await start("python3", ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, "0"],
        /Serving HTTP on \S+ port (\d+)/);
    });
    after(function () {
      pyServer?.child.kill("SIGKILL");
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("prints the page a CPython http.server serves", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://127.0.0.1:${pyServer.match[1]}/known.txt`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.0 200 OK\r\n/);
      assert.ok(r.stdout.endsWith(`\r\n\r\n${body}`), `body missing from:\n${r.stdout}`);
    });

    it("prints the 404 page for a missing path, and exits 0", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://localhost:${pyServer.match[1]}/missing`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^HTTP\/1\.0 404/);
    });

    it("fails with ECONNREFUSED and a non-zero status when nothing listens", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://127.0.0.1:${await closedPort()}/`]);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, /ECONNREFUSED/);
    });
  });

  describe("udp-echo", function () {
    it("server: echoes a CPython UDP client's datagrams", async function () {
      const server = await start(process.execPath, [example("udp-echo"), "server", "0", "127.0.0.1"], /listening on \('127\.0\.0\.1', (\d+)\)/);
      try {
        const r = await run("python3", ["-c", PY_UDP_CLIENT, server.match[1]]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `echo ping 0 ${server.match[1]}\necho ping 1 ${server.match[1]}\necho ping 2 ${server.match[1]}\n`);
      } finally {
        server.child.kill("SIGKILL");
      }
    });

    it("client: talks to a CPython UDP echo server", async function () {
      const py = await start("python3", ["-c", PY_UDP_ECHO_SERVER], /port (\d+)/);
      try {
        const port = py.match[1];
        const r = await run(process.execPath, [example("udp-echo"), "client", "127.0.0.1", port, "hello", "3"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(r.stdout, [0, 1, 2].map((i) => `reply from ('127.0.0.1', ${port}) HELLO ${i}\n`).join(""));
      } finally {
        py.child.kill("SIGKILL");
      }
    });
  });
});

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
