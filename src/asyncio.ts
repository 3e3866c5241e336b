// MicroPython's `asyncio` (the subset its docs list), over the event loop JavaScript already has:
// coroutines are async functions, awaitables are Promises, and a Task is an awaitable handle that
// can be cancelled (asyncio-task.ts says exactly what cancel() stops). Streams are in
// asyncio-stream.ts.
import { host } from "usocket-xs/host";
import { socket, getaddrinfo, SOL_SOCKET, SO_REUSEADDR, SOCK_STREAM, type Socket } from "./socket";
import { OSError, Errno } from "./errno";
import { describe, checkInt } from "./arguments";
import { Deadline } from "./deadline";
import { Task, CancelledError, TimeoutError, createTask, operation, report, setExceptionHandler, type Cancellable, type ExceptionHandler } from "./asyncio-task";
import { Stream, EOFError, type StreamSocket } from "./asyncio-stream";
import type { HostAddress } from "./port";

export { Task, CancelledError, TimeoutError, Stream, Stream as StreamReader, Stream as StreamWriter, EOFError };
export type { StreamSocket, ExceptionHandler };

function quiet(): void {}

/** A pending primitive: its promise, registered so that create_task/wait_for/gather can cancel it. */
function primitive<T>(setup: (ok: (v: T) => void, fail: (e: unknown) => void) => Cancellable): Promise<T> {
  let c!: Cancellable;
  const p = new Promise<T>((ok, fail) => { c = setup(ok, fail); });
  return operation(p, c);
}

function checkDelay(ms: unknown, what: string): number {
  if (typeof ms !== "number" || ms !== ms) throw new TypeError(`${what}: expected a number, got ${describe(ms)}`);
  return ms < 0 ? 0 : Math.ceil(ms);
}

/** Resolves after ms milliseconds (0: after one turn of the event loop, letting I/O run). */
export function sleep_ms(ms: number): Promise<void> {
  const t = checkDelay(ms, "sleep_ms");
  return primitive<void>((ok, fail) => {
    const d = new Deadline(host, t, ok);
    return { cancel(e) { d.cancel(); fail(e); } };
  });
}

/** Resolves after s seconds. */
export function sleep(s: number): Promise<void> {
  checkDelay(s, "sleep");
  return sleep_ms(s * 1000);
}

/** create_task(coro): runs coro as a Task (awaitable, cancel(), done()). */
export function create_task<T>(coro: PromiseLike<T>): Task<T> {
  return createTask(coro);
}

/** run(coro): runs coro as the main task; the returned Task settles with its result. */
export function run<T>(coro: PromiseLike<T>): Task<T> {
  return createTask(coro);
}

/**
 * gather(aw, …, { return_exceptions }): the results in order, once all are done. With
 * return_exceptions, a failure takes its place in the results; without, the first failure is
 * raised (the others keep running). Cancelling the gather cancels them all.
 */
export function gather(...aws: unknown[]): Task<unknown[]> {
  let returnExceptions = false;
  const last = aws[aws.length - 1];
  if (last !== null && typeof last === "object" && !(last instanceof Task) && typeof (last as PromiseLike<unknown>).then !== "function") {
    returnExceptions = !!(last as { return_exceptions?: boolean }).return_exceptions;
    aws.pop();
  }
  const tasks: Task<unknown>[] = [];
  for (let i = 0; i < aws.length; i++) tasks.push(createTask(aws[i]));
  const g = new Task<unknown[]>();
  for (let i = 0; i < tasks.length; i++) g.own(tasks[i]);
  return g.start(new Promise<unknown[]>((ok, fail) => {
    const results: unknown[] = new Array(tasks.length);
    let left = tasks.length;
    if (!left) ok(results);
    for (let i = 0; i < tasks.length; i++) {
      const done = (v: unknown) => { results[i] = v; if (--left === 0) ok(results); };
      tasks[i].then(done, returnExceptions ? done : fail);
    }
  }));
}

