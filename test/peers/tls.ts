// TLS peers and throw-away certificates. Every key is made at test time by `openssl` in a fresh
// temporary directory (never committed); the peers are CPython's ssl module and `openssl
// s_server`/`s_client`. Scripts are source text for `python3 -c SCRIPT args…`.
import { COMMON } from "./python";

/**
 * Makes, in a new temporary directory: a CA, a second (untrusted) CA, and certificates signed by
 * the first: server (SAN localhost, 127.0.0.1), wrong (SAN wrong.example), expired (SAN
 * localhost, notAfter yesterday), client (clientAuth), and untrusted (SAN localhost, signed by the
 * second CA). RSA 2048, as every TLS stack here accepts; the leaves share one key. Prints one JSON line: { dir, <name>: PEM,
 * <name>Key: PEM, … } and exits.
 */
export const MAKE_CERTS = String.raw`
import json, os, subprocess, tempfile
d = tempfile.mkdtemp(prefix="usocket-xs-tls-")
def run(*a):
    subprocess.run(["openssl", *a], cwd=d, check=True, capture_output=True)
def ext(name, text):
    open(os.path.join(d, name + ".ext"), "w").write(text)
for ca in ("ca", "otherca"):
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem", "-days", "2",
        "-subj", "/CN=usocket-xs test " + ca, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
# One key for every leaf (key generation is the slow part on a loaded machine; the certificates differ).
run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "leaf.key")
def leaf(name, cn, san, ca="ca", days="1", usage="serverAuth"):
    open(os.path.join(d, name + ".key"), "w").write(open(os.path.join(d, "leaf.key")).read())
    run("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn)
    ext(name, "basicConstraints=CA:FALSE\nextendedKeyUsage=" + usage + "\n" + ("subjectAltName=" + san + "\n" if san else ""))
    run("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial", "-days", days,
        "-extfile", name + ".ext", "-out", name + ".pem")
leaf("server", "localhost", "DNS:localhost,IP:127.0.0.1")
leaf("wrong", "wrong.example", "DNS:wrong.example")
leaf("expired", "localhost", "DNS:localhost,IP:127.0.0.1", days="-1")
leaf("client", "usocket-xs client", "", usage="clientAuth")
leaf("untrusted", "localhost", "DNS:localhost,IP:127.0.0.1", ca="otherca")
out = {"dir": d}
for n in ("ca", "otherca", "server", "wrong", "expired", "client", "untrusted"):
    out[n] = open(os.path.join(d, n + ".pem")).read()
    out[n + "Key"] = open(os.path.join(d, n + ".key")).read()
    # the leaf followed by its CA: what a server sends (a chain, not only its leaf)
    open(os.path.join(d, n + "-chain.pem"), "w").write(out[n] + (out["otherca" if n == "untrusted" else "ca"] if n not in ("ca", "otherca") else ""))
print(json.dumps(out), flush=True)
`;

const TLS_COMMON = COMMON + String.raw`
import ssl

def shut(c, act):
    if act == "unwrap":
        c = c.unwrap()          # close_notify, then the TCP connection stays open
        out("UNWRAPPED")
        return c
    return None
`;

/**
 * CPython TLS server. argv: dir cert [verify] actions…  — cert is a name from MAKE_CERTS (its
 * chain file is served); verify "-" or "none" | "optional" | "required" (client certificates, CA =
 * ca.pem). Prints "READY <port>", accepts one connection, handshakes, prints
 * "HANDSHAKE <version> <sni|-> <client cert CN|->" (or "TLSERROR <reason>"), then runs the actions
 * (COMMON's, plus "unwrap": send close_notify).
 */
export const TLS_SERVER = TLS_COMMON + String.raw`
d, cert, verify = sys.argv[1], sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, cert + "-chain.pem"), os.path.join(d, cert + ".key"))
if verify in ("optional", "required"):
    ctx.verify_mode = ssl.CERT_OPTIONAL if verify == "optional" else ssl.CERT_REQUIRED
    ctx.load_verify_locations(os.path.join(d, "ca.pem"))
sni = ["-"]
def on_sni(sock, name, context):
    sni[0] = name or "-"
ctx.sni_callback = on_sni
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(8)
out("READY", srv.getsockname()[1])
raw, addr = srv.accept()
try:
    c = ctx.wrap_socket(raw, server_side=True)
except (ssl.SSLError, OSError) as e:
    out("TLSERROR", getattr(e, "reason", None) or type(e).__name__)
    sys.exit(0)
peer = c.getpeercert()
cn = "-"
if peer:
    for rdn in peer.get("subject", ()):
        for k, v in rdn:
            if k == "commonName":
                cn = v.replace(" ", "_")
out("HANDSHAKE", c.version(), sni[0], cn)
acts = sys.argv[4:]
for i, act in enumerate(acts):
    if act == "unwrap":
        shut(c, act)
        time.sleep(0.5)
        break
    run(c, [act])
out("DONE")
`;

/**
 * CPython TLS client. argv: port dir [cafile-name|-] [server_hostname|-] [client cert name|-] actions…
 * Prints "CONNECTED <version> <cipher>" or "TLSERROR <reason>", then runs the actions.
 */
export const TLS_CLIENT = TLS_COMMON + String.raw`
port, d, ca, name, cert = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
if ca == "-":
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
else:
    ctx.load_verify_locations(os.path.join(d, ca + ".pem"))
if cert != "-":
    ctx.load_cert_chain(os.path.join(d, cert + ".pem"), os.path.join(d, cert + ".key"))
raw = socket.create_connection(("127.0.0.1", port), timeout=10)
try:
    c = ctx.wrap_socket(raw, server_hostname=None if name == "-" else name)
except (ssl.SSLError, OSError) as e:
    out("TLSERROR", getattr(e, "reason", None) or getattr(e, "verify_message", None) or type(e).__name__)
    sys.exit(0)
c.settimeout(None)
out("CONNECTED", c.version(), c.cipher()[0])
for act in sys.argv[6:]:
    if act == "unwrap":
        shut(c, act)
        break
    run(c, [act])
out("DONE")
`;

/** `openssl s_server` arguments: serve `cert`'s chain on 127.0.0.1:0 (it prints "ACCEPT 127.0.0.1:<port>"). */
export function sServerArgs(dir: string, cert: string, extra: string[] = []): string[] {
  return ["s_server", "-accept", "127.0.0.1:0", "-cert", `${dir}/${cert}.pem`, "-key", `${dir}/${cert}.key`,
    "-cert_chain", `${dir}/ca.pem`, "-naccept", "1", ...extra];
}
