// The wifi stand-in's own tests: SDK 8.2.3's message sequences for ESP32, ESP8266 and the
// simulator (lin), through Moddable's API directly (test/xs/standins/wifi.ts says which source each
// behaviour comes from). Then hosts/moddable's WiFi on the ESP8266 stand-in, through the library:
// last, because once the library's radio exists it takes part in every join it hears of.
import { harness } from "test-harness";
import WiFi from "wifi";
import Net from "net";
import Timer from "timer";
import { simulate } from "../standins/wifi";
import { settings, type Platform } from "../standins/settings";
import * as network from "usocket-xs/network";
import { equal, ok, deepEqual, fail } from "../../behaviour/assert";

const HOME = { ssid: "home", password: "secret123", bssid: "aa:bb:cc:00:00:01", channel: 6, rssi: -52, address: "192.168.50.23", dns: "192.168.50.53" };

type Seen = [message: string, value: number | undefined, args: number][];

function on(platform: Platform, chip: "esp32" | "esp8266", body: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = [settings.platform, settings.wifi] as const;
    settings.platform = platform;
    settings.wifi = chip;
    try { await body(); } finally {
      simulate(null);
      settings.platform = before[0];
      settings.wifi = before[1];
    }
  };
}

function radio(): { wifi: WiFi; seen: Seen; close(): void } {
  const seen: Seen = [];
  const wifi = new WiFi(undefined, function (this: unknown, message: string, value?: number) {
    seen.push([message, value, arguments.length]); // eslint-disable-line prefer-rest-params
  });
  return { wifi, seen, close: () => wifi.close() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { Timer.set(() => resolve(), ms); });
}

