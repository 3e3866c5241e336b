// `npm run build:device -- <example|app-dir> <platform>` (platform: esp, esp8266[/sub], esp32[/sub]):
// a real release build for a board, `mcconfig -m -p <platform> -t build -o build/device/<platform>/<app>`,
// where the device toolchain exists (ESP_BASE for ESP8266, IDF_PATH for ESP32). Streams mcconfig's
// output, then repeats its size lines (`#  Ram: …`, `#  Flash: …` on ESP8266; the image size on
// ESP32). Without the toolchain it prints what is missing (the doctor's lines) and exits 1.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { UsageError, checkEsp32, checkEsp8266, checkSdk, checkSub, findApp, formatCheck, parseTarget, root } from "./lib/device.mjs";

const USAGE = "usage: npm run build:device -- <example|app-dir> <esp|esp8266[/sub]|esp32[/sub]>";
let app, target;
try {
  const [a, p, ...rest] = process.argv.slice(2);
  if (!p || rest.length) throw new UsageError("an app and a platform");
  app = findApp(a);
  target = parseTarget(p);
  if (!target.device) throw new UsageError(`${p}: a board platform (esp, esp8266, esp32, with an optional /subplatform); npm run sim for the simulator`);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`build:device: ${e.message}\n${USAGE}`);
  process.exit(2);
}
const env = { ...process.env };
const checks = [...checkSdk(env), ...checkSub(env, target), ...(target.device === "esp32" ? checkEsp32(env) : checkEsp8266(env))];
const missing = checks.filter((c) => c.level === "fail");
if (missing.length) {
  console.error(`build:device: cannot build ${app.name} for ${target.platform} here; missing:`);
  for (const c of missing) console.error(formatCheck(c));
  process.exit(1);
}
const out = join(root, "build/device", target.platform.replace("/", "_"), app.name);
mkdirSync(out, { recursive: true });
env.PATH = [join(root, "node_modules/.bin"), env.PATH ?? "", join(env.MODDABLE, "build/bin/lin/release")].join(delimiter);
const argv = ["-m", "-p", target.platform, "-t", "build", "-o", out];
console.log(`# mcconfig ${argv.join(" ")}  (in ${app.dir})`);
const sizes = [];
let sdkError = false;
const child = spawn("mcconfig", argv, { cwd: app.dir, env, stdio: ["ignore", "pipe", "pipe"] });
for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
  let pending = "";
  from.setEncoding("utf8");
  from.on("data", (chunk) => {
    to.write(chunk);
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const l of lines) {
      if (/^#\s+(Ram|Flash|IRam)\b|binary size|Total image size/i.test(l)) sizes.push(l.trim());
      if (/^### (Error|\d+ error)/.test(l)) sdkError = true;
    }
  });
}
child.on("close", (code) => {
  const status = code === 0 && sdkError ? 1 : code ?? 1;
  if (status === 0) console.log(`build:device: ${app.name} for ${target.platform}: ${sizes.length ? sizes.join("; ") : "built (no size lines in mcconfig's output)"}`);
  else console.error(`build:device: mcconfig failed (status ${status})`);
  process.exit(status);
});
