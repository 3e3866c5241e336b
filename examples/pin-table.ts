// The MicroPython tutorial's web server (docs "network basics": the pin table), line for line.
// (examples/web-server is the article's server, with its station block.)
//
//   html = """<!DOCTYPE html> ... %s ... """
//   import socket
//   addr = socket.getaddrinfo('0.0.0.0', 80)[0][-1]
//   s = socket.socket()
//   s.bind(addr)
//   s.listen(1)
//   print('listening on', addr)
//   while True:
//       cl, addr = s.accept()
//       print('client connected from', addr)
//       cl_file = cl.makefile('rwb', 0)
//       while True:
//           line = cl_file.readline()
//           if not line or line == b'\r\n':
//               break
//       rows = ['<tr><td>%s</td><td>%d</td></tr>' % (str(p), p.value()) for p in pins]
//       response = html % '\n'.join(rows)
//       cl.send('HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n')
//       cl.send(response)
//       cl.close()
//
// Additions an embedded developer makes before leaving it running: each connection is handled in
// try/catch/finally so a client that connects and closes, resets, or sends garbage costs only its
// own connection; a 5 s timeout per client so one that connects and says nothing cannot stall the
// (single-threaded) server; SO_REUSEADDR so a restart does not wait out TIME_WAIT; readline(1024)
// so a client sending an endless line costs at most 1 KiB at a time (a longer line is read, and
// skipped, in pieces). It serves one client at a time: examples/poll-server and
// examples/asyncio-server serve many at once.
//
// Run: npm run example -- pin-table [port] [bind-address] [-q]     (port 8080)
// Port 0 picks a free port; "listening on" shows the one bound. -q: no line per client.
import * as socket from "usocket-xs/socket";
import { equals } from "usocket-xs/bytes";
import { argv, getenv, print, fail } from "./lib/platform";
// The article's pins and html template (a STATIC table on the desktop, which has no machine.Pin).
import { pins, html } from "./lib/pins-page";

const args = argv().filter((a) => a !== "-q");
const quiet = args.length !== argv().length || !!getenv("QUIET");
const PORT = Number(args[0] ?? getenv("PORT") ?? 8080);
const HOST = args[1] ?? "0.0.0.0";

async function main(): Promise<void> {
  const addr = (await socket.getaddrinfo(HOST, PORT))[0].at(-1);

  const s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(addr);
  s.listen(1);

  print("listening on", s.getsockname()); // the article prints addr; this also shows the port 0 picked

  for (;;) {
    const [cl, addr] = await s.accept();
    if (!quiet) print("client connected from", addr);
    try {
      cl.settimeout(5);
      const cl_file = cl.makefile("rwb", 0);
      for (;;) {
        const line = await cl_file.readline(1024);
        if (!line || line.length === 0 || equals(line, "\r\n") || equals(line, "\n")) {
          break;
        }
      }
      const rows = pins.map(([name, value]) => `<tr><td>${name}</td><td>${value}</td></tr>`);
      const response = html.replace("%s", rows.join("\n"));
      await cl.send("HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n");
      await cl.send(response);
    } catch (e) {
      // ECONNRESET, EPIPE, ETIMEDOUT...: that client is gone; serve the next one.
      print("client error:", e);
    } finally {
      cl.close();
    }
  }
}

main().catch((e) => {
  print("pin-table failed:", e);
  fail();
});
