// MicroPython's `time` module. The sleeps return Promises: a busy loop would freeze XS, whose WiFi
// and socket events are messages that only run between turns (and an ESP8266 resets from its
// watchdog). ticks_* wrap at 2^30 as on the ESP32 and ESP8266 ports (extmod/modtime.c).
import { host } from "usocket-xs/host";
import { describe } from "./arguments";

const PERIOD = 0x40000000; // 2^30: MicroPython's small-int range on both chips
const MASK = PERIOD - 1;
const HALF = PERIOD / 2;

function seconds(v: unknown, what: string): number {
  if (typeof v !== "number" || v !== v) throw new TypeError(`${what}: expected a number, got ${describe(v)}`);
  if (v < 0) throw new RangeError(`${what}: must not be negative, got ${v}`);
  return v;
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => { host.setTimer(ms, resolve); });
}

/** Sleep for s seconds (a float for fractions). sleep(0) still lets pending events run. */
export function sleep(s: number): Promise<void> {
  return wait(Math.ceil(seconds(s, "sleep") * 1000));
}

export function sleep_ms(ms: number): Promise<void> {
  return wait(Math.ceil(seconds(ms, "sleep_ms")));
}

/** Microseconds, rounded up to the host timer's millisecond. */
export function sleep_us(us: number): Promise<void> {
  return wait(Math.ceil(seconds(us, "sleep_us") / 1000));
}

/** Milliseconds from an arbitrary point, wrapping at 2^30: compare with ticks_diff() only. */
export function ticks_ms(): number {
  return Math.floor(host.now()) & MASK;
}

/** Microseconds, wrapping at 2^30; the resolution is the host's clock (milliseconds on Moddable). */
export function ticks_us(): number {
  return Math.floor(host.now() * 1000) % PERIOD;
}

/** Same as ticks_us() (there is no cycle counter to read). */
export function ticks_cpu(): number {
  return ticks_us();
}

function ticks(v: unknown, what: string): number {
  if (!Number.isInteger(v)) throw new TypeError(`${what}: ticks must be integers, got ${describe(v)}`);
  return v as number;
}

/** ticks + delta, wrapped; |delta| must be less than 2^29. */
export function ticks_add(t: number, delta: number): number {
  ticks(t, "ticks_add");
  ticks(delta, "ticks_add");
  if (delta < -HALF || delta >= HALF) throw new RangeError("ticks interval overflow");
  return (((t + delta) % PERIOD) + PERIOD) & MASK;
}

/** The signed difference a - b of two ticks values, correct across the wrap: ((a - b + P/2) & (P - 1)) - P/2. */
export function ticks_diff(a: number, b: number): number {
  ticks(a, "ticks_diff");
  ticks(b, "ticks_diff");
  return (((a - b + HALF) % PERIOD + PERIOD) & MASK) - HALF;
}

/** Seconds since the Unix epoch (1970), as an integer. */
export function time(): number {
  return Math.floor(Date.now() / 1000);
}

export function time_ns(): number {
  return Date.now() * 1e6;
}

/** (year, month, mday, hour, minute, second, weekday 0 = Monday, yearday 1-366). */
export type TimeTuple = [year: number, month: number, mday: number, hour: number, minute: number, second: number, weekday: number, yearday: number];

/** UTC broken down; secs defaults to now. */
export function gmtime(secs?: number): TimeTuple {
  const s = secs === undefined ? time() : Math.floor(seconds(secs, "gmtime"));
  const d = new Date(s * 1000);
  const y = d.getUTCFullYear();
  const yday = Math.floor((Date.UTC(y, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(y, 0, 1)) / 86400000) + 1;
  return [y, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), (d.getUTCDay() + 6) % 7, yday];
}

/** The boards have no time zone: localtime() is gmtime(), as on MicroPython's ESP ports. */
export function localtime(secs?: number): TimeTuple {
  return gmtime(secs);
}

/** The inverse of localtime(): seconds for (year, month, mday, hour, minute, second, …). */
export function mktime(t: ArrayLike<number>): number {
  if (!t || typeof t !== "object" || t.length < 6) throw new TypeError("mktime: expected a tuple of at least 6 integers");
  return Math.floor(Date.UTC(t[0], t[1] - 1, t[2], t[3], t[4], t[5]) / 1000);
}
