// CPython peers, as source text for `python3 -c SCRIPT args…`. Each one talks on 127.0.0.1 only,
// prints "READY <port>" once it listens or is bound, and writes results as lines on stdout.
//
// The TCP peers run a list of actions given as arguments, one per argument, in order:
//   send:TEXT        send TEXT (Python escapes like \n are decoded)
//   sendn:N          send N bytes of b"x"
//   sendrand:N       send N random bytes, then print "SENT <n> <sha256>"
//   fastsend:N:T     send N random bytes with a small send buffer; after T seconds print
//                    "PROGRESS <bytes sent so far>", then when all is sent "SENT <n> <sha256>"
//   sleep:S          sleep S seconds
//   wait             wait for a line on stdin (the test says when)
//   peek             wait until bytes have arrived, reading none of them (recv with MSG_PEEK)
//   recv:N           receive exactly N bytes (or to EOF), print "GOT <json string, latin-1>"
//   recveof          receive to EOF, print "EOF <n> <sha256>"
//   slowread:C:S     recv(C) then sleep S, until EOF; print "EOF <n> <sha256>"
//   echo             echo everything back until EOF
//   peeraddr         print "PEER <host> <port>"   localaddr: "LOCAL <host> <port>"
//   shutwr           shutdown(SHUT_WR)
//   linger0          SO_LINGER on with 0 s: close() sends RST
//   close            close the connection
// When the list is done the peer prints "DONE" and exits (closing the connection if still open).

export const COMMON = String.raw`
import socket, sys, time, hashlib, os, json, threading, struct, codecs

def out(*a):
    print(*a, flush=True)

def run(c, actions):
    for act in actions:
        name, _, arg = act.partition(":")
        if name == "send":
            c.sendall(codecs.decode(arg, "unicode_escape").encode("latin-1"))
        elif name == "sendn":
            c.sendall(b"x" * int(arg))
        elif name == "sendrand":
            data = os.urandom(int(arg))
            c.sendall(data)
            out("SENT", len(data), hashlib.sha256(data).hexdigest())
        elif name == "fastsend":
            n, t = arg.split(":")
            data = os.urandom(int(n))
            sent = [0]
            def pump():
                view = memoryview(data)
                while sent[0] < len(data):
                    sent[0] += c.send(view[sent[0]:sent[0] + 65536])
            th = threading.Thread(target=pump, daemon=True)
            th.start()
            time.sleep(float(t))
            out("PROGRESS", sent[0])
            th.join()
            out("SENT", len(data), hashlib.sha256(data).hexdigest())
        elif name == "sleep":
            time.sleep(float(arg))
        elif name == "wait":
            sys.stdin.readline()
        elif name == "peek":
            c.recv(1, socket.MSG_PEEK)
        elif name == "recv":
            want, got = int(arg), b""
            while len(got) < want:
                d = c.recv(want - len(got))
                if not d:
                    break
                got += d
            out("GOT", json.dumps(got.decode("latin-1")))
        elif name in ("recveof", "slowread"):
            size, pause = 65536, 0.0
            if name == "slowread":
                a, b = arg.split(":")
                size, pause = int(a), float(b)
            h, n = hashlib.sha256(), 0
            while True:
                try:
                    d = c.recv(size)
                except ConnectionResetError:
                    out("RESET", n)
                    return
                if not d:
                    break
                h.update(d)
                n += len(d)
                if pause:
                    time.sleep(pause)
            out("EOF", n, h.hexdigest())
        elif name == "echo":
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
        elif name == "peeraddr":
            out("PEER", *c.getpeername()[:2])
        elif name == "localaddr":
            out("LOCAL", *c.getsockname()[:2])
        elif name == "shutwr":
            c.shutdown(socket.SHUT_WR)
        elif name == "linger0":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif name == "close":
            c.close()
        else:
            raise SystemExit("unknown action " + act)
`;

/** argv: actions… — accepts one connection on 127.0.0.1:0 and runs the actions on it. */
export const TCP_SERVER = COMMON + String.raw`
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(8)
out("READY", srv.getsockname()[1])
c, addr = srv.accept()
run(c, sys.argv[1:])
out("DONE")
`;

/** argv: port actions… — connects to 127.0.0.1:port (no retry), prints "CONNECTED <local port>" or "ERROR <errno name>". */
export const TCP_CLIENT = COMMON + String.raw`
import errno as _errno
c = socket.socket()
c.settimeout(10)
try:
    c.connect(("127.0.0.1", int(sys.argv[1])))
except OSError as e:
    out("ERROR", _errno.errorcode.get(e.errno, str(e.errno)) if e.errno else type(e).__name__)
    sys.exit(0)
c.settimeout(None)
out("CONNECTED", c.getsockname()[1])
run(c, sys.argv[2:])
out("DONE")
`;

/**
 * Waits for a port on stdin, then connects at once: started before the test listens, so the
 * connection attempt follows listen() as closely as a separate process can.
 */
export const TCP_CLIENT_ON_CUE = COMMON + String.raw`
import errno as _errno
out("WAITING")
port = int(sys.stdin.readline())
c = socket.socket()
c.settimeout(10)
try:
    c.connect(("127.0.0.1", port))
except OSError as e:
    out("ERROR", _errno.errorcode.get(e.errno, str(e.errno)) if e.errno else type(e).__name__)
    sys.exit(0)
out("CONNECTED", c.getsockname()[1])
c.close()
`;

