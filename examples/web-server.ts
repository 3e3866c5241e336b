// The article's web server, from its first line: join WiFi as a station, then answer every browser
// with the article's page.
//
//   import network, socket
//   station = network.WLAN(network.STA_IF)
//   if station.isconnected() == True:
//       print("Already connected")
//   station.active(True)
//   station.connect(ssid, password)
//   while station.isconnected() == False:
//       pass
//   print("Connection successful")
//   print(station.ifconfig())
//
//   def web_page():
//       html = """<html><head><title>ESP8266 Server</title></head>
//       <body><h1>Welcome to ESP8266 Server</h1></body></html>"""
//       return html
//   s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
//   s.bind(('', 80))
//   s.listen(5)
//   while True:
//       conn, addr = s.accept()
//       print('Got a connection from %s' % str(addr))
//       request = conn.recv(1024)
//       print('Content = %s' % str(request))
//       response = web_page()
//       conn.send('HTTP/1.1 200 OK\n')
//       conn.send('Content-Type: text/html\n')
//       conn.send('Connection: close\n\n')
//       conn.sendall(response)
//       conn.close()
//
// In TypeScript the busy `pass` becomes `await time.sleep_ms(100)` (a busy loop would freeze XS,
// whose WiFi events run between turns). Additions an embedded developer makes before leaving it
// running: the join gives up when status() names a failure (MicroPython's loop would spin for
// ever); each connection is handled in try/catch/finally with a 5 s timeout, so a client that
// resets or says nothing costs only its own connection; SO_REUSEADDR; the headers end in \r\n;
// "listening on" shows the port bound (0 picks a free one).
//
// Credentials: SSID and PASSWORD in the environment on the desktop (which is already joined through
// its own network: any SSID joins at once, or simulate access points with USOCKET_XS_WIFI=file.json);
// `mcconfig … ssid="my network" password="secret"` on Moddable.
// Run: npm start                              (port 8080)
//      npm run example -- web-server [port] [bind-address] [-q]
import * as network from "usocket-xs/network";
import * as socket from "usocket-xs/socket";
import * as time from "usocket-xs/time";
import { decode } from "usocket-xs/bytes";
import { argv, getenv, print, fail } from "./lib/platform";
import { gaveUp } from "./lib/gave-up";

const ssid = getenv("SSID") ?? getenv("ssid") ?? "SSID";
const password = getenv("PASSWORD") ?? getenv("password") ?? "PASSWORD";

const args = argv().filter((a) => a !== "-q");
const quiet = args.length !== argv().length || !!getenv("QUIET");
const PORT = Number(args[0] ?? getenv("PORT") ?? 8080);
const HOST = args[1] ?? "0.0.0.0";

function web_page(): string {
  const html = `<html><head><title>ESP8266 Server</title></head>
<body><h1>Welcome to ESP8266 Server</h1></body></html>
`;
  return html;
}

async function main(): Promise<void> {
  const station = network.WLAN(network.STA_IF);
  if (station.isconnected() === true) {
    print("Already connected");
  }
  station.active(true);
  station.connect(ssid, password);
  while (station.isconnected() === false) {
    if (gaveUp(station)) { fail(); return; }
    await time.sleep_ms(100);
  }
  print("Connection successful");
  print(station.ifconfig());

  const s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind((await socket.getaddrinfo(HOST, PORT))[0].at(-1));
  s.listen(5);
  print("listening on", s.getsockname());

  for (;;) {
    const [conn, addr] = await s.accept();
    try {
      if (!quiet) print("Got a connection from", addr);
      conn.settimeout(5);
      const request = await conn.recv(1024);
      if (!quiet) print(`Content = ${JSON.stringify(decode(request))}`);
      const response = web_page();
      await conn.send("HTTP/1.1 200 OK\r\n");
      await conn.send("Content-Type: text/html\r\n");
      await conn.send("Connection: close\r\n\r\n");
      await conn.sendall(response);
    } catch (e) {
      print("client error:", e); // ECONNRESET, ETIMEDOUT…: that client is gone; serve the next one
    } finally {
      conn.close();
    }
  }
}

main().catch((e) => {
  print("web-server failed:", e);
  fail();
});
