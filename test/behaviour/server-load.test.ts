// A listening socket under a burst: every client the platform queued is served, however few the
// program's backlog and however long the program takes to accept() them.
import { harness } from "test-harness";
import { fixture, expectLine } from "./fixture";
import { BURST_CLIENT } from "../peers/python";
import { equal } from "./assert";
import { text } from "./data";

/** Clients in one burst: the simulator accepts about 20 a second, the XS lane relays every byte. */
const BURST = harness.lane === "sim" ? 20 : harness.lane === "xs" ? 100 : 200;

harness.describe("server under load", () => {
  const f = fixture();

  harness.it(`a burst of ${BURST} clients against listen(1) is served completely, one at a time`, async () => {
    const { listener, port } = f.listener(1);
    const peer = f.python(BURST_CLIENT, [port, BURST]);
    const serving = (async () => {
      for (let i = 0; i < BURST; i++) {
        const [c] = await listener.accept();
        f.adopt(c);
        const line = text(await c.readline(64));
        await c.sendall(line.replace("hello", "hi"));
        c.close();
      }
    })();
    serving.catch(() => {}); // a failed run ends with the listener closed under a waiting accept()
    const [ok, failed, ...first] = await expectLine(peer, "RESULT");
    equal(`${ok} answered, ${failed} failed`, `${BURST} answered, 0 failed`, first.join(" "));
    await serving;
  }, 60000);
});
