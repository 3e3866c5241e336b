// `npm run example -- <name> [args…]`: runs dist/examples/<name>.js (built by `npm run build`,
// which the npm script runs first) with the remaining arguments.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../dist/examples/", import.meta.url));
const available = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)) : []);
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error(`usage: npm run example -- <name> [args…]\nexamples: ${available().join(", ")}`);
  process.exit(2);
}
const file = `${dir}${name.replace(/\.(ts|js)$/, "")}.js`;
if (!existsSync(file)) {
  console.error(`no example ${JSON.stringify(name)} in dist/examples (have: ${available().join(", ")})`);
  process.exit(2);
}
const child = spawn(process.execPath, ["--enable-source-maps", file, ...args], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
