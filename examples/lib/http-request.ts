// A small, strict HTTP/1.0–1.1 request reader on usocket-xs/socket: one request per connection
// (the answer says `Connection: close`), the request line, the header fields and a body of exactly
// Content-Length bytes. No chunked uploads, no keep-alive, no pipelining. What it will not take
// becomes an HttpError with the status to answer:
//   400 malformed (request line, header syntax, bare CR, control bytes, a missing or repeated
//       Host on HTTP/1.1, a bad or repeated Content-Length, a body cut short by EOF)
//   408 the whole request did not arrive within `timeout` seconds (a slow or stalled client)
//   413 Content-Length above `maxBody`          414 a request line longer than `maxHead`
//   431 request line + header fields above `maxHead` bytes, or more than `maxFields` fields
//   501 Transfer-Encoding (chunked uploads)     505 an HTTP version other than 1.0 / 1.1
// Following RFC 9112: a bare LF ends a line like CRLF, empty lines before the request line are
// skipped, whitespace before a field's colon and obsolete line folding are rejected.
// The body is read only when the caller asks (readBody), so it can refuse a request (401, 404, 413)
// without reading what it does not want.
import type { Socket } from "usocket-xs/socket";
import { OSError, ETIMEDOUT } from "usocket-xs/errno";

export interface Limits {
  /** Bytes of request line + header fields (default 4096: a phone browser sends about 1 KB). */
  maxHead?: number;
  /** Header fields at most (default 40). */
  maxFields?: number;
  /** Body bytes at most (default 256). */
  maxBody?: number;
  /** Seconds the whole request may take to arrive (default 5). */
  timeout?: number;
}

export interface Request {
  method: string;
  /** The request target as sent: "/relay?x=1". */
  target: string;
  /** The target's path: "/relay" (also for an absolute-form target "http://host/relay"). */
  path: string;
  /** After "?", or "". */
  query: string;
  version: "HTTP/1.0" | "HTTP/1.1";
  /** Field names in lower case; a repeated field's values joined by ", ". */
  headers: Map<string, string>;
  /** Content-Length, 0 when absent. */
  contentLength: number;
}

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
Object.defineProperty(HttpError.prototype, "name", { value: "HttpError" });

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TARGET = /^[\x21-\x7e]+$/;
// Field values: visible ASCII, space, tab and obs-text (0x80-0xff); no other control bytes.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The limits with their defaults filled in. */
export function limits(l: Limits = {}): Required<Limits> {
  return { maxHead: l.maxHead ?? 4096, maxFields: l.maxFields ?? 40, maxBody: l.maxBody ?? 256, timeout: l.timeout ?? 5 };
}

/**
 * Bytes as Latin-1 text, each byte one character (header bytes are not decoded as UTF-8), 32 at a
 * time: each argument of fromCharCode.apply takes a slot of XS's small stack.
 */
function latin1(b: Uint8Array, end: number): string {
  let s = "";
  for (let i = 0; i < end; i += 32) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(i + 32, end)) as unknown as number[]);
  }
  return s;
}

/** Sets the socket's timeout to what is left before `deadline` (ms); 408 if nothing is left. */
function timeLeft(cl: Socket, deadline: number): void {
  const left = deadline - Date.now();
  if (left <= 0) throw new HttpError(408, "request not complete in time");
  cl.settimeout(left / 1000);
}

/** ETIMEDOUT → 408; anything else as it is. (Inline at each read: every nested async call costs XS stack.) */
function timedOut(e: unknown): unknown {
  return e instanceof OSError && e.errno === ETIMEDOUT ? new HttpError(408, "request not complete in time") : e;
}

/**
 * Reads the request line and header fields. Resolves null if the client closed (or only sent
 * empty lines) before a request line: nothing to answer. Other socket errors (ECONNRESET…) reject
 * as they are.
 */
