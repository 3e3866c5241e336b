// `node test/sim/builds.mjs` (run by `npm run test:sim` after the suite): the builds a user makes.
// 1. Every app (examples/*/manifest.json, test/sim, test/sim/stack) resolves for -p esp, esp32 and
//    esp32/esp32c3: mcconfig WITHOUT -m resolves the manifests and writes the makefile, compiling
//    nothing (there is no device toolchain here). Fails on mcconfig's "### Error", on "no modules
//    match", on a makefile without our modules or the UDP class, or with any ECMA-419 IO class we do
//    not use (SPI, I2C… break the ESP8266 link). make, pkill and idf.py are stand-ins first on PATH
//    that record any call: none may happen.
// 2. What each of our manifests gives an app (mcconfig -p esp32 without -m): manifest.json exactly
//    the core (socket, usocket, errno, bytes and what they import), manifest-<name>.json the core
//    plus usocket-xs/<name> and what it imports, nothing else; the classic wifi module only with
//    manifest-network.json. And an app that imports usocket-xs/asyncio with only manifest.json.
// 3. A user's own app outside the repository, with no TypeScript compiler on PATH, both ways:
//    (a) its manifest includes our manifest.json; (b) mcpack, from `npm pack`'s tarball installed
//    with npm. Each is built for lin, run in the simulator, and must talk to a CPython peer over
//    127.0.0.1. mcpack exits 0 after "### N error(s)", so its output and mc.so are the judges.
// 4. The bytecode budget: socket + errno as a board build has it (scripts/xsb-size.mjs, which is
//    `npm run size` after the build) stays within 30 KB.
// Skips (exit 0) with one line when MODDABLE is unset.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { root, sdk, startSim } from "../../scripts/lib/moddable.mjs";

if (!process.env.MODDABLE) {
  console.log("builds skipped: MODDABLE is not set (the Moddable SDK built for lin is needed)");
  process.exit(0);
}
const s = sdk();
if (!s.ok) {
  for (const m of s.missing) console.error(`missing: ${m}`);
  process.exit(1);
}
const grep = (() => { const i = process.argv.indexOf("--grep"); return i > 0 ? new RegExp(process.argv[i + 1]) : undefined; })();
let failed = 0, passed = 0;
const ok = (name) => { passed++; console.log(`  ok    ${name}`); };
const bad = (name, why) => { failed++; console.log(`  FAIL  ${name}\n          ${why.split("\n").join("\n          ")}`); };
const want = (name) => !grep || grep.test(name);

if (!existsSync(join(root, "dist/moddable/socket.js"))) {
  console.log("  FAIL  dist/moddable is missing: run npm run build (manifest.json uses the compiled modules)");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "usocket-xs-builds-"));
const cleanup = [];
process.on("exit", () => { for (const f of cleanup) { try { f(); } catch { /* best effort */ } } rmSync(work, { recursive: true, force: true }); });

// ---- 1. device manifests ----------------------------------------------------------------------
const spies = join(work, "spies");
mkdirSync(spies);
const spyLog = join(work, "spies.log");
for (const tool of ["make", "pkill", "killall", "idf.py", "xsbug", "serial2xsbug", "esptool.py"]) {
  writeFileSync(join(spies, tool), `#!/bin/sh\necho "${tool} $*" >> ${spyLog}\nexit 1\n`);
  chmodSync(join(spies, tool), 0o755);
}
const espBase = join(work, "esp"); // mcconfig -p esp wants the folder to exist, nothing in it
mkdirSync(espBase);

const apps = [
  ...readdirSync(join(root, "examples")).sort().map((d) => `examples/${d}`),
  "test/sim", "test/sim/stack",
].filter((d) => existsSync(join(root, d, "manifest.json")));
const UNUSED_IO = /\/modules\/io\/(spi|i2c|pwm|digital|analog|serial|pulsecount|pulsewidth|system)\//;

