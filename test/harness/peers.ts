// Peers in the XS lanes (worker side): programs the desktop side starts on our behalf
// (test/lib/peers.mjs), whose output it relays back. A lane supplies only its transport: how a
// request ("peer.spawn" { id, command, args }, "peer.write" { id, text, end }, "peer.kill" { id })
// reaches the desktop, and it hands every relayed event ({ type: "line", id, line } or
// { type: "exit", id, code, stdout, stderr }) to event().
import type { Peer, PeerExit } from "./api";

export type PeerRequest = "peer.spawn" | "peer.write" | "peer.kill";
export interface PeerEvent {
  type: "line" | "exit";
  id: number;
  line?: string;
  code?: number | null;
  stdout?: string;
  stderr?: string;
}

interface PeerState {
  command: string;
  lines: string[];
  waiters: { resolve(line: string): void; reject(e: Error): void }[];
  exited?: PeerExit;
  resolveExit(e: PeerExit): void;
}

export function createPeers(request: (op: PeerRequest, args: object) => void): {
  spawn(command: string, args: string[]): Peer;
  event(ev: PeerEvent): void;
} {
  const peers = new Map<number, PeerState>();
  let nextPeer = 1;

  function exitedError(p: PeerState): Error {
    return new Error(`${p.command} exited (code ${p.exited!.code}) before writing a line; stderr: ${p.exited!.stderr.trim().slice(-2000)}`);
  }

  function event(ev: PeerEvent): void {
    const id = Number(ev.id);
    const p = peers.get(id);
    if (!p) return;
    if (ev.type === "line") {
      const w = p.waiters.shift();
      if (w) w.resolve(String(ev.line)); else p.lines.push(String(ev.line));
      return;
    }
    peers.delete(id);
    p.exited = { code: ev.code ?? null, stdout: String(ev.stdout ?? ""), stderr: String(ev.stderr ?? "") };
    for (const w of p.waiters.splice(0)) w.reject(exitedError(p));
    p.resolveExit(p.exited);
  }

  function spawn(command: string, args: string[]): Peer {
    const id = nextPeer++;
    let resolveExit!: (e: PeerExit) => void;
    const exit = new Promise<PeerExit>((r) => { resolveExit = r; });
    const p: PeerState = { command, lines: [], waiters: [], resolveExit };
    peers.set(id, p);
    request("peer.spawn", { id, command, args });
    return {
      line() {
        const l = p.lines.shift();
        if (l !== undefined) return Promise.resolve(l);
        if (p.exited) return Promise.reject(exitedError(p));
        return new Promise<string>((resolve, reject) => { p.waiters.push({ resolve, reject }); });
      },
      exit,
      write(text: string, end = false) { if (!p.exited) request("peer.write", { id, text, end }); },
      kill() { if (!p.exited) request("peer.kill", { id }); },
    };
  }

  return { spawn, event };
}
