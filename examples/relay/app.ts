// The relay web app: what each request gets, and the server loop.
//   GET|HEAD /        the page (page.ts)
//   GET|HEAD /state   {"relay":"on"|"off"}
//   POST /relay       relay=on|off (form) or {"relay":"on"|"off"} (JSON) → the new state as JSON,
//                     or 303 to / for a browser's form post (Accept: text/html), so a reload does
//                     not post again
// Every request needs HTTP Basic authentication (401 first, so nothing is revealed to a stranger,
// not even which paths exist); then 404 for other paths, 405 (with Allow) for other methods, 413
// for a body above the limit, 415 for another body type, 400 for a bad value, 403 for a POST whose
// Origin is another site (a page elsewhere must not switch the relay through the browser's cached
// credentials). Requests are read by ../lib/http-request (its own statuses: 400, 408, 414, 431, 501, 505).
import type { Socket, HostAddress } from "usocket-xs/socket";
import { OSError, EBADF } from "usocket-xs/errno";
import { decode } from "usocket-xs/bytes";
import { readHead, readBody, limits, HttpError, type Limits, type Request } from "../lib/http-request";
import { respond, textResponse, type Response } from "../lib/http-response";
import { BasicAuth, challenge } from "../lib/basic-auth";
import type { RelayPin } from "../lib/relay-pin";
import { page } from "./page";

export interface RelayOptions {
  user: string;
  password: string;
  pin: RelayPin;
  limits?: Limits;
  /** Clients served at the same time (default 4); more wait in the listen backlog. */
  maxClients?: number;
  /**
   * Applied to each accepted connection inside its own task and deadline, e.g. a TLS handshake:
   * `(cl) => ctx.wrap_socket(cl, { server_side: true })`, so a client stalling in its handshake
   * holds only its own place.
   */
  wrap?: (cl: Socket) => Promise<Socket>;
  /** Where a line per client problem goes (default: nowhere). */
  log?: (...parts: unknown[]) => void;
}

const NO_STORE: [string, string][] = [["Cache-Control", "no-store"], ["X-Content-Type-Options", "nosniff"]];
const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];
/** After an answer, unread request bytes are read and dropped for at most this long (so closing does not reset the connection under the answer). */
const DRAIN_MS = 1000;
const DRAIN_BYTES = 16384;
const DRAIN_IDLE_MS = 200;

export class RelayApp {
  /** The relay's state: OFF at start (after a reboot), kept across page loads. */
  on = false;
  readonly limits: Required<Limits>;
  readonly maxClients: number;
  private readonly auth: BasicAuth;
  private readonly pin: RelayPin;
  private readonly log: (...parts: unknown[]) => void;
  private readonly wrap: ((cl: Socket) => Promise<Socket>) | undefined;

  constructor(options: RelayOptions) {
    this.auth = new BasicAuth(options.user, options.password);
    this.pin = options.pin;
    this.limits = limits(options.limits);
    this.maxClients = options.maxClients ?? 4;
    this.log = options.log ?? (() => {});
    this.wrap = options.wrap;
    this.pin.write(false);
  }

  set(on: boolean): void {
    this.pin.write(on);
    this.on = on;
  }

  /**
   * Serves clients from a listening socket until it is closed (then resolves). At most maxClients
   * at a time, each with its own deadline (limits.timeout for the request, the same for the answer),
   * so a stalled client holds one place for a few seconds and never the relay.
   */
  async serve(listener: Socket): Promise<void> {
    let active = 0;
    let wake: (() => void) | undefined;
    for (;;) {
      while (active >= this.maxClients) await new Promise<void>((resolve) => { wake = resolve; });
      let cl: Socket, addr: HostAddress;
      try {
        [cl, addr] = await listener.accept();
      } catch (e) {
        if (e instanceof OSError && e.errno === EBADF) return; // the listener was closed
        this.log("accept failed:", e);
        continue;
      }
      active++;
      // Each client starts as its own Promise job, not on top of this loop's frame (XS's stack is small).
      Promise.resolve().then(() => this.client(cl, addr)).then(() => {
        active--;
        const w = wake;
        wake = undefined;
        if (w) w();
      });
    }
  }

  /** One connection: read the request, answer, close. Never rejects. */
  async client(accepted: Socket, addr: HostAddress): Promise<void> {
    const started = Date.now();
    let cl = accepted;
    let res: Response | undefined;
    let head = false;
    let unread = false;
    try {
      if (this.wrap) {
        cl.settimeout(this.limits.timeout);
        cl = await this.wrap(cl);
      }
      const req = await readHead(cl, this.limits, started);
      if (req) {
        head = req.method === "HEAD";
        unread = req.contentLength > 0;
        res = this.route(req);
        if (res === undefined) {
          // POST /relay: the body is read here rather than in a nested async call (XS stack).
          const body = await readBody(cl, req, this.limits, started);
          unread = false;
          res = this.post(req, body);
        }
      }
    } catch (e) {
      if (e instanceof HttpError) {
        res = textResponse(e.status, e.message);
        unread = true;
        this.log(`${addr[0]}: ${e.status} ${e.message}`);
      } else {
        this.log(`${addr[0]}: request failed:`, e); // ECONNRESET…: nobody to answer
        res = undefined;
      }
    }
    try {
      if (res) {
        cl.settimeout(this.limits.timeout);
        await respond(cl, res, head);
        if (unread) await drain(cl);
      }
    } catch (e) {
      this.log(`${addr[0]}: answer failed:`, e);
    } finally {
      cl.close();
      if (cl !== accepted) accepted.close();
    }
  }

