// One Web Serial port as a byte stream we can wait on: a read loop keeps everything the board
// sends in a buffer; readUntil() waits for a marker in it (with a deadline), and anything read
// outside such a wait goes to onData (the page console).
export class PortGone extends Error {}
export class Timeout extends Error {}

const decoder = new TextDecoder();

export class SerialLink {
  constructor(port) {
    this.port = port;
    this.buffer = new Uint8Array(0);
    this.waiters = [];
    this.onData = null;
    this.closed = false;
  }

  async open(baudRate = 115200) {
    await this.port.open({ baudRate });
    this.writer = this.port.writable.getWriter();
    this.reader = this.port.readable.getReader();
    this.loop = this.readLoop();
  }

  async readLoop() {
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        if (value?.length) this.push(value);
      }
    } catch {
      // The port vanished (cable pulled): every wait fails below.
    }
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new PortGone("port closed"));
  }

  push(bytes) {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    this.buffer = joined;
    if (!this.waiters.length && this.onData) {
      this.onData(decoder.decode(this.buffer));
      this.buffer = new Uint8Array(0);
    }
    for (const w of [...this.waiters]) w.check();
  }

  /** Drops what was read so far (for example the output of a program we interrupted). */
  discard() {
    this.buffer = new Uint8Array(0);
  }

  async write(bytes) {
    if (this.closed) throw new PortGone("port closed");
    try {
      await this.writer.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
    } catch {
      throw new PortGone("write failed");
    }
  }

  /** Resolves with the bytes up to and including `marker` (removed from the buffer). */
  readUntil(marker, timeoutMs = 5000) {
    const want = typeof marker === "string" ? new TextEncoder().encode(marker) : marker;
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const at = indexOf(this.buffer, want);
          if (at < 0) return;
          const end = at + want.length;
          const got = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end);
          done();
          resolve(got);
        },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      const timer = setTimeout(() => { done(); reject(new Timeout(`no ${JSON.stringify(decoder.decode(want))}`)); }, timeoutMs);
      if (this.closed) { done(); reject(new PortGone("port closed")); return; }
      this.waiters.push(waiter);
      waiter.check();
    });
  }

  async close() {
    this.closed = true;
    try { await this.reader?.cancel(); } catch { /* already gone */ }
    try { this.reader?.releaseLock(); } catch { /* already gone */ }
    try { this.writer?.releaseLock(); } catch { /* already gone */ }
    try { await this.port.close(); } catch { /* already gone */ }
  }
}

function indexOf(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
