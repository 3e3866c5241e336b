// The XS lane's parent (Node, its own process: @endo/init locks this process down, as xsnap's
// Node API requires). Runs the bundle in xsnap-worker (Moddable's XS engine) and carries out every
// operation of the stand-ins with real sockets on 127.0.0.1, plus timers, peers (test/lib/peers.mjs)
// and reporting.
// Usage: node test/xs/parent.mjs BUNDLE   (exit 0 only if every test passed and there was one)
import "@endo/init/debug.js";
import { spawn } from "node:child_process";
import os from "node:os";
import net from "node:net";
import dgram from "node:dgram";
import dns from "node:dns";
import fs from "node:fs";
import { xsnap } from "@agoric/xsnap";
import { createPeers } from "../lib/peers.mjs";
import { handleTls } from "./tls-parent.mjs";

const bundlePath = process.argv[2];
const TIMEOUT_MS = Number(process.env.XS_TIMEOUT_MS ?? 900000);
const enc = new TextEncoder(), dec = new TextDecoder();

let finish;
const done = new Promise((resolve, reject) => { finish = { resolve, reject }; });
let worker;
let passed = 0, failed = 0, known = 0, helloSeen = false;
const platform = process.env.XS_PLATFORM === "lin" ? "lin" : "esp32";
const limitationsFile = JSON.parse(fs.readFileSync(new URL("./limitations.json", import.meta.url), "utf8"));
const limitations = { ...limitationsFile.all, ...(limitationsFile[platform] ?? {}) };
const failures = [];

// ---- parent → worker: events, never awaited inside handleCommand (xsnap would deadlock) ----
let chain = Promise.resolve();
function deliver(ev) {
  if (!worker) return;
  const p = worker.issueCommand(enc.encode(JSON.stringify(ev)));
  chain = chain.then(() => p).catch((e) => finish.reject(e));
}

// ---- TCP ----
const tcp = new Map(); // id → state
const servers = new Map();
let nextAccepted = 1_000_000;
const FLOW = {
  esp32: { chunk: 1460, window: 4 * 1460 }, // lwIP pbufs; the window stays closed until they are read
  lin: { chunk: 1024, window: 1024 }, // one recv() of 1 KB per readable message
};
const HIGH_WATER = 256 * 1024;

function track(id, sock) {
  const st = { id, sock, platform: "esp32", queue: [], queued: 0, inflight: 0, ended: false, error: undefined, endSent: false, adopted: false, closed: false };
  tcp.set(id, st);
  sock.on("data", (b) => {
    st.queue.push(b);
    st.queued += b.length;
    if (st.queued > HIGH_WATER) sock.pause();
    pump(st);
  });
  sock.on("end", () => { st.ended = true; pump(st); });
  sock.on("error", (e) => { st.error = e.code ?? "EIO"; pump(st); });
  sock.on("close", () => { if (!st.ended && !st.error) st.ended = true; pump(st); });
  return st;
}

function pump(st) {
  if (st.closed || !st.adopted) return;
  const { chunk, window } = FLOW[st.platform];
  while (st.queued > 0 && st.inflight < window) {
    let n = Math.min(chunk, window - st.inflight, st.queued);
    const parts = [];
    let got = 0;
    while (got < n) {
      const head = st.queue[0];
      const k = Math.min(head.length, n - got);
      parts.push(head.subarray(0, k));
      if (k === head.length) st.queue.shift(); else st.queue[0] = head.subarray(k);
      got += k;
    }
    st.queued -= n;
    st.inflight += n;
    deliver({ ev: "tcp", id: st.id, type: "data", b64: Buffer.concat(parts).toString("base64") });
  }
  if (st.queued < HIGH_WATER / 2 && st.sock.isPaused()) st.sock.resume();
  if (st.queued === 0 && !st.endSent && (st.error || st.ended)) {
    st.endSent = true;
    if (st.error) deliver({ ev: "tcp", id: st.id, type: "error", code: st.error });
    else deliver({ ev: "tcp", id: st.id, type: "end" });
  }
}

function closeTcp(st) {
  if (st.closed) return;
  st.closed = true;
  tcp.delete(st.id);
  st.sock.destroySoon();
  st.sock.resume();
}

// ---- UDP ----
const udp = new Map();

// ---- timers, peers ----
const timers = new Map();
const peers = createPeers((ev) => deliver({ ev: "peer", ...ev }));

function bytes(b64) { return Buffer.from(b64, "base64"); }

