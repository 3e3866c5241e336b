// Stand-in for Moddable's "timer": the parent runs the clock and sends a "timer" event.
import { call, on } from "./bridge";

interface Entry { id: number; callback: (t: object) => void; repeat: number }
const timers = new Map<number, Entry>();
let nextId = 1;

on("timer", (ev: { id: number }) => {
  const t = timers.get(ev.id);
  if (!t) return;
  if (!t.repeat) timers.delete(ev.id);
  t.callback(t);
});

function set(callback: (t: object) => void, interval = 0, repeat = 0): object {
  const t: Entry = { id: nextId++, callback, repeat };
  timers.set(t.id, t);
  call("timer.set", { id: t.id, ms: interval, repeat });
  return t;
}

const Timer = {
  set,
  repeat(callback: (t: object) => void, interval: number): object {
    return set(callback, interval, interval);
  },
  schedule(t: object, interval = 0, repeat = 0): void {
    const e = t as Entry;
    timers.set(e.id, e);
    e.repeat = repeat;
    call("timer.set", { id: e.id, ms: interval, repeat });
  },
  clear(t: object | undefined): void {
    const e = t as Entry | undefined;
    if (e && timers.delete(e.id)) call("timer.clear", { id: e.id });
  },
  delay(ms: number): void {
    call("sleep", { ms });
  },
};
export default Timer;