/** Listens with a full accept queue and never accepts: a connect() to it hangs (SYNs are dropped). */
export const TCP_BLACKHOLE = String.raw`
import socket, time
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(0)
port = srv.getsockname()[1]
fill = []
for i in range(4):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    fill.append(c)
    time.sleep(0.05)
print("READY", port, flush=True)
time.sleep(600)
`;

/** Holds 127.0.0.1:<any port> bound (TCP listening, or UDP with argv[1] == "udp") until killed. */
export const PORT_HOLDER = String.raw`
import socket, sys, time
udp = len(sys.argv) > 1 and sys.argv[1] == "udp"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
if not udp:
    s.listen(1)
print("READY", s.getsockname()[1], flush=True)
time.sleep(600)
`;

/** UDP echo on 127.0.0.1:0: every datagram goes back to its sender; each is logged as "GOT <len> <port>". */
export const UDP_ECHO = String.raw`
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("READY", s.getsockname()[1], flush=True)
while True:
    d, a = s.recvfrom(65536)
    print("GOT", len(d), a[1], flush=True)
    s.sendto(d, a)
`;

/**
 * argv: port payload… — sends each payload as one datagram to 127.0.0.1:port from one socket
 * (payload "n:1000" is 1000 bytes of b"y"); prints "FROM <local port>" first and "SENT" at the end.
 * argv: wait payload… — the same, but reads the port from a line on stdin after printing FROM.
 */
export const UDP_SENDER = String.raw`
import socket, sys, codecs
args = sys.argv[1:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("FROM", s.getsockname()[1], flush=True)
port = int(sys.stdin.readline() if args[0] == "wait" else args[0])
for p in args[1:]:
    data = b"y" * int(p[2:]) if p.startswith("n:") else codecs.decode(p, "unicode_escape").encode("latin-1")
    s.sendto(data, ("127.0.0.1", port))
print("SENT", flush=True)
`;

/** A minimal HTTP/1.0 client: argv: port path; prints the status line and then "BODY <json>". */
export const HTTP_CLIENT = String.raw`
import socket, sys, json
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" % sys.argv[2]).encode())
data = b""
while True:
    d = s.recv(200)
    if not d:
        break
    data += d
head, _, body = data.partition(b"\r\n\r\n")
print(head.split(b"\r\n")[0].decode(), flush=True)
print("BODY", json.dumps(body.decode("latin-1")), flush=True)
`;

/**
 * argv: port n size — n clients at once (threads), each sending "<size>\n" and size random bytes
 * (no half-close: Moddable cannot send after one), and expecting "<size> <adler32>\n" back before
 * EOF. Prints "OK <n>" when every reply was right, else "BAD <what>" for the first wrong one.
 */
export const CHECKSUM_CLIENTS = String.raw`
import socket, sys, os, zlib, threading
port, n, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
bad = []
def client(i):
    try:
        data = os.urandom(size)
        c = socket.create_connection(("127.0.0.1", port), timeout=60)
        c.sendall(b"%d\n" % size + data)
        got = b""
        while True:
            d = c.recv(4096)
            if not d:
                break
            got += d
        c.close()
        want = ("%d %d\n" % (size, zlib.adler32(data))).encode()
        if got != want:
            bad.append("client %d: got %r, expected %r" % (i, got, want))
    except Exception as e:
        bad.append("client %d: %s" % (i, e))
ts = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("BAD " + bad[0] if bad else "OK %d" % n, flush=True)
`;

/** argv: port n — opens n connections that never send, prints "HELD <n>", and keeps them until killed. */
export const SILENT_CLIENTS = String.raw`
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
held = [socket.create_connection(("127.0.0.1", port), timeout=30) for i in range(n)]
print("HELD", len(held), flush=True)
time.sleep(600)
`;

/**
 * argv: port count — opens count connections to 127.0.0.1:port at once (non-blocking connects),
 * sends "hello <i>\n" on each, reads each answer to EOF and expects "hi <i>\n"; gives up after 60 s.
 * Prints "RESULT <answered> <failed> <first failure or ->".
 */
export const BURST_CLIENT = String.raw`
import socket, sys, selectors, time
port, n = int(sys.argv[1]), int(sys.argv[2])
sel = selectors.DefaultSelector()
state = {}
for i in range(n):
    c = socket.socket()
    c.setblocking(False)
    c.connect_ex(("127.0.0.1", port))
    state[c] = [i, b""]
    sel.register(c, selectors.EVENT_WRITE)
ok = failed = 0
first = "-"
deadline = time.time() + 60
while state and time.time() < deadline:
    for key, ev in sel.select(1):
        c = key.fileobj
        i, got = state[c]
        err = None
        try:
            if ev & selectors.EVENT_WRITE:
                c.send(b"hello %d\n" % i)
                sel.modify(c, selectors.EVENT_READ)
                continue
            d = c.recv(4096)
        except OSError as e:
            d, err = None, e
        if d:
            state[c][1] = got + d
            continue
        sel.unregister(c)
        c.close()
        del state[c]
        if d == b"" and got == b"hi %d\n" % i:
            ok += 1
        else:
            failed += 1
            if first == "-":
                first = "client %d: %s" % (i, repr(err) if err else "answer %r" % got)
failed += len(state)
if state and first == "-":
    first = "%d clients still waiting after 60 s" % len(state)
print("RESULT", ok, failed, first, flush=True)
`;
