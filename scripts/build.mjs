// Compiles the TypeScript with esbuild (type-checking is `npm run typecheck`, with tsc).
// The portable core imports its platform as the module "usocket-xs/host"; this build binds it to
// hosts/node, the way a Moddable manifest binds it to hosts/moddable.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
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
        if (name === "host-wifi") return { path: r(`${hostDir}/host-wifi.ts`) };
        if (name === "host-tls") return { path: r(hostDir === "hosts/node" ? "hosts/node/tls.ts" : `${hostDir}/tls/host.ts`) };
        // usocket-xs/ssl and its machinery live in src/ssl/ (dist/moddable/ssl.js etc., flat, for Moddable)
        if (name === "ssl" || !existsSync(r(`src/${name}.ts`)) && existsSync(r(`src/ssl/${name}.ts`))) return { path: r(`src/ssl/${name}.ts`) };
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
  for (const m of ["socket", "usocket", "errno", "bytes", "network", "time", "select", "asyncio"]) entries[`node/${m}`] = r(`src/${m}.ts`);
  entries["node/wifi-simulation"] = r("hosts/node/host-wifi.ts"); // simulateWifi(): the Node host's simulated access points
  entries["node/ssl"] = r("src/ssl/ssl.ts");
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

/**
 * dist/moddable: the library's Moddable modules as JavaScript (src/ and hosts/moddable, flat), with a
 * .d.ts beside each, so that an app including manifest.json (or built with mcpack) needs no
 * TypeScript compiler. Emitted by tsc itself (tsconfig.dist.json), as mcconfig would compile the
 * .ts, so the bytecode is the same; imports become relative with their .js extension (what mcpack
 * and Node's ESM resolve; XS drops the extension). Modules that hold only types get no .js: mcconfig
 * would otherwise build an empty module into every app.
 *
 * One flat folder: usocket-xs/x is dist/moddable/x.js for every module, so a relative import names
 * the same module for XS (relative to the importer's module name) and for mcpack (relative to the
 * importer's file). Which modules an app gets is the manifests' business (manifest.json is the core,
 * manifest-<capability>.json each add one capability), checked here by checkManifests().
 */
