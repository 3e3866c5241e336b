// MicroPython's ValueError (a bad value of the right type). A RangeError, so code that checks for
// the RangeError the rest of the library raises for out-of-range values catches it too.
export class ValueError extends RangeError {
  declare readonly name: string;
}
// On the prototype, as OSError does: a release build that strips function names still says "ValueError".
Object.defineProperty(ValueError.prototype, "name", { value: "ValueError" });
