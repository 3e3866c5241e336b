// `npm run size [-- --platform esp32|esp|lin…]`: the bytecode usocket-xs adds to a Moddable app, as
// built for a board. mcconfig without -m resolves a small app (manifest_base + all our manifests)
// for the platform (default esp32; no device toolchain needed) and writes its makefile; this runs
// the makefile's own xsc command for each of our modules (usocket-xs/*), the same bytes a device
// build links, and reports:
// - socket + errno: every module `import * as socket from "usocket-xs/socket"` and
//   "usocket-xs/errno" load (the import graph of dist/moddable), against the 30 KB budget;
// - each other public module (package.json "exports") with what it adds on top of socket + errno;
// - what an app including only manifest.json carries (mcconfig builds every module a manifest
//   maps, imported or not), and what each manifest-<name>.json adds to it;
// - modules no public module loads.
// Skips, exit 0, with a reason when the SDK is not available. Exit 1 when socket + errno is over.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, sdk } from "./lib/moddable.mjs";

const BUDGET = 30 * 1024;
const platform = (() => { const i = process.argv.indexOf("--platform"); return i > 0 ? process.argv[i + 1] : "esp32"; })();
const s = sdk({ run: false });
if (!s.ok) {
  console.log(`xsb-size skipped: ${s.missing.join("; ")}`);
  process.exit(0);
}
if (!existsSync(join(root, "dist/moddable/socket.js"))) {
  console.error("dist/moddable is missing: npm run build (npm run size does it first)");
  process.exit(1);
}

const work = join(root, "build/xsb-size");
const app = join(work, "usocket-size");
mkdirSync(app, { recursive: true });
const manifests = readdirSync(root).filter((f) => /^manifest(-[\w-]+)?\.json$/.test(f)).sort();
writeFileSync(join(app, "manifest.json"), JSON.stringify({
  include: ["$(MODDABLE)/examples/manifest_base.json", ...manifests.map((f) => join(root, f))],
  modules: { "*": "./main" },
}, null, "\t") + "\n");
writeFileSync(join(app, "main.js"), 'import * as socket from "usocket-xs/socket";\ntrace(`${typeof socket.socket}\\n`);\n');
const out = join(work, platform.replace("/", "_"));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const espBase = join(work, "esp"); // mcconfig -p esp only checks that the folder exists
mkdirSync(espBase, { recursive: true });
const r = spawnSync("mcconfig", ["-p", platform, "-t", "build", "-o", out], { cwd: app, env: { ...s.env, ESP_BASE: espBase }, encoding: "utf8" });
const [plat, sub] = platform.split("/");
const tmp = join(out, "tmp", plat, ...(sub ? [sub] : ["lin", "mac", "win"].includes(plat) ? ["mc"] : []), "release", "usocket-size");
const makefile = join(tmp, "makefile");
if (!existsSync(makefile) || /^### Error/m.test(r.stdout + r.stderr)) {
  console.error(`mcconfig -p ${platform} did not write ${makefile}:\n${r.stdout}${r.stderr}`);
  process.exit(1);
}

// The makefile's rules for our modules: "$(MODULES_DIR)/usocket-xs/x.xsb: source" + "\txsc source … -r x".
const mk = readFileSync(makefile, "utf8").split("\n");
const xsbDir = join(work, "xsb", platform.replace("/", "_"));
rmSync(xsbDir, { recursive: true, force: true });
mkdirSync(xsbDir, { recursive: true });
const modules = new Map(); // name → { source, bytes }
for (let i = 0; i < mk.length; i++) {
  const m = /^\$\(MODULES_DIR\)\/usocket-xs\/([^:]+)\.xsb: (\S+)/.exec(mk[i]);
  if (!m) continue;
  const cmd = mk.slice(i + 1, i + 4).find((l) => l.startsWith("\txsc "));
  if (!cmd) continue;
  const argv = cmd.trim().split(/\s+/).map((a) => (a === "$(@D)" ? xsbDir : a));
  const x = spawnSync(join(s.bin, "xsc"), argv.slice(1), { encoding: "utf8" });
  if (x.status !== 0) { console.error(`${cmd.trim()} failed:\n${x.stdout}${x.stderr}`); process.exit(1); }
  modules.set(m[1], { source: m[2], bytes: statSync(join(xsbDir, `${m[1]}.xsb`)).size });
}