export function buildModdable() {
  const tmp = r("build/tsc-moddable");
  rmSync(tmp, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [r("node_modules/typescript/bin/tsc"), "-p", r("tsconfig.dist.json")], { encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.dist.json failed:\n${tsc.stdout}${tsc.stderr}`);
  const out = r("dist/moddable");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const seen = new Map();
  const emit = (from, name, ext, text) => {
    const other = seen.get(name + ext);
    if (other) throw new Error(`${from} and ${other} would both be usocket-xs/${name}`);
    seen.set(name + ext, from);
    if (ext === ".js" && text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "").trim() === "export {};") return;
    writeFileSync(join(out, name + ext), text);
  };
  for (const dir of ["src", "hosts/moddable"]) {
    for (const sub of readdirSync(r(dir), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const here = readdirSync(join(tmp, dir, sub.name));
      if (dir === "hosts/moddable" && sub.name === "device") {
        // Variants: hosts/moddable/device/tcp-lin.ts is usocket-xs/tcp-lin on a board, which
        // manifest.json maps per platform: dist/moddable/device/ (JavaScript only).
        mkdirSync(join(out, sub.name), { recursive: true });
        for (const f of here.filter((x) => x.endsWith(".js"))) {
          writeFileSync(join(out, sub.name, f), relativeImports(readFileSync(join(tmp, dir, sub.name, f), "utf8"), true));
        }
        continue;
      }
      // Any other folder is only grouping in the sources: src/ssl/pem.ts is usocket-xs/pem,
      // hosts/moddable/tls/host.ts is usocket-xs/host-tls (as hosts/moddable/host-wifi.ts).
      for (const f of here) {
        const m = /^(.*?)(\.d\.ts|\.js)$/.exec(f);
        if (!m) continue;
        const name = dir === "src" ? m[1] : `${m[1]}-${sub.name}`;
        emit(`${dir}/${sub.name}/${m[1]}`, name, m[2], relativeImports(readFileSync(join(tmp, dir, sub.name, f), "utf8"), true));
      }
    }
    for (const f of readdirSync(join(tmp, dir))) {
      const m = /^(.*?)(\.d\.ts|\.js)$/.exec(f);
      if (m) emit(`${dir}/${m[1]}`, m[1], m[2], relativeImports(readFileSync(join(tmp, dir, f), "utf8")));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  // For mcpack, which names a module by its package and its path there: this folder is a package
  // named usocket-xs, so dist/moddable/x.js is usocket-xs/x under mcpack too (one copy, our names),
  // and mcpack builds only the modules the app imports. It includes the manifest.json of that
  // package by itself: the core's, for the platform wiring (UDP class, the board's TCP stub…).
  const pkg = JSON.parse(readFileSync(r("package.json"), "utf8"));
  writeFileSync(join(out, "package.json"), JSON.stringify({ name: pkg.name, version: pkg.version, type: "module", private: true }, null, 2) + "\n");
  writeFileSync(join(out, "manifest.json"), JSON.stringify({ include: ["../../manifest.json"] }, null, "\t") + "\n");
  bundleCore(out);
  checkManifests();
}

/**
 * Every module in dist/moddable is mapped by one of our manifests (manifest.json and
 * manifest-*.json), and every module a manifest maps finds what it imports in that manifest or the
 * ones it includes. Throws with the fix otherwise (a new module not yet in any manifest, say).
 */
export function checkManifests() {
  const out = r("dist/moddable");
  const manifests = new Map(); // file → { modules: name → source name, includes: [file] }
  for (const f of readdirSync(root).filter((x) => /^manifest(-[\w-]+)?\.json$/.test(x)).sort()) {
    const json = JSON.parse(readFileSync(r(f), "utf8"));
    const modules = new Map();
    for (const [k, v] of Object.entries(json.modules ?? {})) {
      const m = /^usocket-xs\/([\w-]+)$/.exec(k);
      if (!m) continue;
      if (v !== `./dist/moddable/${m[1]}`) throw new Error(`${f}: "${k}" must be "./dist/moddable/${m[1]}" (usocket-xs/x is dist/moddable/x.js), not "${v}"`);
      modules.set(m[1], f);
    }
    const includes = [].concat(json.include ?? []).filter((i) => /^\.\/manifest(-[\w-]+)?\.json$/.test(i)).map((i) => i.slice(2));
    manifests.set(f, { modules, includes });
  }
  const owner = new Map(); // module → the manifests that map it (select and asyncio both map deadline)
  for (const [f, { modules }] of manifests) for (const n of modules.keys()) owner.set(n, [...(owner.get(n) ?? []), f]);
  const imports = (n) => [...readFileSync(join(out, `${n}.js`), "utf8").matchAll(/\b(?:from|import)\s*\(?\s*"\.\/([^"]+?)\.js"/g)].map((x) => x[1]);
  const problems = [];
  for (const f of readdirSync(out).filter((x) => x.endsWith(".js"))) {
    const n = f.slice(0, -3);
    if (!owner.has(n)) problems.push(`dist/moddable/${f} is in no manifest: add "usocket-xs/${n}": "./dist/moddable/${n}" to the manifest of the modules that import it (manifest.json for the core)`);
  }
  for (const [f, m] of manifests) {
    const reach = new Set();
    const walk = (g) => { if (reach.has(g)) return; reach.add(g); for (const i of manifests.get(g)?.includes ?? []) walk(i); };
    walk(f);
    const visible = new Set([...reach].flatMap((g) => [...(manifests.get(g)?.modules.keys() ?? [])]));
    for (const n of m.modules.keys()) {
      if (!existsSync(join(out, `${n}.js`))) { problems.push(`${f} maps usocket-xs/${n}, but there is no dist/moddable/${n}.js`); continue; }
      for (const i of imports(n)) {
        if (!visible.has(i)) problems.push(`usocket-xs/${n} (${f}) imports usocket-xs/${i}, which ${f} neither maps nor includes${owner.has(i) ? ` (it is in ${owner.get(i).join(", ")})` : ""}`);
      }
    }
  }
  if (problems.length) throw new Error(`the manifests do not match dist/moddable:\n  ${problems.join("\n  ")}`);
}

/**
 * dist/moddable/core.js: usocket-xs/socket and the machinery it runs on (every module it loads that
 * is neither public nor mapped by a manifest: the host, streams, queues, addresses…) as one module,
 * bundled by esbuild from the modules tsc emitted; socket.js re-exports socket's names from it. XS
 * pays for each module apart (its header, the names it uses, each imported and exported binding):
 * as one, socket + errno is about 3 KB smaller. src/ keeps one file per piece; the other modules'
 * imports of those pieces name core.js instead, so an app has one copy of each. core.js exports only
 * the names socket and the other modules take from it.
 */
function bundleCore(out) {
  const entry = "socket";
  const publicModules = new Set(Object.keys(JSON.parse(readFileSync(r("package.json"), "utf8")).exports).map((k) => k.replace(/^\.\//, "")));
  const modules = new Map(); // "x" or "sub/x" → text; every import is "./x.js" (usocket-xs/x), variants' too
  for (const f of readdirSync(out, { recursive: true })) if (f.endsWith(".js")) modules.set(f.slice(0, -3), readFileSync(join(out, f), "utf8"));
  // Modules a manifest maps per platform (usocket-xs/tcp-lin) or an opt-in manifest maps stay modules.
  const mapped = new Set();
  for (const f of readdirSync(root).filter((x) => /^manifest(-[\w-]+)?\.json$/.test(x))) {
    const json = JSON.parse(readFileSync(r(f), "utf8"));
    const maps = [...Object.values(json.platforms ?? {}).map((p) => p.modules ?? {}), ...(f === "manifest.json" ? [] : [json.modules ?? {}])];
    for (const k of maps.flatMap((x) => Object.keys(x))) { const n = /^usocket-xs\/([\w-]+)$/.exec(k)?.[1]; if (n) mapped.add(n); }
  }
  const importRe = /\b(import|export)\s*(\*\s*as\s+\w+|\{[^}]*\})?\s*(?:from\s*)?"\.\/([\w-]+)\.js"/g;
  const members = new Set([entry]);
  const walk = (n) => {
    for (const m of modules.get(n).matchAll(importRe)) {
      const dep = m[3];
      if (members.has(dep) || publicModules.has(dep) || mapped.has(dep) || !modules.has(dep)) continue;
      members.add(dep);
      walk(dep);
    }
  };
  walk(entry);
  // socket's own exports, then the names the rest of the library takes from the members.
  const exportsOf = (file) => {
    const { outputs } = esbuild.buildSync({ entryPoints: [file], bundle: true, write: false, outdir: "unused", metafile: true, format: "esm", external: ["*"], logLevel: "silent" }).metafile;
    return Object.values(outputs)[0].exports;
  };
  const rootExports = exportsOf(join(out, `${entry}.js`));
  const needed = new Map([[entry, new Set(rootExports)]]); // member → names
  for (const [n, text] of modules) {
    if (members.has(n)) continue;
    for (const m of text.matchAll(importRe)) {
      if (!members.has(m[3])) continue;
      if (!m[2] || m[2].startsWith("*")) throw new Error(`dist/moddable/${n}.js: ${m[0]}: core.js takes named imports only`);
      const names = needed.get(m[3]) ?? new Set();
      for (const part of m[2].slice(1, -1).split(",")) if (part.trim()) names.add(part.trim().split(/\s+as\s+/)[0]);
      needed.set(m[3], names);
    }
  }
  const owner = new Map();
  for (const [member, names] of needed) for (const name of names) {
    if (owner.has(name) && owner.get(name) !== member) throw new Error(`core.js: ${owner.get(name)} and ${member} both export ${name}`);
    owner.set(name, member);
  }
  const bundled = esbuild.buildSync({
    stdin: { contents: coreEntry(entry, needed), resolveDir: out, sourcefile: "core-entry.js" },
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    charset: "utf8",
    logLevel: "warning",
    // Members are bundled; every other import (public modules, mapped ones, Moddable's own) stays one.
    external: [...new Set([...members].flatMap((m) => [...modules.get(m).matchAll(/\b(?:from|import)\s*"([^"]+)"/g)].map((x) => x[1])))]
      .filter((spec) => !members.has(/^\.\/([\w-]+)\.js$/.exec(spec)?.[1])),
  });
  writeFileSync(join(out, "core.js"), "// usocket-xs/socket and its machinery as one module (scripts/build.mjs: bundleCore).\n" + shortNames(oneImportEach(bundled.outputFiles[0].text)));
  for (const member of members) rmSync(join(out, `${member}.js`));
  writeFileSync(join(out, `${entry}.js`), `// MicroPython's socket module: its code is in core.js (scripts/build.mjs: bundleCore).\nexport * from "./core.js";\n`);
  for (const [n, text] of modules) {
    if (members.has(n)) continue;
    let uses = false;
    const parts = (names) => names.slice(1, -1).split(",").map((x) => x.trim()).filter(Boolean);
    // A name the module re-exports is bound by that export; its import of the same name goes.
    const reexported = new Set([...text.matchAll(importRe)].filter((m) => m[1] === "export" && members.has(m[3])).flatMap((m) => parts(m[2])));
    const rewritten = text.replace(importRe, (all, kind, names, dep) => {
      if (dep === entry || !members.has(dep)) return all;
      uses = true;
      const list = parts(names).filter((x) => kind === "export" || !reexported.has(x));
      if (!list.length) return "";
      const pattern = `{ ${list.map((x) => x.replace(/\s+as\s+/, ": ")).join(", ")} }`;
      return kind === "export" ? `export const ${pattern} = core$` : `const ${pattern} = core$`;
    });
    if (uses) writeFileSync(join(out, `${n}.js`), `import core$ from "./core.js";\n${rewritten}`);
  }
}

/**
 * socket.js is `export * from "./core.js"`: core.js's named exports are socket's own names, and
 * nothing else (a re-export costs XS about 35 bytes a name; `export *` costs one). What the other
 * modules take from core.js is its default export, an object they destructure: core.js has been
 * evaluated by then (it imports none of them).
 */
function coreEntry(entry, needed) {
  const lines = [];
  const internal = [];
  for (const [m, names] of needed) {
    if (m === entry) lines.push(`export { ${[...names].join(", ")} } from "./${m}.js";`);
    else {
      lines.push(`import { ${[...names].join(", ")} } from "./${m}.js";`);
      internal.push(...names);
    }
  }
  lines.push(`export default { ${internal.join(", ")} };`);
  return lines.join("\n");
}

/**
 * XS keeps the names of a module's functions, classes and the variables closures share: esbuild
 * gives them short ones (about 800 bytes of core.js). Exported and property names stay.
 */
function shortNames(text) {
  return esbuild.transformSync(text, { minifyIdentifiers: true, charset: "utf8", target: "es2022", format: "esm" }).code;
}

/**
 * esbuild keeps one import statement per bundled module: an external name several of them import
 * (OSError from errno.js) comes in once per module, as OSError, OSError2…, each binding costing XS
 * bytecode. One binding each: later aliases become the first name.
 */
function oneImportEach(text) {
  const imports = [...text.matchAll(/^import \{([^}]*)\} from "([^"]+)";\n/gm)]
    .flatMap((m) => m[1].split(",").map((x) => x.trim()).filter(Boolean).map((part) => { const [name, local = name] = part.split(/\s+as\s+/); return { spec: m[2], name, local }; }));
  const kept = new Map(); // "spec\0name" → the local kept: the name itself when one module imports it plainly
  for (const { spec, name, local } of imports) {
    const key = `${spec}\0${name}`;
    if (!kept.has(key) || local === name) kept.set(key, local);
  }
  const bySpec = new Map();
  for (const [key, local] of kept) {
    const [spec, name] = key.split("\0");
    bySpec.set(spec, [...(bySpec.get(spec) ?? []), name === local ? name : `${name} as ${local}`]);
  }
  let done = new Set();
  text = text.replace(/^import \{([^}]*)\} from "([^"]+)";\n/gm, (_all, _list, spec) => {
    if (done.has(spec)) return "";
    done.add(spec);
    return `import { ${bySpec.get(spec).join(", ")} } from "${spec}";\n`;
  });
  for (const { spec, name, local } of imports) {
    const to = kept.get(`${spec}\0${name}`);
    if (local === to) continue;
    // esbuild's aliases (a digit added to a name) are unique in the bundle; a property of that name would follow a ".".
    if (!/\d$/.test(local)) throw new Error(`core.js: unexpected import alias ${local}`);
    text = text.replace(new RegExp(`(?<![.\\w$])${local.replace(/\$/g, "\\$")}(?![\\w$])`, "g"), to);
  }
  return text;
}

/** "./x" and "usocket-xs/x" (all one flat folder in dist/moddable), and "../x" from a variant, become "./x.js". */
export function relativeImports(text, variant = false) {
  const prefix = variant ? /(\.\.\/|\.\/|usocket-xs\/)/.source : /(\.\/|usocket-xs\/)/.source;
  return text.replace(new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s+)(["'])${prefix}([^"']+?)(\\.js)?\\2`, "g"),
    (_all, lead, q, _prefix, name) => `${lead}${q}./${name}.js${q}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildNode();
  buildModdable();
  console.log(`built ${relative(process.cwd(), r("dist")) || "dist"} (node, moddable)`);
}
