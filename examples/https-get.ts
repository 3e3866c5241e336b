// The article's HTTPS client, in the article's order: make a socket, wrap it with
// SSLContext(...).wrap_socket(s, server_hostname=host), and only then connect((host, 443)),
// sendall() the request and recv(5000) until the server closes:
//
//   import socket, ssl
//   def https_get(url):
//       _, _, host, path = url.split('/', 3)
//       addr = socket.getaddrinfo(host, 443)[0][-1]
//       s = socket.socket()
//       ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)
//       s = ctx.wrap_socket(s, server_hostname=host)
//       s.connect(addr)
//       s.sendall(bytes('GET /%s HTTP/1.0\r\nHost: %s\r\n\r\n' % (path, host), 'utf8'))
//       while True:
//           data = s.recv(5000)
//           if not data:
//               break
//           print(str(data, 'utf8'), end='')
//       s.close()
//
// Additions: a port in the URL (https://localhost:4433/), and `--cafile FILE` to trust a CA of
// your own (PEM or DER; on Moddable the name of a resource in the app's manifest). Without it the
// desktop trusts the system's CA store. Verification is on: a wrong name or an unknown CA is an
// OSError that says so.
// Run: npm run example -- https-get [--cafile ca.pem] https://localhost:4433/
import * as socket from "usocket-xs/socket";
import * as ssl from "usocket-xs/ssl";
import { decode } from "usocket-xs/bytes";
import { argv, print, fail } from "./lib/platform";

/** Python's str.split(sep, maxsplit). */
function split(text: string, sep: string, maxsplit: number): string[] {
  const parts = text.split(sep);
  return parts.length > maxsplit + 1 ? [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)] : parts;
}

function hostAndPort(netloc: string): [string, number] {
  const m = /^\[([^\]]*)\](?::(\d+))?$/.exec(netloc) ?? /^([^:]*)(?::(\d+))?$/.exec(netloc);
  if (!m) return [netloc, 443];
  return [m[1], m[2] ? Number(m[2]) : 443];
}

export async function https_get(url: string, cafile?: string): Promise<void> {
  const [, , netloc, path = ""] = split(url, "/", 3);
  const [host, port] = hostAndPort(netloc);
  const addr = (await socket.getaddrinfo(host, port))[0].at(-1);
  let s = socket.socket();
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2);
  if (cafile) ctx.load_verify_locations(cafile);
  s = await ctx.wrap_socket(s, { server_hostname: host }); // not connected yet: the SSLSocket itself, at once
  await s.connect(addr); // connects, then handshakes
  await s.sendall(`GET /${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
  for (;;) {
    const data = await s.recv(5000);
    if (!data.length) break;
    print(decode(data), { end: "" });
  }
  s.close();
}

const args = argv();
let cafile: string | undefined;
const i = args.indexOf("--cafile");
if (i >= 0) { cafile = args[i + 1]; args.splice(i, 2); }
https_get(args[0] ?? "https://localhost:4433/", cafile).catch((e) => {
  print("https_get failed:", e);
  fail();
});
