// A raw HTTP client in CPython, as source text for `python3 -c SCRIPT port actions…`: it sends
// exactly the bytes a test gives (malformed requests, split packets, stalls), then reads the answer
// to EOF. Actions, in order:
//   send:TEXT     send TEXT (Python escapes like \r\n decoded; bytes as Latin-1)
//   bytes:TEXT    send TEXT one byte per packet (TCP_NODELAY, 5 ms apart)
//   sleep:S       sleep S seconds
//   mark:NAME     print "MARK NAME" (the test knows how far the client got)
//   wait          wait for a line on stdin
//   shutwr        shutdown(SHUT_WR): the server reads EOF, the answer can still come back
//   expect100     read until the answer's first "\r\n\r\n" and print "INTERIM <json>" (a 100 Continue)
// Then it prints "RESPONSE <json>" with everything it received (Latin-1), or "RESET <json>" with what
// came before a reset. Connection refused: "ERROR <errno name>".

export const RAW_HTTP_CLIENT = String.raw`
import socket, sys, time, json, codecs, errno
def out(*a):
    print(*a, flush=True)
def text(b):
    return json.dumps(b.decode("latin-1"))
port, actions = int(sys.argv[1]), sys.argv[2:]
c = socket.socket()
c.settimeout(30)
try:
    c.connect(("127.0.0.1", port))
except OSError as e:
    out("ERROR", errno.errorcode.get(e.errno, str(e.errno)))
    sys.exit(0)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
got = b""
try:
    for act in actions:
        name, _, arg = act.partition(":")
        if name == "send":
            c.sendall(codecs.decode(arg, "unicode_escape").encode("latin-1"))
        elif name == "bytes":
            for ch in codecs.decode(arg, "unicode_escape").encode("latin-1"):
                c.sendall(bytes([ch]))
                time.sleep(0.005)
        elif name == "sleep":
            time.sleep(float(arg))
        elif name == "mark":
            out("MARK", arg)
        elif name == "wait":
            sys.stdin.readline()
        elif name == "shutwr":
            c.shutdown(socket.SHUT_WR)
        elif name == "expect100":
            while b"\r\n\r\n" not in got:
                d = c.recv(1)
                if not d:
                    break
                got += d
            out("INTERIM", text(got))
            got = b""
        else:
            raise SystemExit("unknown action " + act)
    while True:
        d = c.recv(65536)
        if not d:
            break
        got += d
    out("RESPONSE", text(got))
except (ConnectionResetError, BrokenPipeError):
    out("RESET", text(got))
`;
