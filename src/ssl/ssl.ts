// MicroPython's `ssl` (`tls`) module: SSLContext, SSLSocket, the older ssl.wrap_socket(). An
// SSLSocket is a Socket whose connection is TLS: every read, write, mode and timeout is the plain
// socket's own code (socket.ts), and the handshake is the end of its "connecting" phase.
import { host } from "usocket-xs/host";
import * as errno from "usocket-xs/errno";
import { OSError } from "usocket-xs/errno";
import { Socket, SOCK_STREAM, type SocketInternals } from "usocket-xs/socket";
import { describe, checkInt, type BytesLike } from "usocket-xs/bytes";
import { certificates, privateKey } from "./pem";
import { TlsLink, tlsPort } from "./tls-stream";
import { Phase, type TcpStream } from "usocket-xs/tcp-stream";
import type { Stream, StreamEvents, TcpOptions, HostAddress } from "usocket-xs/port";
import type { TlsConfig } from "usocket-xs/port-tls";

export {
  MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED,
  MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, MBEDTLS_ERR_SSL_INVALID_RECORD,
} from "./tls-errors";

/** MicroPython's values (mbedTLS's endpoint numbers). */
export const PROTOCOL_TLS_CLIENT = 0;
export const PROTOCOL_TLS_SERVER = 1;
/** CPython's value: a client context limited to TLS 1.2 (the article passes it). */
export const PROTOCOL_TLSv1_2 = 5;
export const CERT_NONE = 0;
export const CERT_OPTIONAL = 1;
export const CERT_REQUIRED = 2;

/** TLS failures are OSError, as in MicroPython; `catch (e) { if (e instanceof ssl.SSLError) … }` reads as CPython's. */
export const SSLError = OSError;
export type SSLError = OSError;

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);
}

/** A path (a string that is not PEM text) is read through the host; anything else is the data itself. */
function fileOrData(v: string | BytesLike, what: string): string | BytesLike {
  if (typeof v === "string" && !/^\s*-----BEGIN /.test(v)) return tlsPort(host, what).readFile(v);
  return v;
}

export interface WrapOptions {
  server_side?: boolean;
  do_handshake_on_connect?: boolean;
  server_hostname?: string | null;
}

export class SSLContext {
  readonly protocol: number;
  private verify: number;
  private checkName: boolean;
  private ca: Uint8Array[] | undefined;
  private chain: Uint8Array[] | undefined;
  private key: Uint8Array | undefined;
  private cipherList: string | undefined;
  /** What the host sees; rebuilt after any change, so a host may cache per object. */
  private snapshot: TlsConfig | undefined;

  constructor(protocol: number = PROTOCOL_TLS_CLIENT) {
    if (protocol !== PROTOCOL_TLS_CLIENT && protocol !== PROTOCOL_TLS_SERVER && protocol !== PROTOCOL_TLSv1_2) {
      throw new RangeError(`SSLContext: unknown protocol ${describe(protocol)}; use PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER or PROTOCOL_TLSv1_2`);
    }
    this.protocol = protocol;
    const client = protocol !== PROTOCOL_TLS_SERVER;
    this.verify = client ? CERT_REQUIRED : CERT_NONE;
    this.checkName = client;
  }

  private get isServer(): boolean {
    return this.protocol === PROTOCOL_TLS_SERVER;
  }

  get verify_mode(): number {
    return this.verify;
  }
  set verify_mode(mode: number) {
    checkInt(mode, "verify_mode", "value");
    if (mode < CERT_NONE || mode > CERT_REQUIRED) throw new RangeError(`verify_mode: expected CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED, got ${mode}`);
    if (mode === CERT_NONE && this.checkName) throw new OSError(errno.EINVAL, "verify_mode: cannot be CERT_NONE while check_hostname is true; set check_hostname = false first");
    this.verify = mode;
    this.snapshot = undefined;
  }

