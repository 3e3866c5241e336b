// The TLS part of the port (usocket-xs/ssl): a host turns one of its connected streams into a TLS
// stream with the same Stream shape, so the core reads, writes, waits and times out on it exactly
// as on plain TCP. Only hosts that have TLS set Port.tls.
import type { Stream, StreamEvents } from "./port";

/** What an SSLContext holds. A new object whenever the context changes, so a host may cache what it builds from one. */
export interface TlsConfig {
  /** CERT_NONE 0, CERT_OPTIONAL 1, CERT_REQUIRED 2. */
  readonly verify: number;
  readonly checkHostname: boolean;
  /** Trusted certificates (DER); undefined: the platform's own store. */
  readonly ca: readonly Uint8Array[] | undefined;
  /** Our certificate chain (DER, leaf first) and its private key (DER: PKCS#8, PKCS#1 or SEC1). */
  readonly certChain: readonly Uint8Array[] | undefined;
  readonly key: Uint8Array | undefined;
  /** OpenSSL cipher list as the program gave it to set_ciphers(), or undefined. */
  readonly ciphers: string | undefined;
  /** 0x0303 for TLS 1.2 only; 0 for the platform's range. */
  readonly onlyVersion: number;
}

export interface TlsSession {
  server: boolean;
  /** Client: sent as SNI (when not an IP address) and checked against the certificate when verifying. */
  serverName: string | undefined;
}

/** A TLS stream: onConnect is the end of the handshake; onEnd is the peer's close_notify (or FIN). */
export interface SecureStream extends Stream {
  /** The peer's certificate (DER), once the handshake is done, if it sent one. */
  peerCertificate(): Uint8Array | undefined;
  /** [cipher name, protocol, secret bits], as CPython's SSLSocket.cipher(). */
  cipher(): [string, string, number] | undefined;
  /** "TLSv1.2", "TLSv1.3", … */
  version(): string | undefined;
}

export interface TlsPort {
  /**
   * Start TLS on a connected stream the host made. The host takes the stream over: its events go
   * to the TLS layer from now on, `received` (bytes the core had already read from it) is the
   * first input, and the returned stream reports to `events`. Failures reach events.onError with
   * an errno from tls-errors.ts and a detail that names what failed. Throws OSError when the host
   * cannot do this at all (for instance EOPNOTSUPP for a server on a host with only a TLS client).
   */
  secure(stream: Stream, received: Uint8Array, config: TlsConfig, session: TlsSession, events: StreamEvents): SecureStream;
  /** A file's bytes (cafile, certfile, keyfile); throws OSError(ENOENT) etc. */
  readFile(path: string): Uint8Array;
  /** The files of a directory (capath), as paths; throws OSError. */
  listDir(path: string): string[];
}
