// The stack smoke (test/sim/stack.mjs): the library's ordinary paths in an app built with
// creation.stack 256, ESP8266's value and the smallest any Moddable target sets (mcconfig's default
// is 384). A JavaScript stack overflow aborts the VM, so reaching "stack smoke: done" is the test.
// Every scenario starts from a Timer callback, as application code does; both ends of each
// connection are ours (no peers), all on 127.0.0.1.
import Timer from "timer";
import * as socket from "usocket-xs/socket";
import { OSError, ETIMEDOUT, ECONNREFUSED, EAGAIN, EBADF, EINVAL, EAI_FAIL } from "usocket-xs/errno";
import { decode, equals } from "usocket-xs/bytes";
import * as network from "usocket-xs/network";
import * as time from "usocket-xs/time";

declare const trace: (text: string) => void;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
}

async function raises(p: Promise<unknown> | (() => unknown), errno: number, what: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    check(e instanceof OSError && e.errno === errno, `${what}: ${String(e)}`);
    return;
  }
  check(false, `${what}: no error`);
}

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) & 0x7f;
  return b;
}

/** A server as in examples/pin-table (getaddrinfo, accept, makefile().readline(), send) and a client (connect, sendall, recv). */
async function tcp(): Promise<void> {
  const s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind((await socket.getaddrinfo("127.0.0.1", 0))[0].at(-1));
  s.listen(1);
  const port = s.getsockname()[1];
  const c = socket.socket();
  const accepting = s.accept();
  await c.connect(["localhost", port]);
  const [cl] = await accepting;
  cl.settimeout(5);
  const data = pattern(16384);
  const sending = c.sendall(data);
  let got = 0;
  while (got < data.length) {
    const b = await cl.recv(4096);
    check(b.length > 0, "recv before the end");
    got += b.length;
  }
  await sending;
  await c.sendall("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
  const f = cl.makefile("rwb", 0);
  let lines = 0;
  for (;;) {
    const line = await f.readline();
    if (!line || line.length === 0 || equals(line, "\r\n")) break;
    lines++;
  }
  check(lines === 2, `request lines: ${lines}`);
  await cl.send("HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n");
  await cl.send(`<html>${"x".repeat(400)}</html>`);
  cl.close();
  const parts: Uint8Array[] = [];
  for (;;) {
    const b = await c.recv(1024);
    if (b.length === 0) break;
    parts.push(b);
  }
  let text = "";
  for (let i = 0; i < parts.length; i++) text += decode(parts[i]);
  check(text.startsWith("HTTP/1.0 200 OK") && text.endsWith("</html>"), "response");
  check(decode(data).length === data.length, "decode");
  c.close();
  s.close();
}

/** The article's station block (the SDK's simulated WiFi joins in about 3 s), then scan() and config(). */
async function wifi(): Promise<void> {
  const station = network.WLAN(network.STA_IF);
  check(!station.isconnected(), "not joined at boot");
  station.active(true);
  station.connect("SSID", "PASSWORD");
  while (station.isconnected() === false) await time.sleep_ms(100);
  const [ip] = station.ifconfig();
  check(ip !== "0.0.0.0" && station.status() === network.STAT_GOT_IP, "joined");
  const found = await station.scan();
  check(found.length > 0 && found[0][1].length === 6, "scan");
  station.config({ reconnects: 2 });
  check(station.config("reconnects") === 2, "config");
  try { network.WLAN(network.AP_IF).config({ ssid: "board", key: "short" }); check(false, "short key"); } catch (e) { check(e instanceof network.ValueError, String(e)); }
  station.disconnect();
  check(station.status() === network.STAT_IDLE, "idle");
  check(time.ticks_diff(time.ticks_add(5, -10), 5) === -10, "ticks");
}

async function udp(): Promise<void> {
  const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.bind(["127.0.0.1", 0]);
  b.bind(["127.0.0.1", 0]);
  const to: [string, number] = ["127.0.0.1", b.getsockname()[1]];
  await a.sendto("hello", to);
  await a.sendto(pattern(1000), ["localhost", to[1]]);
  const [m1, from] = await b.recvfrom(100);
  const [m2] = await b.recvfrom(2000);
  check(equals(m1, "hello") && m2.length === 1000 && from[0] === "127.0.0.1", "datagrams");
  a.close();
  b.close();
}

async function timeouts(): Promise<void> {
  const s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  s.listen(1);
  s.settimeout(0.2);
  await raises(s.accept(), ETIMEDOUT, "accept timeout");
  const c = socket.socket();
  c.settimeout(2);
  await c.connect(["127.0.0.1", s.getsockname()[1]]);
  const [cl] = await s.accept();
  cl.settimeout(0.1);
  await raises(cl.recv(10), ETIMEDOUT, "recv timeout");
  await raises(cl.readline(), ETIMEDOUT, "readline timeout");
  cl.setblocking(false);
  await raises(cl.recv(10), EAGAIN, "non-blocking recv");
  cl.close();
  c.close();
  s.close();
}

async function errors(): Promise<void> {
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  const port = l.getsockname()[1];
  l.close();
  const c = socket.socket();
  await raises(c.connect(["127.0.0.1", port]), ECONNREFUSED, "refused");
  c.close();
  await raises(() => c.send("x"), EBADF, "closed");
  await raises(() => socket.inet_pton(socket.AF_INET, "1.2.3"), EINVAL, "inet_pton");
  await raises(socket.getaddrinfo("localhost", "nosuchservice"), EAI_FAIL, "unknown service");
  const ai = await socket.getaddrinfo("localhost", 80);
  check(ai[0][4][0] === "127.0.0.1" && ai[0][4][1] === 80, "getaddrinfo localhost");
}

const scenarios: [string, () => Promise<void>][] = [["wifi", wifi], ["tcp", tcp], ["udp", udp], ["timeouts", timeouts], ["errors", errors]];
let next = 0;
let failed = 0;

function step(): void {
  const entry = scenarios[next++];
  if (!entry) {
    trace(`stack smoke: done, ${failed} failed\n`);
    return;
  }
  Timer.set(() => {
    entry[1]().then(
      () => { trace(`stack smoke: ${entry[0]} ok\n`); step(); },
      (e: unknown) => { failed++; trace(`stack smoke: ${entry[0]} FAILED: ${String(e)}\n`); step(); },
    );
  }, 1);
}

step();