  get check_hostname(): boolean {
    return this.checkName;
  }
  set check_hostname(on: boolean) {
    this.checkName = !!on;
    if (on && this.verify === CERT_NONE) this.verify = CERT_REQUIRED; // as CPython
    this.snapshot = undefined;
  }

  /**
   * Trusted CAs: cafile (a path; on Moddable the name of a resource), capath (a directory of PEM
   * files, where the host has files), cadata (PEM text or DER bytes, one or several certificates).
   * Also callable as load_verify_locations({ cafile, capath, cadata }).
   */
  load_verify_locations(cafile?: string | null | { cafile?: string | null; capath?: string | null; cadata?: string | BytesLike | null },
    capath?: string | null, cadata?: string | BytesLike | null): void {
    if (isPlainObject(cafile)) return this.load_verify_locations(cafile.cafile, cafile.capath, cafile.cadata);
    const what = "load_verify_locations";
    if (cafile == null && capath == null && cadata == null) throw new TypeError(`${what}: cafile, capath or cadata is required`);
    const found: Uint8Array[] = [];
    if (cafile != null) {
      if (typeof cafile !== "string") throw new TypeError(`${what}: cafile must be a path string, got ${describe(cafile)}`);
      found.push(...certificates(tlsPort(host, what).readFile(cafile), `${what}(${cafile})`));
    }
    if (capath != null) {
      if (typeof capath !== "string") throw new TypeError(`${what}: capath must be a directory path, got ${describe(capath)}`);
      const t = tlsPort(host, what);
      const files = t.listDir(capath);
      for (let i = 0; i < files.length; i++) {
        try { found.push(...certificates(t.readFile(files[i]), what)); } catch { /* not a certificate file */ }
      }
      if (!found.length) throw new OSError(errno.ENOENT, `${what}: no certificates in ${capath}`);
    }
    if (cadata != null) found.push(...certificates(cadata, `${what}: cadata`));
    this.ca = (this.ca ?? []).concat(found);
    this.snapshot = undefined;
  }

  /**
   * Our certificate (chain, leaf first) and private key. As MicroPython: each is a path, or the
   * data itself (bytes, or PEM text); without keyfile, the key is looked for in certfile.
   */
  load_cert_chain(certfile: string | BytesLike, keyfile?: string | BytesLike | null): void {
    const what = "load_cert_chain";
    if (certfile == null) throw new TypeError(`${what}: certfile is required`);
    const cert = fileOrData(certfile, what);
    const chain = certificates(cert, `${what}: certfile`);
    const key = privateKey(keyfile == null ? cert : fileOrData(keyfile, what), `${what}: keyfile`);
    this.chain = chain;
    this.key = key;
    this.snapshot = undefined;
  }

  /** Accepted and passed to hosts that can restrict cipher suites (Node: an OpenSSL cipher list). */
  set_ciphers(ciphers: string): void {
    if (typeof ciphers !== "string" || !ciphers) throw new TypeError(`set_ciphers: expected a cipher list string, got ${describe(ciphers)}`);
    this.cipherList = ciphers;
    this.snapshot = undefined;
  }

  /** The platform's default trust store is used while no CA was loaded; this states it explicitly. */
  load_default_certs(): void {}

  config(): TlsConfig {
    return this.snapshot ??= {
      verify: this.verify, checkHostname: this.checkName, ca: this.ca, certChain: this.chain, key: this.key,
      ciphers: this.cipherList, onlyVersion: this.protocol === PROTOCOL_TLSv1_2 ? 0x0303 : 0,
    };
  }

