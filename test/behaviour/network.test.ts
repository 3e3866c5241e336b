// network.WLAN: the station through a join, a wrong password, a missing AP, drops with reconnects
// on and off, and disconnect(), with status() checked at every sample (wlan.ts: watch); scan();
// the access point; config(); ifconfig()/ipconfig(). Scenarios come from simulated access points
// (harness.simulateWifi); on the simulator lane the WiFi is the SDK's own simulation, which joins
// any SSID and rejects only the password "invalid!" (test/sim/skips.mjs lists what needs more).
import { harness } from "test-harness";
import * as network from "usocket-xs/network";
import { WLAN, ValueError } from "usocket-xs/network";
import { OSError, EOPNOTSUPP } from "usocket-xs/errno";
import * as time from "usocket-xs/time";
import { equal, ok, deepEqual, throwsWith, bytesEqual } from "./assert";
import { sta, ap, HOME, world, cleanUp, until, watch, sequence, statusName } from "./wlan";

const { STAT_IDLE, STAT_CONNECTING, STAT_GOT_IP, STAT_WRONG_PASSWORD, STAT_NO_AP_FOUND, STAT_BEACON_TIMEOUT } = network;
const WRONG = "invalid!"; // the one password the SDK's simulator rejects

harness.describe("network.WLAN", () => {
  cleanUp();

  harness.it("WLAN(id) is callable with or without new and gives one object per interface", () => {
    const a = WLAN(WLAN.IF_STA);
    equal(WLAN(), a, "WLAN() is the station");
    equal(WLAN(network.STA_IF), a);
    equal(new (WLAN as unknown as new (id: number) => unknown)(0), a, "new WLAN(0)");
    equal(WLAN(WLAN.IF_AP), WLAN(network.AP_IF));
    ok(WLAN(1) !== a, "the AP is another object");
    equal(WLAN.IF_STA, 0);
    equal(WLAN.IF_AP, 1);
    throwsWith(() => WLAN(2), ValueError, /invalid WLAN interface/);
  });

  harness.it("the status constants are the ESP32 port's", () => {
    deepEqual([STAT_IDLE, STAT_CONNECTING, STAT_GOT_IP, STAT_NO_AP_FOUND, STAT_WRONG_PASSWORD, network.STAT_CONNECT_FAIL, STAT_BEACON_TIMEOUT, network.STAT_HANDSHAKE_TIMEOUT],
      [1000, 1001, 1010, 201, 202, 203, 200, 204]);
    deepEqual([WLAN.SEC_OPEN, WLAN.SEC_WEP, WLAN.SEC_WPA_PSK, WLAN.SEC_WPA2_PSK, WLAN.SEC_WPA_WPA2_PSK], [0, 1, 2, 3, 4]);
    deepEqual([WLAN.PM_NONE, WLAN.PM_PERFORMANCE, WLAN.PM_POWERSAVE], [0, 1, 2]);
  });

  harness.it("connect() checks its arguments synchronously; before active(true) it raises", () => {
    const s = sta();
    throwsWith(() => s.connect("home", "x"), OSError, /Wifi Not Started/);
    s.active(true);
    throwsWith(() => s.connect("x".repeat(33), "k"), ValueError, /ssid must be 1-32 bytes/);
    throwsWith(() => s.connect("", "k"), ValueError, /ssid/);
    throwsWith(() => s.connect(42 as unknown as string), TypeError, /ssid must be a string/);
    throwsWith(() => s.connect("home", 12345678 as unknown as string), TypeError, /key must be a string/);
    throwsWith(() => s.connect("home", "k", { bssid: new Uint8Array(5) }), ValueError, /bssid must be 6 bytes/);
    equal(s.status(), STAT_IDLE, "nothing was started");
  });

  harness.it("joins: IDLE → CONNECTING → GOT_IP; the Promise gives STAT_GOT_IP; ifconfig() is the network's", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    equal(s.isconnected(), false);
    equal(s.active(), false);
    equal(s.active(true), true);
    equal(s.status(), STAT_IDLE);
    const w = watch(sim);
    const joining = s.connect(HOME.ssid, HOME.password);
    ok(joining instanceof Promise, "connect() returns a Promise");
    equal(statusName(s.status()), "STAT_CONNECTING", "at once after connect()");
    equal(s.isconnected(), false);
    equal(statusName(await joining), "STAT_GOT_IP");
    equal(s.isconnected(), true);
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_GOT_IP"]);
    const [ip, mask, gw, dns] = s.ifconfig();
    if (sim && harness.lane !== "node") {
      // Moddable's Net.get has no netmask or gateway: reported as unknown.
      deepEqual([ip, mask, gw, dns], [HOME.address, "0.0.0.0", "0.0.0.0", HOME.dns]);
    }
    if (sim && harness.lane === "node") deepEqual([ip, mask, gw, dns], [HOME.address, HOME.netmask, HOME.gateway, HOME.dns]);
    if (sim) {
      equal(s.ipconfig("addr4")[0], HOME.address);
      equal(s.ipconfig("gw4"), gw);
      equal(network.ipconfig("dns"), HOME.dns);
      equal(s.status("rssi"), HOME.rssi);
      equal(s.config("channel"), HOME.channel);
    } else {
      ok(/^\d+\.\d+\.\d+\.\d+$/.test(ip) && ip !== "0.0.0.0", `an address: ${ip}`);
    }
    equal(s.ipconfig("dhcp4"), true);
    equal(s.config("ssid"), HOME.ssid);
  }, 20000);

  harness.it("the article's loop: while (!station.isconnected()) await sleep_ms(…) ends once joined", async () => {
    world({ accessPoints: [HOME] });
    const station = sta();
    station.active(true);
    station.connect(HOME.ssid, HOME.password);
    let turns = 0;
    while (!station.isconnected()) { await time.sleep_ms(50); turns++; }
    ok(turns > 0, "it was not connected at once");
    equal(station.status(), STAT_GOT_IP);
  }, 20000);

  harness.it("a wrong password: CONNECTING → WRONG_PASSWORD (reconnects 0); the Promise gives it and never rejects", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    s.config({ reconnects: 0 });
    const w = watch(sim);
    equal(statusName(await s.connect(HOME.ssid, WRONG)), "STAT_WRONG_PASSWORD");
    await harness.sleep(300);
    equal(statusName(s.status()), "STAT_WRONG_PASSWORD", "the reason stays once retries are used up");
    equal(s.isconnected(), false);
    equal(s.ifconfig()[0], "0.0.0.0");
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_WRONG_PASSWORD"]);
  }, 20000);

  harness.it("a wrong password with reconnects for ever (-1): the reason shows while it retries; disconnect() → IDLE", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    equal(s.config("reconnects"), -1, "the default");
    const w = watch(sim);
    equal(statusName(await s.connect(HOME.ssid, WRONG)), "STAT_WRONG_PASSWORD");
    await harness.sleep(1500); // at least one retry
    equal(statusName(s.status()), "STAT_WRONG_PASSWORD");
    s.disconnect();
    equal(statusName(s.status()), "STAT_IDLE");
    await harness.sleep(1500);
    equal(statusName(s.status()), "STAT_IDLE", "no retry after disconnect()");
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_WRONG_PASSWORD", "STAT_IDLE"]);
  }, 20000);

  harness.it("no such AP: CONNECTING → NO_AP_FOUND (reconnects 0)", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    s.config({ reconnects: 0 });
    const w = watch(sim);
    equal(statusName(await s.connect("elsewhere", "whatever1")), "STAT_NO_AP_FOUND");
    equal(s.isconnected(), false);
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_NO_AP_FOUND"]);
  });

  harness.it("an AP that appears later is joined by the retries: NO_AP_FOUND while retrying, then GOT_IP", async () => {
    const sim = world({ accessPoints: [{ ...HOME, dropAfterSeconds: 0.3, outageSeconds: 1.5 }] });
    const s = sta();
    s.active(true);
    await s.connect(HOME.ssid, HOME.password);
    // The first link drops after 0.3 s and the AP is away for 1.5 s: the next join finds nothing.
    await until(() => !s.isconnected(), "the drop");
    const w = watch(sim);
    await until(() => s.status() === STAT_NO_AP_FOUND, "a retry that finds no AP");
    equal(s.isconnected(), false);
    await until(() => s.isconnected(), "the AP back and joined");
    sequence(w.stop(), [["STAT_CONNECTING", "STAT_NO_AP_FOUND"], "STAT_GOT_IP"]);
  }, 20000);

  harness.it("a drop with reconnects on: GOT_IP → CONNECTING (isconnected() false) → GOT_IP again", async () => {
    const sim = world({ accessPoints: [{ ...HOME, dropAfterSeconds: 0.5, outageSeconds: 0 }] });
    const s = sta();
    s.active(true);
    const w = watch(sim);
    equal(await s.connect(HOME.ssid, HOME.password), STAT_GOT_IP);
    await until(() => !s.isconnected(), "the drop");
    equal(statusName(s.status()), "STAT_CONNECTING", "reconnecting");
    equal(s.ifconfig()[0], "0.0.0.0", "no address while the link is down");
    await until(() => s.isconnected(), "the reconnect");
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_GOT_IP", "STAT_CONNECTING", "STAT_GOT_IP"]);
    deepEqual(s.ifconfig().slice(0, 1), [HOME.address]);
  }, 20000);

  harness.it("a drop with reconnects off: GOT_IP → BEACON_TIMEOUT, and it stays down", async () => {
    const sim = world({ accessPoints: [{ ...HOME, dropAfterSeconds: 0.5, outageSeconds: 0 }] });
    const s = sta();
    s.active(true);
    s.config({ reconnects: 0 });
    const w = watch(sim);
    equal(await s.connect(HOME.ssid, HOME.password), STAT_GOT_IP);
    await until(() => !s.isconnected(), "the drop");
    await harness.sleep(1500);
    equal(statusName(s.status()), "STAT_BEACON_TIMEOUT");
    equal(s.isconnected(), false);
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_GOT_IP", "STAT_BEACON_TIMEOUT"]);
  }, 20000);

  harness.it("reconnects n: n retries after the first failure, then the reason", async () => {
    world({ accessPoints: [{ ...HOME, failSeconds: 0.05 }] });
    const s = sta();
    s.active(true);
    s.config({ reconnects: 2 });
    equal(s.config("reconnects"), 2);
    equal(await s.connect(HOME.ssid, WRONG), STAT_WRONG_PASSWORD);
    // Each retry comes a second after the failure before it: two retries end within a few seconds.
    await harness.sleep(4500);
    equal(statusName(s.status()), "STAT_WRONG_PASSWORD");
    const sim = world({ accessPoints: [HOME] });
    await harness.sleep(1500);
    equal(s.isconnected(), false, "no more attempts: it did not join the network that is now there");
    ok(sim === undefined || !sim.linkUp());
  }, 20000);

  harness.it("disconnect(): GOT_IP → IDLE, no address; disconnect() while joining settles the Promise with STAT_IDLE", async () => {
    const sim = world({ accessPoints: [{ ...HOME, joinSeconds: 1 }] });
    const s = sta();
    s.active(true);
    const w = watch(sim);
    const first = s.connect(HOME.ssid, HOME.password);
    s.disconnect();
    equal(statusName(await first), "STAT_IDLE");
    equal(statusName(await s.connect(HOME.ssid, HOME.password)), "STAT_GOT_IP");
    await harness.sleep(100);
    s.disconnect();
    equal(statusName(s.status()), "STAT_IDLE");
    equal(s.isconnected(), false);
    equal(s.ifconfig()[0], "0.0.0.0");
    await harness.sleep(1200);
    equal(statusName(s.status()), "STAT_IDLE");
    // The first CONNECTING → IDLE happened within one turn (connect() then disconnect()): no sample sees it.
    sequence(w.stop(), ["STAT_IDLE", "STAT_CONNECTING", "STAT_GOT_IP", "STAT_IDLE"]);
  }, 20000);

  harness.it("a second connect() while joining starts over: both Promises get the new attempt's outcome", async () => {
    world({ accessPoints: [{ ...HOME, failSeconds: 2 }] });
    const s = sta();
    s.active(true);
    const wrong = s.connect(HOME.ssid, WRONG);
    const right = s.connect(HOME.ssid, HOME.password);
    deepEqual([await wrong, await right].map(statusName), ["STAT_GOT_IP", "STAT_GOT_IP"]);
  }, 20000);

  harness.it("connect() to the network it is already joined to changes nothing", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    await s.connect(HOME.ssid, HOME.password);
    const w = watch(sim);
    equal(statusName(await s.connect(HOME.ssid, HOME.password)), "STAT_GOT_IP");
    sequence(w.stop(), ["STAT_GOT_IP"]);
  });

  harness.it("connect(ssid, key, {bssid}) joins that AP only", async () => {
    const far = { ...HOME, bssid: "aa:bb:cc:00:00:02", rssi: -80, address: "192.168.50.99" };
    world({ accessPoints: [HOME, far] });
    const s = sta();
    s.active(true);
    s.config({ reconnects: 0 });
    equal(await s.connect(HOME.ssid, HOME.password, { bssid: new Uint8Array([0xaa, 0xbb, 0xcc, 0, 0, 2]) }), STAT_GOT_IP);
    equal(s.ifconfig()[0], far.address, "the weaker AP, as asked");
    s.disconnect();
    equal(await s.connect(HOME.ssid, HOME.password, { bssid: new Uint8Array([1, 2, 3, 4, 5, 6]) }), STAT_NO_AP_FOUND);
  });

  harness.it("already joined at boot: isconnected() is true before any connect() (the article's \"Already connected\")", async () => {
    const sim = world({ accessPoints: [HOME], joinedAtBoot: HOME.ssid });
    const s = sta();
    await until(() => s.isconnected(), "the boot-time join to be seen");
    equal(s.active(), true);
    equal(s.status(), STAT_GOT_IP);
    equal(s.config("ssid"), HOME.ssid);
    const w = watch(sim);
    s.active(true);
    equal(await s.connect(HOME.ssid, HOME.password), STAT_GOT_IP);
    sequence(w.stop(), ["STAT_GOT_IP"]);
  });

  harness.it("scan(): [ssid, bssid, channel, RSSI, security, hidden] tuples, strongest first", async () => {
    const sim = world({ accessPoints: [
      { ssid: "weak", rssi: -85, channel: 11, bssid: "02:00:00:00:00:03" },
      HOME,
      { ssid: "cafe", rssi: -70, channel: 1, security: "wpa_wpa2_psk", password: "espresso", bssid: "02:00:00:00:00:04" },
    ] });
    const s = sta();
    throwsWith(() => s.scan(), OSError, /STA must be active/);
    s.active(true);
    const found = await s.scan();
    for (let i = 0; i < found.length; i++) {
      const [ssid, bssid, channel, rssi, security, hidden] = found[i];
      ok(ssid instanceof Uint8Array && bssid instanceof Uint8Array && bssid.length === 6, "ssid and bssid are bytes");
      ok(Number.isInteger(channel) && Number.isInteger(rssi) && Number.isInteger(security) && hidden === false, `tuple ${i}`);
      if (i) ok(found[i - 1][3] >= rssi, "strongest first");
    }
    throwsWith(() => ap().scan(), OSError, /STA required/);
    if (!sim) { ok(found.length > 0, "the SDK simulator's fixed list"); return; }
    equal(found.length, 3);
    bytesEqual(found[0][0], "home");
    bytesEqual(found[0][1], [0xaa, 0xbb, 0xcc, 0, 0, 1]);
    deepEqual(found[0].slice(2), [6, -52, WLAN.SEC_WPA2_PSK, false]);
    bytesEqual(found[1][0], "cafe");
    deepEqual(found[1].slice(2), [1, -70, WLAN.SEC_WPA_WPA2_PSK, false]);
    bytesEqual(found[2][0], "weak");
    deepEqual(found[2].slice(2), [11, -85, WLAN.SEC_OPEN, false]);
  });

  harness.it("scan() during a join waits for the attempt to end", async () => {
    const sim = world({ accessPoints: [{ ...HOME, joinSeconds: 0.5 }] });
    const s = sta();
    s.active(true);
    s.connect(HOME.ssid, HOME.password);
    const found = await s.scan();
    equal(s.isconnected(), true, "the join finished first");
    ok(sim ? found.length === 1 : found.length > 0, `found ${found.length}`);
  }, 20000);

  harness.it("status('rssi') needs a link; status('stations') needs the AP; other params are unknown", async () => {
    world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    throwsWith(() => s.status("rssi"), OSError, /Wifi Not Connected/);
    throwsWith(() => s.status("stations"), OSError, /AP required/);
    throwsWith(() => s.status("bogus"), ValueError, /unknown status param/);
    throwsWith(() => ap().status("rssi"), OSError, /STA required/);
    equal(ap().status(), null, "the ESP32 port's status() on the AP");
  });
});

