// The smoke runner's checks of a board over the network, from the desktop. Each returns
// { result: "pass" | "fail" | "skip", detail } and is bounded in time; the traffic of a whole run
// is about 100 KB each way over TCP, 4 KB over UDP and 22 HTTP requests.
import { createHash, randomBytes } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import * as net from "node:net";
import * as dgram from "node:dgram";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const TCP_SIZES = [1, 512, 1460, 4096, 16384, 65536];
export const UDP_SIZES = [1, 64, 512, 1024, 1400, 16];
export const HTTP_CLIENTS = 20;

const sha = (b) => createHash("sha256").update(b).digest("hex").slice(0, 16);
const kb = (n) => (n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} KiB` : `${n} B`);

/** Connect with a bound; resolves a socket or rejects with a message that names the address. */
function connect(host, port, ms) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => { s.destroy(); reject(new Error(`no TCP connection to ${host}:${port} within ${ms / 1000} s`)); }, ms);
    s.once("connect", () => { clearTimeout(t); resolve(s); });
    s.once("error", (e) => { clearTimeout(t); reject(new Error(`TCP connect to ${host}:${port}: ${e.code ?? e.message}`)); });
  });
}

/** Send `data` and read the same number of bytes back. */
async function echoOnce(host, port, data, ms) {
  const s = await connect(host, port, Math.min(ms, 5000));
  return new Promise((resolve, reject) => {
    const parts = [];
    let got = 0;
    const done = (err) => { clearTimeout(t); s.destroy(); if (err) reject(err); else resolve(Buffer.concat(parts)); };
    const t = setTimeout(() => done(new Error(`${got} of ${data.length} bytes echoed within ${ms / 1000} s`)), ms);
    s.on("data", (b) => { parts.push(b); got += b.length; if (got >= data.length) done(); });
    s.on("error", (e) => done(new Error(`after ${got} of ${data.length} bytes: ${e.code ?? e.message}`)));
    s.on("end", () => { if (got < data.length) done(new Error(`the board closed after echoing ${got} of ${data.length} bytes`)); });
    s.write(data);
  });
}

export async function tcpEcho(host, port) {
  let total = 0;
  for (const size of TCP_SIZES) {
    const sent = randomBytes(size);
    let back;
    try {
      back = await echoOnce(host, port, sent, 15000);
    } catch (e) {
      return { result: "fail", detail: `${kb(size)}: ${e.message}` };
    }
    if (back.length !== sent.length || !back.equals(sent)) {
      let at = 0;
      while (at < Math.min(back.length, sent.length) && back[at] === sent[at]) at++;
      const what = at < back.length && at < sent.length
        ? `byte ${at} sent 0x${sent[at].toString(16).padStart(2, "0")} came back 0x${back[at].toString(16).padStart(2, "0")}`
        : `${back.length} bytes came back for ${sent.length}`;
      return { result: "fail", detail: `${kb(size)}: checksum mismatch (sent sha256 ${sha(sent)}, echoed ${sha(back)}; ${what}): the data was corrupted on the way` };
    }
    total += size;
  }
  return { result: "pass", detail: `${TCP_SIZES.length} sizes up to ${kb(TCP_SIZES.at(-1))}, ${kb(total)} each way, sha256 equal` };
}

export async function udpEcho(host, port) {
  const s = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
  const waiting = new Map();
  s.on("message", (msg) => { const key = msg.subarray(0, 8).toString("hex"); waiting.get(key)?.(msg); });
  s.on("error", () => {});
  try {
    let retries = 0;
    for (const size of UDP_SIZES) {
      const payload = Buffer.concat([randomBytes(8), randomBytes(Math.max(0, size - 8))]).subarray(0, Math.max(size, 8));
      const key = payload.subarray(0, 8).toString("hex");
      let back = null;
      for (let attempt = 0; attempt < 3 && !back; attempt++) {
        if (attempt) retries++;
        back = await new Promise((resolve) => {
          const t = setTimeout(() => { waiting.delete(key); resolve(null); }, 1000);
          waiting.set(key, (msg) => { clearTimeout(t); waiting.delete(key); resolve(msg); });
          s.send(payload, port, host);
        });
      }
      if (!back) return { result: "fail", detail: `a ${payload.length}-byte datagram got no echo in 3 tries (1 s each)` };
      if (!back.equals(payload)) return { result: "fail", detail: `a ${payload.length}-byte datagram came back different (${back.length} bytes, sha256 ${sha(back)} for ${sha(payload)})` };
    }
    return { result: "pass", detail: `${UDP_SIZES.length} datagrams up to ${Math.max(...UDP_SIZES)} B echoed${retries ? `, ${retries} resent` : ""}` };
  } finally {
    s.close();
  }
}

function run(cmd, args, ms) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (b) => { if (out.length < 65536) out += b; });
    child.stderr.on("data", (b) => { if (err.length < 65536) err += b; });
    const t = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("error", (e) => { clearTimeout(t); resolve({ code: -1, out, err: String(e.message) }); });
    child.on("close", (code, signal) => { clearTimeout(t); resolve({ code: code ?? (signal ? 128 : -1), out, err, signal }); });
  });
}

function checkPage(text) {
  if (!/^HTTP\/1\.[01] 200 /.test(text)) return `status line ${JSON.stringify(text.split("\r\n")[0].slice(0, 60))}`;
  if (!/<\/html>\s*$/.test(text)) return `page incomplete (${text.length} bytes, no </html> at the end)`;
  return null;
}

const HTTP_GET = fileURLToPath(new URL("../../../dist/examples/http-get.js", import.meta.url));

/** GET / with the project's own http-get example (the article's client), as a child process. */
export async function httpGetExample(host, port) {
  if (!existsSync(HTTP_GET)) return { result: "fail", detail: `${HTTP_GET} is missing: run npm run build (npm run smoke does)` };
  const url = `http://${host}:${port}/`;
  const r = await run(process.execPath, [HTTP_GET, url], 15000);
  if (r.signal) return { result: "fail", detail: `http-get ${url} did not finish within 15 s` };
  // the article's client prints its station block ("Connection successful", ifconfig) first
  const at = r.out.indexOf("HTTP/1.");
  const page = at >= 0 ? r.out.slice(at) : r.out;
  const bad = r.code !== 0 ? `exit ${r.code}: ${(r.out + r.err).trim().split("\n").at(-1)}` : checkPage(page);
  return bad ? { result: "fail", detail: `http-get ${url}: ${bad}` } : { result: "pass", detail: `http-get ${url}: 200, ${page.length} bytes` };
}

