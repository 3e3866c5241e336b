// Stand-in for "mc/config": what usocket-xs's manifest sets per platform.
import { settings } from "./settings";

const config = {
  get usocketPlatform(): string {
    return settings.platform === "lin" ? "lin" : "lwip";
  },
};
export default config;
