// `npm run doctor [-- --target esp32[/sub]|esp8266[/sub]|sim] [--port PATH]` (also `npx usocket-xs
// doctor`): one line per prerequisite of building and flashing, with what to do when it is
// missing. Without --target it checks every target. Exit 1 when anything needed is missing.
import { parseArgs } from "node:util";
import { UsageError, doctor, formatCheck, parseTarget } from "./lib/device.mjs";

const USAGE = "usage: npm run doctor -- [--target esp32[/sub]|esp8266[/sub]|sim] [--port PATH]";

export function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { target: { type: "string" }, port: { type: "string" }, help: { type: "boolean", short: "h" } } }));
    if (values.help) { console.log(USAGE); return 0; }
    const targets = values.target ? [parseTarget(values.target)] : ["esp32", "esp8266", "sim"].map(parseTarget);
    if (values.port && targets.every((t) => !t.device)) throw new UsageError("--port is for a board; the simulator has no serial port");
    const port = values.port ?? (process.env.UPLOAD_PORT || undefined);
    let missing = 0;
    const ready = [];
    for (const t of targets) {
      console.log(`# ${t.name}`);
      const checks = doctor(t, { port: t.device ? port : undefined });
      for (const c of checks) console.log(formatCheck(c));
      const n = checks.filter((c) => c.level === "fail").length;
      missing += n;
      if (!n) ready.push(t.name);
    }
    console.log(missing ? `doctor: ${missing} missing; ready: ${ready.join(", ") || "none"}` : `doctor: ready for ${ready.join(", ")}`);
    return missing ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e.code?.startsWith?.("ERR_PARSE_ARGS")) { console.error(`doctor: ${e.message}\n${USAGE}`); return 2; }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
