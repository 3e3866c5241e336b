// The simulator lane's app: connect to run.mjs, load the test modules it names (all of
// test/behaviour/*.test, compiled into this app by manifest.json), run them, report, say done.
import { connect, run, send } from "test-harness";

declare const trace: (text: string) => void;

// An exception nobody catches would stop the VM ("XS abort"); log it and keep going (the test that
// caused it fails by its timeout). Enabled by "abortHook" in manifest.json.
(globalThis as unknown as { abort(msg: string, exc?: unknown): boolean }).abort = (msg, exc) => {
  const text = `XS abort: ${msg}${exc instanceof Error ? `: ${exc.name}: ${exc.message}` : exc !== undefined ? `: ${String(exc)}` : ""}`;
  trace(text + "\n");
  try { send({ t: "log", text }); } catch { /* nothing more to do */ }
  return false;
};

async function main(): Promise<void> {
  const start = await connect();
  const modules = (start.modules ?? []) as string[];
  const skips = (start.skips ?? {}) as { [name: string]: string };
  for (const m of modules) {
    try {
      await import(m);
    } catch (e) {
      send({ t: "result", name: `load ${m}`, status: "fail", ms: 0, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  const sum = await run(skips, typeof start.only === "string" ? start.only : undefined);
  send({ t: "done", ...sum });
}

main().catch((e) => {
  trace(`sim lane failed: ${e instanceof Error ? e.message : String(e)}\n`);
  try { send({ t: "fatal", error: String(e) }); } catch { /* control connection gone */ }
});
