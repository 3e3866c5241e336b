// The article's web server on asyncio.start_server(): each client is its own task, so any number
// are served at once. In MicroPython:
//
//   async def serve(reader, writer):
//       while True:
//           line = await reader.readline()
//           if not line or line == b'\r\n': break
//       writer.write(b'HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n'); writer.write(response)
//       await writer.drain(); writer.close(); await writer.wait_closed()
//   asyncio.run(asyncio.start_server(serve, '0.0.0.0', 80)); asyncio.get_event_loop().run_forever()
//
// Additions an embedded developer makes: the request must arrive within 5 s (wait_for: a silent
// client's task is cancelled, its socket closed), lines are read at most 1 KiB at a time, and a
// failing client costs only its own task.
//
// Run: npm run example -- asyncio-server [port] [bind-address] [-q]   (default 8080 0.0.0.0)
import * as asyncio from "usocket-xs/asyncio";
import { equals } from "usocket-xs/bytes";
import { HEADER, page } from "./lib/pins-page";
import { argv, getenv, print, fail } from "./lib/platform";

const args = argv().filter((a) => a !== "-q");
const quiet = args.length !== argv().length || !!getenv("QUIET");
const PORT = Number(args[0] ?? getenv("PORT") ?? 8080);
const HOST = args[1] ?? "0.0.0.0";

async function readRequest(reader: asyncio.Stream): Promise<void> {
  for (;;) {
    const line = await reader.readline(1024);
    if (!line.length || equals(line, "\r\n") || equals(line, "\n")) return;
  }
}

async function serve(reader: asyncio.Stream, writer: asyncio.Stream): Promise<void> {
  if (!quiet) print("client connected from", writer.get_extra_info("peername"));
  try {
    await asyncio.wait_for(readRequest(reader), 5);
    writer.write(HEADER);
    writer.write(page());
    await writer.drain();
  } catch (e) {
    if (!quiet) print("client error:", e); // TimeoutError, ECONNRESET…: that client only
  } finally {
    await writer.wait_closed();
  }
}

async function main(): Promise<void> {
  const server = await asyncio.start_server(serve, HOST, PORT, { backlog: 5 });
  print("listening on", server.sockets[0].getsockname());
  await server.wait_closed();
}

asyncio.run(main()).catch((e) => {
  print("asyncio-server failed:", e);
  fail();
});
