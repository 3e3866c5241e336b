// MicroPython's older name for the module.
export * from "./socket";
