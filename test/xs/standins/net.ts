// Stand-in for Moddable's "net": Net.resolve answers one IPv4 address (or undefined) later.
// On lin, "localhost" resolves to nothing (the simulator keeps only IPv4 answers from GLib and
// gets none for it), as measured on SDK 8.2.3.
import { call, on } from "./bridge";
import { settings } from "./settings";

const pending = new Map<number, [string, (name: string, address?: string) => void]>();
let nextId = 1;
on("resolved", (ev: { id: number; address?: string }) => {
  const p = pending.get(ev.id);
  if (!p) return;
  pending.delete(ev.id);
  p[1](p[0], ev.address ?? undefined);
});

const Net = {
  resolve(host: string, callback: (name: string, address?: string) => void): void {
    const id = nextId++;
    pending.set(id, [host, callback]);
    call("resolve", { id, host, lin: settings.platform === "lin" });
  },
  get(property: string): unknown {
    if (property === "IP") return "127.0.0.1";
    if (property === "DNS") return [];
    return undefined;
  },
};
export default Net;
