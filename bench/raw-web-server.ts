// The tutorial's pin-table web server written directly on node:net, for comparison with examples/pin-table.ts:
// one connection at a time is read line by line until a blank line (or EOF), then answered with the
// same bytes and closed. Like the example, a 5 s idle timeout per client. Args: [port] [address].
import * as net from "node:net";
import { HEADER, PAGE } from "./common";

const port = Number(process.argv[2] ?? 8080);
const address = process.argv[3] ?? "0.0.0.0";

const server = net.createServer({ allowHalfOpen: true }, (sock) => {
  let pending = "";
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    sock.write(HEADER);
    sock.end(PAGE);
  };
  sock.setTimeout(5000, () => sock.destroy());
  sock.on("error", () => sock.destroy());
  sock.on("data", (b: Buffer) => {
    if (answered) return;
    pending += b.toString("latin1");
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl + 1);
      pending = pending.slice(nl + 1);
      if (line === "\r\n" || line === "\n") { answer(); return; }
    }
  });
  sock.on("end", answer);
});
server.listen(port, address, () => {
  const a = server.address() as net.AddressInfo;
  process.stdout.write(`listening on ('${a.address}', ${a.port})\n`);
});
