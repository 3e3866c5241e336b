// Echo over asyncio streams, server and client (MicroPython's asyncio_tcp_server_client test, as
// a program):
//
//   async def echo(reader, writer):                 async def client(host, port):
//       while line := await reader.readline():          reader, writer = await asyncio.open_connection(host, port)
//           writer.write(line); await writer.drain()    writer.write(b'hello\n'); await writer.drain()
//       writer.close(); await writer.wait_closed()      print(await reader.readline())
//
// Run: npm run example -- asyncio-echo server [port] [bind-address]      (default 8000 0.0.0.0)
//      npm run example -- asyncio-echo client [host] [port] [message…]  (default 127.0.0.1 8000 hello)
//      npm run example -- asyncio-echo                                  (both, on a free port: a demo)
// The client waits 5 s for each reply and exits with status 1 if one does not come back intact.
import * as asyncio from "usocket-xs/asyncio";
import { decode } from "usocket-xs/bytes";
import { argv, print, fail } from "./lib/platform";

async function echo(reader: asyncio.Stream, writer: asyncio.Stream): Promise<void> {
  try {
    for (;;) {
      const line = await reader.readline(4096);
      if (!line.length) break;
      writer.write(line);
      await writer.drain();
    }
  } finally {
    await writer.wait_closed();
  }
}

async function server(port: number, host: string): Promise<asyncio.Server> {
  const srv = await asyncio.start_server(echo, host, port);
  print("listening on", srv.sockets[0].getsockname());
  return srv;
}

async function client(host: string, port: number, messages: string[]): Promise<void> {
  const [reader, writer] = await asyncio.open_connection(host, port);
  try {
    for (const m of messages) {
      writer.write(m + "\n");
      await writer.drain();
      const reply = decode(await asyncio.wait_for(reader.readline(), 5));
      print("echo:", reply.trimEnd());
      if (reply !== m + "\n") { print("wrong reply to", JSON.stringify(m)); fail(); }
    }
  } finally {
    await writer.wait_closed();
  }
}

async function demo(): Promise<void> {
  const srv = await server(0, "127.0.0.1");
  await client("127.0.0.1", srv.sockets[0].getsockname()[1], ["hello", "from", "asyncio"]);
  srv.close();
  await srv.wait_closed();
}

const [mode = "demo", ...rest] = argv();
const run =
  mode === "server" ? server(Number(rest[0] ?? 8000), rest[1] ?? "0.0.0.0").then((srv) => srv.wait_closed())
  : mode === "client" ? client(rest[0] ?? "127.0.0.1", Number(rest[1] ?? 8000), rest.length > 2 ? rest.slice(2) : ["hello"])
  : mode === "demo" ? demo()
  : Promise.reject(new Error("usage: asyncio-echo [server [port] [bind-address] | client [host] [port] [message…]]"));
asyncio.run(run).catch((e) => {
  print(`asyncio-echo ${mode} failed:`, e);
  fail();
});