async function handle(msg) {
  switch (msg.op) {
    case "hello": helloSeen = true; return {};
    case "fatal": finish.reject(new Error(msg.message)); return {};
    case "uncaught":
      failed++;
      failures.push("uncaught exception in a callback");
      console.log(`not ok - uncaught exception in a callback (inside XS)\n  ${msg.text.replace(/\n/g, "\n  ")}`);
      return {};
    case "result":
      if (Object.hasOwn(limitations, msg.name)) {
        if (msg.ok) {
          failed++;
          failures.push(msg.name);
          console.log(`not ok - ${msg.name}\n  listed as a known limitation in test/xs/limitations.json but passed: remove it there`);
        } else {
          known++;
          console.log(`ok - ${msg.name} # known limitation: ${limitations[msg.name]}`);
        }
        return {};
      }
      if (msg.ok) { passed++; console.log(`ok - ${msg.name} (${msg.ms} ms)`); }
      else { failed++; failures.push(msg.name); console.log(`not ok - ${msg.name}\n  ${String(msg.error).replace(/\n/g, "\n  ")}`); }
      return {};
    case "done": finish.resolve(msg); return {};
    case "log": console.log(msg.text); return {};
    case "post": setImmediate(() => deliver({ ev: "posted" })); return {};
    case "sleep": await new Promise((r) => setTimeout(r, msg.ms)); return {};

    case "timer.set": {
      const fire = () => deliver({ ev: "timer", id: msg.id });
      clearTimeout(timers.get(msg.id));
      timers.set(msg.id, msg.repeat
        ? setTimeout(function again() { fire(); timers.set(msg.id, setTimeout(again, msg.repeat)); }, msg.ms)
        : setTimeout(() => { timers.delete(msg.id); fire(); }, msg.ms));
      return {};
    }
    case "timer.clear": clearTimeout(timers.get(msg.id)); timers.delete(msg.id); return {};

    case "resolve":
      if (msg.lin && msg.host.toLowerCase() === "localhost") setImmediate(() => deliver({ ev: "resolved", id: msg.id }));
      else dns.lookup(msg.host, { family: 4 }, (err, address) => deliver({ ev: "resolved", id: msg.id, address: err ? undefined : address }));
      return {};

    case "tcp.connect": {
      const sock = net.connect({ host: msg.host, port: msg.port, allowHalfOpen: true });
      const st = track(msg.id, sock);
      st.platform = msg.platform;
      st.adopted = true;
      sock.once("connect", () => deliver({ ev: "tcp", id: msg.id, type: "connect" }));
      return {};
    }
    case "tcp.listen": {
      const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
      try {
        await new Promise((resolve, reject) => {
          server.once("error", reject);
          server.listen({ port: msg.port, host: msg.address, backlog: 128 }, resolve);
        });
      } catch (e) {
        return { error: e.message, code: e.code };
      }
      server.on("connection", (sock) => {
        const cid = nextAccepted++;
        track(cid, sock);
        deliver({ ev: "listener", id: msg.id, cid });
      });
      servers.set(msg.id, server);
      return { port: server.address().port };
    }
    case "tcp.adopt": {
      const st = tcp.get(msg.id);
      if (!st) return { error: "gone" };
      st.platform = msg.platform;
      st.adopted = true;
      st.sock.resume();
      pump(st);
      return { remote: st.sock.remoteAddress, remotePort: st.sock.remotePort };
    }
    case "tcp.reject": { const st = tcp.get(msg.id); if (st) { closeTcp(st); st.sock.destroy(); } return {}; }
    case "tcp.unlisten": servers.get(msg.id)?.close(); servers.delete(msg.id); return {};
    case "tcp.consumed": {
      const st = tcp.get(msg.id);
      if (st) { st.inflight -= msg.n; pump(st); }
      return {};
    }
    case "tcp.write": {
      const st = tcp.get(msg.id);
      if (!st || st.error || st.sock.destroyed || !st.sock.writable) return { error: "write failed" };
      const b = bytes(msg.b64);
      st.sock.write(b, (err) => { if (!err && tcp.get(msg.id) === st) deliver({ ev: "tcp", id: msg.id, type: "sent", n: b.length }); });
      return { queued: st.sock.writableLength };
    }
    case "tcp.close": { const st = tcp.get(msg.id); if (st) closeTcp(st); return {}; }

    case "udp.open": {
      const sock = dgram.createSocket({ type: "udp4" });
      sock.on("error", () => {});
      if (msg.port) {
        try {
          await new Promise((resolve, reject) => {
            sock.once("error", reject);
            sock.bind({ port: msg.port, address: "0.0.0.0", exclusive: true }, resolve);
          });
        } catch (e) {
          sock.close();
          return { error: e.message, code: e.code };
        }
      }
      sock.on("message", (m, r) => deliver({ ev: "udp", id: msg.id, b64: m.toString("base64"), address: r.address, port: r.port }));
      udp.set(msg.id, sock);
      return {};
    }
    case "udp.send": {
      const sock = udp.get(msg.id);
      if (!sock) return { error: "closed" };
      try {
        await new Promise((resolve, reject) => sock.send(bytes(msg.b64), msg.port, msg.address, (err) => (err ? reject(err) : resolve())));
      } catch (e) {
        return { error: e.message, code: e.code };
      }
      return {};
    }
    case "udp.close": { const sock = udp.get(msg.id); udp.delete(msg.id); try { sock?.close(); } catch { /* closed */ } return {}; }

    default:
      if (peers.handle(msg.op, msg)) return {};
      if (msg.op.startsWith("tls.")) return handleTls(msg);
      return { error: `unknown op ${msg.op}` };
  }
}

