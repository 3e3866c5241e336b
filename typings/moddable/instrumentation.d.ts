// The project's own declarations for Moddable's "instrumentation" and "debug" modules
// (modules/base/instrumentation, modules/base/debug): only what test/sim/tls-memory uses.
declare module "instrumentation" {
  export default class Instrumentation {
    static get(index: number): number | undefined;
    static map(name: string): number;
    static name(index: number): string;
  }
}
declare module "debug" {
  export default class Debug {
    /** No argument: collect garbage now. */
    static gc(enable?: boolean): void;
  }
}
