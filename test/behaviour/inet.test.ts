// inet_pton / inet_ntop.
import { harness } from "test-harness";
import { EINVAL, EAFNOSUPPORT } from "usocket-xs/errno";
import { inet_pton, inet_ntop, AF_INET, AF_INET6 } from "usocket-xs/socket";
import { equal, deepEqual, throwsWith } from "./assert";

function bytes(...b: number[]): Uint8Array {
  return new Uint8Array(b);
}

harness.describe("inet_pton / inet_ntop", () => {
  harness.it("AF_INET: text to 4 bytes and back", () => {
    deepEqual(inet_pton(AF_INET, "192.168.1.20"), bytes(192, 168, 1, 20));
    equal(inet_ntop(AF_INET, bytes(192, 168, 1, 20)), "192.168.1.20");
    equal(inet_ntop(AF_INET, inet_pton(AF_INET, "0.0.0.0")), "0.0.0.0");
    equal(inet_ntop(AF_INET, inet_pton(AF_INET, "255.255.255.255")), "255.255.255.255");
  });

  harness.it("AF_INET6: \"::\" is 16 zero bytes and back", () => {
    deepEqual(inet_pton(AF_INET6, "::"), new Uint8Array(16));
    equal(inet_ntop(AF_INET6, new Uint8Array(16)), "::");
  });

  harness.it("AF_INET6: \"::1\"", () => {
    const b = new Uint8Array(16);
    b[15] = 1;
    deepEqual(inet_pton(AF_INET6, "::1"), b);
    equal(inet_ntop(AF_INET6, b), "::1");
  });

  harness.it("AF_INET6: \"::ffff:1.2.3.4\" round-trips", () => {
    const b = inet_pton(AF_INET6, "::ffff:1.2.3.4");
    deepEqual(b, bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4));
    equal(inet_ntop(AF_INET6, b), "::ffff:1.2.3.4");
  });

  harness.it("AF_INET6: full and compressed forms give canonical text", () => {
    equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, "2001:0DB8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");
    equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, "fe80::1:2")), "fe80::1:2");
    equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, "1:2:3:4:5:6:7:8")), "1:2:3:4:5:6:7:8");
    equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, "1:0:0:2:0:0:0:3")), "1:0:0:2::3");
  });

  harness.it("inet_pton() returns a Uint8Array of 4 or 16 bytes", () => {
    equal(inet_pton(AF_INET, "1.2.3.4").length, 4);
    equal(inet_pton(AF_INET6, "::1").length, 16);
    equal(inet_pton(AF_INET, "1.2.3.4") instanceof Uint8Array, true);
  });

  for (const bad of ["256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "1.2.3.4 ", "::1"]) {
    harness.it(`inet_pton(AF_INET, ${JSON.stringify(bad)}) raises EINVAL`, () => {
      throwsWith(() => inet_pton(AF_INET, bad), EINVAL);
    });
  }

  for (const bad of ["1:::2", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "", "1.2.3.4", ":::", "1.2.3.4::", "::1.2.3.4:1"]) {
    harness.it(`inet_pton(AF_INET6, ${JSON.stringify(bad)}) raises EINVAL`, () => {
      throwsWith(() => inet_pton(AF_INET6, bad), EINVAL);
    });
  }

  harness.it("an unknown family raises EAFNOSUPPORT", () => {
    throwsWith(() => inet_pton(99, "1.2.3.4"), EAFNOSUPPORT);
    throwsWith(() => inet_ntop(99, bytes(1, 2, 3, 4)), EAFNOSUPPORT);
  });

  harness.it("inet_ntop() checks the length: 16 bytes for AF_INET or 4 for AF_INET6 raise EINVAL", () => {
    throwsWith(() => inet_ntop(AF_INET, new Uint8Array(16)), EINVAL);
    throwsWith(() => inet_ntop(AF_INET, bytes(1, 2, 3)), EINVAL);
    throwsWith(() => inet_ntop(AF_INET6, bytes(1, 2, 3, 4)), EINVAL);
  });
});
