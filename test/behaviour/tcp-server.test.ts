// A TCP server with CPython (and curl) as clients: bound when listen() returns, accept()'s result.
import { harness } from "test-harness";
import { ENOTCONN } from "usocket-xs/errno";
import { fixture, expectLine, expectGot } from "./fixture";
import { TCP_CLIENT_ON_CUE, HTTP_CLIENT } from "../peers/python";
import { equal, deepEqual, ok, bytesEqual, rejectsWith } from "./assert";
import { text } from "./data";

harness.describe("tcp server", () => {
  const f = fixture();

  harness.it("getsockname() gives the bound port as soon as listen() returns", () => {
    const { listener } = f.listener();
    const [host, port] = listener.getsockname();
    equal(host, "127.0.0.1");
    ok(port > 0, "a real port");
  });

  harness.it("a CPython client connecting right after listen() returned is never refused", async () => {
    for (let i = 0; i < 10; i++) {
      const { listener, port } = f.listener();
      const peer = f.client(port, ["send:hi"]);
      const line = await peer.line();
      ok(line.startsWith("CONNECTED"), `attempt ${i}: client said ${line}`);
      const [s] = await listener.accept();
      f.adopt(s);
      bytesEqual(await s.read(2), "hi");
    }
  }, 20000);

  harness.it("a client already waiting for the port connects the instant listen() returns", async () => {
    for (let i = 0; i < 5; i++) {
      const peer = f.python(TCP_CLIENT_ON_CUE, []);
      equal(await peer.line(), "WAITING");
      const l = f.socket();
      l.bind(["127.0.0.1", 0]);
      l.listen();
      peer.write(`${l.getsockname()[1]}\n`);
      const line = await peer.line();
      ok(line.startsWith("CONNECTED"), `attempt ${i}: client said ${line}`);
      f.adopt((await l.accept())[0]);
    }
  }, 20000);

  harness.it("accept() returns [socket, [host, port]] with the client's address", async () => {
    const { listener, port } = f.listener();
    const peer = f.client(port, ["recv:4"]);
    const [connPort] = await expectLine(peer, "CONNECTED");
    const r = await listener.accept();
    equal(r.length, 2);
    const [s, addr] = r;
    f.adopt(s);
    deepEqual(addr, ["127.0.0.1", Number(connPort)]);
    deepEqual(s.getpeername(), ["127.0.0.1", Number(connPort)]);
    deepEqual(s.getsockname(), ["127.0.0.1", port]);
    await s.sendall("ping");
    equal(await expectGot(peer), "ping");
  });

  harness.it("accept() waits for a client that comes later", async () => {
    const { listener, port } = f.listener();
    const accepting = listener.accept();
    await harness.sleep(100);
    f.client(port, ["send:late"]);
    const [s] = await accepting;
    f.adopt(s);
    bytesEqual(await s.read(4), "late");
  });

  harness.it("accepts several queued clients in turn", async () => {
    const { listener, port } = f.listener(5);
    const peers = [0, 1, 2].map((i) => f.client(port, [`send:client${i}`, "recveof"]));
    for (const p of peers) await expectLine(p, "CONNECTED");
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [s] = await listener.accept();
      f.adopt(s);
      seen.push(text(await s.read(7)));
      s.close();
    }
    deepEqual(seen.sort(), ["client0", "client1", "client2"]);
  });

  harness.it("bind to \"\" then listen: accepts connections to 127.0.0.1", async () => {
    const l = f.socket();
    l.bind(["", 0]);
    l.listen(1);
    const [host, port] = l.getsockname();
    equal(host, "0.0.0.0");
    f.client(port, ["send:any"]);
    const [s] = await l.accept();
    f.adopt(s);
    bytesEqual(await s.read(3), "any");
  });

  harness.it("a socket accepted from a non-blocking listener is blocking", async () => {
    const { listener, port } = f.listener();
    listener.setblocking(false);
    const peer = f.client(port, ["sleep:0.2", "send:slow"]);
    await expectLine(peer, "CONNECTED");
    let s;
    for (let i = 0; i < 100 && !s; i++) {
      try { [s] = await listener.accept(); } catch { await harness.sleep(10); }
    }
    ok(s, "accepted");
    f.adopt(s);
    equal(s.gettimeout(), null);
    bytesEqual(await s.recv(10), "slow");
  });

  harness.it("recv() on a listening socket raises ENOTCONN", async () => {
    const { listener } = f.listener();
    await rejectsWith(listener.recv(10), ENOTCONN);
  });

  harness.it("serves an HTTP/1.0 page, read through makefile().readline(), to a CPython client", async () => {
    const { listener, port } = f.listener();
    const client = f.python(HTTP_CLIENT, [port, "/hello"]);
    const [s] = await listener.accept();
    f.adopt(s);
    const file = s.makefile("rwb");
    const request: string[] = [];
    for (;;) {
      const line = await file.readline();
      if (!line || line.length === 0 || text(line) === "\r\n") break;
      request.push(text(line));
    }
    equal(request[0], "GET /hello HTTP/1.0\r\n");
    await s.sendall("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>usocket</h1>");
    file.close();
    equal(await client.line(), "HTTP/1.0 200 OK");
    deepEqual(await expectLine(client, "BODY"), ['"<h1>usocket</h1>"']);
  });

  harness.it("serves a page to curl", async () => {
    const { listener, port } = f.listener();
    const curl = f.spawn("curl", ["-s", "-0", "--max-time", "10", `http://127.0.0.1:${port}/`]);
    const [s] = await listener.accept();
    f.adopt(s);
    for (;;) {
      const line = await s.readline();
      if (!line || line.length <= 2) break;
    }
    await s.sendall("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nserved by usocket-xs\n");
    s.close();
    const r = await curl.exit;
    equal(r.code, 0, `curl failed: ${r.stderr}`);
    equal(r.stdout, "served by usocket-xs\n");
  });
});