async function until(test: () => boolean, what: string, ms = 8000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const messages = (seen: Seen) => seen.map((s) => s[1] === undefined ? s[0] : `${s[0]} ${s[1]}`);

harness.describe("stand-ins: wifi (esp32)", () => {
  harness.it("esp32: connect → \"connect\", \"gotIP\"; Net.get has the address only from gotIP; no netmask/gateway keys", on("esp32", "esp32", async () => {
    simulate({ accessPoints: [HOME] });
    const r = radio();
    equal(WiFi.mode, -5, "the mode reads -5 until WiFi starts");
    WiFi.connect({ ssid: HOME.ssid, password: HOME.password });
    equal(Net.get("IP", "station"), undefined);
    await until(() => r.seen.length >= 2, "two messages");
    deepEqual(messages(r.seen), ["connect", "gotIP"]);
    equal(Net.get("IP", "station"), HOME.address);
    equal(Net.get("SSID"), HOME.ssid);
    equal(Net.get("BSSID"), HOME.bssid);
    equal(Net.get("RSSI"), HOME.rssi);
    deepEqual(Net.get("DNS"), [HOME.dns]);
    equal((Net.get as (k: string) => unknown)("GATEWAY"), undefined);
    ok(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(String(Net.get("MAC"))), "MAC in upper case");
    WiFi.disconnect();
    await until(() => r.seen.length >= 3, "the disconnect");
    deepEqual(messages(r.seen).slice(2), ["disconnect 0"], "clearConfig() disconnects with an event");
    equal(Net.get("IP", "station"), undefined);
    r.close();
  }));

  harness.it("esp32: a wrong password gives one \"disconnect\" -1; a missing AP one \"disconnect\" 0; no retries after", on("esp32", "esp32", async () => {
    simulate({ accessPoints: [HOME] });
    const r = radio();
    WiFi.connect({ ssid: HOME.ssid, password: "wrong-one" });
    await until(() => r.seen.length >= 1, "the failure");
    WiFi.connect({ ssid: "nowhere", password: "whatever" });
    await until(() => r.seen.length >= 2, "the second failure");
    await sleep(1500);
    deepEqual(messages(r.seen), ["disconnect -1", "disconnect 0"]);
    r.close();
  }));

  harness.it("esp32: a drop after association is one \"disconnect\" 0 and never retried; no lostIP", on("esp32", "esp32", async () => {
    simulate({ accessPoints: [{ ...HOME, dropAfterSeconds: 0.2, outageSeconds: 0 }] });
    const r = radio();
    WiFi.connect({ ssid: HOME.ssid, password: HOME.password });
    await until(() => r.seen.length >= 3, "the drop");
    await sleep(1500);
    deepEqual(messages(r.seen), ["connect", "gotIP", "disconnect 0"]);
    r.close();
  }));

  harness.it("esp32: scan records fold authmodes >= 4, hide nothing, carry a bssid; scan while joining throws", on("esp32", "esp32", async () => {
    simulate({ accessPoints: [HOME, { ssid: "corp", security: 5, rssi: -70 }, { ssid: "secret", hidden: true, joinSeconds: 1 }] });
    const r = radio();
    const got: unknown[] = [];
    await new Promise<void>((resolve) => WiFi.scan({}, (rec) => { if (rec) got.push(rec); else resolve(); }));
    equal(got.length, 3);
    const corp = got.find((g) => (g as { ssid: string }).ssid === "corp") as { authentication: string; hidden: boolean; bssid: ArrayBuffer };
    equal(corp.authentication, "wpa_wpa2_psk");
    ok(corp.bssid instanceof ArrayBuffer && corp.bssid.byteLength === 6, "bssid ArrayBuffer(6)");
    ok(got.every((g) => (g as { hidden: boolean }).hidden === false), "hidden is always false");
    WiFi.connect({ ssid: "secret" });
    let threw = "";
    try { WiFi.scan({}, () => {}); } catch (e) { threw = (e as Error).message; }
    equal(threw, "scan request failed");
    r.close();
  }));

  harness.it("esp32: accessPoint() rejects passwords under 8 bytes (even \"\"); a joining station sends \"station_connect\"", on("esp32", "esp32", async () => {
    simulate({ accessPoints: [], apStations: [{ mac: "11:22:33:44:55:66", afterSeconds: 0.1 }] });
    const r = radio();
    let threw = "";
    try { WiFi.accessPoint({ ssid: "board", password: "" }); } catch (e) { threw = (e as Error).message; }
    equal(threw, "password too short - 8 bytes min");
    WiFi.accessPoint({ ssid: "board", password: "longenough" });
    equal(WiFi.mode, 2);
    await until(() => r.seen.length >= 1, "station_connect");
    deepEqual(messages(r.seen), ["station_connect"]);
    equal(Net.get("IP", "ap"), "192.168.4.1");
    r.close();
  }));
});

harness.describe("stand-ins: wifi (esp8266)", () => {
  harness.it("esp8266: after a failure the SDK retries by itself, reporting each failure, until WiFi.disconnect()", on("esp32", "esp8266", async () => {
    simulate({ accessPoints: [HOME] });
    const r = radio();
    WiFi.connect({ ssid: HOME.ssid, password: "wrong-one" });
    await until(() => r.seen.length >= 2, "two failures");
    WiFi.disconnect();
    const n = r.seen.length;
    await sleep(1500);
    equal(r.seen.length, n, "nothing after WiFi.disconnect()");
    ok(messages(r.seen).every((m) => m === "disconnect -1"), messages(r.seen).join(", "));
    r.close();
  }));

  harness.it("esp8266: connect() switches to station mode and stops the access point; scan needs station mode", on("esp32", "esp8266", async () => {
    simulate({ accessPoints: [{ ...HOME, hidden: true }] });
    const r = radio();
    WiFi.accessPoint({ ssid: "board" });
    equal(WiFi.mode, 2);
    let threw = "";
    try { WiFi.scan({}, () => {}); } catch (e) { threw = (e as Error).message; }
    equal(threw, "can't scan");
    WiFi.connect({ ssid: HOME.ssid, password: HOME.password });
    equal(WiFi.mode, 1, "station mode: the AP is gone");
    equal(Net.get("IP", "ap"), undefined);
    await until(() => r.seen.length >= 2, "joined");
    const got: { hidden: boolean }[] = [];
    await new Promise<void>((resolve) => WiFi.scan({}, (rec) => { if (rec) got.push(rec as { hidden: boolean }); else resolve(); }));
    equal(got[0].hidden, true, "the real hidden flag");
    r.close();
  }));
});

harness.describe("stand-ins: wifi (lin, the simulator)", () => {
  harness.it("lin: one instance; \"connect\" then \"gotIP\" a second or more apart; Net.get(\"IP\") is the host's all along", on("lin", "esp32", async () => {
    const r = radio();
    let threw = "";
    try { new WiFi(undefined, () => {}); } catch (e) { threw = (e as Error).message; }
    equal(threw, "only one instance in simulator");
    equal(Net.get("IP"), "127.0.0.1", "before any connect");
    const t0 = Date.now();
    WiFi.connect({ ssid: "anything", password: "whatever" });
    await until(() => r.seen.length >= 2, "connect and gotIP", 10000);
    deepEqual(messages(r.seen), ["connect", "gotIP"]);
    ok(Date.now() - t0 >= 1500, "it takes seconds");
    r.close();
  }, 20000));

  harness.it("lin: the password \"invalid!\" gives \"disconnect\" with no value; WiFi.disconnect() never notifies", on("lin", "esp32", async () => {
    const r = radio();
    WiFi.connect({ ssid: "anything", password: "invalid!" });
    await until(() => r.seen.length >= 1, "the failure", 10000);
    deepEqual(r.seen, [["disconnect", undefined, 1]]);
    WiFi.connect({ ssid: "anything", password: "fine" });
    await until(() => r.seen.length >= 3, "joined", 10000);
    WiFi.disconnect();
    await sleep(2500);
    equal(r.seen.length, 3, "no message for WiFi.disconnect()");
    r.close();
  }, 30000));

  harness.it("lin: WiFi.mode = 0 throws; scan() throws while the mode is 0; records have no bssid and end with undefined", on("lin", "esp32", async () => {
    const r = radio();
    let threw = "";
    try { WiFi.mode = 0; } catch (e) { threw = (e as Error).message; }
    equal(threw, "invalid wi-fi mode");
    threw = "";
    try { WiFi.scan({}, () => {}); } catch (e) { threw = (e as Error).message; }
    equal(threw, "Wi-Fi is disabled");
    WiFi.mode = 1;
    const got: unknown[] = [];
    const end = await new Promise<unknown>((resolve) => WiFi.scan({}, (rec) => { if (rec) got.push(rec); else resolve(rec); }));
    equal(end, undefined);
    ok(got.length > 0 && got.every((g) => (g as { bssid?: unknown }).bssid === undefined), "no bssid");
    r.close();
  }, 20000));
});

// ---- hosts/moddable's WiFi on the ESP8266 stand-in, through the library: what it absorbs there ----


function esp8266(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = settings.wifi;
    settings.wifi = "esp8266";
    const sta = network.WLAN(network.STA_IF), ap = network.WLAN(network.AP_IF);
    try { await body(); } finally {
      sta.disconnect();
      sta.active(false);
      ap.active(false);
      sta.config({ reconnects: -1 });
      simulate(null);
      settings.wifi = before;
    }
  };
}

