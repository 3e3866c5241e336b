// The article's client, from its first line: join WiFi as a station (the same block as
// examples/web-server), then the MicroPython tutorial's HTTP client (docs "network basics":
// http_get), line for line:
//
//   station = network.WLAN(network.STA_IF)   … print("Connection successful"); print(station.ifconfig())
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
// Credentials: SSID and PASSWORD in the environment on the desktop; `mcconfig … ssid=… password=…`
// on Moddable. The join gives up when status() names a failure (MicroPython's loop would spin).
// Run: npm run example -- http-get [url]      (default http://127.0.0.1:8080/)
import * as network from "usocket-xs/network";
import * as socket from "usocket-xs/socket";
import * as time from "usocket-xs/time";
import { decode } from "usocket-xs/bytes";
import { argv, getenv, print, fail } from "./lib/platform";
import { gaveUp } from "./lib/gave-up";

const ssid = getenv("SSID") ?? getenv("ssid") ?? "SSID";
const password = getenv("PASSWORD") ?? getenv("password") ?? "PASSWORD";

async function join(): Promise<boolean> {
  const station = network.WLAN(network.STA_IF);
  if (station.isconnected() === true) {
    print("Already connected");
  }
  station.active(true);
  station.connect(ssid, password);
  while (station.isconnected() === false) {
    if (gaveUp(station)) return false;
    await time.sleep_ms(100);
  }
  print("Connection successful");
  print(station.ifconfig());
  return true;
}

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

join().then((ok) => (ok ? http_get(argv()[0] ?? "http://127.0.0.1:8080/") : fail())).catch((e) => {
  print("http_get failed:", e);
  fail();
});