  /**
   * A connected socket: a Promise of the SSLSocket, settled when the handshake is done (MicroPython's
   * order). A socket not yet connected: the SSLSocket itself, at once; its connect() connects and
   * handshakes (CPython's order). `await` the result in both cases.
   */
  wrap_socket(sock: Socket, options: WrapOptions = {}): SSLSocket | Promise<SSLSocket> {
    const what = "wrap_socket";
    if (!(sock instanceof Socket)) throw new TypeError(`${what}: expected a socket.socket, got ${describe(sock)}`);
    if (sock instanceof SSLSocket) throw new OSError(errno.EINVAL, `${what}: the socket is already an SSLSocket`);
    if (sock.type !== SOCK_STREAM) throw new OSError(errno.EOPNOTSUPP, `${what}: TLS needs a SOCK_STREAM socket`);
    if (!isPlainObject(options as unknown)) throw new TypeError(`${what}: options must be an object, got ${describe(options)}`);
    const server = !!options.server_side;
    let name = options.server_hostname ?? undefined;
    if (name !== undefined && (typeof name !== "string" || !name)) throw new TypeError(`${what}: server_hostname must be a non-empty string, got ${describe(name)}`);
    if (server && this.protocol !== PROTOCOL_TLS_SERVER) throw new OSError(errno.EINVAL, `${what}: server_side needs an SSLContext(PROTOCOL_TLS_SERVER)`);
    if (!server && this.protocol === PROTOCOL_TLS_SERVER) throw new OSError(errno.EINVAL, `${what}: a PROTOCOL_TLS_SERVER context makes server sockets only (pass server_side: true)`);
    if (server && !this.key) throw new OSError(errno.EINVAL, `${what}: a server needs load_cert_chain() first`);
    if (server) name = undefined;
    else if (this.checkName && this.verify !== CERT_NONE && name === undefined) {
      throw new OSError(errno.EINVAL, `${what}: check_hostname needs server_hostname (or set check_hostname = false)`);
    }
    tlsPort(host, what);
    const s = new SSLSocket(this, sock, server, name, options.do_handshake_on_connect !== false);
    return s.started ? s.handshakeOnWrap() : s;
  }
}

/**
 * `to` takes over the plain socket `from`: its settings, its listener and its connection, which
 * `secure` replaces. `from` is left detached: closed, without closing anything.
 */
function takeOver(to: Socket, from: Socket, secure: (plain: TcpStream) => TcpStream): void {
  const t = to as unknown as SocketInternals, f = from as unknown as SocketInternals;
  f.live();
  t.timeout = f.timeout;
  t.bound = f.bound;
  t.listener = f.listener && t.watched(f.listener);
  t.reuseAddress = f.reuseAddress;
  t.keepAlive = f.keepAlive;
  t.noDelay = f.noDelay;
  t.resetOnClose = f.resetOnClose;
  if (f.tcp) t.tcp = t.watched(secure(f.tcp));
  f.tcp = f.listener = undefined;
  f.closed = true;
}

export class SSLSocket extends Socket {
  readonly server_side: boolean;
  readonly server_hostname: string | undefined;
  private readonly link: TlsLink;
  /** The wrapped socket was connected: the handshake started in the constructor. */
  readonly started: boolean;

  /** Made by SSLContext.wrap_socket(). */
  constructor(readonly context: SSLContext, sock: Socket, server: boolean, name: string | undefined, private readonly handshakeOnConnect: boolean) {
    super(sock.family, SOCK_STREAM, sock.proto);
    this.server_side = server;
    this.server_hostname = name;
    this.link = new TlsLink(host, context.config(), { server, serverName: name });
    let started = false;
    takeOver(this, sock, (plain) => {
      if (plain.phase === Phase.Connecting) throw new OSError(errno.EALREADY, "wrap_socket: the socket's connect() is still in progress; wrap it before connect() or after it returns");
      if (plain.phase !== Phase.Connected || !plain.stream) {
        if (plain.error) plain.throwPending();
        throw new OSError(errno.ENOTCONN, "wrap_socket: the socket's connection has ended");
      }
      started = true;
      return this.link.over(plain);
    });
    this.started = started;
  }

