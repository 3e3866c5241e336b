// Stand-in for "mc/config": what usocket-xs's manifest sets per platform.
import { settings } from "./settings";

const config = {
  get usocketPlatform(): string {
    return settings.platform === "lin" ? "lin" : "lwip";
  },
  /** The manifest sets "esp8266" on the esp platform. */
  get usocketWifi(): string | undefined {
    return settings.platform !== "lin" && settings.wifi === "esp8266" ? "esp8266" : undefined;
  },
};
export default config;
