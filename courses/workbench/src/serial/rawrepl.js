// MicroPython's raw REPL over a SerialLink, the protocol mpremote uses: Ctrl-C stops the running
// program, Ctrl-A enters raw mode, each command is sent followed by Ctrl-D and answered with
// "OK", its output, Ctrl-D, its error, Ctrl-D, ">". Files are written as mpremote writes them:
// open once, then one `w(b'...')` command per 256-byte chunk, so no command outgrows the board's
// input buffer.
import { Timeout } from "./link.js";

export class NoMicroPython extends Error {}
export class BoardError extends Error {}

const BANNER = "raw REPL; CTRL-B to exit\r\n>";
const CHUNK = 256;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class RawRepl {
  constructor(link) {
    this.link = link;
  }

  /** Interrupts whatever runs and enters raw mode; NoMicroPython when no raw REPL answers. */
  async enter() {
    await this.link.write("\r\x03\x03");
    await sleep(100);
    this.link.discard();
    await this.link.write("\r\x01");
    try {
      await this.link.readUntil(BANNER, 2500);
    } catch (error) {
      if (error instanceof Timeout) throw new NoMicroPython("no raw REPL");
      throw error;
    }
  }

  /** Runs one command; resolves with its output, rejects with BoardError on a traceback. */
  async exec(code) {
    const bytes = new TextEncoder().encode(code);
    for (let i = 0; i < bytes.length; i += CHUNK) {
      await this.link.write(bytes.slice(i, i + CHUNK));
      if (i + CHUNK < bytes.length) await sleep(10);
    }
    await this.link.write("\x04");
    await this.link.readUntil("OK", 5000);
    const out = await this.link.readUntil("\x04", 10000);
    const err = await this.link.readUntil("\x04>", 5000);
    const text = (b) => new TextDecoder().decode(b.slice(0, b.length - (b[b.length - 1] === 62 ? 2 : 1)));
    if (err.length > 2) throw new BoardError(text(err));
    return text(out);
  }

  /** Writes a file, making its folders first; progress(bytesDone) after every chunk. */
  async writeFile(path, data, progress = () => {}) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = pyString(parts.slice(0, i).join("/"));
      await this.exec(`import os\ntry:\n os.mkdir(${folder})\nexcept OSError:\n pass\n`);
    }
    await this.exec(`f=open(${pyString(path)},'wb')\nw=f.write`);
    for (let i = 0; i < data.length; i += CHUNK) {
      await this.exec(`w(${pyBytes(data.slice(i, i + CHUNK))})`);
      progress(Math.min(i + CHUNK, data.length));
    }
    await this.exec("f.close()");
  }

  /** Soft reset inside raw mode (fresh interpreter, as mpremote does after a copy). */
  async softReset() {
    await this.link.write("\x04");
    await this.link.readUntil(BANNER, 5000);
  }

  /** Leaves raw mode and soft-reboots the friendly REPL, which runs main.py; its output then
   * flows to the link's onData. */
  async runMain() {
    await this.link.write("\x02");
    await sleep(50);
    this.link.discard();
    await this.link.write("\x04");
  }
}

function pyString(text) {
  return JSON.stringify(text); // a JSON string is a valid Python string literal for paths
}

function pyBytes(data) {
  let s = "b'";
  for (const b of data) {
    if (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c) s += String.fromCharCode(b);
    else s += "\\x" + b.toString(16).padStart(2, "0");
  }
  return s + "'";
}
