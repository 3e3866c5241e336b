// The digital stand-in's own tests: what Moddable's embedded:io/digital does on ESP32 (SDK 8.2.3,
// modules/io/digital/esp32/digitalbank.c), checked through the class directly.
import { harness } from "test-harness";
import Digital from "embedded:io/digital";
import { levelOf, historyOf } from "../standins/digital";
import { equal, throwsWith } from "../../behaviour/assert";

harness.describe("stand-in embedded:io/digital (esp32)", () => {
  harness.it("an output starts at its initialValue (0 unless given) and write() sets the level", () => {
    const d = new Digital({ pin: 13, mode: Digital.Output });
    try {
      equal(levelOf(13), 0);
      d.write(1);
      equal(levelOf(13), 1);
      d.write(0);
      equal(historyOf(13).join(""), "010");
    } finally { d.close(); }
  });

  harness.it("activeLow inverts writes and the initial value: an active-low output opened OFF is high", () => {
    const d = new Digital({ pin: 14, mode: Digital.Output, activeLow: true, initialValue: 0 });
    try {
      equal(levelOf(14), 1);
      d.write(1);
      equal(levelOf(14), 0);
    } finally { d.close(); }
  });

  harness.it("\"in use\" for a pin already open; free again after close()", () => {
    const d = new Digital({ pin: 15, mode: Digital.Output });
    throwsWith(() => new Digital({ pin: 15, mode: Digital.Output }), Error, /^in use$/);
    d.close();
    d.close(); // a second close is harmless
    new Digital({ pin: 15, mode: Digital.Output }).close();
  });

  harness.it("\"invalid pin\" for GPIOs the ESP32 lacks, \"input only\" for an output on 34-39, \"invalid mode\"", () => {
    for (const pin of [20, 24, 28, 31, 40, 63]) throwsWith(() => new Digital({ pin, mode: Digital.Output }), Error, /^invalid pin$/);
    throwsWith(() => new Digital({ pin: -1, mode: Digital.Output }), Error, /^invalid bank$/);
    const d = new Digital({ pin: 2.5, mode: Digital.Output }); // taken bitwise, as digital.js does: GPIO 2
    d.write(1);
    equal(levelOf(2), 1);
    d.close();
    throwsWith(() => new Digital({ pin: 34, mode: Digital.Output }), RangeError, /^input only$/);
    throwsWith(() => new Digital({ pin: 16, mode: 5 }), RangeError, /^invalid mode$/);
    new Digital({ pin: 34, mode: Digital.Input }).close();
  });

  harness.it("an output cannot be read, an input cannot be written, and nothing works after close()", () => {
    const out = new Digital({ pin: 17, mode: Digital.Output });
    throwsWith(() => out.read(), Error, /^can't read output$/);
    out.close();
    throwsWith(() => out.write(1), SyntaxError, /invalid host data/);
    const inp = new Digital({ pin: 35, mode: Digital.Input });
    throwsWith(() => inp.write(1), Error, /^can't write input$/);
    inp.close();
  });
});
