// "烧录到开发板" on the lesson page: the student's program (main.py, lib/) and the lesson's
// lesson.json go onto a board already running MicroPython over its raw REPL, the board is reset
// so the program runs, and what it prints appears in the page's serial console. Without Web
// Serial (WeChat, Safari, Firefox, phones) the page shows the zip and the makerroom-flash
// command instead of a button that cannot work. A board without MicroPython gets a full flash
// (MicroPython and the lesson, with esptool-js loaded on demand) for those the server allows, and
// a student's board is then recorded against the kit on loan to them.
import { PortGone, SerialLink } from "./link.js";
import { BoardError, NoMicroPython, RawRepl } from "./rawrepl.js";

// USB bridges found on ESP32 boards (CP210x, CH34x, FTDI, Espressif's own USB).
const FILTERS = [0x10c4, 0x1a86, 0x0403, 0x303a].map((usbVendorId) => ({ usbVendorId }));

export class BoardFlash {
  constructor(root, data, workbench) {
    this.root = root;
    this.data = data;
    this.s = data.strings;
    this.workbench = workbench;
    const $ = (sel) => root.querySelector(sel);
    this.ui = { button: $("[data-bf-button]"), status: $("[data-bf-status]"), progress: $("[data-bf-progress]"), fallback: $("[data-bf-fallback]"), full: $("[data-bf-full]"), fullButton: $("[data-bf-full-button]") };
    if (!("serial" in navigator)) {
      this.ui.button.hidden = true;
      this.ui.fallback.hidden = false;
      root.dataset.state = "unsupported";
      return;
    }
    this.ui.button.addEventListener("click", () => this.flash());
    this.ui.fullButton?.addEventListener("click", () => this.fullFlash());
    root.dataset.state = "idle";
  }

  say(key, extra = "") {
    this.root.dataset.state = key;
    this.ui.status.textContent = this.s[key] + (extra ? ` ${extra}` : "");
  }

  files() {
    const enc = new TextEncoder();
    const files = Object.entries(this.workbench.editor.files()).map(([path, text]) => [path, enc.encode(text)]);
    files.push(["lesson.json", enc.encode(JSON.stringify(this.data.lesson_json) + "\n")]);
    return files;
  }

  async flash() {
    this.ui.button.disabled = true;
    this.ui.full.hidden = true;
    try {
      if (!this.link || this.link.closed) {
        const port = await navigator.serial.requestPort({ filters: FILTERS });
        this.link = new SerialLink(port);
        await this.link.open(115200);
      }
      this.link.onData = null; // the protocol reads the port now, not the console
      const repl = new RawRepl(this.link);
      this.say("connecting");
      await repl.enter();
      const files = this.files();
      const total = files.reduce((n, [, d]) => n + d.length, 0);
      let done = 0;
      this.ui.progress.max = total;
      this.ui.progress.value = 0;
      this.ui.progress.hidden = false;
      for (const [path, data] of files) {
        this.say("writing", path);
        await repl.writeFile(path, data, (n) => { this.ui.progress.value = done + n; });
        done += data.length;
      }
      await repl.softReset();
      this.workbench.clearOutput();
      this.link.onData = (text) => this.workbench.print(text);
      await repl.runMain();
      this.say("done");
    } catch (error) {
      this.fail(error);
    } finally {
      this.ui.button.disabled = false;
    }
  }

  /** MicroPython and the lesson, written over the board's ROM bootloader with esptool-js. */
  async fullFlash() {
    const full = this.data.full;
    this.ui.button.disabled = this.ui.fullButton.disabled = true;
    let port = this.link?.port || this.port;
    await this.link?.close(); // the raw REPL's reader and writer let go of the port
    this.link = null;
    this.port = null;
    let result = null;
    let board = null;
    try {
      port ||= await navigator.serial.requestPort({ filters: FILTERS });
      this.port = port; // a second try asks for no port again, unless this one is lost
      const { fullFlash, Refused } = await import(full.flasher_url);
      this.Refused = Refused;
      this.ui.progress.value = 0;
      this.ui.progress.hidden = false;
      result = await fullFlash(port, {
        manifestFor: (b) => this.manifest(b, Refused),
        onStage: (stage, b) => { board = b || board; this.say(`full_${stage}`); },
        onProgress: (done, total) => { this.ui.progress.max = total; this.ui.progress.value = done; },
      });
      this.ui.full.hidden = true;
      this.say("full_done");
      await this.listen(port);
    } catch (error) {
      board = error.board || board;
      this.fullFailed(error);
    } finally {
      this.ui.button.disabled = this.ui.fullButton.disabled = false;
    }
    if (board) await this.record(result, board);
  }

  /** After a full flash the board boots MicroPython and runs the lesson: its output goes to the
   * page's serial console, and the next "烧录到开发板" uses this open port. */
  async listen(port) {
    try {
      this.link = new SerialLink(port);
      await this.link.open(115200);
      this.workbench.clearOutput();
      this.link.onData = (text) => this.workbench.print(text);
    } catch {
      this.link = null; // the console stays empty; the flash itself is done
    }
  }

  async manifest(board, Refused) {
    const url = new URL(this.data.full.manifest_url, location.href);
    url.searchParams.set("chip", board.chip);
    url.searchParams.set("flash_size", board.flashSize || "");
    const response = await fetch(url, { credentials: "same-origin" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refused(body.error || `HTTP ${response.status}`);
    this.manifestSeen = body;
    return body;
  }

  fullFailed(error) {
    this.lastError = String(error?.message || error);
    if (error?.name === "NotFoundError") return this.say("no_port");
    if (this.Refused && error instanceof this.Refused) return this.say("full_refused", error.message);
    if (error?.name === "NetworkError" || /device has been lost|port closed|disconnect/i.test(this.lastError)) {
      this.port = null;
      return this.say("port_gone");
    }
    if (/connect|sync|timeout/i.test(this.lastError) && !error.board) return this.say("full_no_bootloader");
    console.error("full flash:", error);
    return this.say("failed", this.lastError);
  }

  /** The outcome, recorded against the student's kit on loan (the server finds it). */
  async record(result, board) {
    const m = result?.manifest || this.manifestSeen || {};
    const body = {
      mac: board.mac, chip: board.chip, ok: Boolean(result),
      lesson: m.lesson || this.data.lesson_json.lesson, lesson_version: m.lesson_version || this.data.lesson_json.version,
      base_firmware: m.base_firmware || "", base_sha256: m.base_sha256 || "",
      message: result ? "" : this.lastError || "", seconds: result ? Math.round(result.seconds * 100) / 100 : null,
    };
    try {
      const response = await fetch(this.data.full.record_url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.data.full.csrf_token },
      });
      const answer = await response.json();
      if (answer.recorded) this.ui.status.textContent += ` ${answer.message}`;
      this.root.dataset.recorded = answer.recorded ? answer.kit : "";
    } catch {
      // not recorded: the flash itself stands, and the message above says how it went
    }
  }

  async fail(error) {
    if (error?.name === "NotFoundError") return this.say("no_port"); // the student closed the chooser
    if (error instanceof NoMicroPython) {
      this.ui.full.hidden = false;
      return this.say("no_micropython");
    }
    if (error instanceof BoardError) return this.say("board_error", error.message.trim().split("\n").pop());
    if (error instanceof PortGone || error?.name === "NetworkError") {
      await this.link?.close();
      this.link = null;
      return this.say("port_gone");
    }
    console.error("board flash:", error);
    return this.say("failed", String(error?.message || error));
  }
}
