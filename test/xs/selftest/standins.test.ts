// The stand-ins' own tests: Moddable's documented behaviour and SDK 8.2.3's quirks, through the
// Moddable API directly, for each platform the stand-ins imitate.
import { harness } from "test-harness";
import { Socket, Listener } from "socket";
import Net from "net";
import Timer from "timer";
import UDP from "embedded:io/socket/udp";
import { settings, stats, type Platform } from "../standins/settings";
import { equal, ok, deepEqual } from "../../behaviour/assert";

function on(p: Platform, body: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = settings.platform;
    settings.platform = p;
    try { await body(); } finally { settings.platform = before; }
  };
}

function until(test: () => boolean, what: string, ms = 3000): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (test()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error(`timed out waiting for ${what}`));
      else Timer.set(poll, 5);
    };
    poll();
  });
}

let nextPort = 40000 + (Date.now() % 5000);
/** A classic Listener on a free port (the stand-ins' Listener throws when the port is taken). */
function listener(): [Listener, number] {
  for (;;) {
    const port = nextPort++;
    try { return [new Listener({ port }), port]; } catch { /* taken */ }
  }
}

function closedPort(): number {
  const [l, port] = listener();
  l.close();
  return port;
}

function text(ab: ArrayBuffer): string {
  return String.fromCharCode.apply(null, Array.from(new Uint8Array(ab)));
}

/** A server that sends `payload` to its first client and closes (once the client is reading). */
function sendingServer(payload: string): number {
  const [l, port] = listener();
  l.callback = function () {
    const s = new Socket({ listener: l });
    let off = 0;
    const push = () => {
      while (off < payload.length) {
        const k = Math.min(s.write(), payload.length - off);
        if (k <= 0) return;
        s.write(payload.slice(off, off + k));
        off += k;
        return;
      }
      Promise.resolve().then(() => { try { s.close(); } catch { /* */ } l.close(); });
    };
    s.callback = (m: number) => { if (m === Socket.writable) push(); };
    push();
  };
  return port;
}

harness.describe("stand-ins: classic socket", () => {
  for (const p of ["esp32", "lin"] as Platform[]) {
    harness.it(`${p}: write() with no argument gives the free space; more throws "can't write all data"`, on(p, async () => {
      const [l, port] = listener();
      let server: Socket | undefined;
      l.callback = () => { server = new Socket({ listener: l }); };
      const s = new Socket({ host: "127.0.0.1", port });
      let connected = false;
      s.callback = (m: number) => { if (m === Socket.connected) connected = true; };
      await until(() => connected && !!server, "connection");
      const free = s.write();
      equal(free, p === "lin" ? 1024 : 5744);
      let threw = "";
      try { s.write(new ArrayBuffer(free + 1)); } catch (e) { threw = (e as Error).message; }
      equal(threw, "can't write all data");
      s.close(); server!.close(); l.close();
    }));
  }

  harness.it("lin: a connect to a closed port reports connected, then disconnected, never error", on("lin", async () => {
    const messages: number[] = [];
    const s = new Socket({ host: "127.0.0.1", port: closedPort() });
    s.callback = (m: number) => { messages.push(m); };
    await until(() => messages.indexOf(Socket.disconnected) >= 0, "disconnected");
    deepEqual(messages, [Socket.connected, Socket.disconnected]);
    let threw = "";
    try { s.close(); } catch (e) { threw = (e as Error).message; }
    equal(threw, "close on closed socket", "the SDK closed it after disconnected");
  }));

  harness.it("esp32: a connect to a closed port reports error (-2) only", on("esp32", async () => {
    const messages: number[] = [];
    const s = new Socket({ host: "127.0.0.1", port: closedPort() });
    s.callback = (m: number) => { messages.push(m); };
    await until(() => messages.length > 0, "a message");
    await harness.sleep(50);
    deepEqual(messages, [Socket.error]);
    s.close();
  }));

  harness.it("lin: the constructor needs host (address alone is refused)", on("lin", async () => {
    let threw = "";
    try { new Socket({ address: "127.0.0.1", port: 1 }); } catch (e) { threw = (e as Error).message; }
    equal(threw, "host required in dictionary");
  }));

  harness.it("lin: bytes not read inside the data callback are lost (1024-byte reads)", on("lin", async () => {
    const payload = "x".repeat(3000);
    const port = sendingServer(payload);
    const s = new Socket({ host: "127.0.0.1", port });
    let got = 0, first = true, end = false;
    s.callback = (m: number, value?: number) => {
      if (m === Socket.readable) {
        ok(value! <= 1024, `a read of ${value} bytes`);
        if (first) { first = false; return; } // leave these unread
        got += s.read(ArrayBuffer).byteLength;
      }
      if (m === Socket.disconnected) end = true;
    };
    await until(() => end, "disconnected");
    equal(got, 3000 - 1024, "the first 1024 bytes were discarded");
    equal(s.read(), 0, "nothing to read outside the callback");
  }));

  harness.it("esp32: bytes left unread stay in the socket and can be read later", on("esp32", async () => {
    const port = sendingServer("hello, world");
    const s = new Socket({ host: "127.0.0.1", port });
    let announced = 0, end = false;
    s.callback = (m: number) => {
      if (m === Socket.readable) announced++;
      if (m === Socket.disconnected) end = true;
    };
    await until(() => announced === 1, "data received");
    await harness.sleep(50);
    equal(announced, 1, "the next pbuf waits until this one is read");
    equal(end, false, "disconnect waits for the unread bytes");
    equal(text(s.read(ArrayBuffer, 5)), "hello");
    equal(text(s.read(ArrayBuffer)), ", world");
    await until(() => end, "disconnected after reading");
    s.close();
    s.close(); // harmless on lwIP
  }));

  harness.it("lin: close() inside the disconnected callback closes the native socket twice", on("lin", async () => {
    const port = sendingServer("bye");
    const before = stats.doubleCloses;
    const s = new Socket({ host: "127.0.0.1", port });
    let end = false;
    s.callback = (m: number) => {
      if (m === Socket.readable) s.read(ArrayBuffer);
      if (m === Socket.disconnected) { s.close(); end = true; }
    };
    await until(() => end, "disconnected");
    equal(stats.doubleCloses, before + 1);
    stats.doubleCloses = before;
    stats.sockets++; // undo the bug's extra decrement for the end-of-run check
  }));

  harness.it("lin: the Listener binds every interface whatever address says", on("lin", async () => {
    const [l, port] = listener();
    l.close();
    const l2 = new Listener({ port, address: "127.0.0.2" });
    let accepted = false;
    l2.callback = () => { new Socket({ listener: l2 }).close(); accepted = true; };
    const s = new Socket({ host: "127.0.0.1", port });
    s.callback = () => {};
    await until(() => accepted, "a connection on 127.0.0.1");
    try { s.close(); } catch { /* lin: already closed by the SDK if the server's close arrived */ }
    l2.close();
  }));
});

