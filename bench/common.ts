// Shared by the bench's processes: the payload, its checksum, and the article's page.

/** Adler-32, streamed: the same code checksums what one end sends and what the other receives. */
export class Adler32 {
  private a = 1;
  private b = 0;
  update(buf: Uint8Array): void {
    let a = this.a, b = this.b, i = 0;
    const n = buf.length;
    while (i < n) {
      const end = Math.min(n, i + 5552); // zlib's NMAX: reduce before the sums grow past 2^32
      const end8 = i + ((end - i) & ~7);
      for (; i < end8; i += 8) { // eight steps of "a += x; b += a" at once
        const x0 = buf[i], x1 = buf[i + 1], x2 = buf[i + 2], x3 = buf[i + 3];
        const x4 = buf[i + 4], x5 = buf[i + 5], x6 = buf[i + 6], x7 = buf[i + 7];
        b += 8 * a + 8 * x0 + 7 * x1 + 6 * x2 + 5 * x3 + 4 * x4 + 3 * x5 + 2 * x6 + x7;
        a += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
      }
      for (; i < end; i++) {
        a += buf[i];
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
    this.a = a;
    this.b = b;
  }
  digest(): number {
    return ((this.b << 16) | this.a) >>> 0;
  }
}

export const CHUNK = 64 * 1024;
const SPREAD = 4096;

/** Pseudo-random bytes, CHUNK + SPREAD of them; chunk i starts at a different offset. */
function pattern(): Uint8Array {
  const p = new Uint8Array(CHUNK + SPREAD);
  let x = 0x9e3779b9;
  for (let i = 0; i < p.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    p[i] = x & 0xff;
  }
  return p;
}
const PATTERN = pattern();

/** The i-th chunk of a payload of `total` bytes (the last may be shorter); a view, not a copy. */
export function chunk(i: number, total: number): Uint8Array {
  const len = Math.min(CHUNK, total - i * CHUNK);
  const off = (i * 1031) % SPREAD;
  return PATTERN.subarray(off, off + len);
}

export function chunks(total: number): number {
  return Math.ceil(total / CHUNK);
}

/** The article's page with the desktop's static pin table, exactly as examples/pin-table.ts sends it. */
export const PAGE = `<!DOCTYPE html>
<html>
    <head> <title>ESP8266 Pins</title> </head>
    <body> <h1>ESP8266 Pins</h1>
        <table border="1"> <tr><th>Pin</th><th>Value</th></tr> <tr><td>Pin(0)</td><td>1</td></tr>
<tr><td>Pin(2)</td><td>0</td></tr>
<tr><td>Pin(4)</td><td>1</td></tr>
<tr><td>Pin(5)</td><td>0</td></tr>
<tr><td>Pin(12)</td><td>0</td></tr>
<tr><td>Pin(13)</td><td>1</td></tr>
<tr><td>Pin(14)</td><td>0</td></tr>
<tr><td>Pin(15)</td><td>0</td></tr> </table>
    </body>
</html>
`;
export const HEADER = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n";
