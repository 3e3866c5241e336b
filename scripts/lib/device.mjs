// What `usocket-xs flash` and `usocket-xs doctor` share: reading a target ("esp32/esp32c3",
// "esp8266", "sim"), the commands a flash runs (plan), Wi-Fi credentials and how they are hidden,
// and the checks of every prerequisite (doctor), one line each with what to do when it fails.
// Nothing here runs mcconfig; flash.mjs does, from the plan.
import { spawnSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { homedir, type as osType } from "node:os";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";

export const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The SDK's name for this computer's platform (bin/<os>, -p for the simulator). */
export const hostPlatform = process.platform === "darwin" ? "mac" : process.platform === "win32" ? "win" : "lin";

export const FLAVOURS = { debug: ["-d"], instrumented: ["-i"], release: [] };
const MASK = "*****";

export class UsageError extends Error {}

/**
 * "esp32", "esp32/esp32c3", "esp8266", "esp8266/nodemcu" (also "esp", "esp/…"), "sim".
 * Returns { name, platform (mcconfig's -p), device ("esp32"|"esp"|undefined), sub }.
 */
export function parseTarget(text) {
  if (!text) throw new UsageError("--target is required: esp32[/sub], esp8266[/sub] or sim");
  const [head, sub, more] = text.split("/");
  if (more !== undefined || sub === "") throw new UsageError(`--target ${text}: expected esp32[/sub], esp8266[/sub] or sim`);
  if (head === "sim") {
    if (sub) throw new UsageError(`--target ${text}: the simulator has no subplatforms`);
    return { name: "sim", platform: hostPlatform, device: undefined, sub: undefined };
  }
  const device = head === "esp32" ? "esp32" : head === "esp8266" || head === "esp" ? "esp" : undefined;
  if (!device) throw new UsageError(`--target ${text}: unknown target (esp32[/sub], esp8266[/sub] or sim)`);
  return { name: text, platform: sub ? `${device}/${sub}` : device, device, sub };
}

/** Subplatforms the SDK knows for esp32 or esp ($MODDABLE/build/devices/<device>/targets/*). */
export function subplatforms(moddable, device) {
  const dir = join(moddable, "build/devices", device, "targets");
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length];
}

/** Up to three known names closest to `name` (names containing it first). */
export function closest(name, names) {
  return names
    .map((n) => ({ n, d: n.includes(name) || name.includes(n) ? -1 : distance(name, n) }))
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n))
    .slice(0, 3)
    .map((x) => x.n);
}

/** The app: an example's name, or a directory (or its manifest.json). Returns { dir, name }. */
export function findApp(arg, cwd = process.cwd()) {
  const examples = join(root, "examples");
  const names = existsSync(examples)
    ? readdirSync(examples).filter((d) => existsSync(join(examples, d, "manifest.json"))).sort()
    : [];
  if (!arg) throw new UsageError(`which app? an example (${names.join(", ")}) or a directory with a manifest.json`);
  if (names.includes(arg) && !arg.includes("/")) return { dir: join(examples, arg), name: arg };
  let dir = isAbsolute(arg) ? arg : resolve(cwd, arg);
  if (basename(dir) === "manifest.json") dir = dirname(dir);
  if (existsSync(join(dir, "manifest.json"))) return { dir, name: basename(dir) };
  throw new UsageError(`${arg}: not an example (${names.join(", ")}) nor a directory with a manifest.json`);
}

/**
 * Wi-Fi credentials, first found of: --ssid/--password, USOCKET_XS_SSID/USOCKET_XS_PASSWORD, the
 * JSON file --credentials FILE or ./.usocket-xs.json ({"ssid": …, "password": …}; git-ignored).
 */
