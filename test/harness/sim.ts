// The simulator lane of the test harness: runs inside the Moddable simulator (mcsim, XS), built by
// test/sim/run.mjs. The shared runner (./runner) and peers (./peers) on Moddable timers, over this
// lane's transport: one TCP control connection to run.mjs on 127.0.0.1 (port from the manifest
// config, key "controlPort"). run.mjs starts the peers (python3, …) and relays their output, says
// which test modules to load and which tests to skip, and receives one result per test. The control
// connection uses Moddable's classic socket directly, never the library under test. Lines of ASCII
// JSON both ways (non-ASCII is \u-escaped by the sender).
import Timer from "timer";
import { Socket } from "socket";
import config from "mc/config";
import { createRunner, type Summary } from "./runner";
import { createPeers, type PeerEvent } from "./peers";

declare const trace: (text: string) => void;

// ---- control connection ----

type Message = { [key: string]: unknown };
let out = "";
let sock: Socket | undefined;
let connected = false;
let inbuf = "";
const handlers = new Map<string, (m: Message) => void>();

function ascii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function flush(): void {
  if (!sock || !connected || !out) return;
  const s = sock as unknown as { write(...data: unknown[]): number | undefined };
  for (;;) {
    if (!out) return;
    let free = 0;
    try { free = s.write() as number; } catch { return; }
    if (free <= 0) return; // wait for "data sent"
    const part = out.slice(0, free);
    try { s.write(part); } catch { return; }
    out = out.slice(part.length);
  }
}

/** Send one message to run.mjs (queued until the connection is up and has room). */
export function send(m: Message): void {
  out += ascii(JSON.stringify(m)) + "\n";
  flush();
}

function receive(text: string): void {
  inbuf += text;
  let i;
  while ((i = inbuf.indexOf("\n")) >= 0) {
    const line = inbuf.slice(0, i);
    inbuf = inbuf.slice(i + 1);
    if (!line) continue;
    let m: Message;
    try { m = JSON.parse(line) as Message; } catch { trace(`sim harness: bad control line ${line}\n`); continue; }
    const h = handlers.get(String(m.t));
    if (h) h(m);
  }
}

/** Connect to run.mjs; resolves with its "start" message. */
export function connect(): Promise<Message> {
  const port = Number((config as unknown as { controlPort?: unknown }).controlPort);
  return new Promise((resolve, reject) => {
    if (!(port > 0)) { reject(new Error("sim harness: config.controlPort is not set")); return; }
    handlers.set("start", resolve);
    const s = new Socket({ host: "127.0.0.1", port });
    sock = s;
    s.callback = function (message: number) {
      const raw = this as unknown as { read(type?: unknown): unknown };
      if (message === 1) { connected = true; flush(); }
      else if (message === 2) { const t = raw.read(String); if (typeof t === "string") receive(t); }
      else if (message === 3) flush();
      else if (message < 0) {
        connected = false;
        trace("sim harness: control connection closed\n");
        reject(new Error("control connection closed"));
      }
    };
  });
}

// ---- peers and the runner ----

const peers = createPeers((op, args) => send({ t: op, ...args }));
handlers.set("peer", (m) => peers.event(m as unknown as PeerEvent));

const runner = createRunner({
  lane: "sim",
  /** The simulator moves about 50 kB/s per socket: payloads shrink to their 64 KiB floor or near it. */
  scale: 1 / 256,
  timers: Timer,
  spawn: peers.spawn,
  /** The simulator's sockets are polled on timers: give every test more time than on Node. */
  timeouts: { defaultMs: 30000, factor: 3, hookMs: 30000 },
  report(name, status, ms, error) { send({ t: "result", name, status, ms, error }); },
  afterHookFailed(suite, error) { send({ t: "log", text: `after hook in ${suite} failed: ${error}` }); },
});

export const harness = runner.harness;
export type { Summary };

/** Run everything registered so far, reporting each result to run.mjs. */
export function run(skips: { [name: string]: string }, only?: string): Promise<Summary> {
  // run.mjs --grep: tests whose name does not contain it are left out (not reported).
  return runner.run({ skips, selected: only === undefined ? undefined : (name) => name.includes(only) });
}
