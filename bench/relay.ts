// npm run bench:relay: the relay example's request rate against the article's web server (its
// baseline: the same library and host, no parsing, no authentication), measured in the same run.
// Each server runs in its own process (dist/examples/*.js); a raw node:net client here sends
// HTTP/1.0 requests, a new connection each, sequentially (best of ROUNDS rounds of REQUESTS, after
// a warm-up) and then from CONCURRENT clients at once. Every answer is checked; a wrong one exits 1.
import * as net from "node:net";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROUNDS = 3;
const REQUESTS = 1000;
const WARMUP = 300;
const CONCURRENT = 8;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const children: ChildProcess[] = [];
const AUTH = `Basic ${Buffer.from("relay:bench").toString("base64")}`;

function start(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${out}`)), 10000);
    child.stdout!.on("data", (b) => {
      out += b;
      const m = /listening on \('127\.0\.0\.1', (\d+)\)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
  });
}

function request(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: "127.0.0.1", port }, () => s.end(text));
    s.on("data", (b) => chunks.push(b));
    s.on("error", reject);
    s.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
  });
}

async function sequential(port: number, text: string, expect: string, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await request(port, text);
    if (!r.includes(expect)) throw new Error(`unexpected answer: ${JSON.stringify(r.slice(0, 200))}`);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function concurrent(port: number, text: string, expect: string): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, () => sequential(port, text, expect, REQUESTS / CONCURRENT)));
  return REQUESTS / ((performance.now() - t0) / 1000);
}

async function best(port: number, text: string, expect: string): Promise<number> {
  await sequential(port, text, expect, WARMUP);
  let top = 0;
  for (let r = 0; r < ROUNDS; r++) top = Math.max(top, await sequential(port, text, expect, REQUESTS));
  return top;
}

async function main(): Promise<void> {
  const web = await start(here("../examples/web-server.js"), ["0", "127.0.0.1", "-q"]);
  const relay = await start(here("../examples/relay.js"), ["--port", "0", "--host", "127.0.0.1", "-q"], { RELAY_PASSWORD: "bench" });
  const base = await best(web, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", "200 OK");
  console.log(`article web server, GET /: ${base.toFixed(0)} req/s (best of ${ROUNDS} x ${REQUESTS} sequential; the baseline)`);
  const cases: [string, string, string][] = [
    ["relay GET /state", `GET /state HTTP/1.0\r\nAuthorization: ${AUTH}\r\n\r\n`, '{"relay":'],
    ["relay GET / (the page)", `GET / HTTP/1.0\r\nAuthorization: ${AUTH}\r\n\r\n`, "Relay is "],
    ["relay POST /relay", `POST /relay HTTP/1.0\r\nAuthorization: ${AUTH}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\nrelay=on`, '{"relay":"on"}'],
    ["relay 401 (no credentials)", "GET /state HTTP/1.0\r\n\r\n", "401 Unauthorized"],
  ];
  for (const [name, text, expect] of cases) {
    const rate = await best(relay, text, expect);
    console.log(`${name}: ${rate.toFixed(0)} req/s, ${(rate / base).toFixed(2)} of the baseline`);
  }
  const together = await concurrent(relay, cases[0][1], cases[0][2]);
  console.log(`relay GET /state from ${CONCURRENT} clients at once: ${together.toFixed(0)} req/s, ${(together / base).toFixed(2)} of the baseline`);
}

main().then(() => {
  for (const c of children) c.kill();
}, (e) => {
  console.error(`bench:relay failed: ${e.message}`);
  for (const c of children) c.kill();
  process.exitCode = 1;
});
