// TLS on Moddable: the SDK's TLS Session ("ssl/session", from $(MODULES)/crypt/tls.json) driven
// over our own TCP stream, not SecureSocket. Why: SecureSocket swallows every failure's reason,
// reports an alert during the handshake as success, never reports the peer's close_notify, takes
// one CA per socket and drops data that arrives with the final handshake message; driving the
// Session ourselves sees all of that. Bound as usocket-xs/host-tls by manifest-ssl.json.
//
// What the SDK's TLS is: a TLS 1.2 client (we always ask for 0x0303: its default minimum is 1.0);
// it checks only the subjectAltName (a CN-only certificate fails); its session cache is shared and
// keyed by name, so every session here has cache: false (a CERT_NONE connection must not let a later
// verified one resume unverified). There is no usable TLS server: server_side raises EOPNOTSUPP.
//
// Verification: the Session's own check is all or nothing (chain + dates + name) and says nothing
// about why it failed (only a trace()). CERT_REQUIRED runs it, so the name is checked even with
// check_hostname = false (and a name is required); CERT_OPTIONAL and CERT_NONE run unverified. A
// failed check reads "unknown CA, expired or hostname mismatch": naming which one would mean
// parsing the certificates ourselves (not done yet).
// @ts-ignore -- inside mcconfig "ssl/session" resolves to the SDK's .js (no types); npm run typecheck uses typings/moddable/ssl-session.d.ts
import Session from "ssl/session";
// @ts-ignore -- as above: the SDK's ssl/alert (typings/moddable/ssl-session.d.ts)
import SSLAlert from "ssl/alert";
import Resource from "Resource";
import { OSError, EOPNOTSUPP, ENOENT, ECONNRESET } from "usocket-xs/errno";
import type { Stream, StreamEvents } from "usocket-xs/port";
import type { SecureStream, TlsConfig, TlsPort, TlsSession } from "usocket-xs/port-tls";
import {
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE,
  MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, alertName,
} from "usocket-xs/tls-errors";

const CERT_REQUIRED = 2;
/** Plaintext per record we write (the SDK's maximum fragment is 16384). */
const RECORD = 4096;
/** Encrypted bytes we queue before write() reports the stream full. */
const OUT_LIMIT = 8 * 1024;


function buffer(b: Uint8Array): ArrayBuffer {
  return (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer) as ArrayBuffer;
}

/** Why the Session's check failed, from its message and the certificates it saw. */
function reason(message: string, sawCerts: boolean): [number, string] {
  const alert = /alert: (\d+), (\d+)/.exec(message);
  if (alert) return [MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, `the peer sent the TLS alert ${alertName(Number(alert[2]))}`];
  if (/date validation/.test(message)) return [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "certificate verify failed: a certificate has expired or is not yet valid"];
  if (/auth err/.test(message) && sawCerts) return [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "certificate verify failed"];
  return [MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, `handshake failure: ${message}`];
}

/** The Session's trace() text during a failed check, as a message. */
function why(said: string, name: string | undefined): string {
  if (/subjectAltName match failed/.test(said)) return `certificate verify failed: hostname mismatch: ${name} is not in the certificate's subjectAltName`;
  if (/date validation failed/.test(said)) return "certificate verify failed: a certificate has expired or is not yet valid";
  if (/tls_server_name required/.test(said)) return "certificate verify failed: no server_hostname to check";
  return "certificate verify failed: unknown CA: the chain does not end at a trusted certificate";
}

class SessionStream implements SecureStream, StreamEvents {
  private readonly session: Session;
  private inq: Uint8Array[] = [];
  private inLength = 0;
  private out: Uint8Array[] = [];
  private outLength = 0;
  private handshaking = true;
  private closed = false;
  /** close() was called with records still queued: raw closes when they are taken. */
  private closing = false;
  private wantWritable = false;
  private peerCerts: ArrayBuffer[] | undefined;
  /** Why the Session's certificate check failed, once it has. */
  private verifyFailed: string | undefined;
  /** The transport the Session reads and writes: our queues. */
  private readonly transport = {
    read: (type?: unknown, n?: number): any => {
      if (type === undefined) return this.inLength;
      return this.takeIn(n!);
    },
    write: (data: ArrayBuffer | Uint8Array) => {
      const b = data instanceof Uint8Array ? data : new Uint8Array(data);
      this.out.push(b.slice());
      this.outLength += b.length;
    },
  };

