// The article's web server as one select.poll() loop: every client at once, none waiting for
// another. MicroPython programs write it like this:
//
//   s.setblocking(False); poller = select.poll(); poller.register(s, select.POLLIN)
//   while True:
//       for obj, ev in poller.poll(1000):
//           if obj is s: cl, addr = s.accept(); cl.setblocking(False); poller.register(cl, select.POLLIN)
//           elif ev & select.POLLIN: ... read what is there; at the blank line, write the page: if
//                                    not all of it fits, poller.modify(cl, select.POLLOUT)
//           elif ev & select.POLLOUT: ... write what fits; when all is sent, unregister and close
//
// Additions an embedded developer makes: at most 4 KiB of request per client (a longer one is
// dropped), 5 s without progress and a client is dropped (a silent client costs only its own
// socket, never anyone's turn), errors cost only that client's connection.
//
// Run: npm run example -- poll-server [port] [bind-address] [-q]     (default 8080 0.0.0.0)
import * as socket from "usocket-xs/socket";
import * as select from "usocket-xs/select";
import { OSError, EAGAIN } from "usocket-xs/errno";
import { encode } from "usocket-xs/bytes";
import { HEADER, page } from "./lib/pins-page";
import { argv, getenv, print, fail } from "./lib/platform";

const args = argv().filter((a) => a !== "-q");
const quiet = args.length !== argv().length || !!getenv("QUIET");
const PORT = Number(args[0] ?? getenv("PORT") ?? 8080);
const HOST = args[1] ?? "0.0.0.0";
const MAX_REQUEST = 4096;
const IDLE_MS = 5000;

interface Client {
  /** The end of what the client sent so far (enough to spot the blank line). */
  tail: string;
  got: number;
  reply?: Uint8Array;
  sent: number;
  last: number;
}

async function main(): Promise<void> {
  const addr = (await socket.getaddrinfo(HOST, PORT))[0].at(-1);
  const s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(addr);
  s.listen(5);
  s.setblocking(false);
  print("listening on", s.getsockname());

  const poller = select.poll<select.Pollable>();
  poller.register(s, select.POLLIN);
  const clients = new Map<socket.Socket, Client>();
  const drop = (cl: socket.Socket) => { poller.unregister(cl); clients.delete(cl); cl.close(); };
  /** Writes what fits of the reply (non-blocking write: a count, or null when full); true when all is sent and the client closed. */
  const send = async (cl: socket.Socket, c: Client) => {
    c.sent += (await cl.write(c.reply!.subarray(c.sent))) ?? 0;
    if (c.sent < c.reply!.length) return false;
    drop(cl);
    return true;
  };
  let swept = Date.now();

  for (;;) {
    const ready = await poller.poll(1000);
    const now = Date.now();
    for (const [obj, ev] of ready) {
      if (obj === s) {
        try {
          const [cl, from] = await s.accept();
          if (!quiet) print("client connected from", from);
          cl.setblocking(false);
          poller.register(cl, select.POLLIN);
          clients.set(cl, { tail: "", got: 0, sent: 0, last: now });
        } catch (e) {
          if (!(e instanceof OSError && e.errno === EAGAIN)) throw e; // EAGAIN: that client went away
        }
        continue;
      }
      const cl = obj as socket.Socket;
      const c = clients.get(cl);
      if (!c) continue;
      try {
        if (ev & select.POLLIN && !c.reply) {
          const data = await cl.recv(1024);
          c.got += data.length;
          c.last = now;
          let text = c.tail;
          for (let i = 0; i < data.length; i++) text += String.fromCharCode(data[i]);
          c.tail = text.slice(-4);
          if (data.length === 0 || /\r?\n\r?\n/.test(text)) {
            c.reply = encode(HEADER + page()); // the end of the request (or EOF): answer
            if (!(await send(cl, c))) poller.modify(cl, select.POLLOUT); // the rest when there is room
          } else if (c.got > MAX_REQUEST) drop(cl);
        } else if (ev & select.POLLOUT && c.reply) {
          c.last = now;
          await send(cl, c);
        } else if (ev & (select.POLLERR | select.POLLHUP | select.POLLNVAL)) drop(cl);
      } catch (e) {
        if (!quiet) print("client error:", e); // ECONNRESET, EPIPE…: that client is gone
        drop(cl);
      }
    }
    if (now - swept >= 1000) { // once a second: drop clients idle too long
      swept = now;
      for (const [cl, c] of clients) if (now - c.last > IDLE_MS) drop(cl);
    }
  }
}

main().catch((e) => {
  print("poll-server failed:", e);
  fail();
});
