// The relay example as a program (dist/examples/relay.js): it refuses to start without a password
// and says why, takes its settings from flags or the environment, and prints the simulated pin on
// each change. Node lane; its pages and statuses are tested in test/behaviour/relay.test.ts and in
// Chromium (relay-browser.test.ts).
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RELAY = fileURLToPath(new URL("../../examples/relay.js", import.meta.url)); // run from dist/test/node

function runRelay(args: string[], env: { [k: string]: string } = {}) {
  return spawnSync(process.execPath, [RELAY, ...args], { encoding: "utf8", timeout: 10000, env: { PATH: process.env.PATH ?? "", ...env } });
}

/** Starts the relay and waits (bounded) for its "open http://…" line: the child and what it printed. */
function startUntilOpen(args: string[], env: { [k: string]: string }): Promise<{ child: ChildProcess; out: string }> {
  const child = spawn(process.execPath, [RELAY, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`not ready: ${out}`)); }, 8000);
    child.stdout!.on("data", (b) => { out += b; if (/^open http:.*\n/m.test(out)) { clearTimeout(t); resolve({ child, out }); } });
    child.on("exit", (c) => { clearTimeout(t); reject(new Error(`exited ${c}: ${out}`)); });
  });
}

describe("relay example (node lane)", function () {
  this.timeout(20000);

  it("refuses to start without a password, says why and how to give one, exit status 1", function () {
    for (const [args, env] of [[[], {}], [["--password", ""], {}], [[], { RELAY_PASSWORD: "" }]] as [string[], { [k: string]: string }][]) {
      const r = runRelay(["--port", "0", ...args], env);
      assert.equal(r.status, 1, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /no password configured, so not starting/);
      assert.match(r.stdout, /--password|RELAY_PASSWORD/);
      assert.doesNotMatch(r.stdout, /listening on/);
    }
  });

  it("a bad setting is a clear error, not a server on some other port", function () {
    const r = runRelay(["--password", "x", "--port", "eighty"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /the port must be a whole number from 0 to 65535, got "eighty"/);
    const u = runRelay(["--password", "x", "--user", "a:b", "--port", "0"]);
    assert.equal(u.status, 1);
    assert.match(u.stdout, /cannot contain ":"/);
  });

  it("takes the password from RELAY_PASSWORD, prints the address to open and the pin (active-low: OFF is 1)", async function () {
    const { child, out } = await startUntilOpen(["--port", "0", "--host", "127.0.0.1", "--pin", "5", "--active-low"], { RELAY_PASSWORD: "pw" });
    try {
      assert.match(out, /^GPIO 5 = 1 \(relay OFF\)$/m);
      assert.match(out, /open http:\/\/127\.0\.0\.1:\d+\/ \(user "relay"; GPIO 5, active-low\)/);
    } finally {
      child.kill("SIGKILL");
    }
  });

  describe("joining WiFi as the article does (simulated access points, USOCKET_XS_WIFI)", function () {
    let dir: string, world: string;
    before(function () {
      dir = mkdtempSync(join(tmpdir(), "usocket-xs-relay-wifi-"));
      world = join(dir, "world.json");
      writeFileSync(world, JSON.stringify({ accessPoints: [{ ssid: "home", password: "wifi-pass", address: "192.168.1.50", gateway: "192.168.1.1" }] }));
    });
    after(function () { rmSync(dir, { recursive: true, force: true }); });

    it("joins, prints ifconfig() and the address a phone opens", async function () {
      const { child, out } = await startUntilOpen(["--port", "0", "--ssid", "home", "--key", "wifi-pass"], { RELAY_PASSWORD: "pw", USOCKET_XS_WIFI: world });
      try {
        assert.match(out, /^connecting to network\.\.\.\nnetwork config: \('192\.168\.1\.50', '[\d.]+', '192\.168\.1\.1', '[\d.]+'\)\n/);
        assert.match(out, /open http:\/\/192\.168\.1\.50:\d+\//);
      } finally {
        child.kill("SIGKILL");
      }
    });

    it("a wrong WiFi password: says so and does not start", function () {
      const r = runRelay(["--port", "0", "--ssid", "home", "--key", "nope"], { RELAY_PASSWORD: "pw", USOCKET_XS_WIFI: world });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /could not join WiFi "home": wrong password/);
      assert.doesNotMatch(r.stdout, /listening on/);
    });
  });
});
