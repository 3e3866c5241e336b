// The project's own declarations for the Moddable SDK's TLS session ("ssl/session",
// modules/crypt/ssl/session_original.js, included by $(MODULES)/crypt/tls.json): only what
// hosts/moddable/tls uses. The transport `s` it reads from and writes to is any object with
// read() (bytes available), read(ArrayBuffer, n) and write(bytes).
declare module "ssl/session" {
  export interface SessionTransport {
    read(): number;
    read(type: typeof ArrayBuffer, n: number): ArrayBuffer | undefined;
    write(data: ArrayBuffer | Uint8Array): void;
  }
  export interface SessionOptions {
    tls_server_name?: string;
    protocolVersion?: number;
    /** false: no certificate checks at all; true (default): chain, dates and subjectAltName. */
    verify?: boolean;
    /** One trusted CA certificate (DER). */
    certificate?: ArrayBuffer;
    clientCertificates?: ArrayBuffer[];
    clientKey?: ArrayBuffer;
    /** false: no session resumption (the cache is shared and keyed by name). */
    cache?: boolean;
  }
  export default class Session {
    constructor(options: SessionOptions);
    initiateHandshake(): void;
    /** Processes at most one record; true when the handshake is over (done, or an alert). */
    handshake(s: SessionTransport, bytesAvailable: number): boolean;
    /** Without n: decodes a record if none is pending; null after an alert. With n: n decoded bytes. */
    read(s: SessionTransport, n?: number): Uint8Array | null | undefined;
    write(s: SessionTransport, data: Uint8Array): number;
    close(s: SessionTransport): void;
    /** Writes one protocol message (e.g. ssl/alert with level and description). */
    doProtocol(s: SessionTransport, protocol: object, param1?: unknown, param2?: unknown): void;
    readonly bytesAvailable: number;
    alert?: { level: number; description: number };
    certificateManager: { verify(certs: ArrayBuffer[], options: object): boolean; [k: string]: unknown };
    protocolVersion: number;
    chosenCipher?: { keyExchangeAlgorithm: number; cipherAlgorithm: number; cipherKeySize: number; hashAlgorithm: number };
  }
}

// Moddable's "Resource" module ($(MODULES)/files/resource, included by tls.json): the app's resources.
declare module "Resource" {
  export default class Resource {
    constructor(path: string);
    static exists(path: string): boolean;
    readonly byteLength: number;
    slice(begin: number, end?: number, copy?: boolean): ArrayBuffer;
  }
}

declare module "ssl/alert" {
  const alert: { readonly close_notify: 0; packetize(session: object, level: number, description: number): ArrayBuffer };
  export default alert;
}