for (const platform of ["esp", "esp32", "esp32/esp32c3"]) {
  for (const app of apps) {
    const name = `${app} resolves for -p ${platform} (mcconfig without -m)`;
    if (!want(name)) continue;
    const appName = app.split("/").at(-1);
    const out = join(root, "build/resolve", platform, app.replace(/\//g, "_"));
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const r = spawnSync("mcconfig", ["-p", platform, "-t", "build", "-o", out], {
      cwd: join(root, app), encoding: "utf8",
      env: { ...s.env, PATH: [spies, s.env.PATH].join(delimiter), ESP_BASE: espBase, IDF_PATH: undefined },
    });
    const log = (r.stdout ?? "") + (r.stderr ?? "");
    const [plat, sub] = platform.split("/");
    const makefile = join(out, "tmp", plat, ...(sub ? [sub] : []), "release", appName, "makefile");
    const problems = [];
    if (r.status !== 0) problems.push(`mcconfig exited ${r.status}`);
    for (const l of log.split("\n")) if (/^### Error|no modules match|manifest not found/.test(l)) problems.push(l);
    if (!existsSync(makefile)) problems.push(`no makefile at ${makefile}`);
    else {
      const mk = readFileSync(makefile, "utf8");
      for (const m of ["usocket-xs/socket.xsb", "usocket-xs/errno.xsb", "usocket-xs/core.xsb", "~.embedded/io/socket/udp.xsb"]) {
        if (!mk.includes(`$(MODULES_DIR)/${m}`)) problems.push(`the makefile does not build ${m}`);
      }
      for (const o of ["builtinCommon.c.o", "udp.c.o"]) if (!mk.includes(`$(TMP_DIR)/${o}`)) problems.push(`the makefile does not compile ${o}`);
      // A board gets the stub of the simulator's TCP rules, not the rules (manifest.json "~").
      if (!mk.includes(`$(MODULES_DIR)/usocket-xs/tcp-lin.xsb: ${join(root, "dist/moddable/device/tcp-lin.js")}`)) problems.push("usocket-xs/tcp-lin is not the device stub (dist/moddable/device/tcp-lin.js)");
      // examples/relay drives its pin through ECMA-419 digital on purpose; nothing else may pull IO in.
      const unused = mk.split("\n").filter((l) => UNUSED_IO.test(l) && !(app === "examples/relay" && /\/modules\/io\/digital\//.test(l)));
      if (unused.length) problems.push(`ECMA-419 IO the library does not use:\n${unused.slice(0, 5).join("\n")}`);
    }
    problems.length ? bad(name, problems.join("\n")) : ok(name);
  }
}
const spied = existsSync(spyLog) ? readFileSync(spyLog, "utf8").trim() : "";
spied ? bad("mcconfig without -m runs no tool", `it ran:\n${spied}`) : ok("mcconfig without -m ran no make, pkill, idf.py, xsbug or serial2xsbug");

// ---- helpers of 2. and 3. ----------------------------------------------------------------------
// PATH for the user's builds: the SDK's tools and the system, without any TypeScript compiler.
const noTsc = [s.bin, ...(process.env.PATH ?? "").split(delimiter)]
  .filter((d) => d && !d.includes("node_modules") && !existsSync(join(d, "tsc")))
  .join(delimiter);

const MAIN = `// A user's program (JavaScript): connect to the peer, send a line, print the reply.
import * as socket from "usocket-xs/socket";
import { OSError, errorcode } from "usocket-xs/errno";
import { decode } from "usocket-xs/bytes";
import config from "mc/config";

async function main() {
	const s = socket.socket();
	s.settimeout(20);
	try {
		await s.connect(["127.0.0.1", Number(config.peerPort)]);
		await s.sendall("ping from the user's app\\n");
		const f = s.makefile("rb");
		const line = await f.readline();
		trace("user-app: got " + decode(line).trim() + "\\n");
	} catch (e) {
		trace("user-app: FAILED " + (e instanceof OSError ? errorcode[e.errno] : String(e)) + "\\n");
	} finally {
		s.close();
	}
	trace("user-app: done\\n");
}
main();
`;

/** A CPython TCP server on 127.0.0.1: answers the first line with "pong: <LINE>". */
function peer() {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", [
      "import socket, sys",
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1); s.settimeout(120)",
      "print(s.getsockname()[1], flush=True)",
      "c, _ = s.accept(); c.settimeout(60); f = c.makefile('rb')",
      "c.sendall(b'pong: ' + f.readline().strip().upper() + b'\\n'); c.close()",
    ].join("\n")], { stdio: ["ignore", "pipe", "inherit"] });
    cleanup.push(() => child.kill("SIGKILL"));
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (d) => resolve({ port: Number(d.trim()), child }));
    child.on("error", reject);
  });
}

async function runInSim(so) {
  const seen = [];
  let finish;
  const finished = new Promise((r) => { finish = r; });
  const sim = startSim(s, so, { onLine(l) { seen.push(l); if (/^user-app: done/.test(l) || /XS abort/.test(l)) finish(); }, onError() {} });
  const timer = setTimeout(finish, 90_000);
  sim.exited.then(finish);
  await finished;
  clearTimeout(timer);
  await sim.stop();
  return seen;
}

