// The relay app itself in the Moddable simulator: examples/relay built for lin at ESP8266's
// 256-slot stack (mcconfig -m -p lin -t build relay_password=… relay_port=0 relay_host=127.0.0.1
// ssid=… password=…, into build/sim/relay-app), run headless in mcsim: it joins the simulator's
// WiFi, then is driven by curl and by Chromium (playwright-core, if /usr/bin/chromium is there),
// with the pin read back from the simulator's output ("GPIO 2 = 1 (relay ON)": lin has no digital
// pin module, so the app's simulated pin prints each change there).
// Run by test/sim/run.mjs after the suite (not with --grep), or alone: `node test/sim/relay.mjs`.
// Skips (exit 0) with one line when MODDABLE is unset.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { root, sdk, buildLin, startSim } from "../../scripts/lib/moddable.mjs";

if (!process.env.MODDABLE) {
  console.log("relay on the simulator skipped: MODDABLE is not set");
  process.exit(0);
}
const s = sdk();
if (!s.ok) {
  for (const m of s.missing) console.error(`missing: ${m}`);
  process.exit(1);
}

const PASSWORD = "sim-secret";
// Built at ESP8266's creation.stack (256 slots; the SDK's default is 384) from a wrapper manifest
// in build/: a stack overflow aborts the VM, and the relay must fit the smaller board.
// Measured: it serves at 224 and overflows at 192.
const STACK = 256;
const wrapper = join(root, "build/sim/relay-stack/relay");
mkdirSync(wrapper, { recursive: true });
writeFileSync(join(wrapper, "manifest.json"), JSON.stringify({
  include: [relative(wrapper, join(root, "examples/relay/manifest.json"))],
  creation: { stack: STACK },
}, null, "\t"));
console.log(`relay on the simulator: building examples/relay for lin at creation.stack ${STACK}…`);
let built;
try {
  built = buildLin(s, wrapper, join(root, "build/sim/relay-app"),
    { config: { relay_password: PASSWORD, relay_port: 0, relay_host: "127.0.0.1", ssid: "sim-network", password: "wifi-secret" } });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}