  /** @internal wrap_socket() of a connected socket. */
  async handshakeOnWrap(): Promise<SSLSocket> {
    if (this.handshakeOnConnect && this.gettimeout() !== 0) {
      try { await this.whenConnected(); } catch (e) { this.close(); throw e; }
    }
    return this;
  }

  protected override openStream(address: string, port: number, options: TcpOptions, events: StreamEvents): Stream {
    if (this.server_side) throw new OSError(errno.EINVAL, "connect: a server-side SSLSocket cannot connect");
    return this.link.connect(address, port, options, events as TcpStream);
  }

  /** A listening socket wrapped with server_side: each accepted connection handshakes before accept() returns it. */
  override async accept(): Promise<[SSLSocket, HostAddress]> {
    if (!this.server_side) throw new OSError(errno.EINVAL, "accept: wrap a listening socket with server_side: true");
    const [plain, address] = await super.accept();
    return [await (this.context.wrap_socket(plain, { server_side: true }) as Promise<SSLSocket>), address];
  }

  /** Wait for the handshake (it starts by itself; this is for do_handshake_on_connect: false and non-blocking sockets). */
  async do_handshake(): Promise<void> {
    if (this.gettimeout() === 0) {
      if (this.link.secure && this.isConnected()) return;
      throw new OSError(errno.EAGAIN);
    }
    await this.whenConnected();
  }

  private done(what: string) {
    const s = this.link.secure;
    if (!s || !this.isConnected()) throw new OSError(errno.ENOTCONN, `${what}: the TLS handshake is not done`);
    return s;
  }

  /** The peer's certificate as DER bytes (MicroPython supports binary_form=True only), or null if it sent none. */
  getpeercert(binary_form = true): Uint8Array | null {
    if (!binary_form) throw new RangeError("getpeercert: only binary_form = true is supported (as in MicroPython); parse the DER yourself");
    return this.done("getpeercert").peerCertificate() ?? null;
  }

  /** [name, protocol, secret bits] of the negotiated cipher, or null before the handshake. */
  cipher(): [string, string, number] | null {
    try { return this.done("cipher").cipher() ?? null; } catch { return null; }
  }

  /** "TLSv1.2" / "TLSv1.3", or null before the handshake. */
  version(): string | null {
    try { return this.done("version").version() ?? null; } catch { return null; }
  }
}

export interface LegacyWrapOptions {
  server_side?: boolean;
  key?: string | BytesLike | null;
  cert?: string | BytesLike | null;
  cert_reqs?: number;
  cadata?: string | BytesLike | null;
  server_hostname?: string | null;
  do_handshake?: boolean;
}

/**
 * MicroPython's older ssl.wrap_socket(): a context per call; cert_reqs defaults to CERT_NONE, and
 * the host name is checked when server_hostname is given and cert_reqs is CERT_REQUIRED.
 */
export function wrap_socket(sock: Socket, options: LegacyWrapOptions = {}): SSLSocket | Promise<SSLSocket> {
  if (!isPlainObject(options as unknown)) throw new TypeError(`wrap_socket: options must be an object, got ${describe(options)}`);
  const server = !!options.server_side;
  const ctx = new SSLContext(server ? PROTOCOL_TLS_SERVER : PROTOCOL_TLS_CLIENT);
  if (options.cert != null || options.key != null) {
    if (options.cert == null) throw new TypeError("wrap_socket: key given without cert");
    ctx.load_cert_chain(options.cert, options.key);
  }
  if (options.cadata != null) ctx.load_verify_locations({ cadata: options.cadata });
  const reqs = options.cert_reqs ?? CERT_NONE;
  ctx.check_hostname = false;
  ctx.verify_mode = reqs;
  ctx.check_hostname = reqs === CERT_REQUIRED && options.server_hostname != null;
  return ctx.wrap_socket(sock, { server_side: server, server_hostname: options.server_hostname, do_handshake_on_connect: options.do_handshake !== false });
}
