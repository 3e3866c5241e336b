// What Python's print() writes for its arguments, shared by both platform files: the parts joined
// by spaces, then `end` ("\n" unless the last argument is `{ end: … }`, for print(x, end='')).

export function pyprint(parts: unknown[]): string {
  let end = "\n";
  const last = parts[parts.length - 1];
  if (parts.length && typeof last === "object" && last !== null && !Array.isArray(last) && "end" in last) {
    end = String((last as { end: unknown }).end);
    parts = parts.slice(0, -1);
  }
  return parts.map(show).join(" ") + end;
}

/** How Python's print would show a value: strings bare, tuples/arrays with repr'd items. */
function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return "(" + v.map((x) => (typeof x === "string" ? `'${x}'` : show(x))).join(", ") + ")";
  if (v instanceof Error) return v.message;
  return String(v);
}
