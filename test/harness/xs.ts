// The XS lane of the test harness: runs inside Moddable's XS engine (xsnap-worker). The shared
// runner (./runner) and peers (./peers) over this lane's transport: xsnap's issueCommand bridge to
// the Node parent (test/xs/parent.mjs), which also runs the clock (the "timer" stand-in), starts
// the peers and prints the results it is sent one by one, then a summary. Nothing here uses a Node
// or web API.
import Timer from "timer";
import { call, on, isXS } from "../xs/standins/bridge";
import { createRunner, describeError } from "./runner";
import { createPeers, type PeerEvent } from "./peers";
import { simulate } from "../xs/standins/wifi";
import { settings } from "../xs/standins/settings";
import type { WorldDescription } from "../../hosts/node/wifi-world";

const peers = createPeers((op, args) => { call(op, args); });
on("peer", (ev: PeerEvent) => peers.event(ev));

const runner = createRunner({
  lane: "xs",
  // Every byte crosses the xsnap pipe as JSON in Moddable-sized chunks (about 0.7 MB/s): half-size
  // payloads still overflow the kernel's loopback buffers, and a loaded CI machine gets twice the time.
  scale: 0.5,
  timers: Timer,
  spawn: peers.spawn,
  timeouts: { defaultMs: 10000, factor: 2, hookMs: 10000 },
  report(name, status, ms, error) { call("result", { name, ok: status === "pass", ms, error }); },
});

// The wifi stand-in plays the world's access points on lwIP platforms; lin is the SDK's simulation,
// which has none (as on the simulator lane).
export const harness = settings.platform === "lin" ? runner.harness
  : Object.assign(runner.harness, { simulateWifi: (d: object | null) => simulate(d as WorldDescription | null) });

/** Checks run after the suite (a lane's own checks, e.g. nothing left open). */
const finalChecks: [string, () => void][] = [];
export function atEnd(name: string, check: () => void): void {
  finalChecks.push([name, check]);
}

/** Called by the bundle once every test file has registered its tests. */
export async function run(filterSource?: string): Promise<void> {
  if (!isXS()) {
    call("fatal", { message: "the engine running the XS lane is not Moddable's XS" });
    return;
  }
  call("hello", { engine: "xs" });
  const filter = filterSource ? new RegExp(filterSource) : undefined;
  try {
    await runner.run({ selected: filter && ((name) => filter.test(name)) });
    for (const [name, check] of finalChecks) {
      try { check(); runner.report(name, "pass", 0); } catch (e) { runner.report(name, "fail", 0, describeError(e)); }
    }
  } catch (e) {
    runner.report("harness", "fail", 0, describeError(e));
  }
  call("done", { passed: runner.summary.passed, failed: runner.summary.failed });
}
