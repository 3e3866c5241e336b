// One UDP socket as the core sees it: datagrams waiting to be read, and the peer it is connected to.
import { OSError } from "./errno";
import { WaitQueue, WOULD_BLOCK, notifyOwner } from "./wait-queue";
import type { Datagram, DatagramEvents, HostAddress } from "./port";

interface Received {
  bytes: Uint8Array;
  from: HostAddress;
}

/** Datagrams kept unread before new ones are dropped, as a full receive buffer drops them. */
const UDP_QUEUE_DATAGRAMS = 64;
const UDP_QUEUE_BYTES = 64 * 1024;

export class UdpEndpoint implements DatagramEvents {
  datagram: Datagram | undefined;
  readonly reads: WaitQueue;
  peer: HostAddress | undefined;
  private queue: Received[] = [];
  private queuedBytes = 0;
  error = 0;
  /** Called when a datagram or an error arrives (select's wake-up). */
  notify(): void {}

  constructor() {
    this.reads = new WaitQueue(notifyOwner, this);
  }

  /** Datagrams recvfrom() would return at once. */
  get waiting(): number {
    return this.queue.length;
  }

  onMessage(bytes: Uint8Array, address: string, port: number): void {
    const peer = this.peer;
    if (peer && (peer[0] !== address || peer[1] !== port)) return;
    if (this.queue.length >= UDP_QUEUE_DATAGRAMS || this.queuedBytes + bytes.length > UDP_QUEUE_BYTES) return;
    this.queue.push({ bytes, from: [address, port] });
    this.queuedBytes += bytes.length;
    this.reads.wake();
  }

  onError(errno: number): void {
    this.error = errno;
    this.reads.wake();
  }

  /** recvfrom(n): one datagram, cut to n bytes (the rest is discarded, as on every port). */
  recvfrom(n: number, peek: boolean): [Uint8Array, HostAddress] | typeof WOULD_BLOCK {
    const d = this.queue[0];
    if (!d) {
      if (this.error) {
        const e = this.error;
        this.error = 0;
        throw new OSError(e);
      }
      return WOULD_BLOCK;
    }
    if (!peek) {
      this.queue.shift();
      this.queuedBytes -= d.bytes.length;
    }
    const bytes = d.bytes.length > n ? d.bytes.subarray(0, n) : d.bytes;
    return [peek ? bytes.slice() : bytes, d.from.slice() as HostAddress];
  }

  close(): void {
    const d = this.datagram;
    this.datagram = undefined;
    this.queue = [];
    this.queuedBytes = 0;
    this.reads.failAll();
    if (d) d.close();
  }
}
