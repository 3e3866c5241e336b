// A TLS connection as the core sees it: an ordinary TcpStream (the same receive queue, wait queues
// and flow control as plain TCP) whose host stream is a SecureStream. Its "connected" phase begins
// when the handshake is done, so connect(), timeouts and non-blocking modes cover the handshake too.
import { OSError, EOPNOTSUPP, ECONNRESET, EIO } from "usocket-xs/errno";
import { tls } from "usocket-xs/host-tls";
import { TcpStream, Phase } from "usocket-xs/tcp-stream";
import type { Port, Stream, StreamEvents } from "usocket-xs/port";
import type { SecureStream, TlsConfig, TlsPort, TlsSession } from "usocket-xs/port-tls";

export function tlsPort(port: Port, what: string): TlsPort {
  if (!tls) throw new OSError(EOPNOTSUPP, `${what}: this platform (${port.name}) has no TLS`);
  return tls;
}

export class TlsLink {
  secure: SecureStream | undefined;
  constructor(private readonly port: Port, private readonly config: TlsConfig, private readonly session: TlsSession) {}

  /** TLS over a connection that is already up (the caller checked): the new stream replaces the plain one. */
  over(plain: TcpStream): TcpStream {
    const t = new TcpStream(Phase.Connecting);
    const raw = plain.stream!;
    const received = plain.rx.take(plain.rx.length);
    try {
      t.stream = this.start(raw, received, t);
    } catch (e) {
      plain.close();
      throw e;
    }
    plain.stream = undefined; // the TLS layer owns it now; close() below ends only the plain bookkeeping
    plain.close();
    return t;
  }

  /** For connect(): open TCP, and start TLS when it is up. `t` stays "connecting" until the handshake ends. */
  connect(address: string, port: number, options: Parameters<Port["connect"]>[2], t: TcpStream): Stream {
    let raw: Stream | undefined;
    const relay: StreamEvents = {
      onConnect: () => {
        if (t.phase !== Phase.Connecting || t.stream !== raw) return;
        try {
          t.stream = this.start(raw!, new Uint8Array(0), t);
        } catch (e) {
          t.onError(e instanceof OSError ? e.errno : EIO, e instanceof OSError ? e.args[1] : String(e));
        }
      },
      onData: () => {},
      onWritable: () => {},
      onEnd: () => t.onError(ECONNRESET, "the peer closed the connection before the TLS handshake"),
      onError: (e, detail) => t.onError(e, detail),
    };
    raw = this.port.connect(address, port, options, relay);
    return raw;
  }

  private start(raw: Stream, received: Uint8Array, events: StreamEvents): SecureStream {
    this.secure = tlsPort(this.port, "wrap_socket").secure(raw, received, this.config, this.session, events);
    return this.secure;
  }
}