export async function httpCurl(host, port) {
  if (spawnSync("sh", ["-c", "command -v curl"]).status !== 0) return { result: "skip", detail: "curl is not installed" };
  const url = `http://${host}:${port}/`;
  const r = await run("curl", ["-s", "-i", "--max-time", "10", url], 15000);
  const bad = r.code !== 0 ? `curl exit ${r.code} (${r.code === 7 ? "could not connect" : r.code === 28 ? "timed out" : "see man curl"})` : checkPage(r.out);
  return bad ? { result: "fail", detail: `curl ${url}: ${bad}` } : { result: "pass", detail: `curl ${url}: 200, ${r.out.length} bytes` };
}

function getOnce(host, port, ms) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const parts = [];
    const done = (err) => { clearTimeout(t); s.destroy(); resolve(err ?? checkPage(Buffer.concat(parts).toString("latin1"))); };
    const t = setTimeout(() => done(`no complete response within ${ms / 1000} s`), ms);
    s.on("connect", () => s.write(`GET / HTTP/1.0\r\nHost: ${host}\r\n\r\n`));
    s.on("data", (b) => parts.push(b));
    s.on("end", () => done());
    s.on("error", (e) => done(e.code ?? e.message));
  });
}

export async function httpConcurrent(host, port) {
  const results = await Promise.all(Array.from({ length: HTTP_CLIENTS }, () => getOnce(host, port, 20000)));
  const failed = results.filter((r) => r !== null);
  if (failed.length) {
    const kinds = [...new Set(failed)].slice(0, 3).join("; ");
    return { result: "fail", detail: `${failed.length} of ${HTTP_CLIENTS} concurrent GET / failed (${kinds})` };
  }
  return { result: "pass", detail: `${HTTP_CLIENTS} concurrent GET /: all 200 with the whole page` };
}

/**
 * The outbound check: over the control connection, ask the board to resolve `dnsName` ("-": its
 * gateway) and to connect back to a listener on this machine (on the local address the control
 * connection uses, i.e. one the board can reach) and send a token.
 */
export async function outbound(host, port, dnsName) {
  let ctl;
  try {
    ctl = await connect(host, port, 5000);
  } catch (e) {
    return { result: "fail", detail: `control service: ${e.message}` };
  }
  const back = net.createServer();
  try {
    const localAddress = ctl.localAddress.replace(/^::ffff:/, "");
    await new Promise((resolve, reject) => { back.once("error", reject); back.listen(0, localAddress, resolve); });
    const backPort = back.address().port;
    const token = randomBytes(8).toString("hex");
    const arrived = new Promise((resolve) => {
      back.on("connection", (c) => {
        let text = "";
        c.on("data", (b) => { text += b; if (text.includes("\n")) { resolve(text.trim()); c.destroy(); } });
        c.on("error", () => {});
      });
    });
    const reply = new Promise((resolve) => {
      let text = "";
      ctl.on("data", (b) => { text += b; const nl = text.indexOf("\n"); if (nl >= 0) resolve(text.slice(0, nl)); });
      ctl.on("error", (e) => resolve(`error control connection: ${e.code ?? e.message}`));
      ctl.on("end", () => resolve("error the board closed the control connection"));
    });
    ctl.write(`outbound ${token} ${localAddress} ${backPort} ${dnsName}\n`);
    const timeout = (ms, what) => new Promise((r) => setTimeout(() => r(what), ms));
    const answer = await Promise.race([reply, timeout(20000, "error no reply within 20 s")]);
    if (!answer.startsWith("ok ")) {
      return { result: "fail", detail: `${answer.replace(/^error /, "")}${/dns/.test(answer) ? " (pass --dns NAME with a name your network resolves, or --dns - for the gateway)" : ""}` };
    }
    const got = await Promise.race([arrived, timeout(5000, null)]);
    if (got !== token) return { result: "fail", detail: `the board said ${answer} but no token reached ${localAddress}:${backPort} (a firewall on this machine?)` };
    return { result: "pass", detail: answer.slice(3) };
  } catch (e) {
    return { result: "fail", detail: e.message };
  } finally {
    ctl.destroy();
    back.close();
  }
}
