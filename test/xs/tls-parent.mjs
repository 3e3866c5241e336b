// The XS lane's TLS, carried out in the Node parent for the "ssl/session" stand-in
// (test/xs/standins/ssl-session.ts): each Session is a node:tls client (TLS 1.2, as the SDK's) over
// a JS stream whose bytes are the records the worker's Session reads from and writes to its
// transport. Every call is synchronous for the worker: the parent feeds what it was given, lets
// Node's TLS run until it has nothing more to say, and answers with what came out.
//   tls.session { id, name, verify, ca: [b64], cert: [b64], key: b64 }  → {}
//   tls.feed    { id, b64 }   one record from the peer → { out, plain, secure?, end?, failure? }
//   tls.write   { id, b64 }   application data        → { out }
//   tls.end     { id }        our close_notify        → { out }
//   tls.drop    { id }
import tls from "node:tls";
import crypto from "node:crypto";
import { Duplex } from "node:stream";

const sessions = new Map();
const pem = (b64) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`;
const ALERTS = {
  close_notify: 0, unexpected_message: 10, bad_record_mac: 20, handshake_failure: 40, bad_certificate: 42,
  unsupported_certificate: 43, certificate_revoked: 44, certificate_expired: 45, certificate_unknown: 46,
  illegal_parameter: 47, unknown_ca: 48, access_denied: 49, decode_error: 50, decrypt_error: 51,
  protocol_version: 70, insufficient_security: 71, internal_error: 80, unrecognized_name: 112, certificate_required: 116,
};

function key(b64) {
  const der = Buffer.from(b64, "base64");
  for (const type of ["pkcs8", "pkcs1", "sec1"]) {
    try { return crypto.createPrivateKey({ key: der, format: "der", type }).export({ format: "pem", type: "pkcs8" }); } catch { /* next */ }
  }
  return undefined;
}

/** What a failure looks like to the SDK's Session: a verify verdict (with the SDK's trace text) or a thrown message. */
function failure(e) {
  const code = String(e.code ?? "");
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return { verify: "altname" };
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return { verify: "date" };
  if (/CERT|SIGNATURE|ISSUER|SELF_SIGNED|LEAF/.test(code) && !code.startsWith("ERR_SSL_")) return { verify: "chain" };
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  if (alert) return { message: `alert: 2, ${ALERTS[alert[1].toLowerCase()] ?? 40}` };
  if (code === "ECONNRESET") return { message: "connection closed" };
  return { message: `handshake: ${e.message.split("\n")[0].replace(/^.*routines:[^:]*:/, "")}` };
}

function start(st) {
  const o = st.options;
  const wire = new Duplex({
    read() {},
    write(chunk, _enc, cb) { st.out.push(chunk); cb(); },
    final(cb) { cb(); },
  });
  st.wire = wire;
  const t = tls.connect({
    socket: wire, servername: o.name && !/^[\d.]+$/.test(o.name) ? o.name : undefined,
    minVersion: "TLSv1.2", maxVersion: "TLSv1.2",
    ca: o.ca.length ? o.ca.map(pem) : undefined,
    cert: o.cert?.length ? o.cert.map(pem).join("") : undefined, key: o.key ? key(o.key) : undefined,
    rejectUnauthorized: !!o.verify,
    checkServerIdentity: (_h, cert) => (o.verify && o.name ? tls.checkServerIdentity(o.name, cert) : undefined),
  });
  st.t = t;
  t.on("secureConnect", () => {
    const chain = [];
    for (let c = t.getPeerCertificate(true); c && c.raw; c = c.issuerCertificate === c ? undefined : c.issuerCertificate) chain.push(c.raw.toString("base64"));
    const cipher = t.getCipher();
    st.secure = { certs: chain, cipher: cipher?.standardName ?? cipher?.name };
  });
  t.on("data", (b) => st.plain.push(b));
  t.on("end", () => { st.end = true; });
  t.on("error", (e) => { st.error ??= failure(e); });
}

/** Let Node's TLS run until a turn passes with nothing new. */
async function settle(st) {
  for (let quiet = 0, i = 0; quiet < 2 && i < 200; i++) {
    const before = st.out.length + st.plain.length + (st.secure ? 1 : 0) + (st.error ? 1 : 0) + (st.end ? 1 : 0);
    await new Promise((r) => setImmediate(r));
    const after = st.out.length + st.plain.length + (st.secure ? 1 : 0) + (st.error ? 1 : 0) + (st.end ? 1 : 0);
    quiet = after === before ? quiet + 1 : 0;
  }
}

function drain(st) {
  const reply = { out: Buffer.concat(st.out).toString("base64"), plain: Buffer.concat(st.plain).toString("base64") };
  st.out = []; st.plain = [];
  if (st.secure && !st.secureSent) { st.secureSent = true; reply.secure = st.secure; }
  if (st.error && !st.errorSent) { st.errorSent = true; reply.failure = st.error; }
  if (st.end && !st.endSent) { st.endSent = true; reply.end = true; }
  return reply;
}

export async function handleTls(msg) {
  if (!msg.op.startsWith("tls.")) return undefined;
  if (msg.op === "tls.session") {
    sessions.set(msg.id, { options: msg, out: [], plain: [] });
    return {};
  }
  const st = sessions.get(msg.id);
  if (!st) return { error: `no TLS session ${msg.id}` };
  switch (msg.op) {
    case "tls.feed":
      if (!st.t) start(st);
      if (msg.b64) st.wire.push(Buffer.from(msg.b64, "base64"));
      break;
    case "tls.write": st.t?.write(Buffer.from(msg.b64, "base64")); break;
    case "tls.end": st.t?.end(); break;
    case "tls.drop": st.t?.destroy(); sessions.delete(msg.id); return {};
  }
  await settle(st);
  return drain(st);
}
