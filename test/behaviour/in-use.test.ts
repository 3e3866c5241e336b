// Binding a TCP port that is taken. On the Node host EADDRINUSE surfaces at listen() (libuv
// defers the bind error), so these tests accept it from bind() or listen().
import { harness } from "test-harness";
import { EADDRINUSE, EINVAL } from "usocket-xs/errno";
import { SOL_SOCKET, SO_REUSEADDR } from "usocket-xs/socket";
import { fixture, expectLine } from "./fixture";
import { equal, throwsWith, bytesEqual } from "./assert";

harness.describe("address in use", () => {
  const f = fixture();

  harness.it("bind+listen on a port CPython is listening on raises EADDRINUSE", async () => {
    const port = await f.heldPort("tcp");
    const s = f.socket();
    throwsWith(() => { s.bind(["127.0.0.1", port]); s.listen(); }, EADDRINUSE);
  });

  harness.it("bind+listen on a port one of our sockets listens on raises EADDRINUSE", () => {
    const { port } = f.listener();
    const s = f.socket();
    throwsWith(() => { s.bind(["127.0.0.1", port]); s.listen(); }, EADDRINUSE);
  });

  harness.it("SO_REUSEADDR does not let two listeners share a port", () => {
    const { port } = f.listener();
    const s = f.socket();
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    throwsWith(() => { s.bind(["127.0.0.1", port]); s.listen(); }, EADDRINUSE);
  });

  harness.it("binding a socket twice raises EINVAL", () => {
    const s = f.socket();
    s.bind(["127.0.0.1", 0]);
    throwsWith(() => s.bind(["127.0.0.1", 0]), EINVAL);
  });

  harness.it("after close() the port can be listened on again", () => {
    const { listener, port } = f.listener();
    listener.close();
    const s = f.socket();
    s.bind(["127.0.0.1", port]);
    s.listen();
    equal(s.getsockname()[1], port);
  });

  harness.it("with SO_REUSEADDR a server restarts on its port while old connections linger in TIME_WAIT", async () => {
    const first = f.socket();
    first.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    first.bind(["127.0.0.1", 0]);
    first.listen();
    const port = first.getsockname()[1];
    const peer = f.client(port, ["recveof"]);
    await expectLine(peer, "CONNECTED");
    const [conn] = await first.accept();
    f.adopt(conn);
    conn.close(); // we close first: our side of the connection goes to TIME_WAIT
    await expectLine(peer, "EOF");
    first.close();
    const again = f.socket();
    again.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    again.bind(["127.0.0.1", port]);
    again.listen();
    f.client(port, ["send:ok"]);
    const [c2] = await again.accept();
    f.adopt(c2);
    bytesEqual(await c2.read(2), "ok");
  });
});
