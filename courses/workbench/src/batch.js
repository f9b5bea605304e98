// "批量烧录": lab staff add the boards on the hub one port at a time (the browser asks once per
// port and remembers it), then flash them all at once with esptool-js, a progress bar per board.
// Each board is matched to its kit by MAC (the kits that already hold it) or by the kit code typed
// in its row, and every outcome is recorded through the same service as the CLI. A failed board is
// retried with one click, at 115200 baud when it failed on a serial error.
import { fullFlash, Refused } from "./serial/esp_flash.js";

const FILTERS = [0x10c4, 0x1a86, 0x0403, 0x303a].map((usbVendorId) => ({ usbVendorId }));
const SLOW_BAUD = 115200;
// esptool-js's words for a link that garbles or stalls (a poor cable, a busy hub, too fast a baud).
const SERIAL_ERROR = /serial noise|stream stopped|timed? ?out|invalid head|checksum/i;
const format = (text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => values[k] ?? "");

class BoardRow {
  constructor(page, port, number) {
    this.page = page;
    this.port = port;
    this.number = number;
    this.tr = page.template.content.firstElementChild.cloneNode(true);
    const $ = (sel) => this.tr.querySelector(sel);
    this.ui = {
      name: $("[data-row-name]"), chip: $("[data-row-chip]"), mac: $("[data-row-mac]"), kit: $("[data-row-kit]"),
      progress: $("[data-row-progress]"), status: $("[data-row-status]"), retry: $("[data-row-retry]"),
    };
    const info = port.getInfo?.() || {};
    const usb = info.usbVendorId ? ` (USB ${info.usbVendorId.toString(16).padStart(4, "0")}:${(info.usbProductId || 0).toString(16).padStart(4, "0")})` : "";
    this.ui.name.textContent = format(page.s.add, { n: number }) + usb;
    this.ui.retry.addEventListener("click", () => this.flash(this.slow ? SLOW_BAUD : page.baud()));
    this.state("waiting");
    page.tbody.append(this.tr);
  }

  state(key, extra = "") {
    this.tr.dataset.state = key;
    this.ui.status.textContent = (this.page.s[key] || key) + (extra ? ` ${extra}` : "");
    if (key !== "waiting") this.page.summarise();
  }

  // A row is busy from the click until its outcome is recorded (data-busy says so to the page's
  // tests and styles); its state says where the board itself is.
  setBusy(busy) {
    this.busy = busy;
    this.tr.toggleAttribute("data-busy", busy);
  }

  async flash(baud) {
    this.setBusy(true);
    if (this.lost) {
      // unplugged and plugged in again: the browser sees a new port, granted once more
      try {
        this.port = await navigator.serial.requestPort({ filters: FILTERS });
        this.lost = false;
      } catch {
        this.setBusy(false);
        return false;
      }
    }
    this.ui.retry.hidden = true;
    this.ui.progress.value = 0;
    this.board = null;
    this.state("connecting");
    let result = null;
    let message = "";
    try {
      result = await fullFlash(this.port, {
        baud,
        onStage: (stage, board) => {
          if (board) this.show(board);
          this.state(stage);
        },
        onProgress: (done, total) => { this.ui.progress.max = total; this.ui.progress.value = done; },
        manifestFor: (board) => this.prepare(board),
      });
      this.state("done");
      this.slow = false;
    } catch (error) {
      message = String(error?.message || error);
      const lost = error?.name === "NetworkError" || /device has been lost|disconnect/i.test(message);
      if (error instanceof Refused) this.state("refused", message);
      else if (lost) {
        this.lost = true;
        this.state("port_gone");
      }
      else if (SERIAL_ERROR.test(message)) this.state("serial_error", message);
      else this.state("failed", message);
      this.slow = !(error instanceof Refused); // a serial error: the next try goes slower
      this.ui.retry.textContent = this.slow && baud > SLOW_BAUD ? this.page.s.slow_retry : this.page.s.retry;
      this.ui.retry.hidden = false;
    }
    if (this.board && this.kitCode()) await this.record(result, message);
    else if (this.board) this.note(this.page.s.not_recorded, this.page.s.no_kit);
    this.setBusy(false);
    return Boolean(result);
  }

  show(board) {
    this.board = board;
    this.ui.chip.textContent = board.description || board.chip;
    this.ui.mac.textContent = board.mac;
  }

  kitCode() {
    return this.ui.kit.value.trim();
  }

