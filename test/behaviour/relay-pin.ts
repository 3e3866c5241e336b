// The pin the relay tests drive, and how they read its level back. Node and simulator lanes: the
// desktop's simulated pin (examples/lib/relay-pin.ts; lin has no digital module). The XS lane
// binds this module to test/xs/relay-pin.ts instead: the board's pin module over the stand-in for
// embedded:io/digital, read back from the stand-in's GPIO.
import { SimulatedPin, type RelayPin } from "../../examples/lib/relay-pin";

export function openTestPin(gpio: number, activeLow: boolean): RelayPin {
  return new SimulatedPin(gpio, activeLow, true);
}

/** The electrical level the relay's GPIO is at now. */
export function levelOf(pin: RelayPin): 0 | 1 | undefined {
  return (pin as SimulatedPin).level;
}
