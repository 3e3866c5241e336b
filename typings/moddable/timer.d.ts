// The project's own declarations for Moddable's "timer" module (modules/base/timer documentation).
declare module "timer" {
  export type TimerID = object;
  const Timer: {
    /** Call callback once after interval ms (then every repeat ms, if given). */
    set(callback: (id: TimerID) => void, interval?: number, repeat?: number): TimerID;
    repeat(callback: (id: TimerID) => void, interval: number): TimerID;
    schedule(id: TimerID, interval?: number, repeat?: number): void;
    clear(id: TimerID | undefined): void;
    delay(ms: number): void;
  };
  export default Timer;
}