  /** The answer to a request whose head has been read, or undefined when it is a POST /relay to read the body of. */
  route(req: Request): Response | undefined {
    if (!this.auth.check(req.headers.get("authorization"))) {
      return textResponse(401, "this relay needs its user name and password", [challenge("relay")]);
    }
    const get = req.method === "GET" || req.method === "HEAD";
    switch (req.path) {
      case "/":
        if (!get) return textResponse(405, `${req.method} /`, [["Allow", "GET, HEAD"]]);
        return { status: 200, headers: [["Content-Type", "text/html; charset=utf-8"], ...NO_STORE, ["X-Frame-Options", "DENY"]], body: page(this.on) };
      case "/state":
        if (!get) return textResponse(405, `${req.method} /state`, [["Allow", "GET, HEAD"]]);
        return this.state();
      case "/relay": {
        if (req.method !== "POST") return textResponse(405, `${req.method} /relay`, [["Allow", "POST"]]);
        const foreign = crossSite(req);
        if (foreign) return textResponse(403, foreign);
        if (req.contentLength > this.limits.maxBody) return textResponse(413, `a body of ${req.contentLength} bytes; at most ${this.limits.maxBody}`);
        return undefined;
      }
      default:
        return textResponse(404, req.path);
    }
  }

  /** POST /relay with its body: switch, then the new state (or 303 to the page for a browser's form). */
  post(req: Request, body: Uint8Array): Response {
    const wanted = parseRelayBody(req.headers.get("content-type"), body);
    if (wanted instanceof HttpError) return textResponse(wanted.status, wanted.message);
    this.set(wanted);
    if ((req.headers.get("accept") ?? "").indexOf("text/html") >= 0) {
      return { status: 303, headers: [["Location", "/"], ...NO_STORE], body: "" };
    }
    return this.state();
  }

  private state(): Response {
    return { status: 200, headers: [JSON_TYPE, ...NO_STORE], body: `{"relay":"${this.on ? "on" : "off"}"}` };
  }
}

/** Why a POST comes from another site (its Origin or Sec-Fetch-Site says so), or "". */
function crossSite(req: Request): string {
  const origin = req.headers.get("origin");
  const host = req.headers.get("host");
  if (origin !== undefined && (host === undefined || origin.toLowerCase() !== `http://${host.toLowerCase()}`)) {
    return `a request from ${origin} (another site) cannot switch the relay`;
  }
  if (req.headers.get("sec-fetch-site") === "cross-site") return "a request from another site cannot switch the relay";
  return "";
}

/** relay=on|off (form) or {"relay":"on"|"off"} (JSON) → true/false, or the error to answer. */
export function parseRelayBody(contentType: string | undefined, body: Uint8Array): boolean | HttpError {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  let value: unknown;
  if (type === "application/x-www-form-urlencoded") {
    const pairs = decode(body).split("&");
    for (let i = 0; i < pairs.length; i++) {
      const eq = pairs[i].indexOf("=");
      const name = formDecode(eq >= 0 ? pairs[i].slice(0, eq) : pairs[i]);
      if (name === "relay") {
        if (value !== undefined) return new HttpError(400, "relay given twice");
        value = formDecode(eq >= 0 ? pairs[i].slice(eq + 1) : "");
      }
    }
    if (value === undefined) return new HttpError(400, "the form has no relay field (relay=on or relay=off)");
  } else if (type === "application/json") {
    let json: unknown;
    try {
      json = JSON.parse(decode(body));
    } catch {
      return new HttpError(400, "the body is not JSON");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) return new HttpError(400, 'expected {"relay": "on"} or {"relay": "off"}');
    value = (json as { relay?: unknown }).relay;
  } else {
    return new HttpError(415, `send application/x-www-form-urlencoded or application/json, not ${contentType === undefined ? "no Content-Type" : JSON.stringify(contentType)}`);
  }
  if (value === "on") return true;
  if (value === "off") return false;
  return new HttpError(400, `relay must be "on" or "off", got ${JSON.stringify(value) ?? "nothing"}`);
}

function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * Reads and drops what the client is still sending (after an answer that did not read the whole
 * request), so that closing does not reset the connection under the answer. Bounded: at most
 * DRAIN_BYTES, DRAIN_MS in all, and it stops once nothing has come for DRAIN_IDLE_MS.
 */
async function drain(cl: Socket): Promise<void> {
  const until = Date.now() + DRAIN_MS;
  let n = 0;
  try {
    while (n < DRAIN_BYTES) {
      const left = Math.min(until - Date.now(), DRAIN_IDLE_MS);
      if (left <= 0) return;
      cl.settimeout(left / 1000);
      const b = await cl.recv(2048);
      if (b.length === 0) return;
      n += b.length;
    }
  } catch {
    // quiet for DRAIN_IDLE_MS, or reset: done either way
  }
}