  constructor(private readonly raw: Stream, received: Uint8Array, config: TlsConfig, name: string | undefined, private readonly events: StreamEvents) {
    const ca = config.ca;
    this.session = new Session({
      tls_server_name: name, protocolVersion: 0x0303, cache: false,
      verify: config.verify === CERT_REQUIRED,
      certificate: ca && ca.length ? buffer(ca[0]) : undefined,
      clientCertificates: config.certChain?.map(buffer), clientKey: config.key ? buffer(config.key) : undefined,
    });
    // The Session trusts one CA; register the others (per session, not CertificateManager's global list).
    const cm = this.session.certificateManager;
    const register = cm.register as ((der: ArrayBuffer) => void) | undefined;
    for (let i = 1; ca && i < ca.length; i++) register?.call(cm, buffer(ca[i]));
    const verify = cm.verify;
    // (defineProperty: the SDK's preloaded prototype is frozen, so plain assignment cannot shadow its method)
    Object.defineProperty(cm, "verify", {
      value: (certs: ArrayBuffer[], options: object) => {
        this.peerCerts = certs;
        // The SDK says why a check failed only with trace(): listen to it for the length of the call.
        const g = globalThis as unknown as { trace: (text: string) => void };
        const saved = g.trace;
        let said = "";
        try { g.trace = (text: string) => { said += text; }; } catch { /* keep the SDK's trace */ }
        let ok = false;
        try { ok = verify.call(cm, certs, options); } finally { try { g.trace = saved; } catch { /* as it was */ } }
        if (!ok) this.verifyFailed = certs.length === 1
          ? "certificate verify failed: the server sent only its own certificate, not its chain, and the SDK's check needs the chain (SDK 8.2.3)"
          : why(said, name);
        return ok;
      },
    });
    (raw as unknown as { attach(ev: StreamEvents): void }).attach(this);
    raw.resume();
    if (received.length) this.onData(received);
    this.step(() => { this.session.initiateHandshake(); this.session.handshake(this.transport, 0); });
  }

  private takeIn(n: number): ArrayBuffer | undefined {
    if (!this.inLength) return undefined;
    const out = new Uint8Array(Math.min(n, this.inLength));
    let o = 0;
    while (o < out.length) {
      const c = this.inq[0], k = Math.min(c.length, out.length - o);
      out.set(k === c.length ? c : c.subarray(0, k), o);
      if (k === c.length) this.inq.shift(); else this.inq[0] = c.subarray(k);
      o += k;
    }
    this.inLength -= out.length;
    return out.buffer as ArrayBuffer;
  }

  /** Run Session code; a throw is the connection's failure. Then send what it wrote. */
  private step(work: () => void): void {
    try {
      work();
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      const [n, detail] = this.verifyFailed ? [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, this.verifyFailed] : reason(m, !!this.peerCerts);
      this.fail(n, detail);
      return;
    }
    this.flush();
  }

  private fail(errno: number, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.flush(); // (an alert the Session wrote, then the TCP close)
    this.events.onError(errno, detail);
  }

  /** Hand queued records to the TCP stream; after close(), close it once they are all taken. */
  private flush(): void {
    while (this.out.length) {
      const c = this.out[0];
      let k = 0;
      try { k = this.raw.write(c); } catch (e) {
        this.out = []; this.outLength = 0;
        if (!this.closed) this.fail(e instanceof OSError ? e.errno : ECONNRESET);
        else this.raw.close();
        return;
      }
      this.outLength -= k;
      if (k < c.length) { this.out[0] = c.subarray(k); return; }
      this.out.shift();
    }
    if (this.closing) { this.closing = false; this.raw.close(); return; }
    if (this.wantWritable && !this.closed && this.outLength < OUT_LIMIT) { this.wantWritable = false; this.events.onWritable(); }
  }

  // ---- the plain stream's events ----
  onConnect(): void {}
  onData(bytes: Uint8Array): void {
    if (this.closed) return;
    this.inq.push(bytes);
    this.inLength += bytes.length;
    this.pump();
  }
  onWritable(): void {
    if (this.out.length || this.closing || this.wantWritable) this.flush();
  }
  onEnd(): void {
    if (this.handshaking) this.fail(ECONNRESET, "the peer closed the connection during the TLS handshake");
    else if (!this.closed) this.events.onEnd(); // no close_notify first: still EOF (what MicroPython reads too)
  }
  onError(errno: number, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.events.onError(errno, this.handshaking && errno === ECONNRESET ? "the peer reset the connection during the TLS handshake" : detail);
  }

