// npm run test:xs — the XS engine lane. Bundles src/ + hosts/moddable + the behaviour tests and
// the XS lane's own tests (test/xs/selftest) with esbuild, binding Moddable's modules ("socket",
// "net", "timer", "wifi", "mc/config", "embedded:io/socket/udp") to the stand-ins in test/xs/standins, then
// runs the bundle inside xsnap-worker (Moddable's XS engine) from test/xs/parent.mjs, in its own
// process. Environment: XS_PLATFORM=esp32|lin (default esp32), XS_GREP=regexp (test names),
// XS_TIMEOUT_MS (global guard, default 900000).
import * as esbuild from "esbuild";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bindings } from "../../scripts/build.mjs";

const root = new URL("../..", import.meta.url).pathname;
const worker = join(root, "node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker");
if (!existsSync(worker)) {
  console.log(`not ok - harness: ${worker} is missing (npm ci builds it: needs cc and make; check allowScripts)`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const platform = process.env.XS_PLATFORM === "lin" ? "lin" : "esp32";
const tests = (dir) => existsSync(join(root, dir))
  ? readdirSync(join(root, dir)).filter((f) => f.endsWith(".test.ts")).sort().map((f) => `${dir}/${f}`)
  : [];
const files = [...tests("test/xs/selftest"), ...tests("test/behaviour")];

const standins = {
  name: "moddable-standins",
  setup(build) {
    const map = {
      socket: "socket.ts", net: "net.ts", timer: "timer.ts", "mc/config": "config.ts", "embedded:io/socket/udp": "udp.ts", wifi: "wifi.ts",
      "ssl/session": "ssl-session.ts", "ssl/alert": "ssl-alert.ts", Resource: "resource.ts", "embedded:io/digital": "digital.ts",
    };
    build.onResolve({ filter: /^(socket|net|timer|wifi|mc\/config|embedded:io\/socket\/udp|ssl\/session|ssl\/alert|Resource|embedded:io\/digital)$/ }, (args) => ({
      path: join(root, "test/xs/standins", map[args.path]),
    }));
    // The relay tests' pin: the board's pin module over the digital stand-in (test/xs/relay-pin.ts).
    build.onResolve({ filter: /^\.\/relay-pin$/ }, () => ({ path: join(root, "test/xs/relay-pin.ts") }));
  },
};

const entry = [
  `import "./test/xs/standins/bridge.ts";`,
  `import "./test/xs/standins/xs-builtins.ts";`,
  `import { run } from "test-harness";`,
  ...files.map((f) => `import "./${f}";`),
  `run(${JSON.stringify(process.env.XS_GREP ?? "")});`,
].join("\n");

mkdirSync(join(root, "build"), { recursive: true });
const outfile = join(root, "build/xs-bundle.js");
await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: "xs-entry.ts", loader: "ts" },
  bundle: true,
  format: "iife",
  target: "es2022",
  platform: "neutral",
  outfile,
  define: { __XS_PLATFORM__: JSON.stringify(platform) },
  plugins: [bindings("hosts/moddable", "test/harness/xs.ts"), standins],
  logLevel: "warning",
});
console.log(`# bundled ${files.length} test files for XS (${platform})`);

const child = spawn(process.execPath, [join(root, "test/xs/parent.mjs"), outfile], {
  stdio: "inherit",
  env: { ...process.env, XS_PLATFORM: platform },
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
