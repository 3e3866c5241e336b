// `npm run tls-memory`: what a TLS connection costs in XS memory, measured in the Moddable simulator
// with the SDK's instrumentation (test/sim/tls-memory/main.ts). Makes a throw-away CA and server
// certificate with openssl, serves them with `openssl s_server -www` on 127.0.0.1, builds the app
// for lin (build/tls-memory) and prints its lines. Skips, exit 0, when the SDK is not available.
import { mkdirSync, copyFileSync, writeFileSync, rmSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { root, sdk, buildLin, startSim } from "./lib/moddable.mjs";

const s = sdk();
if (!s.ok) {
  console.log(`tls-memory skipped: ${s.missing.join("; ")}`);
  process.exit(0);
}
const app = join(root, "build/tls-memory/app");
rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
const ossl = (...args) => {
  const r = spawnSync("openssl", args, { cwd: app, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
};
ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=tls-memory CA",
  "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
ossl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
writeFileSync(join(app, "server.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
ossl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server.pem");
rmSync(join(app, "ca.key"));

const server = spawn("openssl", ["s_server", "-accept", "127.0.0.1:0", "-cert", "server.pem", "-key", "server.key", "-cert_chain", "ca.pem", "-www"],
  { cwd: app, stdio: ["pipe", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.setEncoding("utf8").on("data", (t) => { out += t; const m = /ACCEPT .*:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
  server.on("exit", () => reject(new Error(`s_server exited: ${out}`)));
});

copyFileSync(join(root, "test/sim/tls-memory/main.ts"), join(app, "main.ts"));
writeFileSync(join(app, "manifest.json"), JSON.stringify({
  include: ["$(MODDABLE)/examples/manifest_base.json", join(root, "manifest.json"), join(root, "manifest-ssl.json"),
    "$(MODULES)/base/instrumentation/manifest.json", "$(MODULES)/base/debug/manifest.json"],
  modules: { "*": "./main" },
  resources: { "*": "./ca" },
}, null, "\t") + "\n");
let code = 1;
try {
  const out = join(root, "build/tls-memory/out");
  mkdirSync(out, { recursive: true });
  const built = buildLin(s, app, out, { config: { port }, debug: true }); // (instrumentation is compiled in only with -d)
  const sim = startSim(s, built.so, {
    onLine: (l) => {
      if (!l.startsWith("tls-memory:")) return;
      console.log(l);
      if (/done|failed/.test(l)) { code = /done/.test(l) ? 0 : 1; sim.stop(); }
    },
    onError: () => {},
  });
  const guard = setTimeout(() => { console.log("tls-memory: timed out"); sim.stop(); }, 120000);
  await sim.exited;
  clearTimeout(guard);
} catch (e) {
  console.error(e.message);
} finally {
  server.kill();
}
process.exit(code);
