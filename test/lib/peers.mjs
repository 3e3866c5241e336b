// The desktop side of peers for the XS lanes (test/xs/parent.mjs, test/sim/run.mjs): starts the
// programs a test asks for (python3, curl, …) and relays their stdout line by line, then their
// exit with everything they wrote, to the worker side (test/harness/peers.ts). The lane supplies
// only its transport: relay(event) sends { type: "line", id, line } or
// { type: "exit", id, code, stdout, stderr } to the engine.
import { spawn } from "node:child_process";

/**
 * handle(op, msg) carries out "peer.spawn" { id, command, args }, "peer.write" { id, text, end } and
 * "peer.kill" { id }, and returns false for any other op. killAll() stops those still running.
 * stderrTail: how much of a peer's stderr its exit event carries at most (the end of it).
 */
export function createPeers(relay, { stderrTail = Infinity } = {}) {
  const children = new Map(); // id → child process

  function start({ id, command, args }) {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    children.set(id, child);
    let stdout = "", stderr = "", pending = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    const lines = () => {
      for (let i; (i = pending.indexOf("\n")) >= 0;) {
        relay({ type: "line", id, line: pending.slice(0, i).replace(/\r$/, "") });
        pending = pending.slice(i + 1);
      }
    };
    child.stdout.on("data", (s) => { stdout += s; pending += s; lines(); });
    child.stderr.on("data", (s) => { stderr += s; });
    child.stdin.on("error", () => {});
    let exited = false;
    const exit = (code) => {
      if (exited) return;
      exited = true;
      children.delete(id);
      if (pending) { pending += "\n"; lines(); }
      relay({ type: "exit", id, code, stdout, stderr: Number.isFinite(stderrTail) ? stderr.slice(-stderrTail) : stderr });
    };
    child.on("error", (e) => { stderr += `${command}: ${e.message}`; exit(null); });
    child.on("close", (code) => exit(code));
  }

  function kill(child) {
    if (child && child.exitCode === null) { try { child.kill("SIGKILL"); } catch { /* gone */ } }
  }

  return {
    handle(op, msg) {
      switch (op) {
        case "peer.spawn": start(msg); return true;
        case "peer.write": {
          const c = children.get(msg.id);
          if (c && c.stdin.writable) { if (msg.text) c.stdin.write(msg.text); if (msg.end) c.stdin.end(); }
          return true;
        }
        case "peer.kill": kill(children.get(msg.id)); return true;
        default: return false;
      }
    },
    killAll() { for (const c of children.values()) kill(c); },
  };
}
