// The Moddable side of examples/lib/platform.ts: each example's manifest maps the module
// "lib/platform" (what "./lib/platform" resolves to from the example, which runs as "main") to
// this file. Same exports, no process object:
// - arguments come from the manifest's "config": `"args": "9000 0.0.0.0"` (split on spaces), or
//   on the command line: `mcconfig -m -p lin -t build args="9000 -q"`;
// - getenv(NAME) reads config[NAME] (`mcconfig … PORT=9000`), so the Node environment variables
//   the examples read work the same way;
// - print writes with trace(): the simulator's stdout (npm run sim) or xsbug / the serial console.
import config from "mc/config";
import { pyprint } from "./pyprint";

declare const trace: (text: string) => void; // XS's global (xs/includes/xs.d.ts under mcconfig)

const cfg = config as unknown as { readonly [key: string]: unknown };

/** The program's arguments: config.args split on spaces (an array is taken as it is). */
export function argv(): string[] {
  const args = cfg.args;
  if (Array.isArray(args)) return args.map(String);
  if (typeof args === "string") return args.split(" ").filter((a) => a.length > 0);
  return [];
}

/** A config value as a string, or undefined. */
export function getenv(name: string): string | undefined {
  const v = cfg[name];
  return v === undefined || v === null || typeof v === "object" ? undefined : String(v);
}

/** Python's print(), written with trace(). */
export function print(...parts: unknown[]): void {
  trace(pyprint(parts));
}

/** Mark the run as failed: there is no exit status on a device; say so on the console. */
export function fail(): void {
  trace("FAILED\n");
}