/**
 * wait_for(aw, timeout): aw's result, or TimeoutError after timeout seconds (null: no limit),
 * having cancelled aw. A stream read cancelled this way consumed nothing: the next read gets the
 * bytes.
 */
export function wait_for<T>(aw: PromiseLike<T>, timeout: number | null): Task<T> {
  if (timeout === null || timeout === undefined) return waitFor(aw, Infinity);
  checkDelay(timeout, "wait_for");
  return waitFor(aw, checkDelay(timeout * 1000, "wait_for"));
}

/** wait_for() with the timeout in milliseconds. */
export function wait_for_ms<T>(aw: PromiseLike<T>, timeout: number | null): Task<T> {
  return waitFor(aw, timeout === null || timeout === undefined ? Infinity : checkDelay(timeout, "wait_for_ms"));
}

function waitFor<T>(aw: PromiseLike<T>, ms: number): Task<T> {
  const t = createTask(aw);
  const w = new Task<T>();
  w.own(t);
  return w.start(new Promise<T>((ok, fail) => {
    const d = new Deadline(host, Math.ceil(ms), () => {
      t.cancel();
      fail(new TimeoutError("wait_for: timed out"));
    });
    w.own({ cancel: () => d.cancel() }); // cancelling the wait_for also stops its timer
    t.then((v) => { d.cancel(); ok(v); }, (e) => { d.cancel(); fail(e); });
  }));
}

/** asyncio.Event. */
export class Event {
  private flag = false;
  private waiters: (() => void)[] = [];

  is_set(): boolean {
    return this.flag;
  }
  set(): void {
    this.flag = true;
    const w = this.waiters;
    this.waiters = [];
    for (let i = 0; i < w.length; i++) w[i]();
  }
  clear(): void {
    this.flag = false;
  }
  /** Resolves (true) once the event is set. */
  wait(): Promise<true> {
    if (this.flag) return Promise.resolve(true);
    return primitive<true>((ok, fail) => {
      const waiter = () => ok(true);
      this.waiters.push(waiter);
      return { cancel: (e) => { this.remove(waiter); fail(e); } };
    });
  }
  private remove(w: () => void): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }
}

/** asyncio.Lock: acquire() waits its turn (first come, first served); release() passes it on. */
export class Lock {
  private held = false;
  private waiters: (() => void)[] = [];

  locked(): boolean {
    return this.held;
  }
  acquire(): Promise<true> {
    if (!this.held) { this.held = true; return Promise.resolve(true); }
    return primitive<true>((ok, fail) => {
      const waiter = () => ok(true);
      this.waiters.push(waiter);
      return {
        cancel: (e) => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) { this.waiters.splice(i, 1); fail(e); }
        },
      };
    });
  }
  release(): void {
    if (!this.held) throw new Error("Lock.release: the lock is not acquired");
    const next = this.waiters.shift();
    if (next) next(); else this.held = false;
  }
}

/** An SSLContext (the ssl module's): wraps a connected socket into a TLS one. */
export interface TlsWrapper {
  wrap_socket(sock: Socket, options: { server_side?: boolean; server_hostname?: string }): StreamSocket | PromiseLike<StreamSocket>;
}

function tls(ssl: unknown, what: string): TlsWrapper | undefined {
  if (ssl === undefined || ssl === null || ssl === false) return undefined;
  if (typeof (ssl as TlsWrapper).wrap_socket !== "function") throw new TypeError(`${what}: ssl must be an SSLContext (an object with wrap_socket()), got ${describe(ssl)}`);
  return ssl as TlsWrapper;
}

