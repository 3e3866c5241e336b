// The article's IoT application: a relay switched from a web page served by the board.
// "The board should be configured as a TCP server if the device operates a relay from the
// MicroPython port/IoT board via a webpage." The server is the article's (getaddrinfo, socket,
// bind, listen, accept in a loop); each request is read by a strict HTTP reader and needs the
// configured user and password (HTTP Basic). The relay is OFF at every start and keeps its state
// across page loads for as long as the program runs.
//
// It joins WiFi first as the article's server does (network.WLAN(network.STA_IF), connect unless
// already connected) and prints the address to open.
//
// Desktop:  npm run example -- relay --password SECRET [--user relay] [--port 8080] [--host 0.0.0.0]
//                                    [--pin 2] [--active-low] [--max-clients 4] [-q] [--ssid S --key K]
//           (or RELAY_PASSWORD, RELAY_USER, PORT, RELAY_PIN, RELAY_ACTIVE_LOW in the environment;
//           the environment keeps the password out of `ps`). The pin is simulated and printed.
// Board:    cd examples/relay && mcconfig -d -m -p esp32 ssid=… password=… relay_password=…
//           [relay_user=…] [relay_pin=2] [relay_active_low=1] [relay_port=80]
// With no password configured it refuses to start and says why: there is no default password.
import * as socket from "usocket-xs/socket";
import * as network from "usocket-xs/network";
import * as time from "usocket-xs/time";
import { argv, getenv, print, fail } from "./lib/platform";
import { openRelayPin } from "./lib/relay-pin";
import { RelayApp } from "./relay/app";

/** --name value or --name=value from the arguments, else the first of the settings that is set. */
function option(args: string[], flag: string, ...settings: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith(flag + "=")) return args[i].slice(flag.length + 1);
  }
  for (let i = 0; i < settings.length; i++) {
    const v = getenv(settings[i]);
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

function yes(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v);
}

/** A whole number in [low, high] or a message saying what was wrong. */
function integer(name: string, text: string, low: number, high: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < low || n > high) throw new RangeError(`${name} must be a whole number from ${low} to ${high}, got ${JSON.stringify(text)}`);
  return n;
}

const STATUS_NAMES: [number, string][] = [
  [network.STAT_NO_AP_FOUND, "no access point with that name"],
  [network.STAT_CONNECT_FAIL, "connection failed"], [network.STAT_IDLE, "stopped"],
];

/**
 * Joins WiFi as the article does (WLAN(STA_IF), active(True), connect(ssid, key) unless already
 * connected) and gives the address to open, or undefined after saying why it could not join.
 * Without an SSID configured it uses the network the machine is already on (the desktop).
 */
async function joinWifi(args: string[]): Promise<string | undefined> {
  const sta = network.WLAN(network.STA_IF);
  if (!sta.isconnected()) {
    const ssid = option(args, "--ssid", "ssid", "WIFI_SSID");
    if (ssid !== undefined) {
      print("connecting to network...");
      sta.active(true);
      const status = await sta.connect(ssid, option(args, "--key", "password", "WIFI_PASSWORD") ?? "");
      if (status === network.STAT_WRONG_PASSWORD) {
        sta.disconnect(); // retrying cannot help
        print(`relay: could not join WiFi ${JSON.stringify(ssid)}: wrong password`);
        return undefined;
      }
      if (status !== network.STAT_GOT_IP) {
        // The access point may still be starting (after a power cut the board is often up first):
        // the station keeps retrying; wait for it as the article does (while not isconnected()).
        const name = STATUS_NAMES.find(([code]) => code === status)?.[1] ?? `status ${status}`;
        print(`WiFi ${JSON.stringify(ssid)}: ${name}; still trying...`);
        while (!sta.isconnected()) await time.sleep_ms(500);
      }
    }
  }
  const config = sta.ifconfig();
  print("network config:", config);
  return config[0];
}

interface Settings {
  user: string; password: string; host: string; port: number;
  gpio: number; activeLow: boolean; maxClients: number; quiet: boolean;
}

/** The settings from flags, environment or config; undefined after saying why it cannot start. */
function settings(args: string[]): Settings | undefined {
  const password = option(args, "--password", "relay_password", "RELAY_PASSWORD");
  if (password === undefined || password === "") {
    print("relay: no password configured, so not starting (there is no default password: anyone on the network could switch the relay).");
    print("  desktop: npm run example -- relay --password SECRET   (or RELAY_PASSWORD=SECRET)");
    print("  board:   mcconfig -d -m -p esp32 ssid=… password=… relay_password=SECRET");
    return undefined;
  }
  const user = option(args, "--user", "relay_user", "RELAY_USER") ?? "relay";
  if (user.indexOf(":") >= 0) throw new TypeError('the user name cannot contain ":" (HTTP Basic authentication splits on it)');
  return {
    user, password,
    host: option(args, "--host", "relay_host", "HOST") ?? "0.0.0.0",
    port: integer("the port", option(args, "--port", "relay_port", "PORT") ?? "8080", 0, 65535),
    gpio: integer("the pin", option(args, "--pin", "relay_pin", "RELAY_PIN") ?? "2", 0, 63),
    activeLow: args.indexOf("--active-low") >= 0 || yes(getenv("relay_active_low") ?? getenv("RELAY_ACTIVE_LOW")),
    maxClients: integer("max clients", option(args, "--max-clients", "relay_max_clients", "RELAY_MAX_CLIENTS") ?? "4", 1, 16),
    quiet: args.indexOf("-q") >= 0,
  };
}

/** The article's server socket: getaddrinfo, socket, bind, listen. */
async function listen(host: string, port: number): Promise<socket.Socket> {
  const addr = (await socket.getaddrinfo(host, port))[0].at(-1);
  const s = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(addr);
  s.listen(8);
  print("listening on", s.getsockname());
  return s;
}

// Kept small: an async function's frame stays on XS's stack while it runs (ESP8266 has 256 slots).
async function main(): Promise<void> {
  const args = argv();
  const cfg = settings(args);
  const ip = cfg && await joinWifi(args);
  if (!cfg || ip === undefined) {
    fail();
    return;
  }
  const app = new RelayApp({ user: cfg.user, password: cfg.password, pin: openRelayPin(cfg.gpio, cfg.activeLow), maxClients: cfg.maxClients, log: cfg.quiet ? undefined : print });
  const s = await listen(cfg.host, cfg.port);
  const [boundHost, boundPort] = s.getsockname();
  const shown = boundHost !== "0.0.0.0" && boundHost !== "" ? boundHost : ip !== "0.0.0.0" ? ip : "127.0.0.1";
  print(`open http://${shown}:${boundPort}/ (user ${JSON.stringify(cfg.user)}; GPIO ${cfg.gpio}, active-${cfg.activeLow ? "low" : "high"})`);
  await app.serve(s);
}

// Started as a Promise job, after this module has loaded: the module loader's frames are then off
// XS's stack (ESP8266 gives an app 256 slots).
Promise.resolve().then(main).catch((e) => {
  print("relay failed:", e);
  fail();
});
