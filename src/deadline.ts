// A one-shot timer for any delay: host timers (Node's setTimeout, Moddable's Timer) fire at once
// or misbehave past 2^31-1 ms, so a longer delay is waited in steps. Used by select and asyncio.
import type { Port } from "./port";

const STEP_MS = 0x7fffffff;

export class Deadline {
  private timer: unknown;
  private left: number;

  /** Calls fire() after ms milliseconds (Infinity: never), unless cancel() comes first. */
  constructor(private readonly port: Port, ms: number, private readonly fire: () => void) {
    this.left = ms;
    if (ms !== Infinity) this.arm();
  }

  private arm(): void {
    const step = this.left > STEP_MS ? STEP_MS : this.left;
    this.left -= step;
    this.timer = this.port.setTimer(step, () => {
      this.timer = undefined;
      if (this.left > 0) this.arm(); else this.fire();
    });
  }

  cancel(): void {
    if (this.timer !== undefined) { this.port.clearTimer(this.timer); this.timer = undefined; }
    this.left = 0;
  }
}
