// The relay example in a real browser: Debian's chromium driven by playwright-core, against
// `node dist/examples/relay.js` (the desktop host, its simulated pin printed on stdout). With
// scripts: OFF → click ON → ON without a page load, the pin set, still ON after a reload, click OFF.
// Without scripts: the same through plain form posts (303 back to the page). A wrong password
// gets 401. A screenshot of the page goes to build/relay-page.png (the README's picture,
// docs/relay-page.png, is a copy of one). Node lane only; needs /usr/bin/chromium (.ci/run installs it).
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";

// Loaded at run time, not bundled by scripts/build.mjs (esbuild would try to inline playwright-core).
const PLAYWRIGHT = "playwright-core";
let chromium: typeof import("playwright-core").chromium;

const RELAY = fileURLToPath(new URL("../../examples/relay.js", import.meta.url)); // this file runs from dist/test/node
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];
const USER = "relay", PASSWORD = "correct horse";

interface Relay { child: ChildProcess; url: string; output(): string; waitFor(text: string, ms?: number): Promise<void> }

function startRelay(): Promise<Relay> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAY, "--port", "0", "--host", "127.0.0.1", "-q"], {
      env: { ...process.env, RELAY_PASSWORD: PASSWORD },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const waiters: { text: string; resolve(): void }[] = [];
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`relay not listening after 10 s:\n${out}`)); }, 10000);
    const look = (b: Buffer) => {
      out += b.toString();
      for (const w of waiters.splice(0)) { if (out.includes(w.text)) w.resolve(); else waiters.push(w); }
      const m = /listening on \('127\.0\.0\.1', (\d+)\)/.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        resolve({
          child, url: `http://127.0.0.1:${m[1]}/`, output: () => out,
          waitFor(text, ms = 10000) {
            if (out.includes(text)) return Promise.resolve();
            return new Promise((res, rej) => {
              const t = setTimeout(() => rej(new Error(`the relay never printed ${JSON.stringify(text)}; output:\n${out}`)), ms);
              waiters.push({ text, resolve: () => { clearTimeout(t); res(); } });
            });
          },
        });
      }
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`relay exited (${code}):\n${out}`)); });
  });
}

/** A fresh browser with its own new user-data dir (removed by close()). */
async function browser(options: { javaScriptEnabled?: boolean; password?: string }): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "usocket-xs-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    httpCredentials: { username: USER, password: options.password ?? PASSWORD },
    viewport: { width: 360, height: 260 },
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}

describe("relay in Chromium (node lane)", function () {
  this.timeout(90000);
  let relay: Relay;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed: this test needs Debian's chromium (.ci/run installs it)`);
    ({ chromium } = (await import(PLAYWRIGHT)) as typeof import("playwright-core"));
    relay = await startRelay();
  });
  after(function () {
    relay?.child.kill("SIGKILL");
  });

  async function statusText(page: Page): Promise<string> {
    return (await page.getByRole("status").textContent()) ?? "";
  }

  it("with scripts: OFF, click ON → ON without a page load and the pin set, still ON after a reload, click OFF", async function () {
    const b = await browser({});
    try {
      const { page } = b;
      const first = await page.goto(relay.url);
      assert.equal(first?.status(), 200);
      assert.equal(await statusText(page), "Relay is OFF");
      await page.evaluate(() => { (globalThis as unknown as { marker: number }).marker = 1; });
      const loads: string[] = [];
      page.on("framenavigated", (f) => loads.push(f.url()));
      await page.getByRole("button", { name: "ON", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Relay is ON" }).waitFor();
      await relay.waitFor("GPIO 2 = 1 (relay ON)");
      assert.equal(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 1, "the same page: no reload");
      assert.deepEqual(loads, [], "no navigation");
      assert.equal(await page.getByRole("button", { name: "ON", exact: true }).getAttribute("aria-pressed"), "true");

      await page.reload();
      assert.equal(await statusText(page), "Relay is ON", "after a reload");
      mkdirSync(join(ROOT, "build"), { recursive: true });
      await page.screenshot({ path: join(ROOT, "build/relay-page.png") });

      await page.getByRole("button", { name: "OFF", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "Relay is OFF" }).waitFor();
      await relay.waitFor("GPIO 2 = 0 (relay OFF)");
    } finally {
      await b.close();
    }
  });

  it("without scripts: the same through form posts answered 303 back to the page", async function () {
    const b = await browser({ javaScriptEnabled: false });
    try {
      const { page } = b;
      await page.goto(relay.url);
      assert.equal(await statusText(page), "Relay is OFF");
      const before = relay.output().split("GPIO 2 = 1").length;
      const posted = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/relay"));
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "ON", exact: true }).click()]);
      const post = await posted;
      assert.equal(post.postData(), "relay=on");
      assert.equal((await post.response())?.status(), 303);
      assert.equal(page.url(), relay.url);
      assert.equal(await statusText(page), "Relay is ON");
      await relay.waitFor("GPIO 2 = 1 (relay ON)");
      assert.equal(relay.output().split("GPIO 2 = 1").length, before + 1, "the pin switched once");

      await page.reload(); // a GET after the 303: nothing is posted again
      assert.equal(await statusText(page), "Relay is ON");
      assert.equal(relay.output().split("GPIO 2 = 1").length, before + 1, "the reload did not post again");

      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "OFF", exact: true }).click()]);
      assert.equal(await statusText(page), "Relay is OFF");
    } finally {
      await b.close();
    }
  });

  it("a wrong password gets 401 and no page", async function () {
    const b = await browser({ password: "wrong" });
    try {
      const res = await b.page.goto(relay.url);
      assert.equal(res?.status(), 401);
      assert.match(res?.headers()["www-authenticate"] ?? "", /^Basic realm="relay"/);
      assert.equal(await b.page.getByRole("status").count(), 0);
    } finally {
      await b.close();
    }
  });
});
