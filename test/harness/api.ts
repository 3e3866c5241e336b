// What a behaviour test may use besides the library: the same on every lane (Node with mocha,
// the XS engine under xsnap, the Moddable simulator). Peers are real programs (python3, curl, nc,
// openssl) started on the desktop side; in XS lanes the desktop starts them on the worker's behalf.

export interface PeerExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Peer {
  /** The next line the peer writes to stdout (without "\n"); rejects if it exits first. */
  line(): Promise<string>;
  /** Settles when the peer exits, with everything it wrote. */
  readonly exit: Promise<PeerExit>;
  /** Write to the peer's stdin ("" with end=true closes it). */
  write(text: string, end?: boolean): void;
  kill(): void;
}

export interface Harness {
  readonly lane: "node" | "xs" | "sim";
  /** Multiplies payload sizes: 1 where sockets are fast, small on the simulator. */
  readonly scale: number;
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void, timeoutMs?: number): void;
  /** timeoutMs: for a slow set-up (making certificates), instead of the lane's hook timeout. */
  before(body: () => Promise<void> | void, timeoutMs?: number): void;
  after(body: () => Promise<void> | void): void;
  afterEach(body: () => Promise<void> | void): void;
  /** Start a program; `python3 -c SCRIPT args…` for CPython peers. */
  spawn(command: string, args: string[]): Peer;
  sleep(ms: number): Promise<void>;
  now(): number;
  /**
   * Switch the platform's WiFi to simulated access points (README: "Simulated WiFi"), or back with
   * null. Absent on the simulator lane, whose WiFi is the SDK's own.
   */
  simulateWifi?(description: object | null): WifiSimulation;
}

export interface WifiSimulation {
  /** The simulated station link is up (joined, with an address) at this moment. */
  linkUp(): boolean;
}
