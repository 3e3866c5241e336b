// UDP echo, server and client, in the style of the MicroPython tutorial's programs:
//
//   # server                                  # client
//   s = socket.socket(socket.AF_INET,         s = socket.socket(socket.AF_INET,
//                     socket.SOCK_DGRAM)                        socket.SOCK_DGRAM)
//   s.bind(socket.getaddrinfo(                s.settimeout(2)
//       '0.0.0.0', 5005)[0][-1])              addr = socket.getaddrinfo(host, port)[0][-1]
//   while True:                               s.sendto(b'hello', addr)
//       data, addr = s.recvfrom(1024)         data, addr = s.recvfrom(1024)
//       s.sendto(data, addr)                  print('reply from', addr, data)
//
// Run: npm run example -- udp-echo server [port] [bind-address]         (default 5005, 0.0.0.0)
//      npm run example -- udp-echo client [host] [port] [message] [count]
//                                                         (default 127.0.0.1 5005 hello 1)
// The client waits 2 s per reply and tries each message up to 3 times (UDP may drop it);
// it exits with status 1 if a message got no reply.
import * as socket from "usocket-xs/socket";
import * as errno from "usocket-xs/errno";
import { decode } from "usocket-xs/bytes";
import { argv, print, fail } from "./lib/platform";

async function server(port: number, host: string): Promise<void> {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind((await socket.getaddrinfo(host, port))[0].at(-1));
  print("listening on", s.getsockname());
  for (;;) {
    const [data, addr] = await s.recvfrom(1024);
    await s.sendto(data, addr);
  }
}

async function client(host: string, port: number, message: string, count: number): Promise<void> {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.settimeout(2);
  const addr = (await socket.getaddrinfo(host, port))[0].at(-1);
  for (let i = 0; i < count; i++) {
    const text = count > 1 ? `${message} ${i}` : message;
    let answered = false;
    for (let attempt = 0; attempt < 3 && !answered; attempt++) {
      await s.sendto(text, addr);
      try {
        const [data, from] = await s.recvfrom(1024);
        print("reply from", from, decode(data));
        answered = true;
      } catch (e) {
        if (!(e instanceof errno.OSError) || e.errno !== errno.ETIMEDOUT) throw e;
        print("no reply, retrying");
      }
    }
    if (!answered) {
      print("no reply to", JSON.stringify(text));
      fail();
      break;
    }
  }
  s.close();
}

const [mode = "server", ...rest] = argv();
const run =
  mode === "server" ? server(Number(rest[0] ?? 5005), rest[1] ?? "0.0.0.0")
  : mode === "client" ? client(rest[0] ?? "127.0.0.1", Number(rest[1] ?? 5005), rest[2] ?? "hello", Number(rest[3] ?? 1))
  : Promise.reject(new Error(`usage: udp-echo server [port] [bind-address] | client [host] [port] [message] [count]`));
run.catch((e) => {
  print(`udp-echo ${mode} failed:`, e);
  fail();
});
