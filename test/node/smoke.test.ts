// The smoke runner (scripts/smoke.mjs) end to end against a board double on a real socat
// pseudo-terminal pair: the smoke firmware running on the Node host, its output written in a
// board's serial framing (test/smoke/board-double.mjs), checked by the runner over 127.0.0.1.
// Both formats pass; every fault is a failing run whose message says what went wrong.
// Needs socat, python3 and curl (.ci/run installs them). Node lane.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOUBLE = join(ROOT, "test/smoke/board-double.mjs");
// serialport and the shared harness are loaded at run time, not bundled by esbuild (serialport
// needs its native binding; the harness is plain JavaScript shared with the sim lane).
const SERIALPORT = "serialport";

interface Run { code: number | null; out: string; err: string; board: string }
interface Pty { board: string; host: string; stop(): Promise<void> }
interface Harness {
  ptyPair(): Promise<Pty>;
  smoke(runnerArgs: string[], boardArgs: string[] | null, pty?: Pty, options?: { boardFirstMs?: number }): Promise<Run>;
  show(r: Run): string;
  killAll(): void;
  children: Set<ChildProcess>;
}
let h: Harness;
const ptyPair = () => h.ptyPair();
const smoke = (a: string[], b: string[] | null, p?: Pty) => h.smoke(a, b, p);
const show = (r: Run) => h.show(r);
const children = { add: (c: ChildProcess) => h.children.add(c), delete: (c: ChildProcess) => h.children.delete(c) };

function passed(r: Run): void {
  assert.equal(r.code, 0, show(r));
  assert.match(r.out, /all \d+ checks passed/, show(r));
  for (const check of ["tcp echo", "udp echo", "http-get", "curl", "http x20", "outbound", "board alive"]) {
    assert.match(r.out, new RegExp(`^${check}\\s+PASS`, "m"), `${check} did not pass\n${show(r)}`);
  }
}

function failed(r: Run, check: string, message: RegExp): void {
  assert.equal(r.code, 1, show(r));
  assert.match(r.out, new RegExp(`^FAIL ${check}: `, "m"), show(r));
  assert.match(r.out, message, show(r));
}

