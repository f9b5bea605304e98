// The ONE checker of a lesson's expected behaviour: `lesson.toml`'s [[expect]] entries evaluated
// against a recorded virtual-board trace ({status, error, now_us, events: [[t_us, kind, target, value]]}).
//
// Written in plain JavaScript with no Node- or DOM-only code, so the same module runs in the
// lesson tests (Node, tests/firmware/test_lessons_micropython.py through check.mjs) and on the
// lesson page ("检查我的程序"): the trace is already a JS value when a run ends, so checking it
// costs no second trip into MicroPython, and the page gets structured results it can render.
//
// A result never carries text: {index, kind, ok, at_us, code, params, step}. The page renders
// `code` with its translated templates (Django's gettext catalogue), and `params` never contains
// the expected program, only measured and expected values, so the check never reveals a solution.
// `step` is the number of the lesson step the expectation belongs to (see `stepFor`): the page
// shows that step's own words as the hint for a failed expectation, never code.
//
// Every expectation may name its step: `step = N`, the lesson page's Nth step ("第 N 步", the
// steps numbered as the page shows them), whose text is the hint when the expectation fails.
//
// Expectation kinds (fields besides `kind`, `zh`, `en`, `step`):
//   toggle    pin, period_ms, tolerance (fraction, default 0.05), min_toggles (default 4)
//   sequence  pins {name: gpio}, steps [[state, ms], ...] (state: names that are on, e.g. "RG"),
//             tolerance (default 0.05), min_cycles (default 1)
//   range     signal ("pin:N" | "duty:N" | "pulse_ns:N" | "freq:N"), min, max, and optional
//             reach_low / reach_high (the signal must get at least that low / high), min_distinct
//   value_at  signal, points [[t_ms, min, max], ...]: the signal's value at t_ms lies in [min, max]
//   tones     pin, notes [hz, ...]: the first notes heard (PWM duty > 0) on the buzzer pin
//   prints    contains [text, ...]: each text appears in some printed line, in that order
//   neopixel  pin, pixels, min_frames (default 5): frames of `pixels` colours that change
//   oled      addr (default 60 = 0x3C), min_frames (default 1): full frames drawn, not blank
//   http      min_responses, status (default 200): the board answered web requests

const DEFAULTS = { tolerance: 0.05, min_toggles: 4, min_cycles: 1, min_frames: 1 };

export const ERROR_RESULT = "program_error";

// [[t_us, value]] of one signal.
export function signalSeries(events, signal) {
  const [what, target] = signal.split(":");
  const pin = Number(target);
  const kind = { pin: "pin", duty: "pwm_duty", pulse_ns: "pwm_ns", freq: "pwm_freq" }[what];
  if (!kind) throw new Error(`unknown signal ${signal}`);
  return events.filter((e) => e[1] === kind && e[2] === pin).map((e) => [e[0], e[3]]);
}

function valueAt(series, t_us) {
  let value = null;
  for (const [t, v] of series) {
    if (t > t_us) break;
    value = v;
  }
  return value;
}

const ms = (us) => Math.round(us / 1000);
const pass = (at_us = null) => ({ ok: true, at_us, code: "ok", params: {} });
const fail = (at_us, code, params = {}) => ({ ok: false, at_us, code, params });

// Level changes of a pin (writes of the same level are not changes).
function changes(series) {
  const out = [];
  let last = null;
  for (const [t, v] of series) {
    if (v !== last) out.push([t, v]);
    last = v;
  }
  return out;
}

function checkToggle(exp, run) {
  const tol = exp.tolerance ?? DEFAULTS.tolerance;
  const want = exp.period_ms * 1000;
  const edges = changes(signalSeries(run.events, `pin:${exp.pin}`));
  for (let i = 1; i < edges.length; i++) {
    const gap = edges[i][0] - edges[i - 1][0];
    if (Math.abs(gap - want) > want * tol) {
      return fail(edges[i][0], "wrong_interval", {
        pin: exp.pin,
        got_ms: ms(gap),
        want_ms: exp.period_ms,
        tolerance_pct: Math.round(tol * 100),
      });
    }
  }
  // The last level may not have lasted long enough to toggle again: that is not a fault.
  const tail = run.now_us - (edges.length ? edges[edges.length - 1][0] : 0);
  if (edges.length && tail > want * (1 + tol)) {
    return fail(edges[edges.length - 1][0] + Math.round(want * (1 + tol)), "stopped_toggling", {
      pin: exp.pin,
      want_ms: exp.period_ms,
    });
  }
  const min = exp.min_toggles ?? DEFAULTS.min_toggles;
  if (edges.length - 1 < min) {
    return fail(edges.length ? edges[edges.length - 1][0] : 0, "too_few_toggles", {
      pin: exp.pin,
      count: Math.max(0, edges.length - 1),
      min,
    });
  }
  return pass();
}

