// The smoke firmware: flash it, then `npm run smoke -- --port /dev/ttyUSB0` checks the board from
// the desktop over the network. It joins WiFi with usocket-xs/network, starts a TCP echo, a UDP
// echo, the article's web server and a control service (the runner's outbound check), and says
// what it does in `SMOKE v1 …` lines (README, "Smoke test: the line format"):
//   SMOKE v1 boot firmware=smoke host=<node|moddable>
//   SMOKE v1 ip=<a.b.c.d> mask=… gw=… dns=…
//   SMOKE v1 service=<tcp-echo|udp-echo|http|control> port=<n>
//   SMOKE v1 ready
//   SMOKE v1 mem … beat=<n>             every 2 s from boot on (the heartbeat)
//   SMOKE v1 error=<text>
// The ip/service/ready block is repeated every 10 s, so a runner that attaches late (--no-reset,
// or after a baud switch) still learns it.
//
// Run on the desktop: npm run example -- smoke [tcp-port udp-port http-port control-port]
//   (default 0 0 0 0: free ports; the lines say which). On Moddable the ports come from the
//   manifest's config.args ("7 7 80 7070"), WiFi credentials from `ssid=… password=…`.
// SMOKE_FAULT=corrupt-echo,no-udp (environment / config) breaks the firmware on purpose, for the
// runner's own tests: corrupt-echo flips one byte per TCP echo connection, no-udp never starts the
// UDP echo (so `ready` never comes).
import * as network from "usocket-xs/network";
import { sleep_ms } from "usocket-xs/time";
import { argv, getenv } from "./lib/platform";
import { describeError, report, reportError } from "./smoke/report";
import { memoryFields } from "./smoke/memory";
import { startControl, startHttp, startTcpEcho, startUdpEcho } from "./smoke/services";

const BEAT_MS = 2000;
const REPEAT_EVERY = 5; // beats between repeats of the ip/service/ready block
const JOIN_MS = 30000;
const RETRY_MS = 10000;

const faultList = (getenv("SMOKE_FAULT") ?? "").split(",").map((f) => f.trim());
const faults = { corruptEcho: faultList.includes("corrupt-echo"), noUdp: faultList.includes("no-udp") };
const ports = [0, 1, 2, 3].map((i) => Number(argv()[i] ?? 0));
const hostName = (globalThis as { process?: unknown }).process ? "node" : "moddable";

async function join(): Promise<string[]> {
  const ssid = getenv("ssid") ?? getenv("SSID") ?? "";
  const key = getenv("password") ?? getenv("PASSWORD") ?? "";
  for (;;) {
    try {
      const sta = network.WLAN(network.STA_IF);
      sta.active(true);
      if (sta.isconnected()) return sta.ifconfig() as string[];
      report("wifi", "connecting", `ssid=${ssid.replace(/\s/g, "_") || "-"}`);
      const status = await Promise.race([sta.connect(ssid, key), sleep_ms(JOIN_MS).then(() => -1)]);
      if (sta.isconnected()) return sta.ifconfig() as string[];
      reportError(status === -1 ? `wifi: no address after ${JOIN_MS / 1000} s (status ${sta.status()})`
        : `wifi: could not join ${JSON.stringify(ssid)} (status ${status})`);
    } catch (e) {
      reportError(`wifi: ${describeError(e)}`);
    }
    await sleep_ms(RETRY_MS);
  }
}

/** The heartbeat, from boot on (also while joining): a mem line every BEAT_MS, the block every REPEAT_EVERY. */
async function heartbeat(announce: string[][]): Promise<void> {
  for (let beat = 1; ; beat++) {
    await sleep_ms(BEAT_MS);
    report("mem", ...memoryFields(), `beat=${beat}`);
    if (beat % REPEAT_EVERY === 0) for (const fields of announce) report(...fields);
  }
}

async function main(): Promise<void> {
  report("boot", "firmware=smoke", `host=${hostName}`);
  const announce: string[][] = [];
  heartbeat(announce).catch((e) => reportError(`heartbeat: ${describeError(e)}`));
  const [ip, mask, gw, dns] = await join();
  announce.push([`ip=${ip}`, `mask=${mask}`, `gw=${gw}`, `dns=${dns}`]);
  report(...announce[0]);
  const start = (name: string, fn: () => number): boolean => {
    try {
      const fields = [`service=${name}`, `port=${fn()}`];
      announce.push(fields);
      report(...fields);
      return true;
    } catch (e) {
      reportError(`service ${name}: ${describeError(e)}`);
      return false;
    }
  };
  let ok = start("tcp-echo", () => startTcpEcho(ports[0], faults));
  if (!faults.noUdp) ok = start("udp-echo", () => startUdpEcho(ports[1])) && ok;
  else ok = false;
  ok = start("http", () => startHttp(ports[2])) && ok;
  ok = start("control", () => startControl(ports[3], gw)) && ok;
  if (ok) {
    announce.push(["ready"]);
    report("ready");
  }
}

main().catch((e) => reportError(`firmware: ${describeError(e)}`));
