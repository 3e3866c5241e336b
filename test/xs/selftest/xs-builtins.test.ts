// The XS built-ins the lane adds to xsnap (standins/xs-builtins.ts) give what Moddable's XS gives
// (xs/sources/xsDataView.c fx_ArrayBuffer_fromString, xsString.c fx_String_prototype_*WellFormed).
import { harness } from "test-harness";
import { equal, deepEqual } from "../../behaviour/assert";

/* eslint-disable @typescript-eslint/no-explicit-any */
const fromString = (s: string): number[] => Array.from(new Uint8Array((ArrayBuffer as any).fromString(s)));

harness.describe("XS built-ins missing from xsnap", () => {
  harness.it("ArrayBuffer.fromString gives UTF-8, NUL as 00, a lone surrogate as its 3-byte form", () => {
    deepEqual(fromString("h\u00e9\u20ac\u{1f600}"), [0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    deepEqual(fromString("a\u0000b"), [0x61, 0, 0x62]);
    deepEqual(fromString("\ud800"), [0xed, 0xa0, 0x80]);
    deepEqual(fromString(""), []);
  });

  harness.it("isWellFormed and toWellFormed: lone surrogates only", () => {
    equal((("abc\u{1f600}") as any).isWellFormed(), true);
    equal((("a\ud800") as any).isWellFormed(), false);
    equal((("\udc00z") as any).isWellFormed(), false);
    equal((("a\ud800b\udc00\u{1f600}") as any).toWellFormed(), "a\ufffdb\ufffd\u{1f600}");
  });
});