// The import graph: relative imports between our modules ("./x.js").
const imports = new Map();
for (const [name, { source }] of modules) {
  const text = readFileSync(source, "utf8");
  imports.set(name, [...text.matchAll(/\b(?:from|import)\s*\(?\s*"\.\/([^"]+?)(?:\.js)?"/g)].map((x) => x[1]).filter((n) => modules.has(n)));
}
const closure = (roots) => {
  const seen = new Set();
  const walk = (n) => { if (seen.has(n) || !modules.has(n)) return; seen.add(n); for (const d of imports.get(n)) walk(d); };
  roots.forEach(walk);
  return seen;
};
const sum = (set) => [...set].reduce((t, n) => t + modules.get(n).bytes, 0);
const line = (n) => `    ${String(modules.get(n).bytes).padStart(6)}  usocket-xs/${n}`;

const core = closure(["socket", "errno"]);
const coreBytes = sum(core);
console.log(`${platform} (release; the makefile's own xsc commands; mcconfig without -m, no toolchain):`);
console.log(`  socket + errno: ${coreBytes} bytes (${(coreBytes / 1024).toFixed(1)} KiB); budget ${BUDGET / 1024} KiB: ${coreBytes <= BUDGET ? "within" : `OVER by ${coreBytes - BUDGET}`}`);
for (const n of [...core].sort((a, b) => modules.get(b).bytes - modules.get(a).bytes)) console.log(line(n));
const exports = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports ?? {})
  .map((k) => k.replace(/^\.\//, "")).filter((k) => modules.has(k) && !core.has(k));
const reached = new Set(core);
for (const e of exports) {
  const extra = [...closure([e])].filter((n) => !core.has(n));
  extra.forEach((n) => reached.add(n));
  console.log(`  usocket-xs/${e}: +${sum(new Set(extra))} bytes on top of socket + errno`);
  for (const n of extra) console.log(line(n));
}
const rest = [...modules.keys()].filter((n) => !reached.has(n));
if (rest.length) {
  console.log(`  not loaded by any public module: ${sum(new Set(rest))} bytes`);
  for (const n of rest) console.log(line(n));
}
// What each manifest maps ("usocket-xs/x": "./dist/moddable/x"), with the manifests it includes.
const maps = (f, seen = new Set()) => {
  if (seen.has(f)) return new Set();
  seen.add(f);
  const json = JSON.parse(readFileSync(join(root, f), "utf8"));
  const own = Object.keys(json.modules ?? {}).filter((k) => k.startsWith("usocket-xs/")).map((k) => k.slice("usocket-xs/".length)).filter((n) => modules.has(n));
  const inc = [].concat(json.include ?? []).filter((i) => /^\.\/manifest(-[\w-]+)?\.json$/.test(i)).flatMap((i) => [...maps(i.slice(2), seen)]);
  return new Set([...own, ...inc]);
};
const plain = maps("manifest.json");
const plainBytes = sum(plain);
console.log(`  an app including only manifest.json carries: ${plainBytes} bytes (${(plainBytes / 1024).toFixed(1)} KiB), ${plain.size} modules${[...plain].some((n) => !core.has(n)) ? `, of which not loaded by socket + errno: ${[...plain].filter((n) => !core.has(n)).join(", ")}` : ""}`);
for (const f of manifests.filter((x) => x !== "manifest.json")) {
  const extra = [...maps(f)].filter((n) => !plain.has(n));
  console.log(`    + ${f}: +${sum(new Set(extra))} bytes (${extra.join(", ")})`);
}
const all = sum(new Set(modules.keys()));
console.log(`  all usocket-xs modules (every manifest): ${all} bytes (${(all / 1024).toFixed(1)} KiB)`);
process.exit(coreBytes <= BUDGET ? 0 : 1);
