// The project's own declaration for Moddable's "debug" module (modules/base/debug): only what
// test/sim/tls-memory uses.
declare module "debug" {
  export default class Debug {
    /** No argument: collect garbage now. */
    static gc(enable?: boolean): void;
  }
}
