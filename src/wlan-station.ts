// The station's state machine: joining, retrying with timers (config reconnects), and a status()
// that tells the truth at every moment. The host makes one attempt per join() and reports what
// happened (port-wifi.ts); everything about retries and numbers is here, the same on every host.
//
// status(), first match wins (MicroPython's ESP32 port since v1.22, network_wlan.c):
//   an address and a link                        → STAT_GOT_IP (isconnected() true only then)
//   a connect sequence running, and an attempt of
//     it failed with no AP / a rejected password → that reason, even while retries go on
//   a connect sequence running                   → STAT_CONNECTING (joining, associated without an
//                                                  address yet, waiting to retry, or after a drop)
//   the sequence ended, retries used up          → the reason (a drop: STAT_BEACON_TIMEOUT)
//   otherwise (never connected, disconnect())    → STAT_IDLE
import type { Port } from "./port";
import type { Wifi, WifiReason } from "./port-wifi";
import type { WlanCodes } from "./wlan-codes";

/** Pause between a failed attempt (or a drop) and the next one. */
const RETRY_MS = 1000;
/** An attempt the platform never reports on (no AP answer, DHCP stuck) fails after this long. */
const ATTEMPT_MS = 30000;

type Phase = "idle" | "joining" | "associated" | "up" | "waiting";

export class Station {
  active = false;
  /** reconnects: -1 for ever, else the retries after a failure (config("reconnects")). */
  reconnects = -1;
  ssid = "";
  private key = "";
  private bssid: Uint8Array | undefined;
  private phase: Phase = "idle";
  /** A connect sequence is running: connect() (or the platform's own join at boot) until success, disconnect() or retries used up. */
  private requested = false;
  /** The reason an attempt of this sequence failed, until an address comes. */
  private failure: WifiReason | undefined;
  /** The status once a sequence gave up, until the next connect() or disconnect(). */
  private final: number | undefined;
  private retriesLeft = -1;
  private timer: unknown;
  private waiters: ((status: number) => void)[] = [];
  private settled: (() => void)[] = [];

  constructor(private readonly port: Port, private readonly wifi: Wifi, readonly codes: WlanCodes) {
    const joined = wifi.station({
      onAssociated: (ssid) => this.associated(ssid),
      onAddress: () => this.address(),
      onAddressLost: () => this.addressLost(),
      onDown: (reason) => this.down(reason),
    });
    if (joined !== undefined) {
      // Joined before the program started (the SDK's setup/network, the desktop's own network).
      this.active = true;
      this.requested = true;
      this.ssid = joined;
      this.phase = "up";
    }
  }

  status(): number {
    const c = this.codes;
    if (!this.active) return c.STAT_IDLE;
    if (this.phase === "up") return c.STAT_GOT_IP;
    if (this.requested) {
      const f = this.failure;
      return f === "no-ap" || f === "wrong-password" ? this.code(f) : c.STAT_CONNECTING;
    }
    return this.final ?? c.STAT_IDLE;
  }

  isconnected(): boolean {
    return this.active && this.phase === "up";
  }

  /** True while an attempt is under way (joining or associated without an address). */
  get busy(): boolean {
    return this.phase === "joining" || this.phase === "associated";
  }

  setActive(on: boolean): void {
    if (on) {
      this.wifi.setStationActive(true);
      this.active = true;
      return;
    }
    this.disconnect();
    this.wifi.setStationActive(false);
    this.active = false;
  }

  /** Start a connect sequence (arguments already checked); the Promise gets its first outcome. */
  connect(ssid: string, key: string, bssid: Uint8Array | undefined): Promise<number> {
    const same = ssid === this.ssid && !bssid && !this.bssid;
    const result = new Promise<number>((resolve) => { this.waiters.push(resolve); });
    if (this.phase === "up" && same) {
      // Already joined to that network (at boot, or by an earlier connect()): nothing to redo.
      this.resolveWaiters(this.codes.STAT_GOT_IP);
      return result;
    }
    this.stop();
    this.ssid = ssid;
    this.key = key;
    this.bssid = bssid;
    this.requested = true;
    this.failure = undefined;
    this.final = undefined;
    this.retriesLeft = this.reconnects;
    this.attempt();
    return result;
  }

