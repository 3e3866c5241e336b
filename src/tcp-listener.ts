// A listening TCP socket: connections the host accepted that the program has not accept()ed yet.
import { OSError } from "./errno";
import { TcpStream, Phase } from "./tcp-stream";
import { WaitQueue, WOULD_BLOCK } from "./wait-queue";
import type { Listener, ListenerEvents, Port, Stream, StreamEvents } from "./port";

/** Connections waiting for accept() beyond max(backlog, this) are closed as they arrive. */
export const MIN_PENDING = 16;

export class TcpListener implements ListenerEvents {
  listener: Listener | undefined;
  readonly accepts: WaitQueue;
  private pending: TcpStream[] = [];
  private error = 0;

  constructor(private readonly port: Port, private readonly rxLimit: number, private readonly backlog: number) {
    this.accepts = new WaitQueue(port, () => {});
  }

  onConnection(stream: Stream): StreamEvents {
    const conn = new TcpStream(this.port, this.rxLimit, Phase.Connected);
    conn.stream = stream;
    if (!this.listener || this.pending.length >= Math.max(this.backlog, MIN_PENDING)) {
      conn.close();
      return conn;
    }
    this.pending.push(conn);
    this.accepts.wake();
    return conn;
  }

  onError(errno: number): void {
    this.error = errno;
    this.accepts.wake();
  }

  accept(): TcpStream | typeof WOULD_BLOCK {
    const c = this.pending.shift();
    if (c) return c;
    if (this.error) throw new OSError(this.error);
    return WOULD_BLOCK;
  }

  close(): void {
    const l = this.listener;
    this.listener = undefined;
    for (const c of this.pending) c.close();
    this.pending = [];
    this.accepts.failAll();
    if (l) l.close();
  }
}
