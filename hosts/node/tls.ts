// TLS over node:tls: nodeTls.connect({ socket }) for clients and new nodeTls.TLSSocket({ isServer }) for
// servers, both on the net.Socket of one of our TCP streams. The TLS stream is an ordinary stream
// of tcp.ts (same write queue bound, same pause/resume), so back-pressure is plain TCP's.
import * as nodeTls from "node:tls";
import * as fs from "node:fs";
import * as crypto from "node:crypto";
import { isIP } from "node:net";
import { join } from "node:path";
import { OSError, EINVAL, EIO, ECONNRESET, EPIPE, ETIMEDOUT } from "usocket-xs/errno";
import type { Stream, StreamEvents } from "usocket-xs/port";
import type { SecureStream, TlsConfig, TlsPort, TlsSession } from "usocket-xs/port-tls";
import {
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE,
  MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, MBEDTLS_ERR_SSL_INVALID_RECORD,
} from "usocket-xs/tls-errors";
import { takeSocket, wrap } from "./tcp";
import { toErrno, toOSError } from "./errors";

const CERT_NONE = 0, CERT_REQUIRED = 2;

function pem(der: Uint8Array, label: string): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g)!.join("\n"); // (no blank line: OpenSSL would skip the block)
  return `-----BEGIN ${label}-----\n${lines}\n-----END ${label}-----\n`;
}

function keyObject(der: Uint8Array): crypto.KeyObject {
  for (const type of ["pkcs8", "pkcs1", "sec1"] as const) {
    try { return crypto.createPrivateKey({ key: Buffer.from(der), format: "der", type }); } catch { /* next form */ }
  }
  throw new OSError(EINVAL, "load_cert_chain: the key is neither PKCS#8, PKCS#1 nor SEC1 DER");
}

/** With no CA loaded, clients trust the system's store (Debian's bundle), else Node's own roots. */
let systemRoots: string[] | undefined;
function defaultRoots(): string[] {
  if (!systemRoots) {
    const file = process.env.SSL_CERT_FILE ?? "/etc/ssl/certs/ca-certificates.crt";
    try { systemRoots = [fs.readFileSync(file, "latin1")]; } catch { systemRoots = [...nodeTls.rootCertificates]; }
  }
  return systemRoots;
}

/** One secure context per SSLContext state: building one parses every CA, so handshakes reuse it. */
const contexts = new WeakMap<TlsConfig, nodeTls.SecureContext>();
function secureContext(config: TlsConfig): nodeTls.SecureContext {
  let c = contexts.get(config);
  if (!c) {
    try {
      c = nodeTls.createSecureContext({
        ca: config.ca ? config.ca.map((d) => pem(d, "CERTIFICATE")) : defaultRoots(),
        cert: config.certChain?.map((d) => pem(d, "CERTIFICATE")).join(""),
        key: config.key ? keyObject(config.key).export({ format: "pem", type: "pkcs8" }) : undefined,
        ciphers: config.ciphers,
        ...(config.onlyVersion === 0x0303 ? { minVersion: "TLSv1.2", maxVersion: "TLSv1.2" } : {}),
      });
    } catch (e) {
      if (e instanceof OSError) throw e;
      throw new OSError(EINVAL, `TLS settings rejected: ${e instanceof Error ? e.message.split("\n")[0] : e}`);
    }
    contexts.set(config, c);
  }
  return c;
}

const VERIFY: { [code: string]: string } = {
  UNABLE_TO_GET_ISSUER_CERT: "unknown CA: the issuer of a certificate in the chain is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unknown CA: the chain does not end at a trusted certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unknown CA: the certificate's issuer is not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "unknown CA: the chain ends at a self-signed certificate that is not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "unknown CA: the certificate is self-signed and not trusted",
  CERT_UNTRUSTED: "unknown CA: the chain is not trusted",
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not yet valid",
  CERT_SIGNATURE_FAILURE: "a certificate's signature does not verify",
  CERT_REVOKED: "the certificate is revoked",
  INVALID_CA: "a certificate in the chain is not a CA",
  INVALID_PURPOSE: "the certificate is not for this purpose",
};

