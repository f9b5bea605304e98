// A full flash from the page with Espressif's esptool-js: the board's ROM bootloader is asked for
// its chip, MAC and flash size first; the server's manifest for exactly that chip and size names
// the images (the base MicroPython firmware and the lesson's LittleFS image, with their offsets
// and digests); nothing is written unless the chip is one the server has firmware for and every
// downloaded image matches its SHA-256. esptool-js writes compressed and the stub's MD5 of each
// region is compared with the server's afterwards, so a board that says "done" holds those bytes.
import { ESPLoader, Transport } from "esptool-js";

/** Refused before anything was written (unknown chip, no firmware for it, a damaged download). */
export class Refused extends Error {}

/** The board went away (unplugged, cable pulled) while it was being flashed. */
export class PortLost extends Error {
  constructor() {
    super("The device has been lost.");
    this.name = "NetworkError";
  }
}

/** Rejects when the port's device disconnects: esptool-js itself would only time out, block by block. */
function whenLost(port) {
  let stop = () => {};
  const promise = new Promise((_, reject) => {
    const onLost = () => reject(new PortLost());
    port.addEventListener?.("disconnect", onLost);
    stop = () => port.removeEventListener?.("disconnect", onLost);
  });
  promise.catch(() => {});
  return { promise, stop };
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function download(part, signal) {
  const response = await fetch(part.url, { credentials: "same-origin", signal });
  if (!response.ok) throw new Refused(`${part.name}: HTTP ${response.status}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const digest = hex(await crypto.subtle.digest("SHA-256", data));
  if (data.length !== part.size || digest !== part.sha256) throw new Refused(`${part.name}: SHA-256`);
  return data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const RELEASE_WAIT_MS = 2000;

/** Restart the board into the new firmware, as esptool.py's HardReset does: IO0 high (DTR off),
 * EN low (RTS on) for 100 ms, then EN high. esptool-js 0.7's own hard reset only releases RTS,
 * which restarts nothing when RTS was not held. */
async function hardReset(transport) {
  await transport.setDTR(false);
  await transport.setRTS(true);
  await sleep(100);
  await transport.setRTS(false);
}

/** What the board is, from its ROM bootloader: {chip, description, mac, flashSize}. */
async function identify(loader) {
  const description = await loader.main(); // sync, chip detection, the stub, the faster baud
  return {
    chip: loader.chip.CHIP_NAME,
    description,
    mac: (await loader.chip.readMac(loader)).toLowerCase(),
    flashSize: await loader.detectFlashSize(),
  };
}

/**
 * Flashes one board. `manifestFor(board)` answers the server's manifest for that board or throws
 * Refused (with the server's reason); `onProgress(done, total)` counts bytes sent to the board;
 * `onStage(key, board)` names each stage ("connecting", "checking", "writing", "resetting").
 * Resolves with {board, manifest, seconds, bytes}; rejects with Refused (nothing written), PortLost
 * or esptool-js's error, carrying `.board` when the board was identified.
 */
export async function fullFlash(port, { baud = 460800, manifestFor, onProgress = () => {}, onStage = () => {}, onLog = () => {} }) {
  const started = performance.now();
  const terminal = { clean() {}, writeLine: onLog, write: onLog };
  const transport = new Transport(port, false);
  const loader = new ESPLoader({ transport, baudrate: baud, romBaudrate: 115200, terminal });
  let board = null;
  const lost = whenLost(port);
  try {
    const work = flashing();
    work.catch(() => {}); // after a lost board, esptool-js gives up later on its own; nobody waits
    return await Promise.race([lost.promise, work]);
  } catch (error) {
    error.board = board;
    throw error;
  } finally {
    lost.stop();
    // Let go of the port, but never wait on it for long: after a write failed on a lost port,
    // esptool-js keeps that stream's writer locked and its disconnect() waits for the lock forever.
    await Promise.race([transport.disconnect().catch(() => {}), sleep(RELEASE_WAIT_MS)]);
  }

  async function flashing() {
    onStage("connecting");
    board = await identify(loader);
    onStage("checking", board);
    const manifest = await manifestFor(board);
    const parts = [];
    for (const part of manifest.parts) parts.push({ ...part, data: await download(part) });
    const total = parts.reduce((n, p) => n + p.data.length, 0);
    let before = 0;
    onStage("writing", board);
    let md5Index = 0;
    await loader.writeFlash({
      fileArray: parts.map((p) => ({ data: p.data, address: p.offset })),
      flashMode: "keep",
      flashFreq: "keep",
      flashSize: "keep",
      eraseAll: false,
      compress: true,
      // esptool-js reports compressed bytes per file; the bar shows the share of each file's image.
      reportProgress: (index, written, size) => {
        const done = before + Math.round((parts[index].data.length * written) / Math.max(size, 1));
        if (written >= size) before += parts[index].data.length;
        onProgress(Math.min(done, total), total);
      },
      // The server's MD5 of each (4-byte padded) image: the stub's digest of the flash must match.
      calculateMD5Hash: () => parts[md5Index++].md5,
    });
    onStage("resetting", board);
    await hardReset(transport);
    return { board, manifest, seconds: (performance.now() - started) / 1000, bytes: total };
  }
}