export function credentials(flags, env = process.env, cwd = process.cwd()) {
  let ssid = flags.ssid, password = flags.password, from = "--ssid/--password";
  if (ssid === undefined && password === undefined && (env.USOCKET_XS_SSID !== undefined || env.USOCKET_XS_PASSWORD !== undefined)) {
    ssid = env.USOCKET_XS_SSID;
    password = env.USOCKET_XS_PASSWORD;
    from = "USOCKET_XS_SSID/USOCKET_XS_PASSWORD";
  }
  if (ssid === undefined && password === undefined) {
    const file = flags.credentials ?? join(cwd, ".usocket-xs.json");
    if (flags.credentials !== undefined || existsSync(file)) {
      let json;
      try { json = JSON.parse(readFileSync(file, "utf8")); } catch (e) {
        throw new UsageError(`${file}: not a readable JSON file of {"ssid": "…", "password": "…"} (${e.code ?? "invalid JSON"})`);
      }
      ssid = json?.ssid;
      password = json?.password;
      from = file;
      if (ssid !== undefined && typeof ssid !== "string" || password !== undefined && typeof password !== "string") {
        throw new UsageError(`${file}: "ssid" and "password" must be strings`);
      }
    }
  }
  if (password !== undefined && ssid === undefined) throw new UsageError(`a password without an ssid (from ${from})`);
  if (ssid === "") throw new UsageError(`an empty ssid (from ${from})`);
  return { ssid, password, from: ssid === undefined ? undefined : from };
}

/** The strings that must never be printed. */
export function secrets(creds) {
  return [creds.ssid, creds.password].filter((s) => typeof s === "string" && s.length > 0);
}

/** Replace every secret in text with the mask. */
export function redact(text, hidden) {
  for (const s of hidden) text = text.split(s).join(MASK);
  return text;
}

function toolDirs(moddable) {
  return moddable ? [join(moddable, "build/bin", hostPlatform, "release")] : [];
}

function which(tool, path = process.env.PATH ?? "") {
  for (const d of path.split(delimiter)) {
    if (d && existsSync(join(d, tool))) return join(d, tool);
  }
  return undefined;
}

/**
 * The commands a flash runs, without running anything. Options: { app, target, flavour, port,
 * creds, out, env }. Returns { cwd, out, env (what we add or change), steps: [{ argv, shown }],
 * sim: { argv } | undefined, kind }.
 */
export function plan({ app, target, flavour, port, creds, out, env = process.env }) {
  const moddable = env.MODDABLE;
  const added = {};
  if (moddable) added.MODDABLE = moddable;
  // The SDK's tools, and our own TypeScript for the examples' .ts (mcconfig runs the bare `tsc`).
  const prefix = [join(root, "node_modules/.bin")].filter((d) => existsSync(d));
  const suffix = toolDirs(moddable).filter((d) => !(env.PATH ?? "").split(delimiter).includes(d));
  if (prefix.length || suffix.length) added.PATH = [...prefix, "$PATH", ...suffix].join(delimiter);
  if (port) added.UPLOAD_PORT = port;
  if (target.device) {
    // The deploy step's `$(shell pkill serial2xsbug)` would end every board's debugging session,
    // not only this one's: a make variable given in MAKEFLAGS overrides the makefile's. The doctor
    // checks first that nothing holds this board's port.
    added.MAKEFLAGS = [env.MAKEFLAGS, "KILL_SERIAL2XSBUG="].filter(Boolean).join(" ");
  }
  const config = [];
  const shown = [];
  if (creds.ssid !== undefined) { config.push(`ssid=${creds.ssid}`); shown.push(`ssid=${MASK}`); }
  if (creds.password !== undefined) { config.push(`password=${creds.password}`); shown.push(`password=${MASK}`); }
  const flags = FLAVOURS[flavour];
  const step = (t) => {
    const base = ["mcconfig", "-m", "-p", target.platform, "-t", t, "-o", out, ...flags];
    return { argv: [...base, ...config], shown: [...base, ...shown] };
  };
  const steps = [step("build")];
  let sim;
  if (target.device) steps.push(step("deploy"));
  else {
    const kind = flavour === "instrumented" ? "instrument" : flavour;
    const so = join(out, "bin", target.platform, "mc", kind, app.name, target.platform === "mac" ? "mc.app" : "mc.so");
    const mcsim = join(toolDirs(moddable)[0] ?? "$MODDABLE/build/bin/lin/release", "mcsim");
    // stdbuf: trace() output line by line even when stdout is a pipe; xvfb-run: no DISPLAY, headless.
    const run = hostPlatform === "lin" ? ["stdbuf", "-oL", "-eL", mcsim, so] : [mcsim, so];
    sim = { so, argv: hostPlatform === "lin" && !env.DISPLAY ? ["xvfb-run", "-a", ...run] : run };
  }
  return { cwd: app.dir, out, env: added, steps, sim };
}