/** An 'error' of a TLS socket as an errno and a message naming what failed. */
function failure(e: Error, handshaking: () => boolean, name: string | undefined): [number, string?] {
  const code = String((e as { code?: unknown }).code ?? "");
  const first = e.message.split("\n")[0];
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, `certificate verify failed: hostname mismatch: ${(e as { reason?: string }).reason ?? first}`];
  }
  if (VERIFY[code]) return [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, `certificate verify failed: ${VERIFY[code]} (${code}${name ? ` for ${name}` : ""})`];
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  if (alert) {
    const what = alert[1].toLowerCase();
    const version = what === "protocol_version" ? " (no protocol version both ends accept)" : "";
    return [MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, `the peer sent the TLS alert ${what}${version}`];
  }
  switch (code) {
    case "ERR_SSL_WRONG_VERSION_NUMBER": case "ERR_SSL_PACKET_LENGTH_TOO_LONG": case "ERR_SSL_HTTP_REQUEST":
    case "ERR_SSL_RECORD_LENGTH_MISMATCH":
      return [MBEDTLS_ERR_SSL_INVALID_RECORD, `the peer does not speak TLS (${first.replace(/^.*routines:[^:]*:/, "")})`];
    case "ERR_SSL_UNSUPPORTED_PROTOCOL": case "ERR_SSL_NO_PROTOCOLS_AVAILABLE": case "ERR_SSL_UNSUPPORTED_SSL_VERSION":
      return [MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, "protocol version: no TLS version both ends accept"];
    case "ERR_SSL_NO_SHARED_CIPHER": case "ERR_SSL_NO_CIPHERS_AVAILABLE":
      return [MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, "handshake failure: no cipher suite both ends accept"];
    case "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE":
      return [MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, "handshake failure: the client sent no certificate (CERT_REQUIRED)"];
  }
  if (code.startsWith("ERR_SSL_")) return [MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, `${handshaking() ? "handshake failure" : "TLS failure"}: ${first}`];
  const n = toErrno(e);
  if (handshaking() && (n === ECONNRESET || n === EPIPE || code === "ECONNRESET")) {
    return [ECONNRESET, "the peer closed the connection during the TLS handshake"];
  }
  return [n === ETIMEDOUT ? ETIMEDOUT : n];
}

function bits(name: string): number {
  const m = /(?:AES|CAMELLIA|ARIA)[-_]?(\d+)/.exec(name);
  return m ? Number(m[1]) : /CHACHA20/.test(name) ? 256 : /3DES|DES-CBC3/.test(name) ? 112 : 0;
}

function secure(raw: Stream, received: Uint8Array, config: TlsConfig, session: TlsSession, events: StreamEvents): SecureStream {
  const sock = takeSocket(raw);
  if (!sock) throw new OSError(EINVAL, "wrap_socket: not a stream of this host");
  sock.resume();
  const context = secureContext(config);
  const name = session.serverName;
  let handshaking = true;
  let t: nodeTls.TLSSocket;
  if (session.server) {
    t = new nodeTls.TLSSocket(sock, {
      isServer: true, secureContext: context,
      requestCert: config.verify !== CERT_NONE, rejectUnauthorized: config.verify === CERT_REQUIRED,
    });
  } else {
    t = nodeTls.connect({
      socket: sock, secureContext: context,
      servername: name && !isIP(name) ? name : undefined, // SNI carries names only (RFC 6066)
      rejectUnauthorized: config.verify === CERT_REQUIRED,
      checkServerIdentity: (_host, cert) => config.checkHostname && name ? nodeTls.checkServerIdentity(name, cert) : undefined,
    });
  }
  if (received.length) {
    // Bytes the core already read from the socket (a ClientHello that came before wrap_socket):
    // Node's TLS reads the socket's handle, not what JS has buffered, so hand them to it directly.
    const h = (t as unknown as { _handle?: { receive?(b: Buffer): void } })._handle;
    if (h?.receive) h.receive(Buffer.from(received));
    else { t.destroy(); throw new OSError(EIO, "wrap_socket: this Node cannot take bytes already received into TLS"); }
  }
  // The plain socket is half-open capable; TLS answers the peer's close_notify with its own (TLS 1.2's rule, what CPython's unwrap() waits for).
  t.allowHalfOpen = false;
  const w = wrap(t, (e) => failure(e, () => handshaking, name));
  w.attach(events);
  const done = () => {
    if (session.server && config.verify === CERT_REQUIRED) {
      // What Node's own nodeTls.Server checks after the handshake (OpenSSL verified the chain; Node reports it here).
      const handle = (t as unknown as { _handle?: { verifyError?(): Error | null } })._handle;
      const err = handle?.verifyError ? handle.verifyError() : new Error("cannot verify");
      if (err) {
        const f = failure(err, () => true, undefined);
        events.onError(f[0] === MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ? f[0] : MBEDTLS_ERR_X509_CERT_VERIFY_FAILED,
          `client ${f[1] ?? `certificate verify failed: ${err.message}`}`);
        t.destroy();
        return;
      }
    }
    handshaking = false;
    events.onConnect();
  };
  t.once(session.server ? "secure" : "secureConnect", done);
  const s = w.stream;
  return {
    write: s.write, pause: s.pause, resume: s.resume, close: s.close, setNoDelay: s.setNoDelay, setKeepAlive: s.setKeepAlive,
    local: () => raw.local(),
    remote: () => raw.remote(),
    peerCertificate() {
      const c = t.getPeerX509Certificate();
      return c ? new Uint8Array(c.raw) : undefined;
    },
    cipher() {
      const c = t.getCipher();
      return c ? [c.standardName ?? c.name, c.version, bits(c.standardName ?? c.name)] : undefined;
    },
    version() {
      return t.getProtocol() ?? undefined;
    },
  };
}

export const tls: TlsPort = {
  secure,
  readFile(path) {
    try { return new Uint8Array(fs.readFileSync(path)); } catch (e) { throw toOSError(e); }
  },
  listDir(path) {
    try {
      return fs.readdirSync(path).map((f) => join(path, f)).filter((f) => fs.statSync(f).isFile());
    } catch (e) { throw toOSError(e); }
  },
};
