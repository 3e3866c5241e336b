// `npm run bench:sim`: memory per idle connection in the Moddable simulator, usocket-xs against
// Moddable's raw Socket/Listener, measured in the same run with the SDK's instrumentation (an
// instrumented build, -i: "XS Slot Heap Used" and "XS Chunk Heap Used" after a garbage
// collection, once a second). For each server (bench/sim/main.js): the server idle, then with 1
// connected client, then 8 (clients connect and send nothing; the article's server is then in
// readline() on the first and has the others waiting for accept()). Then one real request checks
// the server answers. Prints the figures and the per-connection cost of usocket-xs / raw (goal
// <= 1.5). Slot bytes are the simulator's (64-bit: 32 bytes a slot; 16 on ESP32), so the ratios
// are what carry over to a board. Needs the SDK (MODDABLE); skips with one line without it.
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { root, sdk, buildLin, startSim } from "../../scripts/lib/moddable.mjs";

if (!process.env.MODDABLE) {
  console.log("bench:sim skipped: MODDABLE is not set (the Moddable SDK built for lin is needed)");
  process.exit(0);
}
const s = sdk();
if (!s.ok) { for (const m of s.missing) console.error(`missing: ${m}`); process.exit(1); }

const SETTLE = 3; // readings to wait after each change (the simulator accepts on a 50 ms poll)
const freePort = () => new Promise((resolve) => {
  const srv = createServer();
  srv.listen(0, "127.0.0.1", () => { const p = srv.address().port; srv.close(() => resolve(p)); });
});

async function measure(server) {
  const port = await freePort();
  const out = join(root, "build/bench-sim", server);
  console.error(`bench:sim: building the ${server} server (lin, -i)…`);
  const built = buildLin(s, join(root, "bench/sim"), out, { config: { server, port }, instrument: true });
  const readings = [];
  let waiters = [];
  let listening, failed;
  const sim = startSim(s, built.so, {
    onLine(l) {
      const m = /^mem (\d+) (\d+)$/.exec(l);
      if (m) { readings.push([Number(m[1]), Number(m[2])]); const w = waiters; waiters = []; for (const f of w) f(); }
      else if (/^listening /.test(l)) listening = true;
      else if (/failed|XS abort/.test(l)) failed = l;
    },
    onError() {},
  });
  const next = (n) => new Promise((resolve, reject) => {
    const want = readings.length + n;
    const timer = setTimeout(() => reject(new Error(`no reading from the ${server} app after 60 s`)), 60_000);
    const check = () => { if (failed) { clearTimeout(timer); reject(new Error(failed)); } else if (readings.length >= want) { clearTimeout(timer); resolve(readings.at(-1)); } else waiters.push(check); };
    check();
  });
  const clients = [];
  const open = (n) => Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const c = connect(port, "127.0.0.1", () => resolve());
    c.on("error", reject);
    clients.push(c);
  })));
  try {
    await next(SETTLE);
    if (!listening) throw new Error(`the ${server} server did not start`);
    const idle = await next(SETTLE);
    await open(1);
    const one = await next(SETTLE);
    await open(7);
    const eight = await next(SETTLE);
    for (const c of clients) c.destroy();
    await next(SETTLE);
    const answer = await new Promise((resolve, reject) => {
      let text = "";
      const c = connect(port, "127.0.0.1", () => c.write("GET / HTTP/1.0\r\n\r\n"));
      c.setEncoding("latin1");
      c.on("data", (d) => { text += d; });
      c.on("end", () => resolve(text));
      c.on("error", reject);
      setTimeout(() => { c.destroy(); resolve(text); }, 20_000).unref();
    });
    if (!answer.startsWith("HTTP/1.0 200 OK")) throw new Error(`the ${server} server did not answer a request (got ${JSON.stringify(answer.slice(0, 40))})`);
    return { idle, one, eight };
  } finally {
    for (const c of clients) c.destroy();
    await sim.stop();
  }
}

const results = {};
for (const server of ["usocket", "raw"]) results[server] = await measure(server);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const row = (name, r) => {
  const per = (r.eight[0] + r.eight[1] - r.one[0] - r.one[1]) / 7;
  const first = r.one[0] + r.one[1] - r.idle[0] - r.idle[1];
  console.log(`${name.padEnd(22)} idle ${kb(r.idle[0])} slots + ${kb(r.idle[1])} chunks; 1 client +${first} B (${r.one[0] - r.idle[0]} slots + ${r.one[1] - r.idle[1]} chunks); 8 clients +${r.eight[0] + r.eight[1] - r.idle[0] - r.idle[1]} B; per further client ${per.toFixed(0)} B (${((r.eight[0] - r.one[0]) / 7).toFixed(0)} slots + ${((r.eight[1] - r.one[1]) / 7).toFixed(0)} chunks)`);
  return { per, first };
};
console.log("bench:sim — XS heap in the simulator after a collection (instrumented lin build; bytes)");
const u = row("usocket-xs", results.usocket);
const r = row("raw Socket/Listener", results.raw);
console.log(`per idle connection: usocket-xs ${u.per.toFixed(0)} B vs raw ${r.per.toFixed(0)} B = ${(u.per / r.per).toFixed(2)}x (goal <= 1.5x); first connection ${u.first} B vs ${r.first} B = ${(u.first / r.first).toFixed(2)}x`);
