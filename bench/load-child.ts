// The load generator as a program (bench/load.ts: runLoad() starts it):
//   node dist/bench/load-child.js '{"port":8080,"requests":10000,"concurrency":100}'
// prints one line of JSON, a LoadResult. Exit 0 even when requests failed: the result says so.
import { generate, type LoadOptions } from "./load";

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
if (!(options.port > 0 && options.requests > 0 && options.concurrency > 0)) {
  process.stderr.write("usage: load-child.js '{\"port\":P,\"requests\":N,\"concurrency\":C}'\n");
  process.exit(2);
}
generate(options).then((r) => {
  process.stdout.write(JSON.stringify(r) + "\n");
}, (e) => {
  process.stderr.write(`load generator failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(2);
});
