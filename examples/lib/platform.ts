// The little an example needs from the machine it runs on: its arguments, its environment, a way
// to print. This is the ONLY platform-specific file under examples/: on Node it reads
// process.argv/process.env and writes to stdout; under Moddable (no process object) it falls back
// to trace() and to no arguments, and a Moddable build can replace this one file (a manifest
// "modules" entry) to take arguments from its own configuration instead.
// No node: imports here, so the examples build for any host.
import { pyprint } from "./pyprint";

interface NodeLikeProcess {
  argv?: string[];
  env?: { [name: string]: string | undefined };
  stdout?: { write(text: string): unknown };
  exitCode?: number;
}

const g = globalThis as unknown as {
  process?: NodeLikeProcess;
  trace?: (text: string) => void;
  console?: { log(text: string): void };
};
const proc = g.process;

/** The program's arguments (after the program name): `node dist/examples/x.js a b` → ["a", "b"]. */
export function argv(): string[] {
  return proc?.argv ? proc.argv.slice(2) : [];
}

/** An environment variable, or undefined (always undefined where there is no environment). */
export function getenv(name: string): string | undefined {
  return proc?.env ? proc.env[name] : undefined;
}

/** Python's print(): `print(text, { end: "" })` is `print(text, end='')`. */
export function print(...parts: unknown[]): void {
  const text = pyprint(parts);
  if (proc?.stdout) proc.stdout.write(text);
  else if (g.trace) g.trace(text);
  else if (g.console) g.console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
}

/** Mark the run as failed (a non-zero exit status on Node; nothing to do elsewhere). */
export function fail(): void {
  if (proc) proc.exitCode = 1;
}