export async function readHead(cl: Socket, options: Limits = {}, started = Date.now()): Promise<Request | null> {
  const lim = limits(options);
  const deadline = started + lim.timeout * 1000;
  let used = 0;
  let requestLine: string | undefined;
  const fields: string[] = [];
  for (;;) {
    const budget = lim.maxHead - used;
    let line: Uint8Array | null = new Uint8Array(0);
    if (budget > 0) {
      timeLeft(cl, deadline);
      try {
        line = await cl.readline(budget);
      } catch (e) {
        throw timedOut(e);
      }
    }
    if (budget <= 0 || (line !== null && line.length === budget && line[budget - 1] !== 10)) {
      throw requestLine === undefined
        ? new HttpError(414, `request line longer than ${lim.maxHead} bytes`)
        : new HttpError(431, `request line and header fields longer than ${lim.maxHead} bytes`);
    }
    if (line === null || line.length === 0) {
      if (requestLine === undefined) return null;
      throw new HttpError(400, "connection closed before the end of the header fields");
    }
    used += line.length;
    if (line[line.length - 1] !== 10) throw new HttpError(400, "connection closed in the middle of a line");
    let end = line.length - 1;
    if (end > 0 && line[end - 1] === 13) end--;
    const text = latin1(line, end);
    if (text.indexOf("\r") >= 0) throw new HttpError(400, "bare CR in the request");
    if (requestLine === undefined) {
      if (text.length > 0) requestLine = text; // empty lines before the request line are skipped
      continue;
    }
    if (text.length === 0) break;
    if (fields.length >= lim.maxFields) throw new HttpError(431, `more than ${lim.maxFields} header fields`);
    fields.push(text);
  }
  return parse(requestLine, fields);
}

function parse(requestLine: string, fields: string[]): Request {
  const parts = requestLine.split(" ");
  if (parts.length !== 3) throw new HttpError(400, "the request line is not METHOD SP target SP version");
  const [method, target, version] = parts;
  if (!TOKEN.test(method)) throw new HttpError(400, "bad method");
  if (!TARGET.test(target)) throw new HttpError(400, "bad request target");
  if (version !== "HTTP/1.0" && version !== "HTTP/1.1") {
    if (/^HTTP\/\d\.\d$/.test(version)) throw new HttpError(505, `${version} is not supported (HTTP/1.0 and HTTP/1.1 are)`);
    throw new HttpError(400, "bad HTTP version");
  }
  const path = pathOf(target);
  const q = target.indexOf("?");

  const headers = new Map<string, string>();
  let hosts = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f[0] === " " || f[0] === "\t") throw new HttpError(400, "obsolete line folding in the header fields");
    const colon = f.indexOf(":");
    if (colon <= 0) throw new HttpError(400, "a header line without a field name and colon");
    const name = f.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpError(400, `bad header field name ${JSON.stringify(name)}`);
    const value = f.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) throw new HttpError(400, `control bytes in header field ${name}`);
    const key = name.toLowerCase();
    if (key === "host") hosts++;
    const before = headers.get(key);
    headers.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  if (hosts > 1) throw new HttpError(400, "more than one Host header field");
  if (version === "HTTP/1.1" && hosts === 0) throw new HttpError(400, "an HTTP/1.1 request without a Host header field");
  if (headers.has("transfer-encoding")) throw new HttpError(501, "Transfer-Encoding is not supported: send Content-Length");

  let contentLength = 0;
  const cl = headers.get("content-length");
  if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl)) throw new HttpError(400, "bad Content-Length");
    contentLength = Number(cl);
  }
  return { method, target, path, query: q >= 0 ? target.slice(q + 1) : "", version, headers, contentLength };
}

/** "/a?b" → "/a"; "http://host:80/a?b" → "/a"; "*" stays "*". */
function pathOf(target: string): string {
  let t = target;
  if (t[0] !== "/" && t !== "*") {
    const m = /^[hH][tT][tT][pP][sS]?:\/\/[^/?#]+(.*)$/.exec(t);
    if (!m) throw new HttpError(400, "bad request target");
    t = m[1] || "/";
  }
  const q = t.indexOf("?");
  const path = q >= 0 ? t.slice(0, q) : t;
  if (path.indexOf("#") >= 0) throw new HttpError(400, "a fragment in the request target");
  return path;
}

/**
 * Reads the body (exactly Content-Length bytes): 413 above maxBody (nothing read), 400 if the
 * connection ends first, 408 past the deadline. Answers `Expect: 100-continue` first (curl sends
 * it before larger bodies and waits a second for it).
 */
export async function readBody(cl: Socket, req: Request, options: Limits = {}, started = Date.now()): Promise<Uint8Array> {
  const lim = limits(options);
  if (req.contentLength > lim.maxBody) throw new HttpError(413, `a body of ${req.contentLength} bytes; at most ${lim.maxBody}`);
  if (req.contentLength === 0) return new Uint8Array(0);
  if (req.version === "HTTP/1.1" && (req.headers.get("expect") ?? "").toLowerCase() === "100-continue") {
    await cl.sendall("HTTP/1.1 100 Continue\r\n\r\n");
  }
  const deadline = started + lim.timeout * 1000;
  timeLeft(cl, deadline);
  let body: Uint8Array | null;
  try {
    body = await cl.read(req.contentLength);
  } catch (e) {
    throw timedOut(e);
  }
  if (body === null || body.length < req.contentLength) throw new HttpError(400, "connection closed before the end of the body");
  return body;
}
