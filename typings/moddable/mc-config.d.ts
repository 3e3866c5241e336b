// Moddable's "mc/config": the manifest's "config" object (frozen). usocket-xs reads its own key.
declare module "mc/config" {
  const config: {
    /** Set by usocket-xs's manifest per platform: "lin" selects the simulator's quirks, else lwIP. */
    readonly usocketPlatform?: string;
    /** Set by usocket-xs's manifest for ESP8266 builds: "esp8266" gives network's ESP8266 status numbers. */
    readonly usocketWifi?: string;
    readonly [key: string]: unknown;
  };
  export default config;
}
