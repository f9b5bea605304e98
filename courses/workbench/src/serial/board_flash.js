// "烧录到开发板" on the lesson page: the student's program (main.py, lib/) and the lesson's
// lesson.json go onto a board already running MicroPython over its raw REPL, the board is reset
// so the program runs, and what it prints appears in the page's serial console. Without Web
// Serial (WeChat, Safari, Firefox, phones) the page shows the zip and the makerroom-flash
// command instead of a button that cannot work.
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
    this.ui = { button: $("[data-bf-button]"), status: $("[data-bf-status]"), progress: $("[data-bf-progress]"), fallback: $("[data-bf-fallback]"), full: $("[data-bf-full]") };
    if (!("serial" in navigator)) {
      this.ui.button.hidden = true;
      this.ui.fallback.hidden = false;
      root.dataset.state = "unsupported";
      return;
    }
    this.ui.button.addEventListener("click", () => this.flash());
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
