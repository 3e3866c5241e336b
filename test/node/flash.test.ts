// `flash` and `doctor` (scripts/flash.mjs, scripts/doctor.mjs) as a user runs them: child processes
// with a made-up environment. A fake MODDABLE tree (the files the doctor reads, and an mcconfig
// that records how it was called), a fake IDF_PATH git repository with annotated tags made here,
// fake ESP_BASE trees, and socat pseudo-terminals for the serial port. No SDK needed: Node lane.
// Needs git, socat and python3 on PATH (.ci/run installs them).
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FLASH = join(ROOT, "scripts/flash.mjs");
const DOCTOR = join(ROOT, "scripts/doctor.mjs");
const CLI = join(ROOT, "scripts/usocket-xs.mjs");
const SSID = "Cafe Wifi 42";
const PASSWORD = "s3cr=t pass'word";

const children = new Set<ChildProcess>();
let tmp: string;

function which(tool: string): string {
  const r = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${tool} is not installed: these tests need it (.ci/run installs it)`);
  return r.stdout.trim();
}

/** A PATH of our own: a bin folder holding only the named tools (links to the real ones). */
function binWith(name: string, tools: string[]): string {
  const bin = join(tmp, name);
  mkdirSync(bin, { recursive: true });
  for (const t of tools) if (!existsSync(join(bin, t))) symlinkSync(which(t === "python" ? "python3" : t), join(bin, t));
  return bin;
}

/** The files of an SDK checkout the doctor and flash read, and an mcconfig that logs its calls. */
function fakeModdable(): string {
  const m = join(tmp, "moddable");
  for (const d of ["esp32/targets/esp32c3", "esp32/targets/esp32s3", "esp32/targets/nodemcu", "esp32/targets/esp32c3_cdc", "esp/targets/nodemcu", "esp/targets/8285"]) {
    mkdirSync(join(m, "build/devices", d), { recursive: true });
  }
  writeFileSync(join(m, "build/devices/esp32/manifest.json"), JSON.stringify({ build: { EXPECTED_ESP_IDF: "v6.0" } }));
  const bin = join(m, "build/bin/lin/release");
  mkdirSync(bin, { recursive: true });
  // Logs argv, cwd and the variables flash sets, one JSON line per call; FAKE_MCCONFIG_STATUS and
  // FAKE_MCCONFIG_ERROR make a chosen step fail.
  writeFileSync(join(bin, "mcconfig"), `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_MCCONFIG_LOG, JSON.stringify({ args, cwd: process.cwd(), UPLOAD_PORT: process.env.UPLOAD_PORT, MAKEFLAGS: process.env.MAKEFLAGS }) + "\\n");
