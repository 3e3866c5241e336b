// The relay's output pin on a board: a GPIO through the SDK's ECMA-419 digital class
// (embedded:io/digital, modules/io/digital). Same interface as relay-pin.ts. The pin is opened
// with the relay OFF as its initial value, so an active-low relay does not click on at boot, and
// the SDK applies activeLow itself. Moddable cannot read back an output pin ("can't read output"),
// so nothing here reads it.
import Digital from "embedded:io/digital";
import { print } from "./platform";
import type { RelayPin } from "./relay-pin";
export type { RelayPin } from "./relay-pin";

class GpioPin implements RelayPin {
  private readonly digital: Digital;
  private on = false;
  constructor(readonly gpio: number, readonly activeLow: boolean, private readonly quiet: boolean) {
    this.digital = new Digital({ pin: gpio, mode: Digital.Output, activeLow, initialValue: 0 });
    if (!quiet) print(`GPIO ${gpio} = ${activeLow ? 1 : 0} (relay OFF)`);
  }
  write(on: boolean): void {
    this.digital.write(on ? 1 : 0);
    if (on !== this.on && !this.quiet) print(`GPIO ${this.gpio} = ${(on ? 1 : 0) ^ (this.activeLow ? 1 : 0)} (relay ${on ? "ON" : "OFF"})`);
    this.on = on;
  }
  close(): void {
    this.digital.close();
  }
}

/** Opens the relay's pin, driven OFF from the start. */
export function openRelayPin(gpio: number, activeLow: boolean, quiet = false): RelayPin {
  return new GpioPin(gpio, activeLow, quiet);
}
