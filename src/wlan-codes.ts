// The numbers network.WLAN reports, per MicroPython port: status() codes, SEC_* (security) and PM_*
// (power management). A program compares with the constants, so it prints what MicroPython on that
// chip prints. ESP32: ports/esp32/modnetwork_globals.h; ESP8266: ports/esp8266/modnetwork_globals.h.
import type { WifiChip } from "./port-wifi";

export interface WlanCodes {
  STAT_IDLE: number;
  STAT_CONNECTING: number;
  STAT_WRONG_PASSWORD: number;
  STAT_NO_AP_FOUND: number;
  STAT_CONNECT_FAIL: number;
  STAT_GOT_IP: number;
  /** The link to the AP was lost and no retry is left (ESP32 200; the ESP8266 port has none: CONNECT_FAIL). */
  STAT_BEACON_TIMEOUT: number;
  STAT_HANDSHAKE_TIMEOUT: number;
  PM_NONE: number;
  PM_PERFORMANCE: number;
  PM_POWERSAVE: number;
  /** status() on the AP interface (ESP32: None, ESP8266: -1). */
  apStatus: number | null;
  /** The default hostname and AP SSID prefix. */
  apPrefix: string;
}

const ESP32: WlanCodes = {
  STAT_IDLE: 1000, STAT_CONNECTING: 1001, STAT_WRONG_PASSWORD: 202, STAT_NO_AP_FOUND: 201,
  STAT_CONNECT_FAIL: 203, STAT_GOT_IP: 1010, STAT_BEACON_TIMEOUT: 200, STAT_HANDSHAKE_TIMEOUT: 204,
  PM_NONE: 0, PM_PERFORMANCE: 1, PM_POWERSAVE: 2, apStatus: null, apPrefix: "ESP_",
};

const ESP8266: WlanCodes = {
  STAT_IDLE: 0, STAT_CONNECTING: 1, STAT_WRONG_PASSWORD: 2, STAT_NO_AP_FOUND: 3,
  STAT_CONNECT_FAIL: 4, STAT_GOT_IP: 5, STAT_BEACON_TIMEOUT: 4, STAT_HANDSHAKE_TIMEOUT: 4,
  PM_NONE: 0, PM_PERFORMANCE: 2, PM_POWERSAVE: 1, apStatus: -1, apPrefix: "MicroPython-",
};

export function codesFor(chip: WifiChip | undefined): WlanCodes {
  return chip === "esp8266" ? ESP8266 : ESP32;
}

// Security (WLAN.SEC_*, the ESP-IDF's wifi_auth_mode_t; the ESP8266 port has 0-4 with the same values).
export const SEC_OPEN = 0;
export const SEC_WEP = 1;
export const SEC_WPA_PSK = 2;
export const SEC_WPA2_PSK = 3;
export const SEC_WPA_WPA2_PSK = 4;
export const SEC_WPA2_ENT = 5;
export const SEC_WPA3_PSK = 6;
export const SEC_WPA2_WPA3_PSK = 7;
