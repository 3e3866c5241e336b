// Stand-in for the ECMA-419 UDP socket ("embedded:io/socket/udp") as Moddable implements it on lin
// and lwIP: constructor {port, onReadable}; binds every interface, and only when a port is given
// (otherwise on the first write); read() returns the oldest packet as an ArrayBuffer carrying
// address and port, or undefined; write(data, address, port).
import { call, on, post, toBase64, fromBase64, uncaught } from "./bridge";
import { settings, stats } from "./settings";

const all = new Map<number, UDP>();
let nextId = 1;

on("udp", (ev: { id: number; b64: string; address: string; port: number }) => {
  const u = all.get(ev.id);
  if (u) u.received(fromBase64(ev.b64), ev.address, ev.port);
});

type Packet = ArrayBuffer & { address: string; port: number };

export default class UDP {
  private readonly id: number;
  private readonly onReadable?: (this: UDP, count: number) => void;
  private packets: Packet[] = [];
  private closed = false;

  constructor(options: { port?: number; address?: string; onReadable?: (this: UDP, count: number) => void }) {
    const port = options.port ?? 0;
    if (port < 0 || port > 65535) throw new RangeError("invalid port");
    this.id = nextId++;
    try {
      call("udp.open", { id: this.id, port });
    } catch {
      throw new Error("bind failed");
    }
    this.onReadable = options.onReadable;
    all.set(this.id, this);
    stats.udp++;
  }

  get format(): string {
    return "buffer";
  }

  received(bytes: Uint8Array, address: string, port: number): void {
    const p = bytes.buffer as Packet;
    p.address = address;
    p.port = port;
    this.packets.push(p);
    post(() => {
      if (this.closed || !this.packets.length) return;
      try {
        this.onReadable?.call(this, this.packets.length);
      } catch (e) {
        uncaught(e);
      }
    });
  }

  read(): Packet | undefined {
    return this.packets.shift();
  }

  write(data: ArrayBuffer | ArrayBufferView, address: string, port: number): void {
    if (this.closed) return; // lin traces "write to closed socket"
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      call("udp.send", { id: this.id, b64: toBase64(bytes), address, port });
    } catch {
      throw new Error(settings.platform === "lin" ? "sendto failed" : "UDP send failed");
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    all.delete(this.id);
    stats.udp--;
    this.packets = [];
    call("udp.close", { id: this.id });
  }
}