/** open_connection(host, port, { ssl, server_hostname }) → [reader, writer] (the same Stream). */
export async function open_connection(hostname: string, port: number, options: { ssl?: unknown; server_hostname?: string } = {}): Promise<[Stream, Stream]> {
  const ctx = tls(options.ssl, "open_connection");
  const ai = (await getaddrinfo(hostname, port, 0, SOCK_STREAM))[0];
  const s = socket(ai[0], ai[1], ai[2]);
  let sock: StreamSocket = s;
  try {
    await s.connect(ai[4]);
    if (ctx) sock = await ctx.wrap_socket(s, { server_hostname: options.server_hostname ?? hostname });
  } catch (e) {
    s.close();
    throw e;
  }
  const st = new Stream(sock);
  return [st, st];
}

export type ClientHandler = (reader: Stream, writer: Stream) => unknown;

/** What start_server() returns: close() stops accepting; wait_closed() waits until it has. */
export class Server {
  /** The task that accepts clients; cancelling it closes the server too. */
  readonly task: Task<void>;

  constructor(private readonly s: Socket, cb: ClientHandler, ctx: TlsWrapper | undefined) {
    const t = this.task = new Task<void>();
    t.own({ cancel: () => s.close() });
    t.start(this.serve(cb, ctx));
  }

  /** The listening socket, in a list (CPython's Server.sockets): sockets[0].getsockname() gives the port. */
  get sockets(): Socket[] {
    return [this.s];
  }

  close(): void {
    this.s.close();
  }

  wait_closed(): Promise<void> {
    return this.task.then(quiet, quiet);
  }

  private async serve(cb: ClientHandler, ctx: TlsWrapper | undefined): Promise<void> {
    const s = this.s;
    for (;;) {
      let r: [Socket, HostAddress];
      try {
        r = await s.accept();
      } catch (e) {
        s.close();
        if (!(e instanceof OSError && e.errno === Errno.EBADF) && !(e instanceof CancelledError)) report("start_server: accept failed, server closed", e, this.task);
        return;
      }
      const c = r[0], peer = r[1];
      const t = new Task<unknown>();
      if (ctx) t.start(handshake(ctx, c, peer, cb, t));
      else t.start(call(cb, adopt(new Stream(c, peer), t)));
    }
  }
}

function adopt(st: Stream, t: Task<unknown>): Stream {
  t.own(st);
  return st;
}

function call(cb: ClientHandler, st: Stream): unknown {
  try {
    return cb(st, st);
  } catch (e) {
    return Promise.reject(e);
  }
}

async function handshake(ctx: TlsWrapper, c: Socket, peer: HostAddress, cb: ClientHandler, t: Task<unknown>): Promise<unknown> {
  let sock: StreamSocket;
  try {
    sock = await ctx.wrap_socket(c, { server_side: true });
  } catch (e) {
    c.close();
    throw e;
  }
  return call(cb, adopt(new Stream(sock, peer), t));
}

/**
 * start_server(callback, host, port, { backlog = 5, ssl }) → Server. callback(reader, writer)
 * runs as its own task for each client (it may be async); it closes the stream when done.
 */
export async function start_server(cb: ClientHandler, hostname: string, port: number, options: { backlog?: number; ssl?: unknown } = {}): Promise<Server> {
  if (typeof cb !== "function") throw new TypeError(`start_server: callback must be a function, got ${describe(cb)}`);
  const ctx = tls(options.ssl, "start_server");
  const backlog = options.backlog === undefined ? 5 : checkInt(options.backlog, "start_server", "backlog");
  const ai = (await getaddrinfo(hostname, port))[0];
  const s = socket(ai[0], SOCK_STREAM);
  try {
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    s.bind(ai[4]);
    s.listen(backlog);
  } catch (e) {
    s.close();
    throw e;
  }
  return new Server(s, cb, ctx);
}

/** The one event loop: get_event_loop().set_exception_handler(…) as in MicroPython. */
const loop = {
  create_task,
  set_exception_handler(h: ((loop: unknown, context: { message: string; exception: unknown }) => void) | null): void {
    setExceptionHandler(h ? (ctx) => h(loop, ctx) : null);
  },
};

export function get_event_loop(): typeof loop {
  return loop;
}
