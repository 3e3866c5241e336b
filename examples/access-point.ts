// The board as an access point, as MicroPython's network docs do it:
//
//   import network
//   ap = network.WLAN(network.AP_IF)
//   ap.config(ssid='ESP-AP', key='micropython', security=network.WLAN.SEC_WPA_WPA2_PSK, max_clients=4)
//   ap.active(True)
//   print(ap.ifconfig())
//   while not ap.isconnected(): pass
//   print(ap.status('stations'))
//
// config() checks the settings at once (a WPA key must be 8-63 characters: Moddable's
// WiFi.accessPoint() refuses shorter ones); active(true) starts the AP with them. Phones joining it
// reach the board at 192.168.4.1. The desktop cannot be an access point: run it with simulated
// access points, USOCKET_XS_WIFI=examples/wifi-scan/access-points.json (a phone joins after 1 s).
// Run: npm run example -- access-point [ssid] [key] [seconds to wait for a station, default 60]
import * as network from "usocket-xs/network";
import * as time from "usocket-xs/time";
import { argv, getenv, print, fail } from "./lib/platform";

const [ssid = getenv("AP_SSID") ?? "ESP-AP", key = getenv("AP_KEY") ?? "micropython", wait = "60"] = argv();

async function main(): Promise<void> {
  const ap = network.WLAN(network.AP_IF);
  ap.config({ ssid, key, security: network.WLAN.SEC_WPA_WPA2_PSK, max_clients: 4 });
  ap.active(true);
  print("access point", ap.config("ssid"), "on channel", ap.config("channel"));
  print(ap.ifconfig());
  const t0 = time.ticks_ms();
  while (!ap.isconnected()) {
    if (time.ticks_diff(time.ticks_ms(), t0) > Number(wait) * 1000) {
      print("no station joined within", wait, "s");
      return;
    }
    await time.sleep_ms(100);
  }
  const stations = ap.status("stations") as [Uint8Array, string | null][];
  for (const [mac, ip] of stations) {
    print("station", Array.from(mac, (b) => (b < 16 ? "0" : "") + b.toString(16)).join(":"), ip ?? "(no address yet)");
  }
}

main().catch((e) => {
  print("access-point failed:", e);
  fail();
});