harness.describe("stand-ins: net, timer, ECMA-419 UDP", () => {
  harness.it("lin: Net.resolve(\"localhost\") finds nothing; esp32 stand-in gives 127.0.0.1", async () => {
    const before = settings.platform;
    const answers: (string | undefined)[] = [];
    try {
      for (const p of ["lin", "esp32"] as Platform[]) {
        settings.platform = p;
        await new Promise<void>((resolve) => Net.resolve("localhost", (_n, a) => { answers.push(a); resolve(); }));
      }
    } finally { settings.platform = before; }
    deepEqual(answers, [undefined, "127.0.0.1"]);
  });

  harness.it("Timer.set fires once after its interval; Timer.clear cancels", async () => {
    const t0 = Date.now();
    let fired = 0, cancelled = 0;
    const c = Timer.set(() => { cancelled++; }, 20);
    Timer.clear(c);
    await new Promise<void>((resolve) => Timer.set(() => { fired++; resolve(); }, 30));
    await harness.sleep(40);
    equal(fired, 1);
    equal(cancelled, 0);
    ok(Date.now() - t0 >= 29, "not early");
  });

  harness.it("UDP: a bound port receives; read() gives the packet with address and port", async () => {
    let port = 0, a: UDP | undefined;
    const got: { data: string; address: string; port: number }[] = [];
    for (let p = 45000 + (Date.now() % 5000); !a; p++) {
      try {
        a = new UDP({ port: p, onReadable(n: number) { while (n--) { const pk = this.read()!; got.push({ data: text(pk), address: pk.address, port: pk.port }); } } });
        port = p;
      } catch { /* taken */ }
    }
    const b = new UDP({});
    b.write(new Uint8Array([104, 105]), "127.0.0.1", port);
    await until(() => got.length === 1, "a datagram");
    equal(got[0].data, "hi");
    equal(got[0].address, "127.0.0.1");
    ok(got[0].port > 0, "the sender's port");
    let threw = "";
    try { new UDP({ port }); } catch (e) { threw = (e as Error).message; }
    equal(threw, "bind failed");
    a.close(); b.close();
  });
});