harness.describe("network.WLAN config", () => {
  cleanUp();

  harness.it("config(key) reads; config({…}) sets; unknown keys and unreadable ones raise ValueError", () => {
    const s = sta();
    const mac = s.config("mac") as Uint8Array;
    ok(mac instanceof Uint8Array && mac.length === 6, "mac is 6 bytes");
    equal(s.config("reconnects"), -1);
    s.config({ reconnects: 5 });
    equal(s.config("reconnects"), 5);
    s.config({ txpower: 8.5, pm: WLAN.PM_NONE });
    equal(s.config("txpower"), 8.5);
    equal(s.config("pm"), WLAN.PM_NONE);
    throwsWith(() => s.config("bogus"), ValueError, /unknown config param/);
    throwsWith(() => s.config("key"), ValueError, /unknown config param/);
    throwsWith(() => ap().config("password"), ValueError, /unknown config param/);
    throwsWith(() => s.config({ bogus: 1 }), ValueError, /unknown config param/);
    throwsWith(() => (s.config as (...a: unknown[]) => unknown)(), TypeError, /one param/);
    throwsWith(() => (s.config as (...a: unknown[]) => unknown)("mac", "ssid"), TypeError, /one param/);
    s.config({ pm: WLAN.PM_PERFORMANCE, txpower: 20 });
  });

  harness.it("the station's ssid is set by connect(), not config(): config({ssid}) raises 'AP required'", () => {
    throwsWith(() => sta().config({ ssid: "x" }), OSError, /AP required/);
    throwsWith(() => sta().config({ key: "12345678" }), OSError, /AP required/);
    throwsWith(() => sta().config("hidden"), OSError, /AP required/);
    throwsWith(() => ap().config("reconnects"), OSError, /STA required/);
    throwsWith(() => ap().config("hostname"), OSError, /STA required/);
  });

  harness.it("a failing config({…}) changes nothing (every key is checked first)", () => {
    const s = sta();
    throwsWith(() => s.config({ reconnects: 3, bogus: 1 }), ValueError);
    equal(s.config("reconnects"), -1);
    throwsWith(() => ap().config({ ssid: "kept?", channel: 99 }), ValueError, /channel/);
    ok(ap().config("ssid") !== "kept?");
  });

  harness.it("hostname: network.hostname() and config('hostname') are the same; bad names raise", () => {
    const before = network.hostname()!;
    ok(typeof before === "string" && before.length > 0);
    network.hostname("usocket-test");
    equal(sta().config("hostname"), "usocket-test");
    sta().config({ hostname: "other" });
    equal(network.hostname(), "other");
    throwsWith(() => network.hostname("x".repeat(33)), ValueError);
    network.hostname(before);
  });

  harness.it("ifconfig([ip, mask, gw, dns]) and ipconfig({…}) set static addresses; ifconfig('dhcp') goes back", async () => {
    const sim = world({ accessPoints: [HOME] });
    const s = sta();
    s.active(true);
    await s.connect(HOME.ssid, HOME.password);
    throwsWith(() => s.ifconfig(["300.1.1.1", "255.255.255.0", "1.1.1.1", "1.1.1.1"]), ValueError);
    throwsWith(() => s.ifconfig("static" as "dhcp"), TypeError);
    throwsWith(() => s.ipconfig("addr6" as "addr4"), ValueError, /unexpected key/);
    throwsWith(() => network.ipconfig({ dns: "not-an-ip" }), ValueError, /invalid arguments as dns server/);
    const before = s.ifconfig();
    try {
      s.ifconfig(["192.168.50.200", "255.255.0.0", "192.168.50.254", "9.9.9.9"]);
    } catch (e) {
      // Moddable's classic wifi has no static addresses, nor the desktop's own network: a clear error, nothing changed.
      ok(e instanceof OSError && e.errno === EOPNOTSUPP && /cannot be set/.test(e.message), `EOPNOTSUPP, got ${e}`);
      ok(sim === undefined || harness.lane !== "node", "the Node host's simulation sets them");
      deepEqual(s.ifconfig(), before);
      s.ifconfig("dhcp");
      equal(s.ipconfig("dhcp4"), true);
      return;
    }
    deepEqual(s.ifconfig(), ["192.168.50.200", "255.255.0.0", "192.168.50.254", "9.9.9.9"]);
    equal(s.ipconfig("dhcp4"), false);
    s.ipconfig({ addr4: "192.168.50.201/24", gw4: "192.168.50.1" });
    deepEqual(s.ipconfig("addr4"), ["192.168.50.201", "255.255.255.0"]);
    network.ipconfig({ dns: "1.1.1.1" });
    equal(network.ipconfig("dns"), "1.1.1.1");
    s.ifconfig("dhcp");
    equal(s.ipconfig("dhcp4"), true);
    deepEqual(s.ifconfig(), [HOME.address, HOME.netmask, HOME.gateway, HOME.dns]);
  });
});

