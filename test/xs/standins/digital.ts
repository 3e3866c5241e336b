// Stand-in for Moddable's ECMA-419 "embedded:io/digital" on ESP32 (modules/io/digital/esp32,
// SDK 8.2.3), with its checks and quirks: the pin number taken bitwise (2.5 is GPIO 2, -1 an
// "invalid bank"), "invalid pin" for a GPIO the chip does not have,
// "input only" for an output on GPIO 34–39, "in use" for a pin already open, "invalid mode",
// "can't read output" / "can't write input", activeLow applied on write, initialValue (logical,
// so an active-low output starts high) set before the pin becomes an output, and close() freeing
// the pin (a call after close() throws XS's "invalid host data"). The electrical level of each GPIO is kept where a test can read it back: levelOf().
const VALID = (gpio: number) => gpio >= 0 && gpio <= 39 && gpio !== 20 && gpio !== 24 && !(gpio >= 28 && gpio <= 31);
const levels = new Map<number, 0 | 1>();
const open = new Set<number>();
/** Every level written to each GPIO, in order, for tests. */
const history = new Map<number, (0 | 1)[]>();

function setLevel(gpio: number, level: 0 | 1): void {
  levels.set(gpio, level);
  const h = history.get(gpio) ?? [];
  h.push(level);
  history.set(gpio, h);
}

/** The GPIO's electrical level, or undefined if it was never driven. */
export function levelOf(gpio: number): 0 | 1 | undefined {
  return levels.get(gpio);
}
export function historyOf(gpio: number): readonly (0 | 1)[] {
  return history.get(gpio) ?? [];
}

export default class Digital {
  static readonly Input = 0;
  static readonly InputPullUp = 1;
  static readonly InputPullDown = 2;
  static readonly InputPullUpDown = 3;
  static readonly Output = 8;
  static readonly OutputOpenDrain = 9;
  #gpio: number | undefined;
  #input: boolean;
  #activeLow: 0 | 1;

  constructor(options: { pin: number; mode: number; activeLow?: boolean; initialValue?: number }) {
    if (options.pin === undefined) throw new Error("invalid");
    // digital.js: pins = 1 << (pin & 0x1F), bank = (pin >> 5) & 0xFF (so 2.5 is GPIO 2); two banks on ESP32.
    const bank = (options.pin >> 5) & 0xff;
    if (bank > 1) throw new Error("invalid bank");
    const gpio = bank * 32 + (options.pin & 0x1f);
    if (!VALID(gpio)) throw new Error("invalid pin");
    if (open.has(gpio)) throw new Error("in use");
    const mode = options.mode;
    const output = mode === Digital.Output || mode === Digital.OutputOpenDrain;
    if (!(output || (mode >= Digital.Input && mode <= Digital.InputPullUpDown))) throw new RangeError("invalid mode");
    if (output && gpio >= 34) throw new RangeError("input only");
    this.#activeLow = options.activeLow ? 1 : 0;
    this.#input = !output;
    if (output) setLevel(gpio, (((options.initialValue ?? 0) & 1) ^ this.#activeLow) as 0 | 1);
    open.add(gpio);
    this.#gpio = gpio;
  }

  write(value: number): void {
    const gpio = this.#pin();
    if (this.#input) throw new Error("can't write input");
    setLevel(gpio, (((value >>> 0) & 1) ^ this.#activeLow) as 0 | 1);
  }

  read(): 0 | 1 {
    const gpio = this.#pin();
    if (!this.#input) throw new Error("can't read output");
    return ((levels.get(gpio) ?? 0) ^ this.#activeLow) as 0 | 1;
  }

  close(): void {
    if (this.#gpio === undefined) return;
    open.delete(this.#gpio);
    this.#gpio = undefined;
  }

  #pin(): number {
    if (this.#gpio === undefined) throw new SyntaxError("C: xsGetHostData: invalid host data"); // what XS says after close()
    return this.#gpio;
  }
}
