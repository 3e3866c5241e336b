// The platform the core runs on: each build binds "usocket-xs/host" to one hosts/<name>/host.ts.
declare module "usocket-xs/host" {
  export const host: import("./port").Port;
}
