// The XS lane's binding of test/behaviour/relay-pin.ts: the board's pin module
// (examples/lib/relay-pin-moddable.ts) over the stand-in for embedded:io/digital, whose GPIO
// levels the tests read back.
import { openRelayPin, type RelayPin } from "../../examples/lib/relay-pin-moddable";
import { levelOf as gpioLevel } from "./standins/digital";

export function openTestPin(gpio: number, activeLow: boolean): RelayPin {
  return openRelayPin(gpio, activeLow, true);
}

export function levelOf(pin: RelayPin): 0 | 1 | undefined {
  return gpioLevel(pin.gpio);
}
