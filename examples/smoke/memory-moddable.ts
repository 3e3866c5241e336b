// Memory figures for the heartbeat on Moddable: the SDK's Instrumentation module (present in
// instrumented and debug builds, -i / -d; a release build returns undefined and the firmware
// prints no mem line). The module exposes used sizes only, no totals: slots= and chunks= are the
// XS slot and chunk heaps in use (bytes), free= the system's free memory (bytes) where the
// platform reports it, gc= the number of garbage collections so far.
import Instrumentation from "instrumentation";

type Key = Parameters<typeof Instrumentation.map>[0];

function read(name: Key): number | undefined {
  const index = Instrumentation.map(name);
  if (index === undefined) return undefined;
  const value = Instrumentation.get(index);
  return typeof value === "number" ? value : undefined;
}

export function memoryFields(): string[] {
  const slots = read("XS Slot Heap Used");
  const chunks = read("XS Chunk Heap Used");
  if (slots === undefined || chunks === undefined) return [];
  const fields = [`slots=${slots}`, `chunks=${chunks}`];
  const free = read("System Free Memory");
  if (free !== undefined && free > 0) fields.push(`free=${free}`);
  const gc = read("XS Garbage Collection Count");
  if (gc !== undefined) fields.push(`gc=${gc}`);
  return fields;
}