// Segments [start_us, state] of the combined state of several pins; events at one instant collapse.
function stateSegments(events, pins) {
  const names = Object.keys(pins);
  const byPin = Object.fromEntries(names.map((n) => [pins[n], n]));
  const level = {};
  const segments = [];
  for (let i = 0; i < events.length; i++) {
    const [t, kind, target, value] = events[i];
    if (kind !== "pin" || !(target in byPin)) continue;
    level[byPin[target]] = value;
    const next = events.slice(i + 1).find((e) => e[1] === "pin" && e[2] in byPin);
    if (next && next[0] === t) continue; // more changes at this same instant
    const state = names.filter((n) => level[n]).join("");
    if (!segments.length || segments[segments.length - 1][1] !== state) segments.push([t, state]);
  }
  return segments;
}

const sameState = (a, b) => [...a].sort().join("") === [...b].sort().join("");

function checkSequence(exp, run) {
  const tol = exp.tolerance ?? DEFAULTS.tolerance;
  const steps = exp.steps;
  let segments = stateSegments(run.events, exp.pins);
  // Lights still all off before the program's first light are not part of the sequence.
  while (segments.length && segments[0][1] === "" && steps[0][0] !== "") segments = segments.slice(1);
  if (!segments.length) return fail(0, "sequence_never_started", { want: steps[0][0] });
  const minCycles = exp.min_cycles ?? DEFAULTS.min_cycles;
  for (let i = 0; i < segments.length; i++) {
    const [start, state] = segments[i];
    const [wantState, wantMs] = steps[i % steps.length];
    if (!sameState(state, wantState)) {
      return fail(start, "wrong_state", { got: state, want: wantState, step: (i % steps.length) + 1 });
    }
    const end = i + 1 < segments.length ? segments[i + 1][0] : run.now_us;
    const lasted = end - start;
    const want = wantMs * 1000;
    const last = i + 1 === segments.length;
    // Too long goes wrong the moment it outlasts the tolerance; too short when it ends.
    const tooLong = lasted > want * (1 + tol);
    if (tooLong || (!last && lasted < want * (1 - tol))) {
      return fail(tooLong ? start + Math.round(want * (1 + tol)) : end, "wrong_duration", {
        state,
        got_ms: ms(lasted),
        want_ms: wantMs,
        tolerance_pct: Math.round(tol * 100),
      });
    }
  }
  if (segments.length - 1 < steps.length * minCycles) {
    return fail(run.now_us, "sequence_incomplete", { done: segments.length - 1, want: steps.length * minCycles });
  }
  return pass();
}

function checkRange(exp, run) {
  const series = signalSeries(run.events, exp.signal);
  if (!series.length) return fail(0, "signal_never_set", { signal: exp.signal });
  for (const [t, v] of series) {
    if (v < exp.min || v > exp.max) {
      return fail(t, "out_of_range", { signal: exp.signal, value: v, min: exp.min, max: exp.max });
    }
  }
  const values = series.map(([, v]) => v);
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (exp.reach_low !== undefined && low > exp.reach_low) {
    return fail(run.now_us, "never_low_enough", { signal: exp.signal, value: low, want: exp.reach_low });
  }
  if (exp.reach_high !== undefined && high < exp.reach_high) {
    return fail(run.now_us, "never_high_enough", { signal: exp.signal, value: high, want: exp.reach_high });
  }
  const distinct = new Set(values).size;
  if (exp.min_distinct !== undefined && distinct < exp.min_distinct) {
    return fail(run.now_us, "too_few_steps", { signal: exp.signal, count: distinct, min: exp.min_distinct });
  }
  return pass();
}