const lines = [];
const waiters = [];
const sim = startSim(s, built.so, {
  onLine(l) {
    lines.push(l);
    for (const w of waiters.splice(0)) { if (w.test(l)) w.resolve(l); else waiters.push(w); }
  },
  onError() {},
});
function waitLine(re, ms = 60_000) {
  const seen = lines.find((l) => re.test(l));
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no line matching ${re} within ${ms / 1000} s; simulator output:\n${lines.join("\n")}`)), ms);
    waiters.push({ test: (l) => re.test(l), resolve: (l) => { clearTimeout(t); resolve(l); } });
  });
}
const pinLines = (level) => lines.filter((l) => l.startsWith(`GPIO 2 = ${level} `)).length;

function run(cmd, args, ms = 20_000) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    c.stdout.on("data", (b) => (out += b));
    c.stderr.on("data", (b) => (err += b));
    const t = setTimeout(() => c.kill("SIGKILL"), ms);
    c.on("close", (code) => { clearTimeout(t); resolve({ code, out, err }); });
    c.on("error", (e) => { clearTimeout(t); resolve({ code: -1, out, err: e.message }); });
  });
}

let failed = 0, passed = 0;
async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`  ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}\n          ${String(e.message).replace(/\n/g, "\n          ")}`);
  }
}
function expect(cond, what) {
  if (!cond) throw new Error(what);
}

let url;
const cred = ["-u", `relay:${PASSWORD}`];
/** curl → [status, body] */
async function curl(path, args = []) {
  const r = await run("curl", ["-s", "--max-time", "15", "-o", "-", "-w", "\n%{http_code}", ...args, `${url}${path.slice(1)}`]);
  if (r.code !== 0) throw new Error(`curl ${args.join(" ")} ${path}: exit ${r.code} ${r.err}`);
  const i = r.out.lastIndexOf("\n");
  return [Number(r.out.slice(i + 1)), r.out.slice(0, i)];
}

try {
  const listening = await waitLine(/^listening on \('127\.0\.0\.1', \d+\)$/);
  url = `http://127.0.0.1:${/(\d+)\)$/.exec(listening)[1]}/`;
  console.log(`relay on the simulator: ${url}`);

  await check("joins WiFi first (network.WLAN) and prints its ifconfig() and the address to open", async () => {
    await waitLine(/^connecting to network\.\.\.$/, 5_000);
    const config = await waitLine(/^network config: \('[\d.]+', /, 30_000);
    console.log(`          ${config}`);
    await waitLine(/^open http:\/\/127\.0\.0\.1:\d+\/ /, 5_000);
  });
  await check("starts OFF", async () => {
    await waitLine(/^GPIO 2 = 0 \(relay OFF\)$/);
    const [status, body] = await curl("/state", cred);
    expect(status === 200 && body === '{"relay":"off"}', `${status} ${body}`);
  });
  await check("401 without or with wrong credentials", async () => {
    expect((await curl("/"))[0] === 401, "no credentials");
    expect((await curl("/state", ["-u", "relay:wrong"]))[0] === 401, "wrong password");
  });
  await check("POST relay=on: the pin goes to 1, the page says ON", async () => {
    const [status, body] = await curl("/relay", [...cred, "-d", "relay=on"]);
    expect(status === 200 && body === '{"relay":"on"}', `${status} ${body}`);
    await waitLine(/^GPIO 2 = 1 \(relay ON\)$/, 10_000);
    expect(/role="status">Relay is ON</.test((await curl("/", cred))[1]), "page");
  });
  await check("POST JSON off: the pin goes back to 0", async () => {
    const before = pinLines(0);
    const [status, body] = await curl("/relay", [...cred, "-H", "Content-Type: application/json", "-d", '{"relay":"off"}']);
    expect(status === 200 && body === '{"relay":"off"}', `${status} ${body}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(pinLines(0) === before + 1, "one more GPIO 2 = 0 line");
  });
  await check("404, 405, 413, 415, 400", async () => {
    expect((await curl("/nothing", cred))[0] === 404, "404");
    expect((await curl("/relay", cred))[0] === 405, "405");
    expect((await curl("/relay", [...cred, "-d", `relay=on&x=${"x".repeat(400)}`]))[0] === 413, "413");
    expect((await curl("/relay", [...cred, "-H", "Content-Type: text/plain", "-d", "on"]))[0] === 415, "415");
    expect((await curl("/relay", [...cred, "-d", "relay=maybe"]))[0] === 400, "400");
  });
  await check("several curl clients at once", async () => {
    const all = await Promise.all([0, 1, 2, 3, 4].map(() => curl("/state", cred)));
    expect(all.every(([st]) => st === 200), all.map(([st]) => st).join(","));
  });

  if (existsSync("/usr/bin/chromium")) {
    await check("Chromium: click ON, see ON and the pin set; click OFF", async () => {
      const { chromium } = await import("playwright-core");
      const dir = mkdtempSync(join(tmpdir(), "usocket-xs-chromium-"));
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: "/usr/bin/chromium", headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        httpCredentials: { username: "relay", password: PASSWORD },
      });
      try {
        context.setDefaultTimeout(30_000);
        const page = context.pages()[0] ?? await context.newPage();
        await page.goto(url);
        expect((await page.getByRole("status").textContent()) === "Relay is OFF", "OFF first");
        const ons = pinLines(1);
        await page.getByRole("button", { name: "ON", exact: true }).click();
        await page.getByRole("status").filter({ hasText: "Relay is ON" }).waitFor();
        expect(pinLines(1) === ons + 1, "GPIO 2 = 1 printed once more");
        await page.getByRole("button", { name: "OFF", exact: true }).click();
        await page.getByRole("status").filter({ hasText: "Relay is OFF" }).waitFor();
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } else {
    console.log("  skip  Chromium: /usr/bin/chromium is not installed");
  }
  await check("no XS abort", async () => {
    expect(!lines.some((l) => /XS abort/.test(l)), lines.filter((l) => /XS abort/.test(l)).join("\n"));
  });
} catch (e) {
  failed++;
  console.log(`  FAIL  ${e.message}`);
} finally {
  await sim.stop();
}
console.log(`relay on the simulator: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