// ---- 2. what each manifest gives an app ------------------------------------------------------
// The import graph of dist/moddable (one flat folder: "./x.js" is usocket-xs/x).
const importsOf = (n) => [...readFileSync(join(root, "dist/moddable", `${n}.js`), "utf8").matchAll(/\b(?:from|import)\s*\(?\s*"\.\/([^"]+?)\.js"/g)].map((x) => x[1]);
const closure = (roots) => {
  const seen = new Set();
  const walk = (n) => { if (seen.has(n)) return; seen.add(n); importsOf(n).forEach(walk); };
  roots.forEach(walk);
  return seen;
};
const CORE = ["socket", "usocket", "errno", "bytes"];
const ourManifests = readdirSync(root).filter((f) => /^manifest(-[\w-]+)?\.json$/.test(f)).sort();
/** The usocket-xs modules (and whether the classic wifi module is in) of an app including `manifest`, resolved for esp32. */
function resolveWith(manifest) {
  const app = join(work, `only-${manifest.replace(/\.json$/, "")}`);
  mkdirSync(app);
  writeFileSync(join(app, "manifest.json"), JSON.stringify({
    include: ["$(MODDABLE)/examples/manifest_base.json", join(root, manifest)],
    modules: { "*": "./main" },
  }, null, "\t"));
  writeFileSync(join(app, "main.js"), "trace(\"\\n\");\n");
  const out = join(work, `only-${manifest.replace(/\.json$/, "")}-out`);
  mkdirSync(out);
  const r = spawnSync("mcconfig", ["-p", "esp32", "-t", "build", "-o", out], {
    cwd: app, encoding: "utf8",
    env: { ...s.env, PATH: [spies, s.env.PATH].join(delimiter), ESP_BASE: espBase, IDF_PATH: undefined },
  });
  const makefile = join(out, "tmp/esp32/release", app.split("/").at(-1), "makefile");
  if (!existsSync(makefile)) return { error: `no makefile:\n${((r.stdout ?? "") + (r.stderr ?? "")).split("\n").slice(-10).join("\n")}` };
  const mk = readFileSync(makefile, "utf8");
  const modules = new Set([...mk.matchAll(/^\$\(MODULES_DIR\)\/usocket-xs\/([\w-]+)\.xsb:/gm)].map((m) => m[1]));
  return { modules, wifi: /\/modules\/network\/wifi\//.test(mk) };
}
for (const manifest of ourManifests) {
  const capability = /^manifest-([\w-]+)\.json$/.exec(manifest)?.[1];
  const name = capability
    ? `an app including only manifest-${capability}.json gets the core, usocket-xs/${capability} and what it imports, nothing else`
    : "an app including only manifest.json gets the core (socket, usocket, errno, bytes and what they import): no network, time, select, asyncio or ssl";
  if (!want(name)) continue;
  const got = resolveWith(manifest);
  if (got.error) { bad(name, got.error); continue; }
  const expected = closure(capability ? [...CORE, capability] : CORE);
  const extra = [...got.modules].filter((n) => !expected.has(n)).sort();
  const missing = [...expected].filter((n) => !got.modules.has(n)).sort();
  const problems = [];
  if (extra.length) problems.push(`modules it does not need: ${extra.join(", ")}`);
  if (missing.length) problems.push(`modules missing: ${missing.join(", ")}`);
  if (got.wifi !== (capability === "network")) problems.push(got.wifi ? "the classic wifi module ($(MODULES)/network/wifi) is in: only manifest-network.json needs it" : "no classic wifi module ($(MODULES)/network/wifi): usocket-xs/host-wifi imports it");
  problems.length ? bad(name, problems.join("\n")) : ok(`${name} (${got.modules.size} modules)`);
}

{
  // mcconfig builds only what manifests map and XS resolves imports when the app starts, so a
  // missing manifest is not a build error: this pins down what the user sees instead.
  const name = "an app importing usocket-xs/asyncio with only manifest.json: mcconfig builds it without a word, the app aborts when it starts";
  if (want(name)) {
    const app = join(work, "missing-asyncio");
    mkdirSync(app);
    writeFileSync(join(app, "manifest.json"), JSON.stringify({
      include: ["$(MODDABLE)/examples/manifest_base.json", join(root, "manifest.json")],
      modules: { "*": "./main" },
    }, null, "\t"));
    writeFileSync(join(app, "main.js"), 'import * as asyncio from "usocket-xs/asyncio";\ntrace(`user-app: asyncio ${typeof asyncio.run}\\n`);\ntrace("user-app: done\\n");\n');
    const out = join(work, "missing-asyncio-out");
    mkdirSync(out);
    const r = spawnSync("mcconfig", ["-m", "-p", "lin", "-t", "build", "-o", out], { cwd: app, encoding: "utf8", env: s.env });
    const log = (r.stdout ?? "") + (r.stderr ?? "");
    const said = log.split("\n").filter((l) => /asyncio|### (Error|warning)|not found/i.test(l) && !/^# (xsc|cc|xsid) /.test(l) && !/no const/.test(l));
    const so = join(out, "bin/lin/mc/release/missing-asyncio/mc.so");
    if (r.status !== 0 || !existsSync(so)) bad(name, `mcconfig now fails the build (exit ${r.status}) — better; update this test and the README:\n${log.split("\n").slice(-10).join("\n")}`);
    else {
      const seen = await runInSim(so);
      const ran = seen.find((l) => l.startsWith("user-app: asyncio"));
      const abort = seen.find((l) => /XS abort/.test(l));
      if (ran || !abort) bad(name, `the app started (usocket-xs/asyncio without manifest-asyncio.json?):\n${seen.slice(-10).join("\n")}`);
      else ok(`${name}\n          mcconfig: exit 0${said.length ? `, said: ${said.join(" | ")}` : ", said nothing about it"}; the simulator: "${abort.trim()}"`);
    }
  }
}

// ---- 3. a user's own app ----------------------------------------------------------------------
async function userApp(name, build, also = []) {
  if (!want(name)) return;
  const { port } = await peer();
  const r = build(port);
  if (r.problems.length) { bad(name, r.problems.join("\n")); return; }
  const seen = await runInSim(r.so);
  const got = seen.find((l) => l.startsWith("user-app: got "));
  const absent = also.filter((l) => !seen.includes(l));
  got === "user-app: got pong: PING FROM THE USER'S APP" && !absent.length ? ok(name) : bad(name, `simulator output${absent.length ? ` (no "${absent.join('", "')}")` : ""}:\n${seen.slice(-15).join("\n") || "(nothing)"}`);
}

const errorsIn = (log) => log.split("\n").filter((l) => /^### (Error|\d+ error)|error:|manifest not found|not found!|typescript compile failure|tsc: not found/i.test(l));

await userApp("a user's app including manifest.json builds with no tsc on PATH and runs in the simulator", (port) => {
  const app = join(work, "manifest-app");
  mkdirSync(app);
  writeFileSync(join(app, "manifest.json"), JSON.stringify({
    include: ["$(MODDABLE)/examples/manifest_base.json", join(root, "manifest.json")],
    modules: { "*": "./main" },
  }, null, "\t"));
  writeFileSync(join(app, "main.js"), MAIN);
  const out = join(work, "manifest-out");
  mkdirSync(out);
  const r = spawnSync("mcconfig", ["-m", "-p", "lin", "-t", "build", "-o", out, `peerPort=${port}`], { cwd: app, encoding: "utf8", env: { ...s.env, PATH: noTsc } });
  const log = (r.stdout ?? "") + (r.stderr ?? "");
  const so = join(out, "bin/lin/mc/release/manifest-app/mc.so");
  const problems = [...errorsIn(log)];
  if (r.status !== 0) problems.push(`mcconfig exited ${r.status}`);
  if (!existsSync(so)) problems.push(`no ${so}`);
  if (problems.length) problems.push(`mcconfig output (tail):\n${log.split("\n").slice(-15).join("\n")}`);
  return { so, problems };
});

// mcpack builds what the app imports (no manifest-asyncio.json needed): this app uses asyncio too.
const MCPACK_MAIN = `import * as asyncio from "usocket-xs/asyncio";\ntrace("user-app: asyncio " + typeof asyncio.run + "\\n");\n${MAIN}`;
await userApp("a user's mcpack app (socket and asyncio), usocket-xs installed from npm pack's tarball, builds with no tsc on PATH, gets only the modules it imports and the core, and runs in the simulator (and resolves for esp32)", (port) => {
  const problems = [];
  const packs = join(work, "pack");
  mkdirSync(packs);
  const pack = spawnSync("npm", ["pack", "--silent", "--pack-destination", packs], { cwd: root, encoding: "utf8" });
  const tgz = readdirSync(packs).find((f) => f.endsWith(".tgz"));
  if (pack.status !== 0 || !tgz) return { problems: [`npm pack failed: ${pack.stderr}`] };
  const app = join(work, "mcpack-app");
  mkdirSync(app);
  const pkgName = `usocket-xs-user-app-${process.pid}`;
  cleanup.push(() => rmSync(join(s.MODDABLE, "build/tmp", pkgName), { recursive: true, force: true })); // mcpack's generated manifest
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: pkgName, version: "1.0.0", type: "module", main: "main.js", private: true }, null, 2));
  writeFileSync(join(app, "main.js"), MCPACK_MAIN);
  const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(packs, tgz)], { cwd: app, encoding: "utf8" });
  if (install.status !== 0) return { problems: [`npm install of the tarball failed: ${install.stderr}`] };
  const out = join(work, "mcpack-out");
  mkdirSync(out);
  const r = spawnSync(join(s.bin, "mcpack"), ["mcconfig", "-m", "-p", "lin", "-t", "build", "-o", out, `peerPort=${port}`], { cwd: app, encoding: "utf8", env: { ...s.env, PATH: noTsc } });
  const log = (r.stdout ?? "") + (r.stderr ?? "");
  const so = join(out, "bin/lin/mc/release", pkgName, "mc.so");
  problems.push(...errorsIn(log));
  if (!existsSync(so)) problems.push(`no ${so}`);
  // One copy of each module, under our names: mcpack names a module by its package and its path
  // there, and dist/moddable is a package named usocket-xs (dist/moddable/x.js is usocket-xs/x).
  const mods = join(out, "tmp/lin/mc/release", pkgName, "modules/usocket-xs");
  const twice = existsSync(join(mods, "dist")) ? readdirSync(join(mods, "dist"), { recursive: true }).filter((f) => f.endsWith(".xsb")) : [];
  if (twice.length) problems.push(`modules built twice, also as usocket-xs/dist/…: ${twice.join(", ")}`);
  const built = new Set(existsSync(mods) ? readdirSync(mods).filter((f) => f.endsWith(".xsb")).map((f) => f.slice(0, -4)) : []);
  const expected = closure([...CORE, "asyncio"]);
  const extra = [...built].filter((n) => !expected.has(n)), missing = [...expected].filter((n) => !built.has(n));
  if (extra.length) problems.push(`modules the app does not import: ${extra.sort().join(", ")}`);
  if (missing.length) problems.push(`modules missing: ${missing.sort().join(", ")}`);
  if (problems.length) problems.push(`mcpack output (tail):\n${log.split("\n").slice(-15).join("\n")}`);
  // The same app for a board, resolved only (mcconfig without -m): one copy of each module, and
  // the stub of the simulator's TCP rules, although mcpack found the real ones by import.
  const out32 = join(work, "mcpack-esp32");
  mkdirSync(out32);
  const r32 = spawnSync(join(s.bin, "mcpack"), ["mcconfig", "-p", "esp32", "-t", "build", "-o", out32], { cwd: app, encoding: "utf8", env: { ...s.env, PATH: [spies, noTsc].join(delimiter) } });
  const mk32 = join(out32, "tmp/esp32/release", pkgName, "makefile");
  const log32 = (r32.stdout ?? "") + (r32.stderr ?? "");
  if (errorsIn(log32).length || !existsSync(mk32)) problems.push(`mcpack mcconfig -p esp32 (no -m) failed:\n${log32.split("\n").slice(-10).join("\n")}`);
  else {
    const mk = readFileSync(mk32, "utf8");
    if (/\$\(MODULES_DIR\)\/usocket-xs\/dist\//.test(mk)) problems.push("esp32: modules built twice, also as usocket-xs/dist/…");
    if (!/\$\(MODULES_DIR\)\/usocket-xs\/tcp-lin\.xsb: \S+\/dist\/moddable\/device\/tcp-lin\.js/.test(mk)) problems.push("esp32: usocket-xs/tcp-lin is not the device stub");
  }
  return { so, problems };
}, ["user-app: asyncio function"]);

// ---- 4. the bytecode budget ---------------------------------------------------------------------
{
  const name = "socket + errno is within the 30 KB bytecode budget on esp32 (npm run size)";
  if (want(name)) {
    const r = spawnSync(process.execPath, [join(root, "scripts/xsb-size.mjs")], { cwd: root, encoding: "utf8", env: s.env });
    const line = /^\s*socket \+ errno: .*$/m.exec(r.stdout ?? "")?.[0]?.trim();
    if (r.status === 0 && line && /within/.test(line)) ok(`${name}: ${line}`);
    else bad(name, line ?? `xsb-size exited ${r.status}:\n${(r.stdout ?? "") + (r.stderr ?? "")}`);
  }
}

console.log(failed ? `builds: ${failed} failed, ${passed} passed` : `builds: ${passed} passed`);
process.exit(failed ? 1 : 0);
