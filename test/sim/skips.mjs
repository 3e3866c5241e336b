// The simulator lane's skips, all in one place: full test name ("suite › test") or a suite name
// (skips everything in it) → why it cannot pass on the Moddable simulator (SDK 8.2.3, lin). run.mjs
// sends this to the app, which reports each one as skipped with its reason; nothing is skipped
// silently. Every entry is a limit of the simulator's sockets (modules/network/socket/lin,
// modules/io/socket/lin), not of usocket-xs: the same tests pass on the Node and XS lanes.

// lin's classic socket reports a refused connect as "connected" then "disconnected"; hosts/moddable
// therefore reports ECONNREFUSED when a connection ends within 100 ms of "connected". A CPython
// server that accepts and closes (or shuts down its side) at once looks exactly like that.
const CLOSES_AT_ONCE = "lin: a server that closes right after accepting is indistinguishable from a refused connect (connected, then disconnected), reported as ECONNREFUSED";
// lin's classic socket ignores a recv() error (modSocket.c socketReadable: count < 0 is dropped).
const RESET_IS_EOF = "lin: the classic socket drops a failed recv() (ECONNRESET) silently and the next poll reads EOF, so a reset looks like a clean close";
// The classic socket cannot say who connected: lin's get("REMOTE_IP") returns garbage (it passes the
// sockaddr, not sin_addr, to inet_ntop) and there is no remote port at all.
const REMOTE_UNKNOWN = "lin: an accepted classic socket cannot report its peer (get(\"REMOTE_IP\") is broken on lin, modSocket.c; no remote port)";
// The classic socket's close() is all there is (modules/network/socket/lin: close(); lwip: tcp_close).
const NO_ABORT = "Moddable: the classic Socket has no abort, so SO_LINGER 0 cannot reset the connection: close() ends it with FIN";
// lin's socket service selects over the first 10 sockets of its list only (modSocket.c,
// socketServiceTimerCallback: kMaxSockets 10): with 10 connections that stay open, no other socket
// is ever read, accepted or written again.
const TEN_SOCKETS = "lin: the simulator services only the first 10 sockets of its list (modSocket.c kMaxSockets), so 10 silent clients (plus the test's own sockets) starve every later one";
const IPV4_ONLY = "lin: the simulator's sockets are AF_INET only (hosts/moddable raises EAFNOSUPPORT for IPv6)";

// The SDK's simulated WiFi (modules/network/wifi/sim/wifi.js) joins any SSID after about 3 s and
// fails only for the password "invalid!": there are no access points to describe, so no missing AP,
// no drop, no BSSID and no boot-time join (test/xs runs these over the wifi stand-in).
const SDK_WIFI = "sim: the SDK's simulated WiFi joins any SSID and rejects only the password \"invalid!\"; it has no access points to describe (no missing AP, drop, BSSID or boot-time join)";

// TLS on Moddable is the SDK's TLS 1.2 client (hosts/moddable/tls).
const SDK_CHECKS_NAME = "Moddable: the SDK's TLS checks the chain and the subjectAltName together (Session verify: true); there is no chain-only check, so check_hostname = false cannot skip the name";
const LONE_LEAF = "s_server sends only the leaf for its -servername certificate (-cert2 has no chain option), and SDK 8.2.3's TLS cannot verify a lone leaf (its check walks the chain)";

