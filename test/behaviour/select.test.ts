// select.poll() readiness, with MicroPython's event numbers (unix port, as measured in
// shared/reference), its timeouts, register/modify/unregister, and bad input.
import { harness } from "test-harness";
import * as select from "usocket-xs/select";
import { POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL } from "usocket-xs/select";
import { EAGAIN, ECONNREFUSED, ECONNRESET, EINPROGRESS, ENOENT, OSError } from "usocket-xs/errno";
import { fixture, expectLine } from "./fixture";
import { equal, deepEqual, ok, bytesEqual, rejectsWith, throwsWith } from "./assert";

const IN_OUT = POLLIN | POLLOUT;

harness.describe("select", () => {
  const f = fixture();

  harness.it("constants are MicroPython's numbers: POLLIN 1, POLLOUT 4, POLLERR 8, POLLHUP 16, POLLNVAL 32", () => {
    deepEqual([POLLIN, POLLOUT, POLLERR, POLLHUP, POLLNVAL], [1, 4, 8, 16, 32]);
  });

  harness.it("a TCP socket never connected is POLLOUT|POLLHUP (20)", async () => {
    const s = f.socket();
    const p = select.poll();
    p.register(s);
    deepEqual(await p.poll(0), [[s, 20]]);
  });

  harness.it("a listening socket is readable (1) while a client waits for accept(), not before or after", async () => {
    const { listener, port } = f.listener();
    const p = select.poll();
    p.register(listener);
    deepEqual(await p.poll(0), [], "no client yet");
    const peer = f.client(port, ["wait"]);
    deepEqual(await p.poll(10000), [[listener, POLLIN]]);
    f.adopt((await listener.accept())[0]);
    deepEqual(await p.poll(0), [], "accepted");
    void peer;
  });

  harness.it("a connected socket is writable (4); data makes it POLLIN|POLLOUT (5)", async () => {
    const { s, peer } = await f.connected(["wait", "send:hello", "wait"]);
    const p = select.poll();
    p.register(s);
    deepEqual(await p.poll(0), [[s, 4]]);
    p.register(s, POLLIN); // registering again modifies
    deepEqual(await p.poll(0), [], "nothing to read yet");
    peer.write("\n");
    deepEqual(await p.poll(10000), [[s, POLLIN]]);
    p.modify(s, IN_OUT);
    deepEqual(await p.poll(0), [[s, 5]]);
    bytesEqual(await s.recv(10), "hello");
    deepEqual(await p.poll(0), [[s, 4]], "read: writable only");
  });

  harness.it("EOF is POLLIN (5 with IN|OUT, no POLLHUP), and recv() then gives empty", async () => {
    const { s, peer } = await f.connected(["send:x", "close"]);
    await expectLine(peer, "DONE");
    bytesEqual(await s.read(1), "x");
    const p = select.poll();
    p.register(s, POLLIN);
    deepEqual(await p.poll(10000), [[s, POLLIN]]);
    p.modify(s, IN_OUT);
    deepEqual(await p.poll(0), [[s, 5]]);
    equal((await s.recv(10)).length, 0);
  });

  harness.it("a reset is POLLIN|POLLERR|POLLHUP (25) with POLLIN asked, 29 with IN|OUT; recv() raises ECONNRESET once", async () => {
    const { s, peer } = await f.connected(["sleep:0.1", "linger0", "close"]);
    await expectLine(peer, "DONE");
    const p = select.poll();
    p.register(s, POLLIN);
    deepEqual(await p.poll(10000), [[s, 25]]);
    p.modify(s, IN_OUT);
    deepEqual(await p.poll(0), [[s, 29]]);
    await rejectsWith(s.recv(10), ECONNRESET);
    deepEqual(await p.poll(0), [[s, POLLIN | POLLOUT | POLLHUP]], "reported: no POLLERR any more");
    equal((await s.recv(10)).length, 0);
  });

  harness.it("a non-blocking connect: nothing while connecting, then POLLOUT (4)", async () => {
    const { listener, port } = f.listener();
    const s = f.socket();
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    const p = select.poll();
    p.register(s);
    deepEqual(await p.poll(0), [], "connecting");
    deepEqual(await p.poll(10000), [[s, 4]]);
    f.adopt((await listener.accept())[0]);
  });

  harness.it("a refused non-blocking connect is 29 (IN|OUT|ERR|HUP); connect() again raises ECONNREFUSED", async () => {
    const port = f.closedPort();
    const s = f.socket();
    s.setblocking(false);
    await rejectsWith(s.connect(["127.0.0.1", port]), EINPROGRESS);
    const p = select.poll();
    p.register(s);
    deepEqual(await p.poll(10000), [[s, 29]]);
    await rejectsWith(s.connect(["127.0.0.1", port]), ECONNREFUSED);
  });

  harness.it("POLLERR and POLLHUP are reported even with an empty mask", async () => {
    const idle = f.socket();
    const refused = f.socket();
    refused.setblocking(false);
    await rejectsWith(refused.connect(["127.0.0.1", f.closedPort()]), EINPROGRESS);
    const p = select.poll();
    p.register(idle, 0);
    p.register(refused, 0);
    deepEqual(await p.poll(0), [[idle, POLLHUP]]);
    p.unregister(idle);
    deepEqual(await p.poll(10000), [[refused, POLLERR | POLLHUP]]);
  });

  harness.it("a closed socket is POLLNVAL (32) whatever its mask, and wakes a poll() that waits", async () => {
    const a = f.socket();
    const p = select.poll();
    p.register(a, POLLIN);
    a.close();
    deepEqual(await p.poll(0), [[a, POLLNVAL]]);
    const { listener } = f.listener();
    const q = select.poll();
    q.register(listener, POLLIN);
    const waiting = q.poll(-1);
    await harness.sleep(50);
    listener.close();
    deepEqual(await waiting, [[listener, POLLNVAL]]);
  });

  harness.it("a UDP socket is writable (4), and POLLIN|POLLOUT (5) while a datagram waits", async () => {
    const u = f.udp();
    u.bind(["127.0.0.1", 0]);
    const p = select.poll();
    p.register(u);
    deepEqual(await p.poll(0), [[u, 4]]);
    const sender = f.udp();
    await sender.sendto("ping", ["127.0.0.1", u.getsockname()[1]]);
    p.modify(u, POLLIN);
    deepEqual(await p.poll(10000), [[u, POLLIN]]);
    p.modify(u, IN_OUT);
    deepEqual(await p.poll(0), [[u, 5]]);
    bytesEqual((await u.recvfrom(10))[0], "ping");
  });

  harness.it("makefile()'s result can be registered and is reported as itself", async () => {
    const { s } = await f.connected(["send:line one\\n", "wait"]);
    const file = s.makefile("rwb");
    const p = select.poll();
    p.register(file, POLLIN);
    const r = await p.poll(10000);
    equal(r.length, 1);
    equal(r[0][0], file);
    equal(r[0][1], POLLIN);
    bytesEqual(await file.readline(), "line one\n");
  });

  harness.it("POLLOUT goes while the send buffer is full and comes back once the peer reads", async () => {
    const { s, peer } = await f.connected(["wait", "recveof"]);
    s.setblocking(false);
    const chunk = new Uint8Array(16384);
    let sent = 0, full = false;
    for (let i = 0; i < 4096 && !full; i++) {
      try { sent += await s.send(chunk); } catch (e) {
        if (!(e instanceof OSError && e.errno === EAGAIN)) throw e;
        full = true;
      }
    }
    ok(full, `send() never raised EAGAIN after ${sent} bytes`);
    const p = select.poll();
    p.register(s, POLLOUT);
    deepEqual(await p.poll(0), [], "full: not writable");
    peer.write("\n");
    deepEqual(await p.poll(60000), [[s, POLLOUT]]);
    s.close();
    const [n] = await expectLine(peer, "EOF");
    ok(Number(n) >= sent, `peer got ${n} of ${sent}`);
  }, 90000);

  harness.it("poll(0) never waits; poll(ms) waits about ms with nothing ready; poll() and poll(-1) wait for an event", async () => {
    const { listener, port } = f.listener();
    const p = select.poll();
    p.register(listener);
    let t0 = harness.now();
    deepEqual(await p.poll(0), []);
    ok(harness.now() - t0 < 1000, "poll(0) returned at once");
    t0 = harness.now();
    deepEqual(await p.poll(300), []);
    const waited = harness.now() - t0;
    ok(waited >= 250, `poll(300) returned after ${waited} ms`);
    const forever = p.poll();
    const minus1 = p.poll(-1);
    await harness.sleep(200);
    f.client(port, ["wait"]);
    deepEqual(await forever, [[listener, POLLIN]]);
    deepEqual(await minus1, [[listener, POLLIN]]);
  }, 20000);

  harness.it("an object registered while poll() waits is polled too; an unregistered one is not", async () => {
    const a = f.listener(), b = f.listener();
    const p = select.poll();
    p.register(a.listener);
    const waiting = p.poll(10000);
    p.register(b.listener);
    f.client(b.port, ["wait"]);
    deepEqual(await waiting, [[b.listener, POLLIN]]);
    p.unregister(b.listener);
    deepEqual(await p.poll(0), []);
  });

  harness.it("any object with the readiness hook (ioctl + pollWatch) can be registered, and wakes poll() through it", async () => {
    let ready = 0;
    let watcher: (() => void) | undefined;
    const obj = {
      ioctl(request: number, mask: number) { equal(request, select.MP_STREAM_POLL); return ready & (mask | POLLERR | POLLHUP); },
      pollWatch(w: () => void, on: boolean) { watcher = on ? w : undefined; },
    };
    const p = select.poll();
    p.register(obj, POLLIN);
    deepEqual(await p.poll(0), []);
    const waiting = p.poll(10000);
    ok(watcher, "poll() watches the object while it waits");
    ready = POLLIN | POLLOUT;
    harness.sleep(20).then(() => watcher!());
    deepEqual(await waiting, [[obj, POLLIN]], "only what was asked, POLLOUT masked");
    equal(watcher, undefined, "and stops watching once it has returned");
  });

  harness.it("modify() of an unregistered object raises OSError(ENOENT); unregister() of one is ignored", () => {
    const s = f.socket();
    const p = select.poll();
    throwsWith(() => p.modify(s, POLLIN), ENOENT);
    p.unregister(s);
    p.register(s);
    p.unregister(s);
    throwsWith(() => p.modify(s, POLLIN), ENOENT);
  });

  harness.it("ipoll() yields [obj, event]; flag 1 (one-shot) clears the mask of what it reported until modify()", async () => {
    const idle = f.socket();
    const p = select.poll();
    p.register(idle, POLLOUT);
    const seen: [unknown, number][] = [];
    for await (const r of p.ipoll(0, 1)) seen.push(r);
    deepEqual(seen, [[idle, 20]]);
    deepEqual(await p.poll(0), [[idle, POLLHUP]], "mask cleared: POLLHUP only");
    p.modify(idle, POLLOUT);
    deepEqual(await p.poll(0), [[idle, 20]]);
  });

  harness.it("bad input: a non-pollable object, a negative or non-integer mask, poll(\"x\") have clear errors", async () => {
    const p = select.poll();
    const s = f.socket();
    throwsWith(() => p.register({} as never), TypeError, /not pollable/);
    throwsWith(() => p.register(5 as never), TypeError, /not pollable/);
    throwsWith(() => p.register(null as never), TypeError, /not pollable/);
    throwsWith(() => p.register(s, -1), RangeError, /eventmask must not be negative/);
    throwsWith(() => p.register(s, "x" as never), TypeError, /eventmask must be an integer/);
    p.register(s);
    throwsWith(() => p.modify(s, -4), RangeError, /negative/);
    await rejectsWith(p.poll("x" as never), TypeError, /timeout must be a number/);
    await rejectsWith(select.select([{} as never], [], []), TypeError, /not pollable/);
    await rejectsWith(select.select([], [], [], -1), RangeError);
    deepEqual(await p.poll(0), [[s, 20]], "the poll object still works");
  });

  harness.it("select.select() sorts the objects into readable, writable and in error", async () => {
    const { s, peer } = await f.connected(["send:abc", "wait"]);
    const idle = f.socket();
    let r = await select.select([s], [], [], 10);
    deepEqual(r, [[s], [], []]);
    r = await select.select([s], [s, idle], [], 0);
    deepEqual(r, [[s], [s, idle], [idle]], "idle is hung up (POLLHUP): the third list");
    bytesEqual(await s.recv(3), "abc");
    const t0 = harness.now();
    r = await select.select([s], [], [], 0.2);
    deepEqual(r, [[], [], []]);
    ok(harness.now() - t0 >= 150, "waited the timeout");
    void peer;
  });
});
