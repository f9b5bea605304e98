// The lesson workbench on the lesson page: edit, run live on the virtual board, stop, check,
// and (for a logged-in student) keep the code. Data comes from the page (#workbench-data);
// without JavaScript the page keeps its highlighted program and download link.
import { Board } from "./board.js";
import { Editor } from "./editor.js";
import { explainError, format } from "./errors.js";
import { BoardFlash } from "./serial/board_flash.js";

const CHECK_TIMEOUT_MS = 8000; // wall clock for a check; a program that never sleeps is stopped

class Workbench {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.s = data.strings;
    const $ = (sel) => root.querySelector(sel);
    this.ui = {
      run: $("[data-wb-run]"), stop: $("[data-wb-stop]"), check: $("[data-wb-check]"), reset: $("[data-wb-reset]"),
      status: $("[data-wb-status]"), saved: $("[data-wb-saved]"), error: $("[data-wb-error]"), console: $("[data-wb-console]"),
      results: $("[data-wb-results]"), versions: $("[data-wb-versions]"),
    };
    const start = data.workspace?.files || data.files;
    this.editor = new Editor($("[data-wb-editor]"), $("[data-wb-tabs]"), start, () => this.changed(), this.s.editor);
    this.board = new Board($("[data-wb-board]"), data.wiring, this.s);
    this.ui.run.addEventListener("click", () => this.run());
    this.ui.stop.addEventListener("click", () => this.stop(true));
    this.ui.check.addEventListener("click", () => this.check());
    this.ui.reset.addEventListener("click", () => this.restoreLesson());
    this.ui.versions?.addEventListener("change", () => this.loadVersion());
    this.renderVersions(data.workspace?.versions || []);
    if (data.workspace?.check) this.showCheck(data.workspace.check);
    this.ui.saved.textContent = data.save_url ? (data.workspace ? this.s.saved : "") : this.s.not_saved_anonymous;
    this.worker = this.spawn();
    root.hidden = false;
    // The workbench edits the program: the static copy above it would only go stale.
    for (const fig of document.querySelectorAll("#program [data-code-block]")) fig.hidden = true;
  }

  spawn() {
    // A blob URL's worker inherits the page's cross-origin isolation, which a worker loaded
    // from a static file only gets with COEP headers on that file (static file servers don't
    // add them); its one line imports the real worker from our origin.
    const url = new URL(this.data.worker_url, location.href).href;
    const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(url)};`], { type: "text/javascript" }));
    const worker = new Worker(boot, { type: "module" });
    worker.ready = new Promise((resolve) => {
      worker.addEventListener("message", ({ data }) => {
        if (data.type === "ready") resolve();
        else if (data.type === "events" && worker === this.worker) this.events(data.events);
        else if (data.type === "done" && worker === this.worker) this.finished(data);
      });
    });
    worker.addEventListener("error", (event) => {
      console.error("workbench worker:", event.message || event);
      if (worker === this.worker) this.setStatus("broken");
    });
    return worker;
  }

  setStatus(key) {
    this.root.dataset.state = key;
    this.ui.status.textContent = this.s.state[key];
    this.ui.run.disabled = key === "running" || key === "checking";
    this.ui.stop.disabled = key !== "running" && key !== "checking";
  }

  async run() {
    this.stop(false);
    this.clearOutput();
    this.board.reset();
    this.setStatus("starting");
    const worker = this.worker;
    await worker.ready;
    if (worker !== this.worker) return; // stopped while the runtime loaded
    this.setStatus("running");
    worker.postMessage({ type: "run", files: this.editor.files(), shared: this.board.shared });
  }

  // Stop always works: the worker is terminated, whatever the program is doing, and a fresh one
  // is started at once so the next run does not wait for the runtime.
  stop(byUser) {
    const busy = this.root.dataset.state === "running" || this.root.dataset.state === "checking";
    if (!busy && !byUser) return;
    this.worker.terminate();
    clearTimeout(this.checkTimer);
    this.worker = this.spawn();
    this.board.tone(0);
    if (busy) this.setStatus("stopped");
  }

  events(events) {
    this.board.apply(events);
    const printed = events.filter((e) => e[1] === "print").map((e) => String(e[3]));
    if (printed.length) this.print(printed.join("\n") + "\n");
  }

  print(text) {
    const out = this.ui.console;
    out.textContent = (out.textContent + text).slice(-20000);
    out.scrollTop = out.scrollHeight;
  }

  clearOutput() {
    this.ui.console.textContent = "";
    this.ui.error.hidden = true;
    this.ui.error.replaceChildren();
  }

  finished({ status, error, dir }) {
    if (status === "error") {
      this.showError(error, dir);
      this.setStatus("crashed");
    } else this.setStatus("finished");
  }

  showError(traceback, dir) {
    const e = explainError(traceback, dir, this.s.errors);
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = this.s.original_message;
    const pre = document.createElement("pre");
    pre.textContent = e.traceback.replaceAll(dir + "/", "");
    details.append(summary, pre);
    const p = document.createElement("p");
    p.className = "wb-error-text";
    p.textContent = e.text;
    this.ui.error.dataset.line = e.line ?? "";
    this.ui.error.replaceChildren(p, details);
    this.ui.error.hidden = false;
    this.editor.goTo(e.file, e.line);
  }

  async check() {
    this.stop(false);
    this.clearOutput();
    this.setStatus("checking");
    const worker = this.worker;
    const files = this.editor.files();
    const answer = new Promise((resolve) => {
      worker.addEventListener("message", ({ data }) => data.type === "checked" && resolve(data));
      this.checkTimer = setTimeout(() => resolve({ status: "killed", check: null }), CHECK_TIMEOUT_MS);
    });
    await worker.ready;
    const { check, budget_ms, scenario } = { check: this.data.expect, ...this.data.check };
    const steps = (this.data.steps || []).length; // each result names the step its hint comes from
    worker.postMessage({ type: "check", files, scenario: scenario || {}, budget_ms, expect: check, steps });
    let result = await answer;
    clearTimeout(this.checkTimer);
    if (worker !== this.worker) return; // stopped by the student
    if (result.status === "killed") {
      this.stop(false);
      result = { check: { ok: false, first_wrong_us: null, results: [{ index: -1, kind: "program_error", ok: false, code: "never_sleeps", at_us: null, params: {} }] } };
    } else if (result.status === "error") this.showError(result.error, result.dir || "/run");
    this.showCheck(result.check);
    this.setStatus(result.check.ok ? "passed" : "failed");
    this.save({ check: result.check }, true);
  }

  // Which expectations hold, in the page's language, with the moment the first one went wrong.
  showCheck(check) {
    const s = this.s.checks;
    const seconds = (us) => (us / 1e6).toFixed(2);
    const items = check.results.map((r) => {
      const li = document.createElement("li");
      li.className = r.ok ? "wb-ok" : "wb-fail";
      li.dataset.index = r.index;
      const exp = this.data.expect[r.index];
      const title = exp ? (this.data.lang === "zh" ? exp.zh : exp.en) : s.runs_without_error;
      const head = document.createElement("strong");
      head.textContent = `${r.ok ? "✓" : "✗"} ${title}`;
      li.append(head);
      if (!r.ok) {
        const why = document.createElement("p");
        const params = { ...r.params, seconds: r.at_us === null ? "?" : seconds(r.at_us) };
        why.textContent = (r.at_us !== null ? format(s.at, params) : "") + format(s[r.code] || s.other, params);
        li.append(why);
        const hint = this.hint(r.step);
        if (hint) li.append(hint);
      }
      return li;
    });
    const summary = document.createElement("p");
    summary.className = "wb-summary";
    summary.textContent = check.ok ? s.all_passed : format(s.some_failed, { n: check.results.filter((r) => !r.ok).length, hint: s.hint });
    this.ui.results.replaceChildren(summary, ...items);
    this.ui.results.dataset.ok = String(check.ok);
    this.ui.results.hidden = false;
  }

  // The hint for a failed expectation: the words of the lesson step it belongs to (the checker
  // names the step), with a link to that step on the page; never code, never the solution.
  hint(number) {
    const step = number ? (this.data.steps || [])[number - 1] : null;
    if (!step) return null;
    const s = this.s.checks;
    const p = document.createElement("p");
    p.className = "wb-hint";
    p.dataset.step = String(step.number);
    const label = document.createElement("strong");
    label.textContent = format(s.hint_from_step, step);
    const link = document.createElement("a");
    link.href = `#step-${step.number}`;
    link.textContent = format(s.see_step, step);
    p.append(label, document.createTextNode(step.text ? `${step.text} ` : ""), link);
    return p;
  }

  // --- the student's workspace ----------------------------------------------------------
  changed() {
    if (!this.data.save_url) return;
    this.ui.saved.textContent = this.s.unsaved;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save({}), 1200);
  }

  async save(extra, quiet = false) {
    if (!this.data.save_url) return;
    clearTimeout(this.saveTimer);
    if (!quiet) this.ui.saved.textContent = this.s.saving;
    try {
      const response = await fetch(this.data.save_url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.data.csrf_token },
        body: JSON.stringify({ files: this.editor.files(), ...extra }),
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const body = await response.json();
      this.renderVersions(body.versions);
      this.ui.saved.textContent = this.s.saved;
    } catch {
      this.ui.saved.textContent = this.s.save_failed;
    }
  }

  renderVersions(versions) {
    this.versions = versions;
    const select = this.ui.versions;
    if (!select) return;
    const first = document.createElement("option");
    first.value = "";
    first.textContent = this.s.versions;
    select.replaceChildren(first, ...versions.map((v, i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = v.label;
      return o;
    }));
    select.hidden = versions.length === 0;
  }

  loadVersion() {
    const v = this.versions[Number(this.ui.versions.value)];
    if (v) {
      this.editor.load(v.files);
      this.save({ new_version: true });
    }
    this.ui.versions.value = "";
  }

  restoreLesson() {
    if (!window.confirm(this.s.confirm_reset)) return;
    this.editor.load(this.data.files);
    this.save({ new_version: true }); // the student's own code stays one version back
  }
}

const root = document.getElementById("workbench");
const data = document.getElementById("workbench-data");
if (root && data) window.makerroomWorkbench = new Workbench(root, JSON.parse(data.textContent));
const flashRoot = document.getElementById("board-flash");
const flashData = document.getElementById("board-flash-data");
if (window.makerroomWorkbench && flashRoot && flashData) {
  window.makerroomBoardFlash = new BoardFlash(flashRoot, JSON.parse(flashData.textContent), window.makerroomWorkbench);
}