harness.describe("network.WLAN access point", () => {
  cleanUp();

  harness.it("config() checks the settings as they are given: key length, security, ssid, channel", () => {
    const a = ap();
    throwsWith(() => a.config({ ssid: "board", key: "short" }), ValueError, /8-63 characters/);
    throwsWith(() => a.config({ ssid: "board", key: "", security: WLAN.SEC_WPA2_PSK }), ValueError, /8-63 characters/);
    throwsWith(() => a.config({ ssid: "x".repeat(33) }), ValueError, /1-32 bytes/);
    throwsWith(() => a.config({ ssid: "board", security: WLAN.SEC_WEP, key: "12345678" }), ValueError, /not supported/);
    throwsWith(() => a.config({ channel: 0 }), ValueError, /channel/);
    throwsWith(() => a.config({ max_clients: 0 }), ValueError, /max_clients/);
    a.config({ ssid: "board", key: "" });
    equal(a.config("security"), WLAN.SEC_OPEN, "no key: open");
    a.config({ ssid: "board", key: "longenough" });
    equal(a.config("security"), WLAN.SEC_WPA_WPA2_PSK, "a key: WPA/WPA2");
    equal(a.config("ssid"), "board");
    equal(a.active(), false, "config() alone does not start it");
  });

  harness.it("active(true) starts the configured AP: ifconfig(), stations joining, isconnected()", async () => {
    const sim = world({ accessPoints: [], apStations: [{ mac: "11:22:33:44:55:66", ip: "192.168.4.2", afterSeconds: 0.3 }] });
    const a = ap();
    a.config({ ssid: "board", key: "longenough", channel: 6, max_clients: 2 });
    equal(a.active(true), true);
    equal(a.config("channel"), 6);
    equal(a.config("max_clients"), 2);
    if (!sim) return;
    deepEqual(a.ifconfig(), ["192.168.4.1", "255.255.255.0", "192.168.4.1", "0.0.0.0"]);
    equal(a.isconnected(), false);
    deepEqual(a.status("stations"), []);
    await until(() => a.isconnected(), "a station joining the AP");
    const list = a.status("stations") as [Uint8Array, string | null][];
    equal(list.length, 1);
    if (harness.lane === "node") {
      bytesEqual(list[0][0], [0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
      equal(list[0][1], "192.168.4.2");
    } else {
      // Moddable's "station_connect" names no station: the MAC is unknown (zeros), the address too.
      bytesEqual(list[0][0], [0, 0, 0, 0, 0, 0]);
      equal(list[0][1], null);
    }
    a.active(false);
    equal(a.isconnected(), false);
    equal(a.ifconfig()[0], "0.0.0.0");
  });

  harness.it("the station and the access point run together", async () => {
    const sim = world({ accessPoints: [HOME] });
    const a = ap();
    a.config({ ssid: "board", key: "longenough" });
    a.active(true);
    const s = sta();
    s.active(true);
    equal(await s.connect(HOME.ssid, HOME.password), STAT_GOT_IP);
    equal(a.active(), true);
    if (sim) equal(a.ifconfig()[0], "192.168.4.1");
  });
});
