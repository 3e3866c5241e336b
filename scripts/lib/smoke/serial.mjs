// The serial port side of the smoke runner: open with npm serialport (which takes an exclusive
// flock on Linux), say clearly why an open failed, reset the board the way serial2xsbug does
// (RTS on with DTR off for 5 ms; best effort: a pseudo-terminal rejects the ioctl), switch baud.
import { SerialPort } from "serialport";
import { readdirSync, readlinkSync, readFileSync, realpathSync } from "node:fs";

/** Processes that have `path` open (Linux /proc), as "pid 123 (serial2xsbug)"; [] elsewhere. */
export function holders(path) {
  let target;
  try { target = realpathSync(path); } catch { return []; }
  const found = [];
  let pids = [];
  try { pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid); } catch { return []; }
  for (const pid of pids) {
    let fds = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let link;
      try { link = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      if (link === target) {
        let name = "?";
        try { name = readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { /* gone */ }
        found.push(`pid ${pid} (${name})`);
        break;
      }
    }
  }
  return found;
}

/** An Error whose message says what to do about a failed open. */
export function explainOpenError(path, err, others = []) {
  const msg = String(err?.message ?? err);
  let text;
  if (/Cannot lock port|Resource temporarily unavailable|Device or resource busy|exclusively lock/i.test(msg)) {
    const who = others.length ? `held by ${others.join(", ")}` : "held by another program";
    text = `${path} is in use: ${who}. Close it (serial2xsbug, xsbug, idf.py monitor, screen, minicom, another smoke run) and run again.`;
  } else if (/Permission denied/i.test(msg)) {
    text = `no permission to open ${path}: add yourself to the group that owns it (Debian/Ubuntu: sudo usermod -aG dialout $USER, then log out and in), or check its mode with ls -l ${path}.`;
  } else if (/No such file or directory/i.test(msg)) {
    text = `${path} does not exist: is the board plugged in (a data cable, not a charge-only one)? Serial ports here: ls /dev/ttyUSB* /dev/ttyACM* (macOS: /dev/cu.*).`;
  } else {
    text = `cannot open ${path}: ${msg}`;
  }
  const e = new Error(text);
  e.code = "PORT";
  return e;
}

/** Open `path` at `baudRate`; rejects with explainOpenError's message. */
export function openPort(path, baudRate) {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    port.open((err) => {
      if (err) reject(explainOpenError(path, err, holders(path)));
      else resolve(port);
    });
  });
}

const set = (port, flags) => new Promise((resolve, reject) => port.set(flags, (e) => (e ? reject(e) : resolve())));

/** RTS pulse with DTR off (serial2xsbug's reset). Resolves to null, or the reason it could not. */
export async function resetBoard(port) {
  try {
    await set(port, { dtr: false, rts: true });
    await new Promise((r) => setTimeout(r, 5));
    await set(port, { dtr: false, rts: false });
    return null;
  } catch (e) {
    return String(e?.message ?? e).replace(/^Error: /, "");
  }
}

export function setBaud(port, baudRate) {
  return new Promise((resolve, reject) => port.update({ baudRate }, (e) => (e ? reject(e) : resolve())));
}

/** Drop what the port has received and not yet delivered (tcflush); best effort. */
export function flushPort(port) {
  return new Promise((resolve) => port.flush(() => resolve()));
}

export function writePort(port, bytes) {
  return new Promise((resolve) => {
    port.write(bytes, (e) => resolve(e ?? null));
  });
}

export function closePort(port) {
  return new Promise((resolve) => {
    if (!port?.isOpen) { resolve(); return; }
    port.close(() => resolve());
  });
}
