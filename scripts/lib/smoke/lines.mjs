// The smoke firmware's line format, version 1 (README, "Smoke test: the line format"):
// `SMOKE v1 ` then space-separated words; a word key=value is a field, a bare word a flag;
// `error=` takes the rest of the line. Readers ignore keys and flags they do not know.
export const PREFIX = "SMOKE v1 ";

/** { fields: {key: value}, flags: Set, raw } for a line carrying `SMOKE v1 …`, else null. */
export function parseSmokeLine(text) {
  const at = text.indexOf(PREFIX);
  if (at < 0) return null;
  const body = text.slice(at + PREFIX.length).trim();
  const fields = {};
  const flags = new Set();
  const err = body.indexOf("error=");
  const head = err >= 0 && (err === 0 || body[err - 1] === " ") ? body.slice(0, err) : body;
  if (head !== body) fields.error = body.slice(err + "error=".length);
  for (const word of head.split(" ").filter(Boolean)) {
    const eq = word.indexOf("=");
    if (eq > 0) fields[word.slice(0, eq)] = word.slice(eq + 1);
    else flags.add(word);
  }
  return { fields, flags, raw: body };
}

/** Numbers in a mem line: { slots, chunks, free, heapUsed, heapTotal } (those present). */
export function memFigures(fields) {
  const out = {};
  const num = (v) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const pair = (v) => (v && /^\d+\/\d+$/.test(v) ? v.split("/").map(Number) : undefined);
  for (const k of ["slots", "chunks", "free", "gc"]) {
    const p = pair(fields[k]);
    const n = p ? p[0] : num(fields[k]);
    if (n !== undefined) out[k] = n;
  }
  const heap = pair(fields.heap);
  if (heap) { out.heapUsed = heap[0]; out.heapTotal = heap[1]; }
  return out;
}

/**
 * Does free memory keep falling across the run? samples: figures in time order. Judged on XS's
 * figures only: free= (the system's free memory), else slots+chunks in use right after a garbage
 * collection (gc= went up, or the figure dropped: XS's heap use is a sawtooth between collections,
 * so only the troughs say anything). V8's heap= (Node host) is shown, not judged.
 * Falling means: at least 6 judged samples, each third of them worse than the one before, and
 * the change first → last third larger than 8 KiB and 10 %.
 */
export function memoryTrend(samples) {
  const xs = samples.filter((s) => s.free !== undefined || (s.slots !== undefined && s.chunks !== undefined));
  if (xs.length === 0) {
    const node = samples.filter((s) => s.heapUsed !== undefined);
    if (node.length) return { verdict: "info", detail: `V8 heap ${kb(node[0].heapUsed)} → ${kb(node.at(-1).heapUsed)} used (Node host: shown, not judged)` };
    return { verdict: "skip", detail: "no mem figures (a release build, or no instrumentation)" };
  }
  const useFree = xs.every((s) => s.free !== undefined);
  const value = (s) => (useFree ? s.free : s.slots + s.chunks);
  const judged = useFree ? xs : xs.filter((s, i) => i > 0 && (s.gc !== undefined && xs[i - 1].gc !== undefined ? s.gc > xs[i - 1].gc : value(s) < value(xs[i - 1])));
  const label = useFree ? "free" : "XS heap in use";
  const detail = `${label} ${kb(value(xs[0]))} → ${kb(value(xs.at(-1)))} over ${xs.length} samples${useFree ? "" : `, ${judged.length} after a collection`}`;
  if (judged.length < 6) return { verdict: "pass", detail: `${detail} (too few to judge a trend)` };
  const third = Math.floor(judged.length / 3);
  const median = (list) => { const v = list.map(value).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
  const parts = [median(judged.slice(0, third)), median(judged.slice(third, judged.length - third)), median(judged.slice(judged.length - third))];
  const worse = useFree ? (a, b) => b < a : (a, b) => b > a;
  const change = Math.abs(parts[2] - parts[0]);
  if (worse(parts[0], parts[1]) && worse(parts[1], parts[2]) && change > 8192 && change > parts[0] * 0.1) {
    return { verdict: "fail", detail: `${detail}: ${useFree ? "free memory fell" : "memory in use after collections grew"} in every third of the run (${parts.map(kb).join(" → ")}), a leak` };
  }
  return { verdict: "pass", detail };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