  disconnect(): void {
    this.stop();
    this.requested = false;
    this.failure = undefined;
    this.final = undefined;
    this.resolveWaiters(this.codes.STAT_IDLE);
  }

  /** Run fn once no attempt is under way (now, or when the current one ends). */
  whenSettled(fn: () => void): void {
    if (this.busy) this.settled.push(fn);
    else fn();
  }

  // ---- events from the host ----

  private associated(ssid: string): void {
    if (!this.requested) {
      // The platform joined by itself (at boot): a sequence like any other from here on.
      if (this.phase !== "idle") return;
      this.active = true;
      this.requested = true;
      this.ssid = ssid;
      this.key = "";
      this.bssid = undefined;
      this.retriesLeft = this.reconnects;
    }
    if (this.phase === "joining" || this.phase === "idle") this.phase = "associated";
  }

  private address(): void {
    if (!this.requested) this.associated(this.ssid);
    if (!this.requested) return;
    this.clearTimer();
    this.phase = "up";
    this.failure = undefined;
    this.retriesLeft = this.reconnects; // a drop later gets the whole budget again
    this.resolveWaiters(this.codes.STAT_GOT_IP);
    this.flushSettled();
  }

  private addressLost(): void {
    if (this.phase !== "up") return;
    // Still associated: the platform's DHCP client keeps trying; give it one attempt's time.
    this.phase = "associated";
    this.armAttemptTimer();
  }

  private down(reason: WifiReason): void {
    if (!this.requested || this.phase === "idle" || this.phase === "waiting") return;
    this.clearTimer();
    const wasUp = this.phase === "up";
    if (!wasUp && reason !== "lost") this.failure = reason;
    this.resolveWaiters(this.code(wasUp ? "lost" : reason));
    if (this.retriesLeft !== 0) {
      if (this.retriesLeft > 0) this.retriesLeft--;
      this.phase = "waiting";
      this.timer = this.port.setTimer(RETRY_MS, () => { this.timer = undefined; this.attempt(); });
    } else {
      this.phase = "idle";
      this.requested = false;
      this.final = this.code(this.failure ?? "lost");
    }
    this.flushSettled();
  }

  // ---- attempts ----

  private attempt(): void {
    this.phase = "joining";
    this.armAttemptTimer();
    try {
      this.wifi.join(this.ssid, this.key, this.bssid);
    } catch {
      // The platform refused to start (busy radio, bad state): a failed attempt, retried as any other.
      this.port.setTimer(0, () => { if (this.phase === "joining") this.down("failed"); });
    }
  }

  private armAttemptTimer(): void {
    this.clearTimer();
    this.timer = this.port.setTimer(ATTEMPT_MS, () => {
      this.timer = undefined;
      this.wifi.leave();
      this.down("failed");
    });
  }

  /** Leave whatever is under way, cancel timers, back to idle. */
  private stop(): void {
    this.clearTimer();
    if (this.phase !== "idle" && this.phase !== "waiting") this.wifi.leave();
    this.phase = "idle";
    this.flushSettled();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.port.clearTimer(this.timer);
    this.timer = undefined;
  }

  private code(reason: WifiReason): number {
    const c = this.codes;
    return reason === "no-ap" ? c.STAT_NO_AP_FOUND
      : reason === "wrong-password" ? c.STAT_WRONG_PASSWORD
      : reason === "lost" ? c.STAT_BEACON_TIMEOUT
      : c.STAT_CONNECT_FAIL;
  }

  private resolveWaiters(status: number): void {
    const w = this.waiters;
    this.waiters = [];
    for (let i = 0; i < w.length; i++) w[i](status);
  }

  private flushSettled(): void {
    if (this.busy) return;
    const s = this.settled;
    this.settled = [];
    for (let i = 0; i < s.length; i++) s[i]();
  }
}
