// The smoke firmware's services, written with usocket-xs only, each a MicroPython-style loop:
// TCP echo, UDP echo, the article's web server, and the control service through which the
// runner asks for the outbound check. Every client is served in its own async function and
// every error stays inside it: a misbehaving client costs only its own connection.
import * as socket from "usocket-xs/socket";
import { decode, equals } from "usocket-xs/bytes";
import { describeError, report, reportError } from "./report";

export interface Faults {
  /** Test switch (SMOKE_FAULT=corrupt-echo): the TCP echo flips the first byte it echoes on each connection. */
  corruptEcho: boolean;
}

type Socket = socket.Socket;

function listenTcp(port: number): Socket {
  const s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(["0.0.0.0", port]);
  s.listen(4);
  return s;
}

/** Accept for ever, handing each client to `serve`; a failing accept() is reported and retried. */
async function acceptLoop(name: string, s: Socket, serve: (cl: Socket) => Promise<void>): Promise<void> {
  for (;;) {
    let cl: Socket;
    try {
      [cl] = await s.accept();
    } catch (e) {
      reportError(`${name} accept: ${describeError(e)}`);
      continue;
    }
    serve(cl).catch((e) => reportError(`${name}: ${describeError(e)}`)).finally(() => cl.close());
  }
}

export function startTcpEcho(port: number, faults: Faults): number {
  const s = listenTcp(port);
  void acceptLoop("tcp-echo", s, async (cl) => {
    cl.settimeout(10);
    let first = faults.corruptEcho;
    for (;;) {
      const data = await cl.recv(2048);
      if (data.length === 0) return;
      if (first) {
        data[0] ^= 0x01;
        first = false;
      }
      await cl.sendall(data);
    }
  });
  return s.getsockname()[1];
}

export function startUdpEcho(port: number): number {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind(["0.0.0.0", port]);
  void (async () => {
    for (;;) {
      try {
        const [data, addr] = await s.recvfrom(1500);
        await s.sendto(data, addr);
      } catch (e) {
        reportError(`udp-echo: ${describeError(e)}`);
      }
    }
  })();
  return s.getsockname()[1];
}

// The article's page ("ESP8266 Server"), served the article's way: read the request line by line
// up to the blank line, send the status line and header, send the page, close.
const PAGE = `<!DOCTYPE html>
<html>
    <head> <title>ESP8266 Server</title> </head>
    <body> <h1>Welcome to ESP8266 Server</h1> </body>
</html>
`;

export function startHttp(port: number): number {
  const s = listenTcp(port);
  void acceptLoop("http", s, async (cl) => {
    cl.settimeout(5);
    const cl_file = cl.makefile("rwb", 0);
    for (;;) {
      const line = await cl_file.readline();
      if (!line || line.length === 0 || equals(line, "\r\n") || equals(line, "\n")) break;
    }
    await cl.send("HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n");
    await cl.sendall(PAGE);
  });
  return s.getsockname()[1];
}

/**
 * The control service: one command per line, one reply line each.
 *   ping                                  → pong
 *   outbound <token> <host> <port> <name> → ok dns=<name>:<address> connect=<host>:<port> ms=<n>
 *                                           | error <text>
 * outbound resolves <name> with getaddrinfo ("-": the gateway `gw`), then connects to
 * <host>:<port> (the runner's listener) and sends "<token>\n".
 */
export function startControl(port: number, gw: string): number {
  const s = listenTcp(port);
  void acceptLoop("control", s, async (cl) => {
    cl.settimeout(60);
    const f = cl.makefile("rwb", 0);
    for (;;) {
      const line = await f.readline(256);
      if (!line || line.length === 0) return;
      const words = decode(line).trim().split(" ").filter((w) => w.length > 0);
      let reply: string;
      if (words[0] === "ping") reply = "pong";
      else if (words[0] === "outbound" && words.length === 5) reply = await outbound(words[1], words[2], Number(words[3]), words[4], gw);
      else reply = `error unknown command ${JSON.stringify(words.join(" ").slice(0, 40))}`;
      await cl.sendall(reply + "\n");
    }
  });
  return s.getsockname()[1];
}

async function outbound(token: string, host: string, port: number, name: string, gw: string): Promise<string> {
  const target = name === "-" ? gw : name;
  let resolved: string;
  try {
    const infos = await socket.getaddrinfo(target, 80);
    resolved = String(infos[0].at(-1)![0]);
  } catch (e) {
    const text = `outbound dns ${target}: ${describeError(e)}`;
    reportError(text);
    return `error ${text}`;
  }
  const started = Date.now();
  const c = socket.socket();
  try {
    c.settimeout(5);
    await c.connect([host, port]);
    await c.sendall(token + "\n");
    const ms = Date.now() - started;
    report(`outbound`, `dns=${target}:${resolved}`, `connect=${host}:${port}`, "ok");
    return `ok dns=${target}:${resolved} connect=${host}:${port} ms=${ms}`;
  } catch (e) {
    const text = `outbound connect ${host}:${port}: ${describeError(e)}`;
    reportError(text);
    return `error ${text}`;
  } finally {
    c.close();
  }
}