harness.describe("hosts/moddable wifi on esp8266", () => {
  harness.it("a failed join is reported once: the host stops the SDK's own retries (the core retries as config says)", esp8266(async () => {
    simulate({ accessPoints: [HOME] });
    const seen: string[] = [];
    const watcher = new WiFi(undefined, (m, v) => { seen.push(`${m} ${v}`); });
    const sta = network.WLAN(network.STA_IF);
    sta.active(true);
    sta.config({ reconnects: 0 });
    equal(await sta.connect(HOME.ssid, "wrong-one"), network.STAT_WRONG_PASSWORD);
    await sleep(2000);
    equal(seen.filter((s) => s.startsWith("disconnect")).length, 1, `one failure reported: ${seen.join(", ")}`);
    equal(sta.status(), network.STAT_WRONG_PASSWORD);
    watcher.close();
  }));

  harness.it("joining as a station keeps a running access point (the SDK's connect() would stop it)", esp8266(async () => {
    simulate({ accessPoints: [HOME] });
    const ap = network.WLAN(network.AP_IF), sta = network.WLAN(network.STA_IF);
    ap.config({ ssid: "board", key: "longenough" });
    ap.active(true);
    sta.active(true);
    equal(await sta.connect(HOME.ssid, HOME.password), network.STAT_GOT_IP);
    equal(WiFi.mode, 3, "AP + station");
    equal(Net.get("IP", "ap"), "192.168.4.1");
    ok(ap.active());
  }));

  harness.it("a join the SDK makes by itself (at boot) is seen: isconnected() becomes true", esp8266(async () => {
    simulate({ accessPoints: [HOME], joinedAtBoot: HOME.ssid });
    const sta = network.WLAN(network.STA_IF);
    for (let i = 0; i < 200 && !sta.isconnected(); i++) await sleep(10);
    equal(sta.isconnected(), true);
    equal(sta.config("ssid"), HOME.ssid);
  }));
});
