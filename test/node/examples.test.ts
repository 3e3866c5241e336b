// The article's programs, compiled (dist/examples), run as child processes against real peers:
// curl and CPython's article client against our web server (after its station block) and the
// pin-table server, our http-get against CPython's http.server, our UDP echo server and client
// against CPython's; wifi-scan and access-point over simulated access points. Node lane only.
// Needs python3, curl and nc (netcat-openbsd) on PATH; .ci/run installs them.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
/** The examples' source folder (data files such as wifi-scan/access-points.json stay there). */
const SOURCES = fileURLToPath(new URL("../../../examples/", import.meta.url));
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
function start(cmd: string, args: string[], ready: RegExp, timeoutMs = 5000, cwd?: string, env?: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
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
function run(cmd: string, args: string[], input?: string | Buffer, timeoutMs = 10000, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
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

/** The station block's output: "Already connected" (the desktop is joined), then the article's two lines; returns what follows. */
function afterStation(stdout: string): string {
  const m = /^(Already connected\n)?Connection successful\n\('(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)'\)\n/.exec(stdout);
  assert.ok(m, `the station block's output missing from:\n${stdout.slice(0, 400)}`);
  assert.notEqual(m[2], "0.0.0.0", "an address");
  return stdout.slice(m[0].length);
}

/** The article's page, as the article's server sends it. */
function assertArticlePage(response: string): void {
  assert.match(response, /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/html\r\nConnection: close\r\n\r\n<html>/, `head: ${JSON.stringify(response.slice(0, 120))}`);
  assert.match(response, /<title>ESP8266 Server<\/title>/);
  assert.match(response, /<h1>Welcome to ESP8266 Server<\/h1>/);
  assert.match(response, /<\/html>\n$/);
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

  describe("pin-table", function () {
    let server: Started;
    let port: number;

    before(async function () {
      server = await start(process.execPath, [example("pin-table"), "0", "127.0.0.1", "-q"], /listening on \('127\.0\.0\.1', (\d+)\)/);
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
      assertPage(afterStation(r.stdout));
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
      assert.match(afterStation(r.stdout), /^HTTP\/1\.0 200 OK\r\n/);
      assert.ok(r.stdout.endsWith(`\r\n\r\n${body}`), `body missing from:\n${r.stdout}`);
    });

    it("prints the 404 page for a missing path, and exits 0", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://localhost:${pyServer.match[1]}/missing`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(afterStation(r.stdout), /^HTTP\/1\.0 404/);
    });

    it("fails with ECONNREFUSED and a non-zero status when nothing listens", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://127.0.0.1:${await closedPort()}/`]);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, /ECONNREFUSED/);
    });
  });

  describe("web-server (the article's)", function () {
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

    it("begins with the article's station block: Connection successful and station.ifconfig()", function () {
      assert.match(afterStation(server.output()), /^listening on/);
    });

    it("serves the article's page to curl", async function () {
      const r = await run("curl", ["-s", "-i", "--max-time", "5", `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stderr);
      assertArticlePage(r.stdout);
    });

    it("serves the article's page to CPython's article client", async function () {
      const r = await run("python3", ["-c", PY_HTTP_GET, `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stderr);
      assertArticlePage(r.stdout);
    });

    it("serves our http-get, which joins first too", async function () {
      const r = await run(process.execPath, [example("http-get"), `http://127.0.0.1:${port}/`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assertArticlePage(afterStation(r.stdout));
    });

    it("survives clients that reset or send nothing, then answers 50 sequential requests", async function () {
      for (const payload of ["", "GET / HTTP/1.0\r\n"]) {
        const r = await run("python3", ["-c", PY_RESET, String(port), payload]);
        assert.equal(r.code, 0, r.stderr);
      }
      for (let i = 0; i < 50; i++) assertArticlePage(await fetchRaw(port));
    });

    it("takes one recv(1024) of a 50 MB request: the server's memory stays small and the next client is served", async function () {
      const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))![1]) * 1024;
      const before = peak();
      await new Promise<void>((resolve, reject) => {
        const s = net.connect({ host: "127.0.0.1", port });
        const timer = setTimeout(() => { s.destroy(); reject(new Error("the server did not close within 20 s")); }, 20000);
        const done = () => { clearTimeout(timer); s.destroy(); resolve(); };
        s.on("connect", () => {
          s.write("GET / HTTP/1.0\r\nX-Long: ");
          s.write(Buffer.alloc(50 * 1024 * 1024, "a"));
          s.write("\r\n\r\n");
        });
        s.resume();
        // It answers after its one recv() and closes with our bytes unread: a reset (or EPIPE) here.
        s.on("error", done);
        s.on("close", done);
      });
      const grew = peak() - before;
      assert.ok(grew < 16 * 1024 * 1024, `the server's peak memory grew by ${(grew / 1048576).toFixed(1)} MiB`);
      assertArticlePage(await fetchRaw(port));
    });
  });

  describe("station block over simulated access points (USOCKET_XS_WIFI)", function () {
    let dir: string;
    const world = (w: object) => { const f = join(dir, `w${Math.random().toString(36).slice(2)}.json`); writeFileSync(f, JSON.stringify(w)); return f; };
    const env = (file: string, extra: object = {}) => ({ ...process.env, USOCKET_XS_WIFI: file, ...extra });
    const HOME = { ssid: "home", password: "secret123", address: "192.168.50.23", netmask: "255.255.255.0", gateway: "192.168.50.1", dns: "192.168.50.53" };

    before(function () { dir = mkdtempSync(join(tmpdir(), "usocket-xs-wifi-")); });
    after(function () { if (dir) rmSync(dir, { recursive: true, force: true }); });

    it("web-server joins the simulated network and prints its ifconfig() before listening", async function () {
      const server = await start(process.execPath, [example("web-server"), "0", "127.0.0.1", "-q"], /listening on \('127\.0\.0\.1', (\d+)\)/, 5000, undefined,
        env(world({ accessPoints: [{ ...HOME, joinSeconds: 0.3 }] }), { SSID: "home", PASSWORD: "secret123" }));
      try {
        assert.match(server.output(), /^Connection successful\n\('192\.168\.50\.23', '255\.255\.255\.0', '192\.168\.50\.1', '192\.168\.50\.53'\)\nlistening on/);
        assertArticlePage(await fetchRaw(Number(server.match[1])));
      } finally {
        server.child.kill("SIGKILL");
      }
    });

    it("http-get with a wrong password says so and exits 1 (status 202; 2 in an ESP8266 build)", async function () {
      const r = await run(process.execPath, [example("http-get"), "http://127.0.0.1:1/"], undefined, 10000,
        env(world({ accessPoints: [HOME] }), { SSID: "home", PASSWORD: "wrong-one" }));
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stdout, "Connection failed, status 202\n");
      const r8266 = await run(process.execPath, [example("http-get"), "http://127.0.0.1:1/"], undefined, 10000,
        env(world({ chip: "esp8266", accessPoints: [HOME] }), { SSID: "elsewhere", PASSWORD: "x" }));
      assert.equal(r8266.stdout, "Connection failed, status 3\n", "STAT_NO_AP_FOUND is 3 on ESP8266");
    });

    it("wifi-scan lists the simulated access points, strongest first", async function () {
      const r = await run(process.execPath, [example("wifi-scan")], undefined, 10000, env(join(SOURCES, "wifi-scan/access-points.json")));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout.split("\n")[0], "4 access points");
      assert.match(r.stdout, /^"home" aa:bb:cc:00:00:01 channel 6 rssi -52 WPA2-PSK $/m);
      assert.match(r.stdout, /^"" [0-9a-f:]{17} channel 3 rssi -77 WPA2-PSK hidden$/m);
      assert.match(r.stdout, /status 1000\n$/);
    });

    it("access-point starts the AP and reports the station that joins it; without a simulation it says why it cannot", async function () {
      const r = await run(process.execPath, [example("access-point"), "board", "longenough", "10"], undefined, 15000, env(join(SOURCES, "wifi-scan/access-points.json")));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, "access point board on channel 1\n('192.168.4.1', '255.255.255.0', '192.168.4.1', '0.0.0.0')\nstation 3c:71:bf:00:00:2a 192.168.4.2\n");
      const desk = await run(process.execPath, [example("access-point")]);
      assert.equal(desk.code, 1);
      assert.match(desk.stdout, /EOPNOTSUPP: the desktop cannot be an access point/);
      const short = await run(process.execPath, [example("access-point"), "board", "short"], undefined, 10000, env(join(SOURCES, "wifi-scan/access-points.json")));
      assert.match(short.stdout, /access-point failed: AP key must be 8-63 characters/);
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
