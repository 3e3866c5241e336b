// What makefile() returns: the socket's stream methods under a file's names. Closing it closes
// the socket; forgetting it does nothing (no finaliser closes a socket behind the program's back).
import type { BytesLike } from "./arguments";

interface StreamSocket {
  read(size?: number): Promise<Uint8Array | null>;
  readinto(buf: ArrayBuffer | ArrayBufferView, nbytes?: number): Promise<number | null>;
  readline(limit?: number): Promise<Uint8Array | null>;
  write(data: BytesLike): Promise<number | null>;
  close(): void;
  ioctl(request: number, arg: number): number;
  pollWatch(watcher: () => void, on: boolean): void;
}

export class SocketFile {
  constructor(private readonly socket: StreamSocket, readonly mode: string) {}

  read(size?: number): Promise<Uint8Array | null> {
    return this.socket.read(size);
  }
  readinto(buf: ArrayBuffer | ArrayBufferView, nbytes?: number): Promise<number | null> {
    return this.socket.readinto(buf, nbytes);
  }
  readline(limit?: number): Promise<Uint8Array | null> {
    return this.socket.readline(limit);
  }
  write(data: BytesLike): Promise<number | null> {
    return this.socket.write(data);
  }
  /** Lines until EOF: `for await (const line of file)`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const line = await this.socket.readline();
      if (!line || line.length === 0) return;
      yield line;
    }
  }
  /** select.poll() sees the socket's readiness (readiness.ts), reported for this object. */
  ioctl(request: number, arg: number): number {
    return this.socket.ioctl(request, arg);
  }
  pollWatch(watcher: () => void, on: boolean): void {
    this.socket.pollWatch(watcher, on);
  }
  flush(): void {}
  close(): void {
    this.socket.close();
  }
}
