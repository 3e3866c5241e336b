// examples/https-get (the article's HTTPS client) against openssl s_server -www with a throw-away
// certificate: verified with --cafile, and refused without it (the system store does not know it).
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const example = fileURLToPath(new URL("../../examples/https-get.js", import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [example, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

describe("https-get example", function () {
  this.timeout(20000);
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "usocket-xs-https-"));
    const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], { cwd: dir });
    assert.equal(r.status, 0, String(r.stderr));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function server(): Promise<{ port: number; stop(): void }> {
    const child = spawn("openssl", ["s_server", "-accept", "127.0.0.1:0", "-cert", join(dir, "cert.pem"), "-key", join(dir, "key.pem"), "-www"],
      { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (s: string) => { out += s; const m = /ACCEPT .*:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
      child.on("close", () => reject(new Error(`s_server exited: ${out}`)));
    });
    return { port, stop: () => child.kill() };
  }

  it("reads the page from openssl s_server with --cafile (verified, CPython order)", async () => {
    const s = await server();
    try {
      const r = await run(["--cafile", join(dir, "cert.pem"), `https://localhost:${s.port}/`]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /^HTTP\/1\.0 200 ok/);
    } finally { s.stop(); }
  });

  it("without --cafile the self-signed certificate is refused with a message that says why", async () => {
    const s = await server();
    try {
      const r = await run([`https://localhost:${s.port}/`]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /https_get failed: .*Errno -9984.*unknown CA/);
    } finally { s.stop(); }
  });
});