const quote = (s) => (/^[\w@%+=:,./*$-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

/** The plan as the shell lines a user could type (credentials masked). */
export function describePlan(p) {
  const lines = [`cd ${quote(p.cwd)}`];
  const env = Object.entries(p.env).map(([k, v]) => `${k}=${k === "PATH" ? v.split(delimiter).map((d) => (d === "$PATH" ? d : quote(d))).join(delimiter) : quote(v)}`);
  lines.push(`mkdir -p ${quote(p.out)}`);
  for (const s of p.steps) lines.push([...env, ...s.shown.map(quote)].join(" "));
  if (p.sim) lines.push(p.sim.argv.map(quote).join(" "));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The doctor: every check gives { level: "ok" | "warn" | "fail", text, fix? }.

const ok = (text) => ({ level: "ok", text });
const warn = (text, fix) => ({ level: "warn", text, fix });
const fail = (text, fix) => ({ level: "fail", text, fix });

const ESP32_DOC = "https://github.com/Moddable-OpenSource/moddable/blob/public/documentation/devices/esp32.md";
const ESP_DOC = "https://github.com/Moddable-OpenSource/moddable/blob/public/documentation/devices/esp8266.md";

export function checkSdk(env = process.env) {
  const out = [];
  const moddable = env.MODDABLE;
  if (!moddable) {
    out.push(fail("MODDABLE is not set", "export MODDABLE=/path/to/moddable (the Moddable SDK, with its tools built for this computer)"));
    return out;
  }
  if (!existsSync(moddable) || !statSync(moddable).isDirectory()) {
    out.push(fail(`MODDABLE=${moddable} is not a directory`, "point MODDABLE at the Moddable SDK checkout"));
    return out;
  }
  out.push(ok(`MODDABLE=${moddable}`));
  const found = toolDirs(moddable).map((d) => join(d, "mcconfig")).find((f) => existsSync(f)) ?? which("mcconfig", env.PATH);
  out.push(found ? ok(`mcconfig: ${found}`)
    : fail(`mcconfig not found in ${toolDirs(moddable)[0]} nor on PATH`, `build the SDK's tools: cd $MODDABLE/build/makefiles/${hostPlatform} && make`));
  return out;
}

export function checkSub(env, target) {
  if (!target.sub) return [];
  const known = subplatforms(env.MODDABLE, target.device);
  if (known.includes(target.sub)) return [ok(`subplatform ${target.platform}`)];
  const near = closest(target.sub, known);
  return [fail(`unknown subplatform ${target.platform}`,
    near.length ? `closest: ${near.map((n) => `${target.device === "esp" ? "esp8266" : "esp32"}/${n}`).join(", ")} (all: ls $MODDABLE/build/devices/${target.device}/targets)` : `none in $MODDABLE/build/devices/${target.device}/targets`)];
}

/** The version rule of the SDK's versionCheck.py: major or minor differs → error, patch → warning. */
export function compareIdf(expected, found) {
  const parts = (v) => {
    const s = v.split("v");
    const p = (s.length > 1 ? s[1] : s[0]).split(".");
    while (p.length < 3) p.push("0");
    return p;
  };
  const e = parts(expected), g = parts(found);
  if (e[0] !== g[0] || e[1] !== g[1]) return "fail";
  return e[2] === g[2] ? "ok" : "warn";
}

function checkPython(env) {
  const py = which("python", env.PATH);
  return py ? ok(`python: ${py}`) : fail("no `python` command on PATH (the SDK's makefiles call it)", "install one: sudo apt-get install python-is-python3");
}

export function checkEsp32(env = process.env) {
  const out = [];
  const idf = env.IDF_PATH;
  let expected;
  try {
    expected = JSON.parse(readFileSync(join(env.MODDABLE ?? "", "build/devices/esp32/manifest.json"), "utf8")).build?.EXPECTED_ESP_IDF;
  } catch { /* below */ }
  if (!expected && env.MODDABLE) out.push(fail("no EXPECTED_ESP_IDF in $MODDABLE/build/devices/esp32/manifest.json", "check MODDABLE: it must be a full SDK checkout"));
  if (!idf) {
    out.push(fail("IDF_PATH is not set", `install ESP-IDF${expected ? ` ${expected}` : ""} and export IDF_PATH=~/esp32/esp-idf (${ESP32_DOC})`));
    out.push(checkPython(env));
    return out;
  }
  if (!existsSync(idf) || !statSync(idf).isDirectory()) {
    out.push(fail(`IDF_PATH=${idf} does not exist`, "point IDF_PATH at the ESP-IDF checkout (the SDK's Linux guide names two different folders)"));
    out.push(checkPython(env));
    return out;
  }
  out.push(ok(`IDF_PATH=${idf}`));
  const git = spawnSync("git", ["describe", "--always", "--abbrev=0"], { cwd: idf, encoding: "utf8", env: { ...env, GIT_DIR: undefined } });
  const version = git.status === 0 ? git.stdout.trim() : "";
  if (!version) {
    out.push(fail(`cannot read the ESP-IDF version in ${idf} (git describe failed: not a git checkout?)`,
      `clone it with its tags: git clone -b ${expected ?? "<version>"} --recursive https://github.com/espressif/esp-idf.git`));
  } else if (expected) {
    const verdict = compareIdf(expected, version);
    if (verdict === "ok") out.push(ok(`ESP-IDF ${version} (the SDK expects ${expected})`));
    else if (verdict === "warn") out.push(warn(`ESP-IDF ${version}: the SDK recommends ${expected}`, `git -C $IDF_PATH checkout ${expected} && git submodule update --init --recursive`));
    else out.push(fail(`ESP-IDF ${version}: the SDK needs ${expected}${/^[0-9a-f]{7,}$/.test(version) ? " (no tag found: a shallow clone without tags?)" : ""}`,
      `install ESP-IDF ${expected}: git -C $IDF_PATH fetch --tags && git -C $IDF_PATH checkout ${expected} && git -C $IDF_PATH submodule update --init --recursive && $IDF_PATH/install.sh`));
  }
  const idfpy = which("idf.py", env.PATH);
  if (idfpy) out.push(ok(`idf.py: ${idfpy}`));
  else if (existsSync(join(idf, "export.sh"))) out.push(ok(`idf.py: not on PATH; mcconfig sources ${join(idf, "export.sh")} (a few seconds each build; "source $IDF_PATH/export.sh" once saves them)`));
  else out.push(fail(`neither idf.py on PATH nor ${join(idf, "export.sh")}`, "run $IDF_PATH/install.sh, then source $IDF_PATH/export.sh"));
  out.push(checkPython(env));
  return out;
}

export function checkEsp8266(env = process.env) {
  const out = [];
  const base = env.ESP_BASE || join(env.HOME ?? homedir(), "esp");
  if (!existsSync(base)) {
    out.push(fail(`ESP_BASE ${env.ESP_BASE ? `=${base}` : `(default ${base})`} does not exist`, `install the ESP8266 tools there, or export ESP_BASE (${ESP_DOC})`));
  } else {
    out.push(ok(`ESP_BASE=${base}`));
    const uname = osType(); // what `uname` prints, as make.esp.mk's TOOLS_ROOT uses
    const need = [
      ["esp8266-2.3.0", "the ESP8266 Arduino core 2.3.0"],
      ["ESP8266_RTOS_SDK", "ESP8266_RTOS_SDK (git checkout release/v3.2)"],
      [`toolchain/${uname}`, "the Xtensa lx106 toolchain"],
    ];
    for (const [dir, what] of need) {
      const p = join(base, dir);
      out.push(existsSync(p) ? ok(`${what}: ${p}`) : fail(`${what} not found at ${p}`, `install it there (${ESP_DOC})`));
    }
  }
  out.push(checkPython(env));
  return out;
}

export function checkSim(env = process.env) {
  const out = [];
  const mcsim = toolDirs(env.MODDABLE).map((d) => join(d, "mcsim")).find((f) => existsSync(f));
  out.push(mcsim ? ok(`mcsim: ${mcsim}`) : fail("mcsim not found", `build the simulator: cd $MODDABLE/build/makefiles/${hostPlatform} && make`));
  if (hostPlatform === "lin" && !env.DISPLAY) {
    const x = which("xvfb-run", env.PATH);
    out.push(x ? ok(`no DISPLAY: mcsim runs under ${x}`) : fail("no DISPLAY and no xvfb-run", "sudo apt-get install xvfb, or run with a display"));
  }
  return out;
}

function major(dev) { return Number((BigInt(dev) >> 8n) & 0xfffn); }
function minor(dev) { return Number((BigInt(dev) & 0xffn) | ((BigInt(dev) >> 12n) & 0xfff00n)); }

/** Other programs that have `path` open (Linux /proc), and flock holders (/proc/locks). */
export function portHolders(path) {
  if (!existsSync("/proc/self/fd")) return [];
  let st, ptmx;
  try { st = statSync(path); } catch { return []; }
  try { ptmx = statSync("/dev/ptmx").rdev; } catch { /* none */ }
  // A pseudo-terminal's slave is held by the program that made it (socat, a terminal): not a user.
  const pty = major(st.rdev) >= 136 && major(st.rdev) <= 143;
  const found = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let fds;
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    let holds = false, master = false;
    for (const fd of fds) {
      try {
        const s = statSync(`/proc/${pid}/fd/${fd}`);
        if (!s.isCharacterDevice()) continue;
        if (s.rdev === st.rdev) holds = true;
        if (s.rdev === ptmx) master = true;
      } catch { /* gone */ }
    }
    if (holds && !(pty && master)) found.set(Number(pid), comm(pid));
  }
  try {
    const id = `${major(st.dev).toString(16).padStart(2, "0")}:${minor(st.dev).toString(16).padStart(2, "0")}:${st.ino}`;
    for (const line of readFileSync("/proc/locks", "utf8").split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[1] === "FLOCK" && f[5] === id && Number(f[4]) !== process.pid) found.set(Number(f[4]), comm(f[4]));
    }
  } catch { /* no /proc/locks */ }
  return [...found].map(([pid, name]) => ({ pid, name }));
}

function comm(pid) {
  try { return readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { return "?"; }
}

/** The serial port: exists, is a character device, opens, and no other program holds it. */
export function checkPort(port) {
  let st;
  try { st = statSync(port); } catch {
    let link = "";
    try { link = ` (a link to ${readlinkSync(port)}, which is gone)`; } catch { /* not a link */ }
    return [fail(`serial port ${port} does not exist${link}`, "plug the board in and check the name: ls /dev/ttyUSB* /dev/ttyACM* (or dmesg | tail)")];
  }
  if (!st.isCharacterDevice()) return [fail(`serial port ${port} is not a character device`, "pass the board's serial device, e.g. --port /dev/ttyUSB0")];
  try {
    closeSync(openSync(port, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
  } catch (e) {
    if (e.code === "EACCES" || e.code === "EPERM") {
      return [fail(`serial port ${port}: permission denied`, "add yourself to its group: sudo usermod -aG dialout $USER, then log out and in again")];
    }
    if (e.code === "EBUSY") return [fail(`serial port ${port} is busy (held exclusively by another program, e.g. serial2xsbug)`, "close the program that uses it")];
    return [fail(`serial port ${port} cannot be opened: ${e.code ?? e.message}`, "check the cable and the device name")];
  }
  const holders = portHolders(port);
  if (holders.length) {
    return [fail(`serial port ${port} is held by ${holders.map((h) => `${h.name} (pid ${h.pid})`).join(", ")}`,
      "close it first (serial2xsbug, screen, minicom, a serial monitor): flashing needs the port to itself")];
  }
  return [ok(`serial port ${port}`)];
}

/** Every check for one target (parsed) and port; port undefined on esp32 means "let the SDK probe". */
export function doctor(target, { port, env = process.env } = {}) {
  const out = checkSdk(env);
  if (target.device) out.push(...checkSub(env, target));
  if (target.device === "esp32") out.push(...checkEsp32(env));
  else if (target.device === "esp") out.push(...checkEsp8266(env));
  else out.push(...checkSim(env));
  if (target.device) {
    if (port) out.push(...checkPort(port));
    else if (target.device === "esp") out.push(...checkPort("/dev/ttyUSB0").map((c) => ({ ...c, text: `${c.text} (the SDK's default; --port to choose)` })));
    else out.push(ok("serial port: not given, the SDK finds the board (idfSerialPort); --port to choose"));
  }
  return out;
}

export function formatCheck(c) {
  const tag = c.level === "ok" ? "ok  " : c.level === "warn" ? "warn" : "FAIL";
  return `${tag}  ${c.text}${c.fix ? `\n        → ${c.fix}` : ""}`;
}
