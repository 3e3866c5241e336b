// The MicroPython tutorial's HTTP client (docs "network basics": http_get), line for line:
//
//   def http_get(url):
//       import socket
//       _, _, host, path = url.split('/', 3)
//       addr = socket.getaddrinfo(host, 80)[0][-1]
//       s = socket.socket()
//       s.connect(addr)
//       s.send(bytes('GET /%s HTTP/1.0\r\nHost: %s\r\n\r\n' % (path, host), 'utf8'))
//       while True:
//           data = s.recv(100)
//           if data:
//               print(str(data, 'utf8'), end='')
//           else:
//               break
//       s.close()
//
// The one addition: the URL may carry a port (http://host:8080/path). As in the article, each
// recv(100) is decoded on its own, so a multi-byte UTF-8 character split across two recv()s prints
// as U+FFFD (MicroPython would raise UnicodeError there).
// Run: npm run example -- http-get [url]      (default http://127.0.0.1:8080/)
import * as socket from "usocket-xs/socket";
import { decode } from "usocket-xs/bytes";
import { argv, print, fail } from "./lib/platform";

/** Python's str.split(sep, maxsplit): the last part keeps the rest of the string. */
function split(text: string, sep: string, maxsplit: number): string[] {
  const parts = text.split(sep);
  return parts.length > maxsplit + 1 ? [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)] : parts;
}

/** "host", "host:port", "[v6]" or "[v6]:port" → [host, port]. */
function hostAndPort(netloc: string): [string, number] {
  const m = /^\[([^\]]*)\](?::(\d+))?$/.exec(netloc) ?? /^([^:]*)(?::(\d+))?$/.exec(netloc);
  if (!m) return [netloc, 80];
  return [m[1], m[2] ? Number(m[2]) : 80];
}

export async function http_get(url: string): Promise<void> {
  const [, , netloc, path = ""] = split(url, "/", 3);
  const [host, port] = hostAndPort(netloc);
  const addr = (await socket.getaddrinfo(host, port))[0].at(-1);
  const s = socket.socket();
  await s.connect(addr);
  await s.send(`GET /${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
  for (;;) {
    const data = await s.recv(100);
    if (data.length) {
      print(decode(data), { end: "" });
    } else {
      break;
    }
  }
  s.close();
}

http_get(argv()[0] ?? "http://127.0.0.1:8080/").catch((e) => {
  print("http_get failed:", e);
  fail();
});
