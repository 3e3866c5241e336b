// The project's own declarations for Moddable's "instrumentation" module
// (modules/base/instrumentation): get() is undefined in release builds.
declare module "instrumentation" {
  const Instrumentation: {
    get(what: number): number | undefined;
    map(name: string): number | undefined;
    name(index: number): string | undefined;
  };
  export default Instrumentation;
}
