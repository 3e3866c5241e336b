// `npm run sim -- <example> [key=value…]`: builds examples/<example> for the Moddable simulator
// (mcconfig -m -p lin -t build, into build/sim/<example>), runs it headless (mcsim under
// xvfb-run, its own XDG_CONFIG_HOME) and streams its trace() output until Ctrl-C / SIGTERM,
// which stops our mcsim by its PID. key=value pairs go to mcconfig as config, e.g.
// `npm run sim -- web-server args="9000 0.0.0.0"`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { root, requireSdk, buildLin, startSim } from "./lib/moddable.mjs";

const examples = () => readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, "examples", d.name, "manifest.json")))
  .map((d) => d.name);
const [name, ...rest] = process.argv.slice(2);
if (!name || !examples().includes(name)) {
  console.error(`usage: npm run sim -- <example> [key=value…]\nexamples: ${examples().join(", ")}`);
  process.exit(2);
}
const config = {};
for (const kv of rest) {
  const i = kv.indexOf("=");
  if (i <= 0) { console.error(`not key=value: ${kv}`); process.exit(2); }
  config[kv.slice(0, i)] = kv.slice(i + 1);
}

const s = requireSdk();
console.error(`building examples/${name} for lin…`);
let built;
try {
  built = buildLin(s, join(root, "examples", name), join(root, "build/sim", name), { config });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
console.error(`running ${built.so} in mcsim (headless); Ctrl-C stops it`);
const sim = startSim(s, built.so, { onLine: (l) => console.log(l), onError: (l) => console.error(l) });
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await sim.stop();
    process.exit(0);
  });
}
const code = await sim.exited;
if (!stopping) {
  console.error(`mcsim exited (${code})`);
  await sim.stop();
  process.exit(1);
}
