// The project's own declarations for the ECMA-419 UDP socket as Moddable implements it
// (documentation/io/io.md). Note: Moddable's implementations (lin, lwip) and its examples take
// write(data, address, port), not the (address, port, data) order that io.md shows.
declare module "embedded:io/socket/udp" {
  export interface UDPPacket extends ArrayBuffer {
    readonly address: string;
    readonly port: number;
  }
  export interface UDPOptions {
    /** Local port to bind; without it the socket is bound on its first write. */
    port?: number;
    address?: string;
    onReadable?: (this: UDP, packets: number) => void;
    onError?: (this: UDP) => void;
  }
  export default class UDP {
    constructor(options: UDPOptions);
    /** The oldest received packet, or undefined. */
    read(): UDPPacket | undefined;
    write(data: ArrayBuffer | ArrayBufferView, address: string, port: number): void;
    close(): void;
    format: "buffer";
  }
}