  /** Before writing: the kit this board belongs to (by MAC), the typed code's problems, the manifest. */
  async prepare(board) {
    const typed = this.kitCode();
    const answer = await this.page.post(this.page.cfg().kits_url, { macs: [board.mac], codes: typed ? [typed] : [] });
    const known = answer.macs?.[board.mac];
    if (known && !typed) this.ui.kit.value = known;
    if (typed && answer.problems?.[typed]) throw new Refused(`${this.page.s.kit_problem} ${answer.problems[typed]}`);
    const url = new URL(this.page.cfg().manifest_url, location.href);
    url.searchParams.set("chip", board.chip);
    url.searchParams.set("flash_size", board.flashSize || "");
    const response = await fetch(url, { credentials: "same-origin" });
    const manifest = await response.json().catch(() => ({}));
    if (!response.ok) throw new Refused(manifest.error || `HTTP ${response.status}`);
    this.manifest = manifest;
    return manifest;
  }

  async record(result, message) {
    const m = this.manifest || {};
    const answer = await this.page.post(this.page.cfg().record_url, {
      kit: this.kitCode(), mac: this.board.mac, chip: this.board.chip, ok: Boolean(result),
      lesson: m.lesson || this.page.lesson(), lesson_version: m.lesson_version || "",
      base_firmware: m.base_firmware || "", base_sha256: m.base_sha256 || "", message,
      seconds: result ? Math.round(result.seconds * 100) / 100 : null,
    }).catch((error) => ({ error: String(error) }));
    if (answer.recorded) {
      this.tr.dataset.recorded = answer.kit;
      this.note(format(this.page.s.recorded, { kit: answer.kit }));
    } else {
      this.note(this.page.s.not_recorded, answer.error || answer.message || "");
    }
  }

  note(...parts) {
    this.ui.status.textContent += ` · ${parts.join(" ")}`;
  }
}

class BatchPage {
  constructor(root) {
    this.root = root;
    const data = JSON.parse(document.getElementById("batch-flash-data").textContent);
    this.config = data.config;
    this.csrf = data.csrf_token;
    this.s = data.strings;
    const $ = (sel) => root.querySelector(sel);
    this.ui = { lesson: $("[data-batch-lesson]"), baud: $("[data-batch-baud]"), add: $("[data-batch-add]"), all: $("[data-batch-all]"), summary: $("[data-batch-summary]"), fallback: $("[data-batch-fallback]"), tools: $("[data-batch-tools]") };
    this.tbody = $("[data-batch-rows]");
    this.template = $("[data-batch-row-template]");
    this.rows = [];
    if (!("serial" in navigator)) {
      this.ui.tools.hidden = true;
      this.ui.fallback.hidden = false;
      root.dataset.state = "unsupported";
      return;
    }
    const classes = root.querySelector("[data-batch-class]");
    classes?.addEventListener("change", () => { if (classes.value) this.ui.lesson.value = classes.value; });
    this.ui.add.addEventListener("click", () => this.add());
    this.ui.all.addEventListener("click", () => this.flashAll());
    navigator.serial.getPorts().then((ports) => ports.forEach((p) => this.addRow(p))).finally(() => { root.dataset.state = "ready"; });
  }

  lesson() { return this.ui.lesson.value; }
  cfg() { return this.config[this.lesson()]; }
  baud() { return Number(this.ui.baud.value); }

  async add() {
    try {
      this.addRow(await navigator.serial.requestPort({ filters: FILTERS }));
    } catch {
      // the chooser was closed: nothing to add
    }
  }

  addRow(port) {
    if (this.rows.some((row) => row.port === port)) return;
    this.rows.push(new BoardRow(this, port, this.rows.length + 1));
    this.ui.all.disabled = false;
  }

  async flashAll() {
    this.ui.all.disabled = this.ui.add.disabled = this.ui.lesson.disabled = true;
    const rows = this.rows.filter((row) => !row.busy);
    await Promise.all(rows.map((row) => row.flash(this.baud())));
    this.ui.all.disabled = this.ui.add.disabled = this.ui.lesson.disabled = false;
    this.root.dataset.state = "finished";
  }

  summarise() {
    const ok = this.rows.filter((row) => row.tr.dataset.state === "done").length;
    this.ui.summary.textContent = format(this.s.summary, { ok, total: this.rows.length });
  }

  async post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok && !answer.error) answer.error = `HTTP ${response.status}`;
    return answer;
  }
}

const root = document.getElementById("batch-flash");
if (root) window.makerroomBatchFlash = new BatchPage(root);