describe("smoke runner against a board double on a socat pty (node lane)", function () {
  this.timeout(240000); // the runner bounds each run (--timeout); the machine may be shared and slow
  this.slow(30000);

  before(async function () {
    h = await import(pathToFileURL(join(ROOT, "test/smoke/harness.mjs")).href);
    for (const [tool, pkg] of [["socat", "socat"], ["python3", "python3"], ["curl", "curl"]]) {
      if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed (Debian package ${pkg}; .ci/run installs it)`);
    }
  });
  after(function () {
    h?.killAll();
  });

  describe("passing runs", function () {
    it("text (an ESP32 -i build at 115200): ROM text first, baud found by trying, every check passes", async function () {
      const r = await smoke(["--timeout", "150"], ["--format", "text"]);
      passed(r);
      assert.match(r.out, /serial format\s+PASS .*text at 115200 baud, \d+ garbage bytes skipped/, show(r));
    });

    it("xsbug (an ESP32 -d build at 460800): ROM garbage, login answered with a tagged <go/>, a <break> answered, noise and cut-off frames between frames", async function () {
      const r = await smoke(["--timeout", "150"], ["--format", "xsbug", "--break", "--noise"]);
      passed(r);
      assert.match(r.out, /serial format\s+PASS .*xsbug at 460800 baud, \d+ garbage bytes skipped/, show(r));
      assert.match(r.out, /board alive\s+PASS .*serial: \d+ frames, \d+ garbage bytes, [1-9]\d* partial frames skipped/, show(r));
      assert.match(r.board, /login answered/, show(r));
      assert.match(r.board, /break answered/, show(r));
      assert.doesNotMatch(r.board, /crash/, show(r));
    });

    it("--no-reset on a board that has been running for a while (text): the repeated ip/service/ready block is enough", async function () {
      const r = await h.smoke(["--timeout", "150", "--no-reset"], ["--format", "text"], undefined, { boardFirstMs: 4000 });
      passed(r);
      assert.match(r.err, /not reset \(--no-reset\)/, show(r));
    });

    it("xsbug at 921600 with the ESP8266's ROM at 74880 (--baud 921600 --format xsbug)", async function () {
      const r = await smoke(["--timeout", "150", "--baud", "921600", "--format", "xsbug"], ["--format", "xsbug", "--baud", "921600", "--rom", "esp8266"]);
      passed(r);
      assert.match(r.out, /xsbug at 921600 baud/, show(r));
    });
  });

  describe("failing runs", function () {
    it("a corrupted echo (the firmware's corrupt-echo fault) is a checksum mismatch, never a pass", async function () {
      const r = await smoke(["--timeout", "150"], ["--format", "xsbug", "--fault", "corrupt-echo"]);
      failed(r, "tcp echo", /checksum mismatch \(sent sha256 [0-9a-f]+, echoed [0-9a-f]+; byte 0 sent 0x[0-9a-f]{2} came back 0x[0-9a-f]{2}\)/);
    });

    it("a service that never comes up (no-udp): names the missing service", async function () {
      const r = await smoke(["--timeout", "150"], ["--format", "text", "--fault", "no-udp"]);
      failed(r, "services", /never came up: udp-echo \(up: tcp-echo:\d+ http:\d+ control:\d+\)/);
    });

    it("the board stops talking mid-run: the failing check says the board went silent, the rest are not run", async function () {
      // The firmware dies as soon as it has said `ready`, so the first check that talks to it (tcp
      // echo) is the one that finds it gone. (300 ms after ready used to land inside a check; with
      // servers that queue every connection the checks can all be done by then.)
      const r = await smoke(["--timeout", "150"], ["--format", "xsbug", "--hang-after-ready", "0"]);
      assert.equal(r.code, 1, show(r));
      assert.match(r.out, /the board stopped talking while this check ran/, show(r));
      assert.match(r.out, /FAIL board alive: the board stopped talking \d+ s ago/, show(r));
      assert.match(r.out, /SKIP\s+not run: the board stopped talking/, show(r));
    });

    it("a wrong baud (--baud 115200 for a 460800 debug build): ROM text, then garbage, and the rates to try", async function () {
      const r = await smoke(["--timeout", "30", "--baud", "115200"], ["--format", "xsbug"]);
      failed(r, "serial format", /boot-ROM text came through at 115200 baud, then \d+ bytes[\s\S]*talks at another baud[\s\S]*460800 ESP32 debug/);
    });

    it("garbage and partial frames only, never a whole frame", async function () {
      const r = await smoke(["--timeout", "30", "--format", "xsbug"], ["--format", "xsbug", "--only-garbage"]);
      failed(r, "serial format", /\d+ xsbug frames arrived cut short, and \d+ bytes of garbage, never a whole frame/);
    });

    it("a board that prints nothing (a release build): says so and how to flash one that talks", async function () {
      const r = await smoke(["--timeout", "10"], null);
      failed(r, "serial format", /the board printed nothing in 4 s[\s\S]*a release build prints nothing/);
    });

    it("the port held by another process (an flock, as serialport and esptool take): names the holder", async function () {
      const pty = await ptyPair();
      const holder = spawn("python3", ["-c", "import fcntl,os,sys,time\nfd=os.open(sys.argv[1],os.O_RDWR|os.O_NOCTTY)\nfcntl.flock(fd,fcntl.LOCK_EX|fcntl.LOCK_NB)\nprint('held',flush=True)\ntime.sleep(60)", pty.host], { stdio: ["ignore", "pipe", "inherit"] });
      children.add(holder);
      try {
        await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
        const r = await smoke(["--timeout", "10"], null, pty);
        failed(r, "serial port", new RegExp(`is in use: held by [^.]*pid ${holder.pid} \\(python3\\)[^.]*\\. Close it`));
      } finally {
        holder.kill("SIGKILL");
        children.delete(holder);
        await pty.stop();
      }
    });
  });

  describe("permissions", function () {
    it("a port the user may not open (the pty is root's, mode 600; run as nobody): says how to get access", async function () {
      const runuser = spawnSync("sh", ["-c", "command -v runuser"]).status === 0;
      if (process.getuid?.() !== 0 || !runuser) this.skip(); // needs root to run the runner as another user
      const pty = await ptyPair();
      try {
        const r = spawnSync("runuser", ["-u", "nobody", "--", process.execPath, join(ROOT, "scripts/smoke.mjs"), "--port", pty.host, "--timeout", "10"], { encoding: "utf8", timeout: 30000 });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /FAIL serial port: no permission to open .*usermod -aG dialout/, r.stdout + r.stderr);
      } finally {
        await pty.stop();
      }
    });
  });

  describe("the board double behaves like a debug build", function () {
    it("without a <go/> within 2 s of its login it disconnects and goes silent for good (its firmware runs on)", async function () {
      const { SerialPort } = await import(SERIALPORT);
      const pty = await ptyPair();
      const port = new SerialPort({ path: pty.host, baudRate: 460800, hupcl: false });
      await new Promise((r) => port.once("open", r));
      const chunks: { at: number; bytes: Buffer }[] = [];
      port.on("data", (b: Buffer) => chunks.push({ at: Date.now(), bytes: b }));
      let log = "";
      const double = spawn(process.execPath, [DOUBLE, "--pty", pty.board, "--peer", pty.host, "--format", "xsbug"], { stdio: ["ignore", "ignore", "pipe"] });
      children.add(double);
      double.stderr!.on("data", (b) => (log += b));
      try {
        await new Promise((r) => setTimeout(r, 8000));
        const all = Buffer.concat(chunks.map((c) => c.bytes));
        const text = all.toString("latin1");
        const loginAt = text.indexOf("<login ");
        assert.ok(loginAt > 0, `no login in ${JSON.stringify(text.slice(0, 300))}`);
        const before = all.subarray(0, text.indexOf("\r\n<?xs"));
        assert.ok(before.some((b) => b >= 0x80), "no ROM garbage (non-ASCII bytes) before the first frame");
        assert.match(text, /\r\n<\?xs-3FFB2A48\?>\r\n/, "no disconnect frame after the unanswered login");
        const disconnectAt = text.indexOf("<?xs-3FFB2A48?>");
        assert.doesNotMatch(text.slice(disconnectAt), /<log>/, "log frames after the disconnect");
        // the disconnect came about 2 s after the login, not before
        let seen = 0, loginTime = 0, disconnectTime = 0;
        for (const c of chunks) {
          const s = c.bytes.toString("latin1");
          if (!loginTime && text.indexOf("<login ") < seen + s.length) loginTime = c.at;
          if (!disconnectTime && disconnectAt < seen + s.length) disconnectTime = c.at;
          seen += s.length;
        }
        assert.ok(disconnectTime - loginTime >= 1900, `disconnected ${disconnectTime - loginTime} ms after the login`);
        assert.match(log, /login not answered within 2 s/);
        assert.match(log, /firmware started/);
      } finally {
        double.kill("SIGTERM");
        await new Promise((r) => double.once("exit", r));
        children.delete(double);
        await new Promise((r) => port.close(() => r(undefined)));
        await pty.stop();
      }
    });
  });

  describe("the runner's pieces", function () {
    it("memory trend: a steady fall in free memory fails, noise passes, Node's heap is shown only", async function () {
      const { memoryTrend } = await import(pathToFileURL(join(ROOT, "scripts/lib/smoke/lines.mjs")).href);
      const leak = Array.from({ length: 12 }, (_, i) => ({ free: 200000 - i * 6000 }));
      assert.equal(memoryTrend(leak).verdict, "fail");
      const noisy = Array.from({ length: 12 }, (_, i) => ({ free: 150000 + ((i * 7919) % 5) * 3000 }));
      assert.equal(memoryTrend(noisy).verdict, "pass");
      // XS in use: a sawtooth; only the figures right after a collection count
      const rising = Array.from({ length: 12 }, (_, i) => ({ slots: 40000 + i * 4000, chunks: 30000 + i * 2000, gc: 0 }));
      assert.equal(memoryTrend(rising).verdict, "pass", "growth without a collection is not a leak");
      const leakAfterGc = Array.from({ length: 12 }, (_, i) => ({ slots: 40000 + i * 6000, chunks: 30000, gc: i }));
      assert.equal(memoryTrend(leakAfterGc).verdict, "fail");
      const steadyAfterGc = Array.from({ length: 12 }, (_, i) => ({ slots: 40000 + (i % 3) * 500, chunks: 30000, gc: i }));
      assert.equal(memoryTrend(steadyAfterGc).verdict, "pass");
      assert.equal(memoryTrend([{ heapUsed: 1, heapTotal: 2 }]).verdict, "info");
      assert.equal(memoryTrend([]).verdict, "skip");
    });

    it("frame reader: frames split at every byte, binary frames, partial frames and garbage", async function () {
      const f = await import(pathToFileURL(join(ROOT, "scripts/lib/smoke/framing.mjs")).href);
      const wire = Buffer.concat([
        Buffer.from([0xff, 0x00, 0xc3]),
        f.deviceLogFrame(0x3ffb2a48, "SMOKE v1 ready <&> é\n"),
        f.deviceBinaryFrame(0x3ffb2a48, Buffer.from("\r\n<?xs.")),
        Buffer.from("\r\n<?xs.3FFB2A48?>\r\n<xsbug><log>cut"),
        f.deviceFrame(0x3ffb2a48, `<login name="main" value="XS"/>`),
      ]);
      const reader = new f.FrameReader();
      const events: { type: string; xml?: string }[] = [];
      for (let i = 0; i < wire.length; i++) events.push(...reader.push(wire.subarray(i, i + 1)));
      const kinds = events.filter((e) => e.type !== "garbage").map((e) => e.type);
      assert.deepEqual(kinds, ["frame", "binary", "partial", "frame"]);
      const frames = events.filter((e) => e.type === "frame");
      assert.deepEqual(f.parseFrameXml(frames[0].xml), [{ type: "log", text: "SMOKE v1 ready <&> é\n" }]);
      assert.equal(f.parseFrameXml(frames[1].xml)[0].type, "login");
      assert.deepEqual(f.parseFrameXml(`<instruments><instrument name="Chunk used" value=" bytes"/><instrument name="Slot used" value=" bytes"/></instruments>`),
        [{ type: "instruments", names: ["Chunk used", "Slot used"] }]);
      assert.deepEqual(f.parseFrameXml("<samples>1,2,3</samples>"), [{ type: "samples", values: [1, 2, 3] }]);
    });
  });
});
