// asyncio's tasks and how they are cancelled. JavaScript cannot throw into a running async
// function, so a task cancels what it is waiting on instead; what a task owns, and so what
// cancel() stops:
//  1. the operation it was created from: create_task(p), wait_for(p, t) and gather(p, …), where p
//     is a Stream operation, sleep(), Event.wait() or Lock.acquire(): exactly that operation;
//  2. the stream start_server() gave to the callback the task runs;
//  3. the streams on which a coroutine started an operation before create_task(coro) got it
//     (JavaScript runs an async function up to its first await at once, in the same job), so
//     wait_for(read_request(reader), 5) stops the readline() inside read_request().
// A stream the task owns (2, 3) stays owned until the task is done: its waiting operation is
// rejected with CancelledError through the socket's wait queue (nothing consumed: the bytes stay
// for the next read), or, when none is waiting, the next operation on it raises CancelledError
// once. cancel() settles the task itself at once: awaiting it raises CancelledError.

export class CancelledError extends Error {
  declare readonly name: string;
}
Object.defineProperty(CancelledError.prototype, "name", { value: "CancelledError" });

/** asyncio.TimeoutError: wait_for() gave up. */
export class TimeoutError extends Error {
  declare readonly name: string;
}
Object.defineProperty(TimeoutError.prototype, "name", { value: "TimeoutError" });

/** What a task can stop when it is cancelled. */
export interface Cancellable {
  cancel(error: CancelledError): unknown;
}

/** Operation promises (Stream operations, sleeps, Event.wait, Lock.acquire) carry how to stop them here. */
const OPERATION = Symbol("asyncio operation");

/** Marks p as an operation that cancel(error) stops: rule 1 below. */
export function operation<T>(p: Promise<T>, c: Cancellable): Promise<T> {
  (p as unknown as { [OPERATION]: Cancellable })[OPERATION] = c;
  return p;
}

/** Streams that an operation started on in this job: rule 3. */
export interface Ownable extends Cancellable {
  busy(): boolean;
}
let recent: Ownable[] = [];

export function startedRecently(s: Ownable): void {
  if (recent.push(s) === 1) Promise.resolve().then(() => { recent = []; });
}

export type ExceptionHandler = (context: { message: string; exception: unknown; future: Task<unknown> }) => void;
let handler: ExceptionHandler | null = null;

function defaultHandler(context: { message: string; exception: unknown }): void {
  const g = globalThis as unknown as { console?: { error(t: string): void }; trace?: (t: string) => void };
  const e = context.exception;
  const text = `${context.message}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  if (g.console) g.console.error(text); else if (g.trace) g.trace(text + "\n");
}

export function setExceptionHandler(h: ExceptionHandler | null): void {
  handler = h;
}

/** Reports an error nobody will see otherwise (a failed task nobody awaited): MicroPython prints it. */
export function report(message: string, exception: unknown, future: Task<unknown>): void {
  try {
    if (handler) handler({ message, exception, future }); else defaultHandler({ message, exception });
  } catch { /* a failing handler must not stop the loop */ }
}

function quiet(): void {}

const RUNNING = 0, DONE = 1, CANCELLED = 2;

export class Task<T = unknown> implements Promise<T>, Cancellable {
  private state = RUNNING;
  private observed = false;
  private readonly p: Promise<T>;
  private ok!: (v: unknown) => void;
  private fail!: (e: unknown) => void;
  /** What cancel() stops (see the top of this file). */
  owned: Cancellable[] = [];

  constructor() {
    this.p = new Promise<T>((ok, fail) => { this.ok = ok as (v: unknown) => void; this.fail = fail; });
    this.p.catch(quiet); // failures are reported by report(), never as unhandled rejections
  }

  /** Runs coro (a Promise, any awaitable, or a plain value) as this task. */
  start(coro: unknown): this {
    Promise.resolve(coro).then((v) => this.finish(true, v as T), (e) => this.finish(false, e));
    return this;
  }

  own(c: Cancellable): void {
    this.owned.push(c);
  }

  private finish(ok: boolean, v: unknown): void {
    if (this.state !== RUNNING) return;
    this.state = DONE;
    this.owned = [];
    if (ok) { this.ok(v); return; }
    this.fail(v);
    if (!this.observed && !(v instanceof CancelledError)) report("Task exception wasn't retrieved", v, this);
  }

  /** Stop the task: true if it was still running. Awaiting it then raises CancelledError. */
  cancel(error?: CancelledError): boolean {
    if (this.state !== RUNNING) return false;
    this.state = CANCELLED;
    const e = error ?? new CancelledError("task cancelled");
    this.fail(e);
    const o = this.owned;
    this.owned = [];
    for (let i = 0; i < o.length; i++) o[i].cancel(e);
    return true;
  }

  done(): boolean {
    return this.state !== RUNNING;
  }

  cancelled(): boolean {
    return this.state === CANCELLED;
  }

  then<A = T, B = never>(onDone?: ((v: T) => A | PromiseLike<A>) | null, onError?: ((e: any) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.observed = true;
    return this.p.then(onDone, onError);
  }

  catch<B = never>(onError?: ((e: any) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onError);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    this.observed = true;
    return this.p.finally(onFinally);
  }

  /** With finally(), makes a Task usable wherever a Promise is expected. */
  get [Symbol.toStringTag](): string {
    return "Task";
  }
}

/** create_task(coro): a Task running coro, owning what rules 1 and 3 above give it. */
export function createTask<T>(coro: PromiseLike<T> | T): Task<T> {
  if (coro instanceof Task) return coro;
  const t = new Task<T>();
  const op = coro instanceof Promise ? (coro as unknown as { [OPERATION]?: Cancellable })[OPERATION] : undefined;
  if (op) t.own(op);
  else {
    const r = recent;
    recent = [];
    for (let i = 0; i < r.length; i++) {
      const s = r[i];
      if (s.busy()) t.own(s);
    }
  }
  return t.start(coro);
}
