// Per-file helpers: sockets and peers made through a fixture are closed/killed after each test,
// so a failing test leaves nothing running behind it.
import { harness } from "test-harness";
import { socket, Socket, AF_INET, SOCK_STREAM, SOCK_DGRAM } from "usocket-xs/socket";
import { TCP_SERVER, TCP_CLIENT, UDP_ECHO, PORT_HOLDER, TCP_BLACKHOLE } from "../peers/python";
import { ok, fail } from "./assert";

export type Peer = ReturnType<typeof harness.spawn>;

export interface Fixture {
  socket(af?: number, type?: number): Socket;
  udp(): Socket;
  /** Adopt a socket made elsewhere (accept()). */
  adopt<T extends Socket>(s: T): T;
  spawn(command: string, args: string[]): Peer;
  python(script: string, args: (string | number)[]): Peer;
  /** A CPython TCP server running these actions on its one connection: the peer and its port. */
  server(actions: string[]): Promise<{ peer: Peer; port: number }>;
  /** A CPython TCP client connecting to port and running the actions. */
  client(port: number, actions: string[]): Peer;
  /** A connected pair: our socket to a CPython server running the actions. */
  connected(actions: string[]): Promise<{ s: Socket; peer: Peer; port: number }>;
  /** Our listener on 127.0.0.1, a CPython client running actions, and the accepted socket. */
  accepted(actions: string[]): Promise<{ s: Socket; peer: Peer; listener: Socket }>;
  udpEcho(): Promise<{ peer: Peer; port: number }>;
  /** A port CPython holds bound ("udp" or TCP listening) until the test ends. */
  heldPort(kind: "tcp" | "udp"): Promise<number>;
  /** A port on which connect() hangs (accept queue full, SYNs dropped). */
  blackhole(): Promise<number>;
  /** A TCP port nobody listens on (bound and closed just now). */
  closedPort(): number;
  /** Listening socket on 127.0.0.1:0 and its port. */
  listener(backlog?: number): { listener: Socket; port: number };
  /** Two of our sockets connected to each other over 127.0.0.1 (no peer process: quick). */
  pair(): Promise<[Socket, Socket]>;
}

/** Reads "WORD rest" from the peer, checking WORD; returns the rest split on spaces. */
export async function expectLine(peer: Peer, word: string): Promise<string[]> {
  const line = await peer.line();
  const parts = line.split(" ");
  if (parts[0] !== word) fail(`peer said ${JSON.stringify(line)}, expected ${word} …`);
  return parts.slice(1);
}

export async function readyPort(peer: Peer): Promise<number> {
  const [p] = await expectLine(peer, "READY");
  const port = Number(p);
  ok(port > 0 && port < 65536, `peer port ${p}`);
  return port;
}

/** A TCP port nobody listens on (bound and closed just now). */
export function closedPort(): number {
  const s = socket();
  s.bind(["127.0.0.1", 0]);
  s.listen();
  const port = s.getsockname()[1];
  s.close();
  return port;
}

export function fixture(): Fixture {
  const sockets: Socket[] = [];
  const peers: Peer[] = [];
  harness.afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
    for (const p of peers.splice(0)) p.kill();
  });
  const f: Fixture = {
    socket(af = AF_INET, type = SOCK_STREAM) {
      return f.adopt(socket(af, type));
    },
    udp() {
      return f.socket(AF_INET, SOCK_DGRAM);
    },
    adopt(s) {
      sockets.push(s);
      return s;
    },
    spawn(command, args) {
      const p = harness.spawn(command, args);
      peers.push(p);
      return p;
    },
    python(script, args) {
      return f.spawn("python3", ["-c", script, ...args.map(String)]);
    },
    async server(actions) {
      const peer = f.python(TCP_SERVER, actions);
      return { peer, port: await readyPort(peer) };
    },
    client(port, actions) {
      return f.python(TCP_CLIENT, [port, ...actions]);
    },
    async connected(actions) {
      const { peer, port } = await f.server(actions);
      const s = f.socket();
      await s.connect(["127.0.0.1", port]);
      return { s, peer, port };
    },
    async accepted(actions) {
      const { listener, port } = f.listener();
      const peer = f.client(port, actions);
      const [s] = await listener.accept();
      f.adopt(s);
      return { s, peer, listener };
    },
    async udpEcho() {
      const peer = f.python(UDP_ECHO, []);
      return { peer, port: await readyPort(peer) };
    },
    async heldPort(kind) {
      return readyPort(f.python(PORT_HOLDER, kind === "udp" ? ["udp"] : []));
    },
    async blackhole() {
      return readyPort(f.python(TCP_BLACKHOLE, []));
    },
    closedPort,
    listener(backlog) {
      const l = f.socket();
      l.bind(["127.0.0.1", 0]);
      l.listen(backlog);
      return { listener: l, port: l.getsockname()[1] };
    },
    async pair() {
      const { listener, port } = f.listener();
      const c = f.socket();
      const accepting = listener.accept();
      await c.connect(["127.0.0.1", port]);
      const [s] = await accepting;
      f.adopt(s);
      listener.close();
      return [c, s];
    },
  };
  return f;
}

/** The text of the peer's next "GOT <json>" line (bytes as Latin-1). */
export async function expectGot(peer: Peer): Promise<string> {
  const rest = await expectLine(peer, "GOT");
  return JSON.parse(rest.join(" ")) as string;
}

/**
 * call is still waiting after ms, while the peer has not been told to act ("wait" in its actions);
 * then the peer is told, and call's result returned. No timing margin: the peer cannot act sooner.
 */
export async function waitsForPeer<T>(call: Promise<T>, peer: Peer, ms = 300): Promise<T> {
  const w = watch(call);
  await harness.sleep(ms);
  ok(!w.settled, "the call is still waiting");
  peer.write("\n");
  return w.promise;
}

/** p, and whether it has settled yet: `w.settled` is still false while the call is waiting. */
export function watch<T>(p: Promise<T>): { promise: Promise<T>; settled: boolean } {
  const w = { promise: p, settled: false };
  p.then(() => { w.settled = true; }, () => { w.settled = true; });
  return w;
}
