// Writing an HTTP/1.1 answer that ends the connection: status line, Content-Length, Connection:
// close, the caller's fields, the body (skipped for HEAD). Strings are sent as UTF-8.
import type { Socket } from "usocket-xs/socket";
import { encode } from "usocket-xs/bytes";

export interface Response {
  status: number;
  /** Extra header fields, e.g. [["Content-Type", "text/html; charset=utf-8"]]. */
  headers?: [string, string][];
  body?: string | Uint8Array;
}

const REASONS: { readonly [status: number]: string } = {
  200: "OK", 303: "See Other", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 408: "Request Timeout", 413: "Content Too Large", 414: "URI Too Long",
  415: "Unsupported Media Type", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
  501: "Not Implemented", 505: "HTTP Version Not Supported",
};

export function reason(status: number): string {
  return REASONS[status] ?? "Unknown";
}

/** A plain-text answer saying what was wrong: "413 Content Too Large: a body of 9000 bytes; at most 256". */
export function textResponse(status: number, message: string, headers: [string, string][] = []): Response {
  return {
    status,
    headers: [["Content-Type", "text/plain; charset=utf-8"], ...headers],
    body: `${status} ${reason(status)}${message ? `: ${message}` : ""}\n`,
  };
}

/** Sends the whole answer (the body is left out for HEAD, its Content-Length kept). */
export async function respond(cl: Socket, res: Response, head = false): Promise<void> {
  const body = typeof res.body === "string" ? encode(res.body) : res.body ?? new Uint8Array(0);
  let text = `HTTP/1.1 ${res.status} ${reason(res.status)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n`;
  const headers = res.headers ?? [];
  for (let i = 0; i < headers.length; i++) text += `${headers[i][0]}: ${headers[i][1]}\r\n`;
  const fields = encode(text + "\r\n");
  if (head || body.length === 0) return cl.sendall(fields);
  // One write: a second small one would wait for the first's ACK (Nagle) on a real network.
  const all = new Uint8Array(fields.length + body.length);
  all.set(fields, 0);
  all.set(body, fields.length);
  await cl.sendall(all);
}