async function handleCommand(u8) {
  const msg = JSON.parse(dec.decode(u8));
  let reply;
  try {
    reply = await handle(msg);
  } catch (e) {
    reply = { error: e.message, code: e.code };
  }
  return enc.encode(JSON.stringify(reply));
}

// xsnap reports a Promise rejected with no handler only on the worker's stderr ("Unhandled
// exception …"); the run would still pass. Watch for it: on a device it is a lost error.
let unhandled = 0;
function spawnWatched(...args) {
  const child = spawn(...args);
  child.stderr?.on("data", (d) => {
    process.stderr.write(d);
    unhandled += (String(d).match(/Unhandled exception/g) || []).length;
  });
  return child;
}

worker = await xsnap({
  os: os.type(), spawn: spawnWatched, fs: {}, name: "usocket-xs",
  handleCommand,
  meteringLimit: 0, // unlimited: the default limit kills long runs
  stdout: "inherit", stderr: "pipe",
});

let exitCode = 1;
const guard = setTimeout(() => finish.reject(new Error(`global timeout: no result after ${TIMEOUT_MS} ms (hang)`)), TIMEOUT_MS);
try {
  const version = await new Promise((resolve) => {
    const bin = new URL("../../node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker", import.meta.url).pathname;
    const c = spawn(bin, ["-v"]);
    let out = "";
    c.stdout.on("data", (d) => { out += d; });
    c.on("close", () => resolve(out.trim()));
    c.on("error", () => resolve("?"));
  });
  console.log(`# engine: ${version}; platform stand-ins: ${process.env.XS_PLATFORM || "esp32"}`);
  await worker.evaluate(`${fs.readFileSync(bundlePath, "utf8")}\n//# sourceURL=xs-bundle.js`);
  const summary = await done;
  if (!helloSeen) throw new Error("the worker never confirmed it runs on XS");
  const uncaughtCount = failures.filter((f) => f.startsWith("uncaught")).length;
  if (summary.passed + summary.failed !== passed + failed + known - uncaughtCount) {
    throw new Error(`result counts disagree: worker ${summary.passed}/${summary.failed}, parent ${passed}/${failed}`);
  }
  if (passed + failed === 0) throw new Error("no tests ran");
  await worker.evaluate("void 0"); // one more turn: XS reports unhandled rejections at its end
  await new Promise((r) => setTimeout(r, 200)); // and let its stderr arrive
  if (unhandled) throw new Error(`${unhandled} unhandled exception(s) inside XS (a rejected Promise nobody handled; see stderr)`);
  exitCode = failed === 0 ? 0 : 1;
} catch (e) {
  failed++;
  console.log(`not ok - harness: ${e.message}`);
} finally {
  clearTimeout(guard);
  if (known) console.log(`# ${known} known limitations of the Moddable APIs (listed above, test/xs/limitations.json)`);
  console.log(`${passed} passed, ${failed} failed`);
  for (const t of timers.values()) clearTimeout(t);
  for (const st of tcp.values()) st.sock.destroy();
  for (const s of servers.values()) s.close();
  for (const s of udp.values()) { try { s.close(); } catch { /* closed */ } }
  peers.killAll();
  await Promise.race([worker.close().catch(() => worker.terminate()), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(exitCode);
}
