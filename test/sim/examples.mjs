// The article's server and client in the simulator, from their station block: builds
// examples/web-server and examples/http-get for lin, runs the server in mcsim, checks its output
// (the SDK's simulated WiFi joins in about 3 s: "Connection successful", then station.ifconfig()),
// reads the article's page from it with curl and with CPython's article client, then runs our
// http-get (its own station block first) against it in a second mcsim. Run by test/sim/run.mjs
// after the suite (not with --grep), or alone: `node test/sim/examples.mjs`. Skips (exit 0) when
// MODDABLE is unset.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root, sdk, buildLin, startSim } from "../../scripts/lib/moddable.mjs";

const TIMEOUT_MS = 90_000;

if (!process.env.MODDABLE) {
  console.log("sim examples skipped: MODDABLE is not set");
  process.exit(0);
}
const s = sdk();
if (!s.ok) {
  for (const m of s.missing) console.error(`missing: ${m}`);
  process.exit(1);
}

let failed = 0;
const check = (ok, what, detail = "") => {
  if (ok) console.log(`  ok    sim examples › ${what}`);
  else { failed++; console.log(`  FAIL  sim examples › ${what}${detail ? `\n          ${detail.replace(/\n/g, "\n          ")}` : ""}`); }
};

/** Run an example in mcsim; resolves once `until` matches its output (or rejects after TIMEOUT_MS). */
function run(so, until) {
  const lines = [];
  let resolveMatch, rejectMatch;
  const matched = new Promise((resolve, reject) => { resolveMatch = resolve; rejectMatch = reject; });
  const sim = startSim(s, so, {
    onLine(l) {
      lines.push(l);
      const m = until.exec(lines.join("\n"));
      if (m) resolveMatch(m);
    },
    onError() {},
  });
  const timer = setTimeout(() => rejectMatch(new Error(`no match for ${until} after ${TIMEOUT_MS} ms; output:\n${lines.join("\n")}`)), TIMEOUT_MS);
  sim.exited.then((code) => rejectMatch(new Error(`mcsim exited (${code}); output:\n${lines.join("\n")}`)));
  return { sim, matched: matched.finally(() => clearTimeout(timer)), output: () => lines.join("\n") };
}

const STATION = /Connection successful\n\('(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)', '(\d+\.\d+\.\d+\.\d+)'\)\n/;
const PAGE = /<title>ESP8266 Server<\/title>[\s\S]*<h1>Welcome to ESP8266 Server<\/h1>/;
const PY_CLIENT = `
import socket, sys
addr = socket.getaddrinfo('127.0.0.1', int(sys.argv[1]))[0][-1]
s = socket.socket()
s.connect(addr)
s.send(b'GET / HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n')
while True:
    data = s.recv(100)
    if data:
        sys.stdout.write(str(data, 'utf8'))
    else:
        break
s.close()
`;

const started = [];
try {
  console.log("sim examples: building examples/web-server for lin…");
  const server = buildLin(s, join(root, "examples/web-server"), join(root, "build/sim-examples/web-server"), { config: { args: "0 127.0.0.1 -q" } });
  const srv = run(server.so, /listening on \('[^']*', (\d+)\)/);
  started.push(srv.sim);
  const port = Number((await srv.matched)[1]);
  const out = srv.output();
  check(STATION.test(out), "web-server prints Connection successful and station.ifconfig() before listening", out);
  const curl = spawnSync("curl", ["-s", "-i", "--max-time", "10", `http://127.0.0.1:${port}/`], { encoding: "utf8" });
  check(curl.status === 0 && /^HTTP\/1\.1 200 OK\r\n/.test(curl.stdout) && PAGE.test(curl.stdout), "web-server serves the article's page to curl", curl.stdout + curl.stderr);
  const py = spawnSync("python3", ["-c", PY_CLIENT, String(port)], { encoding: "utf8", timeout: 20000 });
  check(py.status === 0 && PAGE.test(py.stdout), "web-server serves the article's page to CPython's article client", py.stdout + py.stderr);

  console.log("sim examples: building examples/http-get for lin…");
  const client = buildLin(s, join(root, "examples/http-get"), join(root, "build/sim-examples/http-get"), { config: { args: `http://127.0.0.1:${port}/` } });
  const cl = run(client.so, /<\/html>/);
  started.push(cl.sim);
  await cl.matched;
  const text = cl.output();
  check(STATION.test(text) && text.indexOf("Connection successful") < text.indexOf("HTTP/1.1 200 OK") && PAGE.test(text),
    "http-get joins (station block), then prints the page from the simulated web-server", text);
} catch (e) {
  check(false, "run", e.message);
} finally {
  await Promise.all(started.map((sim) => sim.stop()));
}
console.log(`sim examples: ${failed ? `${failed} failed` : "all passed"}`);
process.exit(failed ? 1 : 0);
