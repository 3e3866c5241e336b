// Helpers for the network tests: a simulated world per test (where the lane has one), a watcher
// that records every status() change and checks the truth of each sample, and polling.
import { harness } from "test-harness";
import * as network from "usocket-xs/network";
import { fail } from "./assert";
import type { WifiSimulation } from "../harness/api";

export const sta = () => network.WLAN(network.STA_IF);
export const ap = () => network.WLAN(network.AP_IF);

/** The network most tests join. */
export const HOME = {
  ssid: "home", password: "secret123", bssid: "aa:bb:cc:00:00:01", channel: 6, rssi: -52,
  address: "192.168.50.23", netmask: "255.255.255.0", gateway: "192.168.50.1", dns: "192.168.50.53",
};

/** Switch to simulated access points, or undefined on a lane without them (the simulator's are the SDK's). */
export function world(description: object): WifiSimulation | undefined {
  return harness.simulateWifi?.(description);
}

/** Back to a clean radio after each test. */
export function cleanUp(): void {
  harness.afterEach(() => {
    const s = sta(), a = ap();
    s.disconnect();
    s.active(false);
    a.active(false);
    s.config({ reconnects: -1 });
    harness.simulateWifi?.(null);
  });
}

export async function until(test: () => boolean, what: string, ms = 15000): Promise<void> {
  const t0 = harness.now();
  while (!test()) {
    if (harness.now() - t0 > ms) fail(`timed out after ${ms} ms waiting for ${what}`);
    await harness.sleep(10);
  }
}

const names: { [code: number]: string } = {};
for (const k of ["STAT_IDLE", "STAT_CONNECTING", "STAT_WRONG_PASSWORD", "STAT_NO_AP_FOUND", "STAT_CONNECT_FAIL", "STAT_GOT_IP", "STAT_BEACON_TIMEOUT"] as const) {
  names[network[k]] ??= k;
}
export const statusName = (s: unknown) => names[s as number] ?? String(s);

/**
 * Samples the station every few ms until stop(): the distinct statuses in order, and a failure if
 * any sample lied: STAT_GOT_IP (or isconnected()) without an address, without the simulated link,
 * or isconnected() disagreeing with status().
 */
export function watch(sim: WifiSimulation | undefined): { stop(): string[]; seen(): string[] } {
  const s = sta();
  const seen: string[] = [];
  let lie: string | undefined;
  let running = true;
  const sample = () => {
    const st = s.status() as number, c = s.isconnected();
    const name = statusName(st);
    if (seen[seen.length - 1] !== name) seen.push(name);
    if ((st === network.STAT_GOT_IP) !== c) lie ??= `status() ${name} but isconnected() ${c}`;
    if (c && s.ifconfig()[0] === "0.0.0.0") lie ??= "connected without an address";
    if (c && sim && !sim.linkUp()) lie ??= `${name} while the simulated link is down (after ${seen.join(" → ")})`;
  };
  const loop = async () => { while (running) { sample(); await harness.sleep(5); } };
  sample();
  loop();
  return {
    seen: () => seen.slice(),
    stop() {
      running = false;
      sample();
      if (lie) fail(`status() lied: ${lie}`);
      return seen.slice();
    },
  };
}

/** seen matches the pattern: each element a name or a set of names that may repeat (one or more), in order. */
export function sequence(seen: string[], pattern: (string | string[])[]): void {
  let i = 0;
  for (const p of pattern) {
    const allowed = typeof p === "string" ? [p] : p;
    if (i >= seen.length || allowed.indexOf(seen[i]) < 0) fail(`status sequence ${seen.join(" → ")} does not match ${pattern.map((x) => typeof x === "string" ? x : `(${x.join("|")})+`).join(" → ")}`);
    if (typeof p === "string") i++;
    else while (i < seen.length && allowed.indexOf(seen[i]) >= 0) i++;
  }
  if (i !== seen.length) fail(`status sequence ${seen.join(" → ")} has more than ${pattern.join(" → ")}`);
}