const step = args[args.indexOf("-t") + 1];
console.log("# mcconfig called with " + args.join(" "));
if (process.env.FAKE_MCCONFIG_ERROR === step) { console.log("### Error: something the SDK reports with status 0"); process.exit(0); }
process.exit(process.env.FAKE_MCCONFIG_STATUS && step === "deploy" ? Number(process.env.FAKE_MCCONFIG_STATUS) : 0);
`);
  chmodSync(join(bin, "mcconfig"), 0o755);
  writeFileSync(join(bin, "mcsim"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(bin, "mcsim"), 0o755);
  return m;
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** An ESP-IDF stand-in: a git repository whose describe gives `tag` (annotated unless lightweight). */
function fakeIdf(name: string, tag: string | undefined, { lightweight = false, exportSh = true } = {}): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  git(d, "init", "-q");
  if (exportSh) writeFileSync(join(d, "export.sh"), "# stand-in\n");
  writeFileSync(join(d, "README"), name);
  git(d, "add", ".");
  git(d, "commit", "-q", "-m", "idf");
  if (tag) lightweight ? git(d, "tag", tag) : git(d, "tag", "-a", tag, "-m", `ESP-IDF ${tag}`);
  return d;
}

function fakeEspBase(name: string, dirs: string[]): string {
  const d = join(tmp, name);
  for (const sub of dirs) mkdirSync(join(d, sub), { recursive: true });
  mkdirSync(d, { recursive: true });
  return d;
}

interface Run { status: number | null; stdout: string; stderr: string; out: string }

function run(script: string, args: string[], env: Record<string, string | undefined>, cwd = tmp): Run {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ HOME: tmp, PATH: process.env.PATH, ...env })) if (v !== undefined) clean[k] = v;
  const r = spawnSync(process.execPath, [script, ...args], { cwd, env: clean, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

/** A socat pseudo-terminal pair; resolves with the path of one end once it exists. */
function pty(name: string, mode = "600"): Promise<string> {
  return new Promise((resolve, reject) => {
    const link = join(tmp, name);
    const child = spawn("socat", ["-d", "-d", `pty,rawer,echo=0,link=${link},mode=${mode}`, `pty,rawer,echo=0,link=${link}-peer`], { stdio: ["ignore", "ignore", "pipe"] });
    children.add(child);
    let err = "";
    child.stderr!.on("data", (c) => {
      err += c;
      if (/starting data transfer loop/.test(err)) resolve(link);
    });
    child.on("exit", () => reject(new Error(`socat exited: ${err}`)));
    setTimeout(() => reject(new Error(`socat not ready after 10 s: ${err}`)), 10_000).unref();
  });
}

/** Another program holding the port open (as a serial monitor would), until the test ends. */
function hold(path: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", `import os, sys, time\nfd = os.open(${JSON.stringify(path)}, os.O_RDWR | os.O_NOCTTY)\nprint("held", flush=True)\ntime.sleep(60)`], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    child.stdout!.once("data", () => resolve(child));
    child.on("exit", (code) => reject(new Error(`python3 exited ${code}`)));
  });
}

const lines = (text: string) => text.split("\n").filter((l) => l.length > 0);

describe("flash and doctor (scripts/flash.mjs, scripts/doctor.mjs)", function () {
  this.timeout(60_000);
  let moddable: string;
  let log: string;
  let out: string;

  before(() => {
    for (const t of ["git", "socat", "python3"]) which(t);
    tmp = mkdtempSync(join(tmpdir(), "usocket-xs-flash-"));
    moddable = fakeModdable();
    log = join(tmp, "mcconfig.log");
    out = join(tmp, "out");
  });
  after(() => {
    for (const c of children) c.kill("SIGKILL");
    rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => rmSync(log, { force: true }));

  const calls = () => (existsSync(log) ? lines(readFileSync(log, "utf8")).map((l) => JSON.parse(l)) : []);
  const base = () => ({ MODDABLE: moddable, FAKE_MCCONFIG_LOG: log });

  describe("--dry-run", () => {
    const targets = [
      ["esp32", "esp32"], ["esp32/esp32c3", "esp32/esp32c3"], ["esp8266", "esp"], ["esp8266/nodemcu", "esp/nodemcu"],
    ];
    const flavours: [string, string[]][] = [["--debug", ["-d"]], ["--instrumented", ["-i"]], ["--release", []]];
    for (const [target, platform] of targets) {
      for (const [flag, mc] of flavours) {
        it(`${target} ${flag}: build then deploy with the same flags, UPLOAD_PORT in the environment, nothing run`, () => {
          const r = run(FLASH, ["web-server", "--target", target, flag, "--port", "/dev/ttyUSB7", "--out", out, "--ssid", SSID, "--password", PASSWORD, "--dry-run"], base());
          assert.equal(r.status, 0, r.out);
          const l = lines(r.stdout);
          assert.match(l[0], new RegExp(`^# usocket-xs flash web-server → ${target} \\(${flag.slice(2)}\\)`));
          assert.equal(l[1], `cd ${join(ROOT, "examples/web-server")}`);
          assert.equal(l[2], `mkdir -p ${out}`);
          const cmd = (t: string) => ["mcconfig", "-m", "-p", platform, "-t", t, "-o", out, ...mc, "ssid=*****", "password=*****"].join(" ");
          const env = `MODDABLE=${moddable} PATH=`;
          assert.ok(l[3].startsWith(env) && l[3].endsWith(` UPLOAD_PORT=/dev/ttyUSB7 MAKEFLAGS=KILL_SERIAL2XSBUG= ${cmd("build")}`), l[3]);
          assert.ok(l[4].startsWith(env) && l[4].endsWith(` UPLOAD_PORT=/dev/ttyUSB7 MAKEFLAGS=KILL_SERIAL2XSBUG= ${cmd("deploy")}`), l[4]);
          assert.equal(l.length, 5, r.stdout);
          assert.ok(l[3].includes(`:$PATH:${moddable}/build/bin/lin/release `), "the SDK's tools are added to PATH");
          assert.doesNotMatch(r.out, /-t all|\bmake\b|UPLOAD_PORT=\S+ mcconfig .*UPLOAD_PORT/);
          assert.ok(!r.out.includes(SSID) && !r.out.includes(PASSWORD) && !r.out.includes("s3cr"), r.out);
          assert.equal(calls().length, 0, "a dry run runs nothing");
          assert.ok(!existsSync(out), "a dry run creates nothing");
        });
      }
    }
    for (const [flag, mc, kind] of [["--release", [], "release"], ["--debug", ["-d"], "debug"], ["--instrumented", ["-i"], "instrument"]] as [string, string[], string][]) {
      it(`sim ${flag}: builds for lin with -t build and runs mc.so in mcsim (xvfb-run without a DISPLAY)`, () => {
        const r = run(FLASH, ["udp-echo", "--target", "sim", flag, "--out", out, "--dry-run"], { ...base(), DISPLAY: undefined });
        assert.equal(r.status, 0, r.out);
        const l = lines(r.stdout);
        assert.ok(l[3].endsWith(["mcconfig", "-m", "-p", "lin", "-t", "build", "-o", out, ...mc].join(" ")), l[3]);
        assert.doesNotMatch(l[3], /UPLOAD_PORT|MAKEFLAGS/);
        assert.equal(l[4], `xvfb-run -a stdbuf -oL -eL ${moddable}/build/bin/lin/release/mcsim ${out}/bin/lin/mc/${kind}/udp-echo/mc.so`);
        assert.equal(l.length, 5);
      });
    }
    it("the default flavour is --debug on a board and --release on sim", () => {
      const board = run(FLASH, ["http-get", "--target", "esp32", "--out", out, "--dry-run"], base());
      assert.match(board.stdout, /\(debug\)/);
      assert.match(lines(board.stdout)[3], / -d$/);
      const sim = run(FLASH, ["http-get", "--target", "sim", "--out", out, "--dry-run"], base());
      assert.match(sim.stdout, /\(release\)/);
    });
    it("an app outside the repository: a directory with a manifest.json, named after the directory", () => {
      const app = join(tmp, "my-app");
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, "manifest.json"), "{}");
      const r = run(FLASH, ["./my-app", "--target", "esp32", "--out", out, "--dry-run"], base());
      assert.equal(r.status, 0, r.out);
      assert.equal(lines(r.stdout)[1], `cd ${app}`);
    });
    it("without --out the output goes outside the source tree (the user's cache folder)", () => {
      const r = run(FLASH, ["web-server", "--target", "esp32", "--dry-run"], { ...base(), XDG_CACHE_HOME: join(tmp, "cache") });
      assert.match(r.stdout, new RegExp(` -o ${join(tmp, "cache/usocket-xs/web-server")} `));
    });
    it("UPLOAD_PORT from the environment is used as the port, still as an environment variable", () => {
      const r = run(FLASH, ["web-server", "--target", "esp8266", "--out", out, "--dry-run"], { ...base(), UPLOAD_PORT: "/dev/ttyACM3" });
      assert.match(lines(r.stdout)[3], / UPLOAD_PORT=\/dev\/ttyACM3 MAKEFLAGS=KILL_SERIAL2XSBUG= mcconfig -m -p esp -t build /);
      assert.doesNotMatch(r.stdout, /mcconfig .*UPLOAD_PORT/);
    });
    it("an unknown subplatform is an error naming the closest ones", () => {
      const r = run(FLASH, ["web-server", "--target", "esp32/esp32c", "--dry-run"], base());
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown subplatform esp32\/esp32c; closest: esp32\/esp32c3, esp32\/esp32c3_cdc/);
    });
    it("bad usage exits 2 with the usage: no target, an unknown target, two flavours, --port on sim, an unknown app, an unknown option", () => {
      for (const args of [["web-server"], ["web-server", "--target", "pico"], ["web-server", "--target", "esp32", "--debug", "--release"],
        ["web-server", "--target", "sim", "--port", "/dev/ttyUSB0"], ["no-such-app", "--target", "esp32"], ["web-server", "--target", "esp32", "--baud", "9"]]) {
        const r = run(FLASH, [...args, "--dry-run"], base());
        assert.equal(r.status, 2, `${args.join(" ")}: ${r.out}`);
        assert.match(r.stderr, /^flash: .+\nusage: npm run flash/, args.join(" "));
      }
    });
    it("is also `usocket-xs flash` (the package's bin)", () => {
      const r = run(CLI, ["flash", "web-server", "--target", "esp32", "--out", out, "--dry-run"], base());
      assert.equal(r.status, 0, r.out);
      assert.match(r.stdout, /mcconfig -m -p esp32 -t deploy/);
      assert.equal(run(CLI, ["frobnicate"], base()).status, 2);
    });
  });

  describe("credentials", () => {
    it("come from USOCKET_XS_SSID/USOCKET_XS_PASSWORD and are masked", () => {
      const r = run(FLASH, ["web-server", "--target", "esp32", "--out", out, "--dry-run"], { ...base(), USOCKET_XS_SSID: SSID, USOCKET_XS_PASSWORD: PASSWORD });
      assert.match(r.stdout, /Wi-Fi credentials from USOCKET_XS_SSID\/USOCKET_XS_PASSWORD/);
      assert.match(r.stdout, / ssid=\*\*\*\*\* password=\*\*\*\*\*\n/);
      assert.ok(!r.out.includes(SSID) && !r.out.includes(PASSWORD));
    });
    it("come from ./.usocket-xs.json (git-ignored) or --credentials FILE", () => {
      writeFileSync(join(tmp, ".usocket-xs.json"), JSON.stringify({ ssid: SSID, password: PASSWORD }));
      try {
        const r = run(FLASH, [join(ROOT, "examples/web-server"), "--target", "esp32", "--out", out, "--dry-run"], base());
        assert.match(r.stdout, /credentials from .*\.usocket-xs\.json/);
        assert.match(r.stdout, / ssid=\*\*\*\*\* password=\*\*\*\*\*\n/);
        assert.ok(!r.out.includes(SSID) && !r.out.includes(PASSWORD));
      } finally {
        rmSync(join(tmp, ".usocket-xs.json"));
      }
      const ignored = spawnSync("git", ["check-ignore", "-q", ".usocket-xs.json"], { cwd: ROOT });
      assert.equal(ignored.status, 0, ".usocket-xs.json must be git-ignored in the repository");
      const bad = run(FLASH, ["web-server", "--target", "esp32", "--credentials", join(tmp, "none.json"), "--dry-run"], base());
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /none\.json: not a readable JSON file/);
    });
    it("a password without an ssid is an error", () => {
      const r = run(FLASH, ["web-server", "--target", "esp32", "--password", PASSWORD, "--dry-run"], base());
      assert.equal(r.status, 2);
      assert.match(r.stderr, /a password without an ssid/);
      assert.ok(!r.out.includes(PASSWORD));
    });
    it("are passed to mcconfig as ssid=/password= but masked in everything mcconfig prints", async () => {
      const port = await pty("tty-creds");
      const espBase = fakeEspBase("esp-ok", ["esp8266-2.3.0", "ESP8266_RTOS_SDK", `toolchain/${spawnSync("uname", { encoding: "utf8" }).stdout.trim()}`]);
      const r = run(FLASH, ["web-server", "--target", "esp8266", "--port", port, "--out", out, "--ssid", SSID, "--password", PASSWORD],
        { ...base(), ESP_BASE: espBase, PATH: `${binWith("bin-ok", ["python", "git"])}` });
      assert.equal(r.status, 0, r.out);
      const c = calls();
      assert.equal(c.length, 2);
      assert.ok(c[0].args.includes(`ssid=${SSID}`) && c[0].args.includes(`password=${PASSWORD}`), "mcconfig gets them");
      assert.match(r.stdout, /# mcconfig called with .* ssid=\*\*\*\*\* password=\*\*\*\*\*/);
      assert.ok(!r.out.includes(SSID) && !r.out.includes(PASSWORD), r.out);
    });
  });

  describe("a flash (with the fake mcconfig)", () => {
    let port: string;
    let env: Record<string, string>;
    before(async () => {
      port = await pty("tty-flash");
      const espBase = fakeEspBase("esp-flash", ["esp8266-2.3.0", "ESP8266_RTOS_SDK", `toolchain/${spawnSync("uname", { encoding: "utf8" }).stdout.trim()}`]);
      env = { ...base(), ESP_BASE: espBase, PATH: binWith("bin-flash", ["python", "git"]) };
    });
    it("runs -t build then -t deploy in the app's folder, UPLOAD_PORT and MAKEFLAGS in the environment", () => {
      const r = run(FLASH, ["udp-echo", "--target", "esp8266/nodemcu", "--instrumented", "--port", port, "--out", out], env);
      assert.equal(r.status, 0, r.out);
      const c = calls();
      assert.deepEqual(c.map((x) => x.args), [
        ["-m", "-p", "esp/nodemcu", "-t", "build", "-o", out, "-i"],
        ["-m", "-p", "esp/nodemcu", "-t", "deploy", "-o", out, "-i"],
      ]);
      for (const x of c) {
        assert.equal(x.cwd, join(ROOT, "examples/udp-echo"));
        assert.equal(x.UPLOAD_PORT, port);
        assert.equal(x.MAKEFLAGS, "KILL_SERIAL2XSBUG=");
      }
      assert.ok(existsSync(out), "the output folder is created");
    });
    it("exits with mcconfig's status when a step fails", () => {
      const r = run(FLASH, ["udp-echo", "--target", "esp8266", "--port", port, "--out", out], { ...env, FAKE_MCCONFIG_STATUS: "3" });
      assert.equal(r.status, 3, r.out);
      assert.match(r.stderr, /mcconfig -m -p esp -t deploy failed \(status 3\)/);
    });
    it("fails when mcconfig reports ### Error with status 0, and does not deploy", () => {
      const r = run(FLASH, ["udp-echo", "--target", "esp8266", "--port", port, "--out", out], { ...env, FAKE_MCCONFIG_ERROR: "build" });
      assert.equal(r.status, 1, r.out);
      assert.equal(calls().length, 1, "no deploy after a failed build");
    });
    it("runs the doctor first and runs nothing when a prerequisite is missing", () => {
      const r = run(FLASH, ["udp-echo", "--target", "esp8266", "--port", join(tmp, "ttyNONE"), "--out", out], env);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /FAIL  serial port .*ttyNONE does not exist/);
      assert.equal(calls().length, 0);
    });
  });

  describe("doctor", () => {
    const doc = (args: string[], env: Record<string, string | undefined>) => run(DOCTOR, args, env);
    const fails = (r: Run) => lines(r.stdout).filter((l) => l.startsWith("FAIL"));

    it("MODDABLE not set, or not a directory", () => {
      let r = doc(["--target", "sim"], { MODDABLE: undefined });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /FAIL  MODDABLE is not set\n\s+→ export MODDABLE=/);
      r = doc(["--target", "sim"], { MODDABLE: join(tmp, "nowhere") });
      assert.match(r.stdout, /FAIL  MODDABLE=.*nowhere is not a directory/);
    });
    it("mcconfig missing from the SDK and PATH", () => {
      const m = join(tmp, "moddable-no-tools");
      mkdirSync(join(m, "build/devices/esp32"), { recursive: true });
      const r = doc(["--target", "sim"], { MODDABLE: m, PATH: binWith("bin-empty", []) });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /FAIL  mcconfig not found in .*moddable-no-tools\/build\/bin\/lin\/release nor on PATH\n\s+→ build the SDK's tools/);
      assert.match(r.stdout, /FAIL  mcsim not found/);
    });
    it("everything present for esp32: IDF v6.0 (annotated tag), export.sh, python, a free port", async () => {
      const p = await pty("tty-doctor-ok");
      const r = doc(["--target", "esp32/esp32c3", "--port", p], { ...base(), IDF_PATH: fakeIdf("idf-ok", "v6.0"), PATH: binWith("bin-py", ["python", "git"]) });
      assert.equal(r.status, 0, r.out);
      assert.deepEqual(fails(r), []);
      assert.match(r.stdout, /ok    ESP-IDF v6\.0 \(the SDK expects v6\.0\)/);
      assert.match(r.stdout, /ok    subplatform esp32\/esp32c3/);
      assert.match(r.stdout, /ok    idf\.py: not on PATH; mcconfig sources .*export\.sh/);
      assert.match(r.stdout, new RegExp(`ok    serial port ${p}`));
      assert.match(r.stdout, /doctor: ready for esp32\/esp32c3/);
    });
    it("esp32: IDF_PATH not set; IDF_PATH missing", () => {
      let r = doc(["--target", "esp32"], { ...base(), IDF_PATH: undefined });
      assert.match(r.stdout, /FAIL  IDF_PATH is not set\n\s+→ install ESP-IDF v6\.0/);
      r = doc(["--target", "esp32"], { ...base(), IDF_PATH: join(tmp, "no-idf") });
      assert.match(r.stdout, /FAIL  IDF_PATH=.*no-idf does not exist/);
      assert.equal(r.status, 1);
    });
    it("esp32: the IDF version rule of the SDK (minor differs: error; patch differs: warning)", () => {
      const env = { ...base(), PATH: binWith("bin-py", ["python", "git"]) };
      let r = doc(["--target", "esp32"], { ...env, IDF_PATH: fakeIdf("idf-551", "v5.5.1") });
      assert.match(r.stdout, /FAIL  ESP-IDF v5\.5\.1: the SDK needs v6\.0\n\s+→ install ESP-IDF v6\.0/);
      assert.equal(r.status, 1);
      r = doc(["--target", "esp32"], { ...env, IDF_PATH: fakeIdf("idf-61", "v6.1") });
      assert.match(r.stdout, /FAIL  ESP-IDF v6\.1: the SDK needs v6\.0/);
      r = doc(["--target", "esp32"], { ...env, IDF_PATH: fakeIdf("idf-601", "v6.0.1") });
      assert.match(r.stdout, /warn  ESP-IDF v6\.0\.1: the SDK recommends v6\.0/);
      assert.equal(r.status, 0, r.out);
    });
    it("esp32: a lightweight tag is invisible to git describe (a hash: no version); not a git checkout", () => {
      const env = { ...base(), PATH: binWith("bin-py", ["python", "git"]) };
      let r = doc(["--target", "esp32"], { ...env, IDF_PATH: fakeIdf("idf-light", "v6.0", { lightweight: true }) });
      assert.match(r.stdout, /FAIL  ESP-IDF [0-9a-f]{7,}: the SDK needs v6\.0 \(no tag found/);
      const plain = join(tmp, "idf-tarball");
      mkdirSync(plain, { recursive: true });
      writeFileSync(join(plain, "export.sh"), "");
      r = doc(["--target", "esp32"], { ...env, IDF_PATH: plain, GIT_CEILING_DIRECTORIES: tmp });
      assert.match(r.stdout, /FAIL  cannot read the ESP-IDF version in .*idf-tarball/);
    });
    it("esp32: neither idf.py nor export.sh; no python", () => {
      const r = doc(["--target", "esp32"], { ...base(), IDF_PATH: fakeIdf("idf-noexport", "v6.0", { exportSh: false }), PATH: binWith("bin-git", ["git"]) });
      assert.match(r.stdout, /FAIL  neither idf\.py on PATH nor .*idf-noexport\/export\.sh\n\s+→ run \$IDF_PATH\/install\.sh/);
      assert.match(r.stdout, /FAIL  no `python` command on PATH/);
    });
    it("esp8266: ESP_BASE missing (set, and the ~/esp default); each of its three folders missing", () => {
      let r = doc(["--target", "esp8266"], { ...base(), ESP_BASE: join(tmp, "no-esp"), UPLOAD_PORT: "/dev/null" });
      assert.match(r.stdout, /FAIL  ESP_BASE =.*no-esp does not exist/);
      r = doc(["--target", "esp8266"], { ...base(), ESP_BASE: undefined, HOME: join(tmp, "home") });
      assert.match(r.stdout, /FAIL  ESP_BASE \(default .*home\/esp\) does not exist/);
      r = doc(["--target", "esp8266"], { ...base(), ESP_BASE: fakeEspBase("esp-empty", []) });
      assert.match(r.stdout, /FAIL  the ESP8266 Arduino core 2\.3\.0 not found at .*esp-empty\/esp8266-2\.3\.0/);
      assert.match(r.stdout, /FAIL  ESP8266_RTOS_SDK \(git checkout release\/v3\.2\) not found at .*esp-empty\/ESP8266_RTOS_SDK/);
      assert.match(r.stdout, /FAIL  the Xtensa lx106 toolchain not found at .*esp-empty\/toolchain\/Linux/);
    });
    it("an unknown subplatform names the closest ones", () => {
      const r = doc(["--target", "esp8266/nodemcuv2"], base());
      assert.match(r.stdout, /FAIL  unknown subplatform esp\/nodemcuv2\n\s+→ closest: esp8266\/nodemcu/);
    });
    it("the serial port: missing, not a character device", () => {
      let r = doc(["--target", "esp32", "--port", join(tmp, "ttyUSB99")], base());
      assert.match(r.stdout, /FAIL  serial port .*ttyUSB99 does not exist\n\s+→ plug the board in/);
      writeFileSync(join(tmp, "plainfile"), "");
      r = doc(["--target", "esp32", "--port", join(tmp, "plainfile")], base());
      assert.match(r.stdout, /FAIL  serial port .*plainfile is not a character device/);
    });
    it("the serial port: held by another program (a socat pty held open by python3)", async () => {
      const p = await pty("tty-busy");
      const holder = await hold(p);
      const r = doc(["--target", "esp32", "--port", p], base());
      assert.equal(r.status, 1);
      assert.match(r.stdout, new RegExp(`FAIL  serial port ${p} is held by python3 \\(pid ${holder.pid}\\)\\n\\s+→ close it first`));
      holder.kill("SIGKILL");
    });
    it("the serial port: permission denied names the dialout group (run as another user)", async function () {
      if (process.getuid?.() !== 0) this.skip(); // only root can run the doctor as someone else here
      const nobody = { uid: 65534, gid: 65534, cwd: "/" };
      // A checkout under a private home folder is out of the other user's reach: nothing to test then.
      if (spawnSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(DOCTOR)})`], nobody).status !== 0) this.skip();
      chmodSync(tmp, 0o755); // mkdtemp's 0700 would hide everything from the other user
      const p = await pty("tty-denied", "600");
      const r = spawnSync(process.execPath, [DOCTOR, "--target", "esp32", "--port", p], {
        uid: 65534, gid: 65534, cwd: "/", encoding: "utf8", env: { PATH: process.env.PATH!, MODDABLE: moddable, HOME: "/" },
      });
      assert.match(r.stdout, new RegExp(`FAIL  serial port ${p}: permission denied\\n\\s+→ add yourself to its group: sudo usermod -aG dialout`), r.stdout + r.stderr);
    });
    it("without --target checks every target; exits 1 naming what is ready", () => {
      const r = doc([], { ...base(), IDF_PATH: undefined, ESP_BASE: join(tmp, "no-esp"), DISPLAY: ":0" });
      assert.equal(r.status, 1);
      assert.deepEqual(lines(r.stdout).filter((l) => l.startsWith("# ")), ["# esp32", "# esp8266", "# sim"]);
      assert.match(r.stdout, /doctor: \d+ missing; ready: sim/);
      assert.equal(run(CLI, ["doctor", "--target", "sim"], { ...base(), DISPLAY: ":0" }).status, 0);
    });
  });
});