export const SKIPS = {
  "network.WLAN › no such AP: CONNECTING → NO_AP_FOUND (reconnects 0)": SDK_WIFI,
  "network.WLAN › an AP that appears later is joined by the retries: NO_AP_FOUND while retrying, then GOT_IP": SDK_WIFI,
  "network.WLAN › a drop with reconnects on: GOT_IP → CONNECTING (isconnected() false) → GOT_IP again": SDK_WIFI,
  "network.WLAN › a drop with reconnects off: GOT_IP → BEACON_TIMEOUT, and it stays down": SDK_WIFI,
  "network.WLAN › connect(ssid, key, {bssid}) joins that AP only": SDK_WIFI,
  "network.WLAN › already joined at boot: isconnected() is true before any connect() (the article's \"Already connected\")": SDK_WIFI + "; and setup/network does not run on the simulator",

  "ssl verify › CERT_REQUIRED with check_hostname = false verifies the chain but not the name": SDK_CHECKS_NAME,
  "ssl client › sends SNI: openssl s_server -servername sees the name": LONE_LEAF,
  "ssl modes › a TCP reset mid-stream is ECONNRESET, then EOF": RESET_IS_EOF,
  "eof › recv() after the peer closed returns an empty Uint8Array, repeatedly": CLOSES_AT_ONCE,
  "eof › after the peer's half-close we can still send to it": CLOSES_AT_ONCE,
  "modes › non-blocking reads at EOF return empty, not null": CLOSES_AT_ONCE,
  "reset › sending after the peer has gone raises EPIPE or ECONNRESET": CLOSES_AT_ONCE,
  "tcp client › getpeername() is the server's [host, port]; getsockname() our end": CLOSES_AT_ONCE + "; the classic socket cannot report its local address either",
  "edge cases › a client bound to a port before connect() uses that port": "lin: the classic Socket cannot bind a local port before connecting (no such option); the peer's close also reads as refused",

  "reset › peer closes with our data unread: recv() raises ECONNRESET once, then returns empty": RESET_IS_EOF,
  "reset › after a reset was reported, send() raises EPIPE or ECONNRESET": RESET_IS_EOF,
  "reset › a recv() waiting when the reset arrives rejects with ECONNRESET": RESET_IS_EOF,
  "reset › read() and readline() see the reset too": RESET_IS_EOF,
  "select › a reset is POLLIN|POLLERR|POLLHUP (25) with POLLIN asked, 29 with IN|OUT; recv() raises ECONNRESET once": RESET_IS_EOF,

  "tcp client › connects over IPv6 to ::1": IPV4_ONLY,
  "edge cases › UDP over IPv6 (::1)": IPV4_ONLY,

  "tcp server › accept() returns [socket, [host, port]] with the client's address": REMOTE_UNKNOWN,
  "reset › accept() still gives the address of a client that reset before it was accepted": REMOTE_UNKNOWN,
  "asyncio › start_server(): get_extra_info(\"peername\") is the client's [host, port]": REMOTE_UNKNOWN,
  "timeouts › connect() to a peer that never answers raises ETIMEDOUT": "lin: a connect to a listener whose accept queue is full is reported 'connected' (select says writable), so it never times out",
  "timeouts › send() to a peer that stops reading raises ETIMEDOUT once nothing fits": "sim: filling the kernel's loopback socket buffers (megabytes) at the simulator's ~50 kB/s takes minutes",
  "back-pressure › a fast CPython sender is held back while we do not read; then all 131072 bytes arrive intact": "lin: the classic socket cannot pause reading (suspend() is unimplemented), so the host keeps what arrives; and at the sim's scale the payload fits the kernel's buffers anyway",
  "back-pressure › a fast CPython client is held back before we accept() it; then its bytes arrive intact": "sim: at the sim's scale the payload (131072 bytes) fits the kernel's loopback buffers, so the client has sent it all before accept() whatever the host does; and lin's classic socket cannot pause reading either",

  "SO_LINGER › on with linger 0: close() resets the connection (the peer reads ECONNRESET)": NO_ABORT,
  "SO_LINGER › a socket accepted from a listener with SO_LINGER 0 inherits it": NO_ABORT,

  "many clients › silent clients connected first do not stop a select.poll() server serving the others": TEN_SOCKETS,
  "many clients › silent clients connected first do not stop start_server() serving the others": TEN_SOCKETS,

  "udp › an empty datagram arrives as an empty Uint8Array": "lin: the ECMA-419 UDP socket (modules/io/socket/lin/udp.c) drops zero-length datagrams",
  "udp › a large datagram (60000 bytes) round-trips intact": "lin: the ECMA-419 UDP socket receives into a 2048-byte buffer, so longer datagrams are truncated",
};
