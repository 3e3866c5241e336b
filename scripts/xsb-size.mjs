// `node scripts/xsb-size.mjs`: the bytecode usocket-xs adds to a Moddable app. Builds a release app
// for lin (build/xsb-size/usocket-size: manifest_base + our manifest.json, a main that imports
// usocket-xs/socket and usocket-xs/errno) and sums the .xsb files of our modules (usocket-xs/*)
// in its tmp dir. Skips, exit 0, with a reason when the SDK is not available.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, sdk, buildLin } from "./lib/moddable.mjs";

const BUDGET = 16 * 1024;
const s = sdk({ run: false });
if (!s.ok) {
  console.log(`xsb-size skipped: ${s.missing.join("; ")}`);
  process.exit(0);
}

const app = join(root, "build/xsb-size/usocket-size");
mkdirSync(app, { recursive: true });
writeFileSync(join(app, "manifest.json"), JSON.stringify({
  include: ["$(MODDABLE)/examples/manifest_base.json", join(root, "manifest.json")],
  modules: { "*": "./main" },
}, null, "\t") + "\n");
writeFileSync(join(app, "main.ts"), [
  'import * as socket from "usocket-xs/socket";',
  'import * as errno from "usocket-xs/errno";',
  'trace(`${typeof socket.socket} ${errno.ECONNRESET}\\n`);',
  "",
].join("\n"));

// Our compiled modules are rebuilt every time, so that a module removed from src/ or hosts/moddable
// leaves no stale .xsb behind to be counted.
const out = join(root, "build/xsb-size/out");
rmSync(join(out, "tmp/lin/mc/release/usocket-size/modules/usocket-xs"), { recursive: true, force: true });
let built;
try {
  built = buildLin(s, app, out);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const dir = join(built.tmp, "modules", "usocket-xs");
const sizes = readdirSync(dir)
  .filter((f) => f.endsWith(".xsb"))
  .map((f) => ({ name: `usocket-xs/${f.slice(0, -4)}`, bytes: statSync(join(dir, f)).size }))
  .sort((a, b) => b.bytes - a.bytes);
const core = new Set(readdirSync(join(root, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => f.slice(0, -3)));
// Every module the manifest lists is compiled into the app; those of network and time (issue 6)
// are counted apart, so the socket + errno figure stays what it was.
const wifiModules = /^(network|time|wlan-.*|port-wifi|value-error|host-wifi)$/;
let total = 0, coreTotal = 0, wifiTotal = 0;
console.log(`release lin build, ${built.tmp}/modules/usocket-xs:`);
for (const { name, bytes } of sizes) {
  const short = name.slice("usocket-xs/".length);
  const where = core.has(short) ? "src" : "hosts/moddable";
  console.log(`  ${String(bytes).padStart(6)}  ${name}  (${where}${wifiModules.test(short) ? ", network/time" : ""})`);
  if (wifiModules.test(short)) { wifiTotal += bytes; continue; }
  total += bytes;
  if (core.has(short)) coreTotal += bytes;
}
console.log(`  network + time (not in the total below): ${wifiTotal} bytes (${(wifiTotal / 1024).toFixed(1)} KiB)`);
console.log(`  core (src): ${coreTotal} bytes; host (hosts/moddable): ${total - coreTotal} bytes`);
console.log(`total: ${total} bytes (${(total / 1024).toFixed(1)} KiB) for socket + errno; budget ${BUDGET / 1024} KiB: ${total <= BUDGET ? "within" : "OVER"}`);
process.exit(total <= BUDGET ? 0 : 1);