  /** Feed what arrived to the Session: handshake records first, then application data. */
  private pump(): void {
    const s = this.session, t = this.transport;
    while (this.handshaking && !this.closed) {
      const before = this.inLength;
      let done = false;
      this.step(() => { done = s.handshake(t, this.inLength); });
      if (this.closed) return;
      if (done) {
        this.handshaking = false;
        if (s.alert) { this.fail(...reason(`alert: ${s.alert.level}, ${s.alert.description}`, false)); return; }
        this.events.onConnect();
        break;
      }
      if (this.inLength === before) return; // a partial record: wait for more
    }
    while (!this.closed && this.inLength) {
      const before = this.inLength;
      let data: Uint8Array | null | undefined;
      this.step(() => { data = s.read(t); });
      if (this.closed) return;
      if (data === null) {
        const a = s.alert;
        if (!a || a.description === 0) { // close_notify: EOF, answered with ours (TLS 1.2)
          try { this.closeNotify(); } catch { /* the peer may be gone */ }
          this.flush();
          this.events.onEnd();
          return;
        }
        this.fail(...reason(`alert: ${a.level}, ${a.description}`, false));
        return;
      }
      const n = s.bytesAvailable;
      if (n > 0) {
        const plain = s.read(t, n)!.slice();
        this.events.onData(plain);
      }
      if (this.inLength === before && n === 0) return;
    }
  }

  /** close_notify. (Session.close() sends it with alert level 0, which OpenSSL rejects as "unknown alert type": SDK 8.2.3.) */
  private closeNotify(): void {
    this.session.doProtocol(this.transport, SSLAlert, 1 /* warning */, 0 /* close_notify */);
  }

  // ---- the TLS stream, for the core ----
  write(bytes: Uint8Array): number {
    if (this.closed || this.handshaking) return 0;
    if (this.outLength >= OUT_LIMIT) { this.wantWritable = true; return 0; }
    const n = Math.min(bytes.length, RECORD);
    this.step(() => { this.session.write(this.transport, bytes.subarray(0, n).slice()); });
    if (this.outLength >= OUT_LIMIT) this.wantWritable = true;
    return n;
  }
  pause(): void { this.raw.pause(); }
  resume(): void { this.raw.resume(); }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    try { if (!this.handshaking) this.closeNotify(); } catch { /* closing anyway */ }
    this.flush();
  }
  setNoDelay(on: boolean): void { this.raw.setNoDelay(on); }
  setKeepAlive(on: boolean): void { this.raw.setKeepAlive(on); }
  local() { return this.raw.local(); }
  remote() { return this.raw.remote(); }
  peerCertificate(): Uint8Array | undefined {
    const c = this.peerCerts?.[0];
    return c ? new Uint8Array(c.slice(0)) : undefined;
  }
  cipher(): [string, string, number] | undefined {
    const c = this.session.chosenCipher;
    return c ? [`TLS_${["NULL", "RSA", "DHE_DSS", "DHE_RSA", "ECDHE_RSA"][c.keyExchangeAlgorithm] ?? "KX"}_WITH_${c.cipherKeySize * 8}`, "TLSv1.2", c.cipherKeySize * 8] : undefined;
  }
  version(): string | undefined {
    return this.handshaking ? undefined : "TLSv1.2";
  }
}

export const tls: TlsPort = {
  secure(raw, received, config, session: TlsSession, events) {
    if (session.server) throw new OSError(EOPNOTSUPP, "wrap_socket: server_side is not supported on Moddable (the SDK has no TLS server)");
    if (config.verify === CERT_REQUIRED && !session.serverName) {
      throw new OSError(MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, "wrap_socket: on Moddable CERT_REQUIRED needs server_hostname (the SDK checks the chain and the name together)");
    }
    return new SessionStream(raw, received, config, session.serverName, events);
  },
  readFile(path) {
    try {
      const r = new Resource(path);
      return new Uint8Array(r.slice(0));
    } catch {
      throw new OSError(ENOENT, `${path}: no such resource in the app (list it under "resources" in the manifest)`);
    }
  },
  listDir(path) {
    throw new OSError(EOPNOTSUPP, `${path}: capath is not supported on Moddable (no directories); use cafile or cadata`);
  },
};
