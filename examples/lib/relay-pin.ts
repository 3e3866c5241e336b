// The relay's output pin where there is no GPIO (the desktop, and the Moddable simulator, whose
// `lin` platform has no digital pin module in SDK 8.2.3): a simulated pin that prints each change
// (`GPIO 2 = 1 (relay ON)`) and keeps its level for tests. On a board the manifest binds
// "lib/relay-pin" to relay-pin-moddable.ts, a real GPIO with the same interface.
import { print } from "./platform";

export interface RelayPin {
  readonly gpio: number;
  /** The relay is on when the pin is low (most relay boards with an opto-coupler input). */
  readonly activeLow: boolean;
  /** Drive the relay: on or off (the level follows activeLow). */
  write(on: boolean): void;
  /** Free the pin. */
  close(): void;
}

/** The desktop's pin: its electrical level, 0 or 1, readable by tests. */
export class SimulatedPin implements RelayPin {
  level: 0 | 1;
  constructor(readonly gpio: number, readonly activeLow: boolean, private readonly quiet = false) {
    this.level = activeLow ? 1 : 0; // off
    if (!quiet) print(`GPIO ${gpio} = ${this.level} (relay OFF)`);
  }
  write(on: boolean): void {
    const level = (on ? 1 : 0) ^ (this.activeLow ? 1 : 0);
    if (level === this.level) return;
    this.level = level as 0 | 1;
    if (!this.quiet) print(`GPIO ${this.gpio} = ${level} (relay ${on ? "ON" : "OFF"})`);
  }
  close(): void {}
}

/** Opens the relay's pin, driven OFF from the start. */
export function openRelayPin(gpio: number, activeLow: boolean, quiet = false): RelayPin {
  return new SimulatedPin(gpio, activeLow, quiet);
}
