// The project's own declarations for Moddable's classic "socket" module (Socket, Listener),
// written from documentation/network/network.md. Only what usocket-xs uses, plus the documented
// shape around it.
declare module "socket" {
  type SocketData = string | number | ArrayBuffer | ArrayBufferView;

  export interface SocketOptions {
    /** Host name or numeric address to connect to (resolved by the socket). */
    host?: string;
    /** Numeric address to connect to. */
    address?: string;
    port?: number;
    kind?: "TCP" | "UDP";
    /** Accept the connection pending on this listener (inside its callback). */
    listener?: Listener;
    noDelay?: boolean;
    keepalive?: { idle?: number; interval?: number; count?: number };
  }

  export class Socket {
    constructor(options: SocketOptions);
    /** Message numbers passed to callback. */
    static readonly connected: 1;
    static readonly readable: 2;
    static readonly writable: 3;
    static readonly error: -2;
    static readonly disconnected: -1;
    /**
     * -2 error, -1 disconnected, 1 connected, 2 data received (value: bytes available),
     * 3 data sent (value: bytes that may be written). UDP data received adds address and port.
     */
    callback?: (this: Socket, message: number, value?: number, address?: string, port?: number) => void;
    /** No argument: bytes available. */
    read(): number;
    read(type: typeof ArrayBuffer, until?: number | string): ArrayBuffer;
    read(type: typeof String, until?: number | string): string;
    read(type: typeof Number): number;
    /** Skip; returns the count skipped. */
    read(type: null, until?: number | string): number;
    /** No argument: bytes that can be written now. */
    write(): number;
    /** TCP: throws when the data does not fit the free space (nothing is sent then). */
    write(...data: SocketData[]): void;
    close(): void;
    get(what: "REMOTE_IP"): string | undefined;
  }

  export interface ListenerOptions {
    port?: number;
    /** Honoured by the lwIP implementation (ESP32, ESP8266). */
    address?: string;
  }

  export class Listener {
    constructor(options: ListenerOptions);
    /** A connection is waiting: accept it with new Socket({listener: this}). */
    callback?: (this: Listener) => void;
    close(): void;
  }

  const socket: { Socket: typeof Socket; Listener: typeof Listener };
  export default socket;
}
