// What the examples add to the article's `while station.isconnected() == False: pass`: stop waiting
// once status() names a failure (MicroPython's loop would spin for ever), and stop the retries.
import * as network from "usocket-xs/network";
import { print } from "./platform";

export function gaveUp(station: network.WLAN): boolean {
  const s = station.status();
  if (s !== network.STAT_WRONG_PASSWORD && s !== network.STAT_NO_AP_FOUND && s !== network.STAT_CONNECT_FAIL) return false;
  print("Connection failed, status", s);
  station.disconnect();
  return true;
}
