// Scanning for access points, as MicroPython's network docs do:
//
//   import network
//   sta_if = network.WLAN(network.STA_IF)
//   sta_if.active(True)
//   for ssid, bssid, channel, rssi, security, hidden in sta_if.scan():
//       print(ssid, bssid, channel, rssi, security, hidden)
//
// scan() is a Promise here (MicroPython blocks for the ~2 s a scan takes). The desktop's own radio
// is not ours to drive, so there it finds nothing: simulate access points with
// USOCKET_XS_WIFI=examples/wifi-scan/access-points.json.
// Run: npm run example -- wifi-scan
import * as network from "usocket-xs/network";
import { decode } from "usocket-xs/bytes";
import { print, fail } from "./lib/platform";

const SECURITY = ["open", "WEP", "WPA-PSK", "WPA2-PSK", "WPA/WPA2-PSK", "WPA2-Enterprise", "WPA3-PSK", "WPA2/WPA3-PSK"];

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join(":");
}

async function main(): Promise<void> {
  const sta_if = network.WLAN(network.STA_IF);
  sta_if.active(true);
  const found = await sta_if.scan();
  print(`${found.length} access points`);
  for (const [ssid, bssid, channel, rssi, security, hidden] of found) {
    print(JSON.stringify(decode(ssid)), hex(bssid), "channel", channel, "rssi", rssi, SECURITY[security] ?? security, hidden ? "hidden" : "");
  }
  print("status", sta_if.status());
}

main().catch((e) => {
  print("wifi-scan failed:", e);
  fail();
});
