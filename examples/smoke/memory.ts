// Memory figures for the heartbeat, Node host: V8's heap (used/total bytes). This is the
// documented stand-in for the SDK instrumentation's slots/chunks; V8 collects lazily, so the
// runner shows it but does not judge a trend on it. The Moddable build maps this module to
// memory-moddable.ts.
interface NodeMemory { heapUsed: number; heapTotal: number }
const proc = (globalThis as unknown as { process?: { memoryUsage?: () => NodeMemory } }).process;

/** `key=value` fields for the `SMOKE v1 mem` line, or none when the platform has no figures. */
export function memoryFields(): string[] {
  const m = proc?.memoryUsage?.();
  return m ? [`heap=${m.heapUsed}/${m.heapTotal}`] : [];
}