function checkValueAt(exp, run) {
  const series = signalSeries(run.events, exp.signal);
  for (const [tMs, min, max] of exp.points) {
    const t = tMs * 1000;
    if (t > run.now_us) return fail(run.now_us, "ended_too_early", { t_ms: tMs });
    const v = valueAt(series, t);
    if (v === null || v < min || v > max) {
      return fail(t, "wrong_value_at", { signal: exp.signal, t_ms: tMs, got: v, min, max });
    }
  }
  return pass();
}

// The notes heard on a buzzer: a note starts when the duty becomes non-zero or the frequency
// changes while it sounds.
export function heardNotes(events, pin) {
  let freq = null;
  let duty = 0;
  const notes = [];
  for (const [t, kind, target, value] of events) {
    if (target !== pin) continue;
    if (kind === "pwm_freq") {
      if (duty > 0 && value !== freq) notes.push([t, value]);
      freq = value;
    } else if (kind === "pwm_duty" || kind === "pwm_ns") {
      const sounding = value > 0;
      if (sounding && duty === 0 && freq !== null) notes.push([t, freq]);
      duty = sounding ? 1 : 0;
    } else if (kind === "pwm_stop") duty = 0;
  }
  return notes;
}

function checkTones(exp, run) {
  const heard = heardNotes(run.events, exp.pin);
  for (let i = 0; i < exp.notes.length; i++) {
    if (i >= heard.length) {
      return fail(run.now_us, "too_few_notes", { count: heard.length, want: exp.notes.length });
    }
    const [t, hz] = heard[i];
    if (Math.abs(hz - exp.notes[i]) > exp.notes[i] * 0.02) {
      return fail(t, "wrong_note", { number: i + 1, got: hz, want: exp.notes[i] });
    }
  }
  return pass();
}

function checkPrints(exp, run) {
  const printed = run.events.filter((e) => e[1] === "print");
  let from = 0;
  for (const text of exp.contains) {
    const i = printed.findIndex((e, k) => k >= from && String(e[3]).includes(text));
    if (i < 0) return fail(run.now_us, "missing_print", { text });
    from = i + 1;
  }
  return pass();
}

function checkNeopixel(exp, run) {
  const frames = run.events.filter((e) => e[1] === "neopixel" && e[2] === exp.pin);
  const min = exp.min_frames ?? 5;
  if (!frames.length) return fail(run.now_us, "no_frames", { pin: exp.pin });
  for (const [t, , , pixels] of frames) {
    if (pixels.length !== exp.pixels) {
      return fail(t, "wrong_pixel_count", { got: pixels.length, want: exp.pixels });
    }
  }
  if (frames.length < min) return fail(run.now_us, "too_few_frames", { count: frames.length, min });
  const distinct = new Set(frames.map((f) => JSON.stringify(f[3]))).size;
  if (distinct < 2) return fail(frames[1][0], "frames_not_changing", {});
  return pass();
}

// SSD1306 over I2C: 0x80/0x00 control bytes carry commands, 0x40 data into the display RAM at
// a cursor that SET_COL_ADDR (0x21) / SET_PAGE_ADDR (0x22) place. Shared with the page's drawing.
export class SSD1306 {
  constructor() {
    this.ram = new Uint8Array(1024);
    this.col = [0, 127];
    this.page = [0, 7];
    this.cursor = [0, 0];
    this.pending = [];
    this.on = false;
    this.frames = 0;
  }

  command(byte) {
    if (this.pending.length) {
      this.pending.push(byte);
      if (this.pending.length === 3) {
        const [cmd, a, b] = this.pending;
        if (cmd === 0x21) this.col = [a & 127, b & 127];
        else this.page = [a & 7, b & 7];
        this.cursor = [this.col[0], this.page[0]];
        this.pending = [];
      }
    } else if (byte === 0x21 || byte === 0x22) this.pending = [byte];
    else if (byte === 0xaf) this.on = true;
    else if (byte === 0xae) this.on = false;
  }

