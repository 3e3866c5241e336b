// Stand-in for the SDK's TLS Session ("ssl/session", modules/crypt/ssl/session_original.js) in the
// XS lane. The TLS itself runs in the Node parent (test/xs/tls-parent.mjs, node:tls limited to TLS
// 1.2 as the SDK is); this class keeps the Session's shape and habits, which is what hosts/moddable
// depends on:
// - handshake(s, n) and read(s) take at most one record from the transport per call (the SDK's
//   readPacket), read with s.read() / s.read(ArrayBuffer, n), and write records with s.write();
// - handshake() returns true when it is over; a failed certificate check goes through
//   certificateManager.verify(certs, options), which trace()s the SDK's own words ("subjectAltName
//   match failed for …", "date validation failed …") and returns false, and then throws
//   "certificate: auth err"; an alert from the peer throws "alert: <level>, <description>";
// - read(s) returns null after the peer's close_notify (session.alert = { level, description: 0 });
// - doProtocol(s, SSLAlert, 1, 0) sends close_notify. (The SDK's close() sends it with alert level
//   0, which OpenSSL rejects; hosts/moddable does not call close(), and the stand-in's close() sends
//   a valid one.)
// Not imitated: the SDK's failure to verify a server that sends only its leaf (node:tls cannot tell
// what the server sent from what it found in its trust store), and its cipher suite list.
import { call, fromBase64, toBase64 } from "./bridge";

declare const trace: (text: string) => void;

interface Transport {
  read(): number;
  read(type: typeof ArrayBuffer, n: number): ArrayBuffer | undefined;
  write(data: ArrayBuffer | Uint8Array): void;
}

let nextId = 1;

export default class Session {
  private readonly id = nextId++;
  private record = new Uint8Array(0);
  private done = false;
  private data: Uint8Array | undefined;
  alert: { level: number; description: number } | undefined;
  protocolVersion = 0x0303;
  chosenCipher: { keyExchangeAlgorithm: number; cipherAlgorithm: number; cipherKeySize: number; hashAlgorithm: number } | undefined;
  certificateManager: { verify(certs: ArrayBuffer[], options: object): boolean; register(der: ArrayBuffer): void; [k: string]: unknown };
  private readonly ca: string[] = [];
  private verdict: string | undefined;

  constructor(private readonly options: { tls_server_name?: string; verify?: boolean; certificate?: ArrayBuffer; clientCertificates?: ArrayBuffer[]; clientKey?: ArrayBuffer }) {
    if (options.certificate) this.ca.push(toBase64(new Uint8Array(options.certificate)));
    const session = this;
    this.certificateManager = {
      verify(_certs: ArrayBuffer[], _options: object): boolean {
        const v = session.verdict;
        if (v === "altname") trace(`subjectAltName match failed for ${session.options.tls_server_name}\n`);
        else if (v === "date") trace("date validation failed on received certificate\n");
        return v === undefined;
      },
      register(der: ArrayBuffer): void {
        session.ca.push(toBase64(new Uint8Array(der)));
      },
    };
  }

  initiateHandshake(): void {
    call("tls.session", {
      id: this.id, name: this.options.tls_server_name, verify: this.options.verify !== false, ca: this.ca,
      cert: (this.options.clientCertificates ?? []).map((c) => toBase64(new Uint8Array(c))),
      key: this.options.clientKey ? toBase64(new Uint8Array(this.options.clientKey)) : undefined,
    });
  }

  /** One whole record from the transport, or undefined (what arrived so far is kept). */
  private readRecord(s: Transport): Uint8Array | undefined {
    for (;;) {
      const have = this.record.length;
      const need = have < 5 ? 5 - have : ((this.record[3] << 8) | this.record[4]) + 5 - have;
      if (need === 0) {
        const r = this.record;
        this.record = new Uint8Array(0);
        return r;
      }
      const c = s.read(ArrayBuffer, need);
      if (!c || !c.byteLength) return undefined;
      const next = new Uint8Array(have + c.byteLength);
      next.set(this.record);
      next.set(new Uint8Array(c), have);
      this.record = next;
    }
  }

  private exchange(op: string, bytes?: Uint8Array, s?: Transport): { plain: Uint8Array; secure?: { certs: string[]; cipher?: string }; end?: boolean; error?: { verify?: string; message?: string } } {
    const r = call(op, { id: this.id, b64: bytes ? toBase64(bytes) : undefined });
    if (s && r.out) s.write(fromBase64(r.out));
    return { plain: r.plain ? fromBase64(r.plain) : new Uint8Array(0), secure: r.secure, end: r.end, error: r.failure };
  }

  private keep(plain: Uint8Array): void {
    if (!plain.length) return;
    const d = this.data;
    if (!d || !d.length) { this.data = plain; return; }
    const both = new Uint8Array(d.length + plain.length);
    both.set(d);
    both.set(plain, d.length);
    this.data = both;
  }

  handshake(s: Transport, n: number): boolean {
    if (this.done) return true;
    const rec = n ? this.readRecord(s) : undefined;
    if (n && !rec) return false;
    const r = this.exchange("tls.feed", rec, s);
    this.keep(r.plain);
    if (r.error) {
      if (r.error.verify) {
        this.verdict = r.error.verify;
        this.certificateManager.verify([], this.options);
        throw new Error("certificate: auth err");
      }
      throw new Error(r.error.message ?? "handshake failed");
    }
    if (r.secure) {
      const certs = r.secure.certs.map((b) => fromBase64(b).buffer as ArrayBuffer);
      if (this.options.verify !== false && !this.certificateManager.verify(certs, this.options)) throw new Error("certificate: auth err");
      if (this.options.verify === false) this.certificateManager.verify(certs, this.options);
      const name = r.secure.cipher ?? "";
      this.chosenCipher = { keyExchangeAlgorithm: /ECDHE/.test(name) ? 4 : /DHE/.test(name) ? 3 : 1, cipherAlgorithm: 0, cipherKeySize: /256/.test(name) ? 32 : 16, hashAlgorithm: 0 };
      this.done = true;
      return true;
    }
    return false;
  }

  read(s: Transport, n?: number): Uint8Array | null | undefined {
    const d = this.data;
    if (!d || !d.length) {
      const rec = this.readRecord(s);
      if (!rec) return d ?? new Uint8Array(0);
      const r = this.exchange("tls.feed", rec, s);
      this.keep(r.plain);
      if (r.error) throw new Error(r.error.message ?? "record error");
      if (r.end && !(this.data && this.data.length)) {
        this.alert = { level: 1, description: 0 };
        return null;
      }
    }
    if (n === undefined) return this.data ?? new Uint8Array(0);
    const all = this.data!;
    const out = all.subarray(0, n);
    this.data = all.subarray(n);
    return out;
  }

  get bytesAvailable(): number {
    return this.data ? this.data.length : 0;
  }

  write(s: Transport, data: Uint8Array): number {
    this.exchange("tls.write", data, s);
    return data.length;
  }

  close(s: Transport): void {
    this.exchange("tls.end", undefined, s);
  }

  doProtocol(s: Transport, _protocol: object, _level?: unknown, description?: unknown): void {
    if (description === 0) this.exchange("tls.end", undefined, s);
  }
}
