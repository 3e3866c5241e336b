// `npm run bench:sim`'s app (bench/sim/run.mjs builds it with -i for the simulator): the article's
// web server, on usocket-xs (config.server "usocket") or on Moddable's raw Socket/Listener ("raw"),
// listening on 127.0.0.1:config.port. Once a second it collects garbage and prints the XS heap in
// use, from the SDK's instrumentation: "mem <slot heap bytes> <chunk heap bytes>". The Node side
// connects idle clients (they send nothing) between readings.
import Instrumentation from "instrumentation";
import Debug from "debug";
import Timer from "timer";
import config from "mc/config";

const SLOTS = Instrumentation.map("XS Slot Heap Used");
const CHUNKS = Instrumentation.map("XS Chunk Heap Used");
const port = Number(config.port);
const PAGE = "<!DOCTYPE html>\n<html><head><title>ESP8266 Pins</title></head><body><h1>ESP8266 Pins</h1></body></html>\n";
const HEADER = "HTTP/1.0 200 OK\r\nContent-type: text/html\r\n\r\n";

// The article's server, as examples/web-server.ts has it, without its per-client timeout (the
// article has none): one client at a time, read lines until a blank one, answer, close.
async function usocketServer() {
	const socket = await import("usocket-xs/socket");
	const { equals } = await import("usocket-xs/bytes");
	const s = socket.socket();
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
	s.bind(["127.0.0.1", port]);
	s.listen(1);
	trace(`listening usocket ${port}\n`);
	for (;;) {
		const [cl] = await s.accept();
		try {
			const f = cl.makefile("rwb", 0);
			for (;;) {
				const line = await f.readline();
				if (!line || line.length === 0 || equals(line, "\r\n") || equals(line, "\n")) break;
			}
			await cl.send(HEADER);
			await cl.send(PAGE);
		} catch {
			// that client is gone
		} finally {
			cl.close();
		}
	}
}

// The same server on the classic Listener and Socket: every connection gets its Socket at once
// (the listener callback must accept it) and keeps the request text it has read.
async function rawServer() {
	const { Listener, Socket } = await import("socket");
	const listener = new Listener({ port });
	listener.callback = function () {
		const sock = new Socket({ listener });
		let pending = "", answered = false;
		sock.callback = function (message) {
			if (message === 2 && !answered) {
				pending += this.read(String);
				let nl;
				while ((nl = pending.indexOf("\n")) >= 0) {
					const line = pending.slice(0, nl + 1);
					pending = pending.slice(nl + 1);
					if (line === "\r\n" || line === "\n") {
						answered = true;
						this.write(HEADER, PAGE);
						Timer.set(() => this.close(), 50);
						return;
					}
				}
			} else if (message < 0) {
				try { this.close(); } catch { /* closed */ }
			}
		};
	};
	trace(`listening raw ${port}\n`);
}

Timer.set(() => {
	(config.server === "raw" ? rawServer() : usocketServer()).catch((e) => trace(`server failed: ${e}\n`));
	Timer.repeat(() => {
		Debug.gc();
		trace(`mem ${Instrumentation.get(SLOTS)} ${Instrumentation.get(CHUNKS)}\n`);
	}, 1000);
}, 10);