  write(bytes) {
    if (bytes[0] === 0x40) {
      for (let i = 1; i < bytes.length; i++) this.data(bytes[i]);
      if (bytes.length > 1) this.frames++;
    } else {
      // Co bit set (0x80): pairs of control + command; 0x00: a run of commands.
      const stride = bytes[0] & 0x80 ? 2 : 1;
      for (let i = 1; i < bytes.length; i += stride) this.command(bytes[i]);
    }
  }

  data(byte) {
    const [c, p] = this.cursor;
    this.ram[p * 128 + c] = byte;
    let nc = c + 1;
    let np = p;
    if (nc > this.col[1]) {
      nc = this.col[0];
      np = p + 1 > this.page[1] ? this.page[0] : p + 1;
    }
    this.cursor = [nc, np];
  }

  pixel(x, y) {
    return (this.ram[(y >> 3) * 128 + x] >> (y & 7)) & 1;
  }
}

export const hexBytes = (hex) => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));

function checkOled(exp, run) {
  const addr = exp.addr ?? 0x3c;
  const screen = new SSD1306();
  let lit = false;
  for (const [, kind, target, value] of run.events) {
    if (kind !== "i2c_write" || target !== addr) continue;
    screen.write(hexBytes(value));
    if (screen.on && screen.ram.some((b) => b)) lit = true;
  }
  const min = exp.min_frames ?? DEFAULTS.min_frames;
  if (screen.frames < min) return fail(run.now_us, "no_oled_frames", { count: screen.frames, min });
  if (!lit) return fail(run.now_us, "oled_blank", {});
  return pass();
}

function checkHttp(exp, run) {
  const answers = run.events.filter((e) => e[1] === "http_response");
  const status = exp.status ?? 200;
  for (const [t, , , text] of answers) {
    if (!String(text).startsWith(`HTTP/1.1 ${status}`) && !String(text).startsWith(`HTTP/1.0 ${status}`)) {
      return fail(t, "bad_http_answer", { want: status });
    }
  }
  if (answers.length < exp.min_responses) {
    return fail(run.now_us, "too_few_http_answers", { count: answers.length, min: exp.min_responses });
  }
  return pass();
}

const CHECKS = {
  toggle: checkToggle,
  sequence: checkSequence,
  range: checkRange,
  value_at: checkValueAt,
  tones: checkTones,
  prints: checkPrints,
  neopixel: checkNeopixel,
  oled: checkOled,
  http: checkHttp,
};

export const KINDS = Object.keys(CHECKS);

// The lesson step an expectation belongs to, numbered from 1 as the lesson page shows its steps.
// Without `steps` (how many steps the page has; the lesson tests know no page) it is the step the
// expectation names, or null. With `steps`: the named step if the page has it, the page's last
// step if the page is shorter than the lesson.toml expects, and by order (the first expectation
// belongs to the first step, ...) when the expectation names none; null on a page without steps.
export function stepFor(exp, index, steps) {
  const named = Number.isInteger(exp.step) && exp.step >= 1 ? exp.step : null;
  if (steps === undefined || steps === null) return named;
  if (!(steps >= 1)) return null;
  if (named !== null) return Math.min(named, steps);
  return Math.min(index + 1, steps);
}

// The trace up to (and excluding) the moment a program crashed is checked as it is; the crash
// itself is one more failed result, first in the list, so the student sees it first (its hint is
// the error's explanation, not a step).
export function checkRun(expectations, run, { steps } = {}) {
  const results = expectations.map((exp, index) => {
    const check = CHECKS[exp.kind];
    if (!check) throw new Error(`unknown expectation kind ${exp.kind}`);
    return { index, kind: exp.kind, ...check(exp, run), step: stepFor(exp, index, steps) };
  });
  if (run.status === "error" || run.status === "killed") {
    results.unshift({
      index: -1,
      kind: ERROR_RESULT,
      ...fail(run.now_us, run.status === "killed" ? "never_sleeps" : "crashed", {}),
      step: null,
    });
  }
  const ok = results.every((r) => r.ok);
  const wrong = results.filter((r) => !r.ok && r.at_us !== null).map((r) => r.at_us);
  return { ok, results, first_wrong_us: wrong.length ? Math.min(...wrong) : null };
}
