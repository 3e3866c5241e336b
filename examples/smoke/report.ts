// The smoke firmware's output: one `SMOKE v1 …` line per event (the format is in the README,
// "Smoke test: the line format"). Version 1 only ever gains keys; a reader ignores keys it does
// not know. `error=` takes the rest of the line.
import { print } from "../lib/platform";

export const PREFIX = "SMOKE v1";

/** `SMOKE v1 key=value key=value` (values must not contain spaces; error() is for free text). */
export function report(...fields: string[]): void {
  print(`${PREFIX} ${fields.join(" ")}`);
}

export function reportError(text: string): void {
  print(`${PREFIX} error=${text.replace(/[\r\n]+/g, " ")}`);
}

/** An exception as one line of text: "OSError: [Errno 104] ECONNRESET". */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
