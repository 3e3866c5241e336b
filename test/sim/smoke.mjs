// Sim lane of the smoke test: the smoke firmware built for the Moddable simulator
// (mcconfig -m -p lin -t build -i, into build/sim-smoke), run headless in mcsim by the board
// double, which carries its trace() output to a socat pseudo-terminal in both formats (plain text
// and xsbug frames with the login handshake); the runner checks it over 127.0.0.1. A build with
// the corrupt-echo fault switch must fail the run.
// Skips (exit 0, one line) when MODDABLE is unset. Exit 1 on any failure.
import { join } from "node:path";
import { root, sdk, buildLin } from "../../scripts/lib/moddable.mjs";
import { smoke, show, killAll } from "../smoke/harness.mjs";

if (!process.env.MODDABLE) {
  console.log("test:sim smoke skipped: MODDABLE is not set (the Moddable SDK built for lin is needed)");
  process.exit(0);
}
const s = sdk();
if (!s.ok) {
  for (const m of s.missing) console.error(`missing: ${m}`);
  process.exit(1);
}
console.log("test:sim smoke: building examples/smoke for lin (-i)…");
let built;
try {
  built = buildLin(s, join(root, "examples/smoke"), join(root, "build/sim-smoke"), { config: { args: "0 0 0 0", ssid: "smoke-sim", password: "smoke-sim-key" }, instrument: true });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { killAll(); process.exit(1); });

let failed = 0;
for (const format of ["text", "xsbug"]) {
  const t0 = Date.now();
  const r = await smoke(["--timeout", "120", "-v"], ["--format", format, "--firmware", `sim:${built.so}`]);
  const ok = r.code === 0 && /all \d+ checks passed/.test(r.out) && (format !== "xsbug" || /login answered/.test(r.board));
  console.log(`  ${ok ? "ok  " : "FAIL"}  smoke runner passes the simulator's firmware over a pty, ${format} format (${Date.now() - t0} ms)`);
  if (!ok) { failed++; console.log(show(r).split("\n").map((l) => `          ${l}`).join("\n")); }
  else console.log(r.out.split("\n").filter((l) => /^(serial format|memory|board alive)/.test(l)).map((l) => `          ${l}`).join("\n"));
}

// The firmware's fault switch works on Moddable too: corrupt-echo from the build's config.
{
  const t0 = Date.now();
  let faulty;
  try {
    faulty = buildLin(s, join(root, "examples/smoke"), join(root, "build/sim-smoke-fault"), { config: { args: "0 0 0 0", ssid: "smoke-sim", password: "smoke-sim-key", SMOKE_FAULT: "corrupt-echo" }, instrument: true });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const r = await smoke(["--timeout", "120", "-v"], ["--format", "xsbug", "--firmware", `sim:${faulty.so}`]);
  const ok = r.code === 1 && /FAIL tcp echo: 1 B: checksum mismatch/.test(r.out);
  console.log(`  ${ok ? "ok  " : "FAIL"}  a corrupted echo from the simulator's firmware (SMOKE_FAULT=corrupt-echo) fails the run (${Date.now() - t0} ms)`);
  if (!ok) { failed++; console.log(show(r).split("\n").map((l) => `          ${l}`).join("\n")); }
}
killAll();
console.log(`test:sim smoke: ${3 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
