// The bench's far end, in its own process so its work does not share a CPU with the side being
// measured: a raw node:net server. A connection starts with one line:
//   "U <n>\n"  the client uploads n bytes; the peer checksums them and answers "<adler32>\n".
//   "D <n>\n"  the peer sends n bytes (write() honouring back-pressure with 'drain'), then "<adler32>\n".
// Prints "port <n>" when listening. With arguments CERT KEY (PEM files) it is a node:tls server.
import * as net from "node:net";
import * as tls from "node:tls";
import { readFileSync } from "node:fs";
import { Adler32, chunk, chunks } from "./common";

function download(sock: net.Socket, total: number): void {
  const sum = new Adler32();
  const n = chunks(total);
  let i = 0;
  const pump = () => {
    while (i < n) {
      const c = chunk(i++, total);
      sum.update(c);
      if (!sock.write(c)) { sock.once("drain", pump); return; }
    }
    sock.end(`${sum.digest()}\n`);
  };
  pump();
}

const onConnection = (sock: net.Socket) => {
  let head = Buffer.alloc(0);
  let mode: "U" | "D" | undefined;
  let left = 0;
  const sum = new Adler32();
  sock.on("error", () => sock.destroy());
  sock.on("data", (b: Buffer) => {
    let data: Uint8Array = b;
    if (!mode) {
      head = Buffer.concat([head, b]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      const [m, n] = head.subarray(0, nl).toString().split(" ");
      mode = m as "U" | "D";
      left = Number(n);
      data = head.subarray(nl + 1);
      if (mode === "D") { download(sock, left); return; }
    }
    if (mode !== "U" || !data.length) return;
    const k = Math.min(left, data.length);
    sum.update(k < data.length ? data.subarray(0, k) : data);
    left -= k;
    if (left === 0) sock.end(`${sum.digest()}\n`);
  });
};
const [cert, key] = process.argv.slice(2);
const server = cert
  ? tls.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, onConnection).on("tlsClientError", () => {})
  : net.createServer(onConnection);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`port ${(server.address() as net.AddressInfo).port}\n`);
});
process.stdin.on("end", () => process.exit(0)); // the bench closed our stdin: it is done
process.stdin.resume();
