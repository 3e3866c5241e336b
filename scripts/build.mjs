// Compiles the TypeScript with esbuild (type-checking is `npm run typecheck`, with tsc).
// The portable core imports its platform as the module "usocket-xs/host"; this build binds it to
// hosts/node, the way a Moddable manifest binds it to hosts/moddable.
import * as esbuild from "esbuild";
import { readdirSync, rmSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const r = (p) => join(root, p);

/** Resolves usocket-xs/* (core, host, port) and the test harness for one lane. */
export function bindings(hostDir, harness) {
  return {
    name: "usocket-xs-bindings",
    setup(build) {
      build.onResolve({ filter: /^usocket-xs\// }, (args) => {
        const name = args.path.slice("usocket-xs/".length);
        if (name === "host") return { path: r(`${hostDir}/host.ts`) };
        return { path: r(`src/${name}.ts`) };
      });
      build.onResolve({ filter: /^test-harness$/ }, () => ({ path: r(harness) }));
    },
  };
}

function files(dir, suffix) {
  if (!existsSync(r(dir))) return [];
  return readdirSync(r(dir), { recursive: true })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

export async function buildNode() {
  rmSync(r("dist"), { recursive: true, force: true });
  const entries = {};
  for (const m of ["socket", "usocket", "errno", "bytes", "select", "asyncio"]) entries[`node/${m}`] = r(`src/${m}.ts`);
  for (const f of [...files("examples", ".ts"), ...files("test", ".ts"), ...files("bench", ".ts")]) {
    // Harnesses are lane-specific and reached only through "test-harness"; other lanes' ones use their own modules.
    if (f.startsWith("test/xs/") || f.startsWith("test/sim/") || f.startsWith("test/harness/") || f.endsWith("-moddable.ts") || f.endsWith(".d.ts")) continue;
    entries[f.replace(/\.ts$/, "")] = r(f);
  }
  await esbuild.build({
    entryPoints: entries,
    outdir: r("dist"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    chunkNames: "chunks/[name]-[hash]",
    external: ["mocha"],
    plugins: [bindings("hosts/node", "test/harness/node.ts")],
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildNode();
  console.log(`built ${relative(process.cwd(), r("dist")) || "dist"}`);
}
