// The simulator's (lin, modules/network/socket/lin) TCP rules, as a subclass of tcp.ts's lwIP
// stream. Only simulator builds carry it: manifest.json gives boards hosts/moddable/device/tcp-lin.ts.
//
// - Reading and pause(): on lin, bytes not read inside the "data received" callback are discarded,
//   so a paused stream still reads them into `held` and delivers them on resume(): memory is then
//   bounded only by the simulator's slow polling (1 KB per 20 ms).
// - Connection refused: lin reports "connected" (its poll sees the failed socket writable) and
//   then, two 20 ms polls later, "disconnected", never "error". Rule: an outgoing stream's
//   "connected" is passed on only after five 20 ms timer ticks (about 100 ms) without
//   "disconnected", or at once when a byte arrives first; a "disconnected" inside that window fails
//   the connect with ECONNREFUSED. Cost: connect() on the simulator returns about 100 ms later.
//   Misread case: a server that accepts and closes within that window without sending a byte is
//   reported as ECONNREFUSED (on lin the two are indistinguishable).
// - Closing an outgoing socket before its "connected" message: see close().
import Timer from "timer";
import type { Socket } from "socket";
import { Errno } from "usocket-xs/errno";
import { F, Msg, type ClassicStream } from "./tcp";

/**
 * "connected" stands once ProbationTicks ticks of a TickMs timer have passed without
 * "disconnected" (see the rule above). Ticks, not one 100 ms timer: on a loaded machine timers fire
 * late, and a single late 100 ms timer could fire before the SDK's 20 ms socket polls that would
 * have seen the refusal; each tick of a repeating timer is a turn of the loop in which those polls
 * run too.
 */
const enum Lin { ProbationTicks = 5, TickMs = 20 }

export function linStream(Base: typeof ClassicStream): typeof ClassicStream {
  return class LinStream extends Base {
    // Both exist only while needed (`declare`: no property, so no heap slot, until then).
    /** "connected" was seen and is on probation. */
    declare private probation: unknown;
    /** Bytes read while paused (they would be lost otherwise). */
    declare private held: Uint8Array[] | undefined;

    protected connectedMessage(): void {
      if ((this.flags & F.Connected) || this.probation !== undefined) return;
      if (!(this.flags & F.Outgoing)) { this.connectedNow(); return; }
      let ticks = 0;
      this.probation = Timer.repeat(() => {
        if (++ticks < Lin.ProbationTicks) return;
        this.endProbation();
        if (!(this.flags & (F.Closed | F.Gone))) this.connectedNow();
      }, Lin.TickMs);
    }

    private endProbation(): void {
      if (this.probation !== undefined) { Timer.clear(this.probation as Parameters<typeof Timer.clear>[0]); this.probation = undefined; }
    }

    protected connectedNow(): void {
      this.endProbation();
      super.connectedNow();
    }

    /** "disconnected" before we passed "connected" on means refused. */
    private refused(): boolean {
      return (this.flags & (F.Outgoing | F.Connected)) === F.Outgoing;
    }

    protected disconnectedErrno(): number {
      this.endProbation();
      return this.refused() ? Errno.ECONNREFUSED : 0;
    }

    protected writeErrno(): number {
      return this.refused() ? Errno.ECONNREFUSED : Errno.EPIPE;
    }

    protected readable(): void {
      if (!(this.flags & F.Paused)) { super.readable(); return; }
      const b = this.take();
      if (b) (this.held ??= []).push(b);
    }

    protected report(errno: number): void {
      const held = this.held;
      if (errno) {
        this.held = undefined;
        if (held) for (let i = 0; i < held.length; i++) this.ev.onData(held[i]);
        this.ev.onError(errno);
      } else if (held && held.length) {
        this.flags |= F.EndHeld;
      } else {
        this.ev.onEnd();
      }
    }

    /** After resume(): deliver what was held back (lin keeps nothing in the socket). */
    protected drain(): void {
      const held = this.held;
      while (held && held.length && !(this.flags & (F.Closed | F.Paused))) this.ev.onData(held.shift()!);
      if (this.flags & (F.Closed | F.Paused)) return;
      if (this.flags & F.EndHeld) { this.flags &= ~F.EndHeld; this.ev.onEnd(); }
    }

    close(): void {
      // Outgoing, not connected and not on probation (which begins at "connected"): that message is still to come.
      if ((this.flags & (F.Outgoing | F.Connected | F.Gone | F.Closed)) === F.Outgoing && this.probation === undefined) this.flags |= F.CloseOnConnected;
      this.held = undefined;
      this.endProbation();
      super.close();
    }

    /**
     * SDK 8.2.3 posts "connected" once and delivers it even to a socket closed in the meantime,
     * after freeing it (modSocket.c socketConnected has no `done` check): the simulator aborts with
     * "cannot coerce to object", then crashes. So an outgoing socket whose "connected" has not come
     * yet is closed when it comes (a connect that never completes: when TCP gives up on it).
     */
    protected release(sock: Socket): void {
      if (!(this.flags & F.CloseOnConnected)) { super.release(sock); return; }
      sock.callback = (message: number) => { if (message === Msg.Connected) super.release(sock); };
    }
  };
}
