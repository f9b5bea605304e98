// The drawn virtual board: one card per part in lesson.toml's [[wiring]], redrawn from the trace
// events the worker sends, and the page's inputs (button, sliders) written into shared memory.
import { SSD1306, hexBytes } from "../../../firmware/vboard/checker.mjs";
import { SLOT } from "./slots.js";
import { format } from "./errors.js";

const SVG = "http://www.w3.org/2000/svg";
const LED_COLOURS = { red: "#ff3b30", yellow: "#ffcc00", green: "#34c759", blue: "#2f80ff", white: "#f5f5f5" };

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function card(part, label, ...body) {
  return el("figure", { class: `wb-part wb-${part}` }, ...body, el("figcaption", {}, label));
}

function slider(label, min, max, value, unit, onInput) {
  const out = el("output", {}, `${value}${unit}`);
  const input = el("input", { type: "range", min, max, value, "aria-label": label });
  input.addEventListener("input", () => {
    out.textContent = `${input.value}${unit}`;
    onInput(Number(input.value));
  });
  return el("label", { class: "wb-slider" }, el("span", {}, label), input, out);
}

export class Board {
  constructor(host, wiring, strings) {
    this.host = host;
    this.strings = strings;
    const buffer = typeof SharedArrayBuffer === "function" && self.crossOriginIsolated
      ? new SharedArrayBuffer(SLOT.size * 4)
      : new ArrayBuffer(SLOT.size * 4);
    this.shared = new Int32Array(buffer);
    this.shared.fill(-1, SLOT.level, SLOT.level + 40);
    this.shared[SLOT.distance] = -1;
    this.parts = [];
    this.sound = false;
    host.replaceChildren(card("esp32", "ESP32 DevKit", this.esp32()));
    for (const part of wiring) this.add(part);
    this.reset();
  }

  esp32() {
    const svg = el("svg:svg", { viewBox: "0 0 120 70", role: "img", "aria-label": "ESP32" });
    svg.append(
      el("svg:rect", { x: 4, y: 8, width: 112, height: 54, rx: 4, fill: "#1d3557" }),
      el("svg:rect", { x: 70, y: 18, width: 40, height: 34, rx: 2, fill: "#a8b2bd" }),
      el("svg:text", { x: 90, y: 39, "text-anchor": "middle", "font-size": 9, fill: "#1d3557" }, "ESP32"),
    );
    for (let i = 0; i < 15; i++) {
      svg.append(el("svg:rect", { x: 8 + i * 7, y: 4, width: 3, height: 6, fill: "#d4af37" }));
      svg.append(el("svg:rect", { x: 8 + i * 7, y: 60, width: 3, height: 6, fill: "#d4af37" }));
    }
    return svg;
  }

  add(part) {
    const s = this.strings;
    const gpio = (pin) => format(s.gpio, { pin });
    const kind = part.part;
    if (kind === "led") {
      const colour = LED_COLOURS[part.color] || LED_COLOURS.red;
      const bulb = el("svg:circle", { cx: 30, cy: 28, r: 18, fill: colour, class: "wb-bulb" });
      const svg = el("svg:svg", { viewBox: "0 0 60 60", role: "img", "aria-label": gpio(part.pin) }, el("svg:circle", { cx: 30, cy: 28, r: 22, fill: colour, opacity: 0.15 }), bulb, el("svg:rect", { x: 22, y: 46, width: 16, height: 8, fill: "#888" }));
      const fig = card("led", `${s.parts.led} · ${gpio(part.pin)}`, svg);
      fig.dataset.pin = part.pin;
      this.parts.push({ kind, pin: part.pin, fig, bulb });
      this.host.append(fig);
    } else if (kind === "button") {
      const button = el("button", { type: "button", class: "wb-press", "data-pin": part.pin }, s.parts.press);
      const level = (pressed) => this.input(part.pin, part.pull === "down" ? Number(pressed) : Number(!pressed));
      button.addEventListener("pointerdown", (e) => { button.setPointerCapture?.(e.pointerId); level(true); button.classList.add("is-down"); });
      for (const ev of ["pointerup", "pointercancel"]) button.addEventListener(ev, () => { level(false); button.classList.remove("is-down"); });
      button.addEventListener("keydown", (e) => { if ((e.key === " " || e.key === "Enter") && !e.repeat) { e.preventDefault(); level(true); } });
      button.addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") level(false); });
      this.host.append(card("button", `${s.parts.button} · ${gpio(part.pin)}`, button));
      this.parts.push({ kind, pin: part.pin, init: () => level(false) });
    } else if (kind === "buzzer") {
      const note = el("output", { class: "wb-note" }, "—");
      const toggle = el("button", { type: "button", class: "wb-sound", "aria-pressed": "false" }, s.sound_off);
      toggle.addEventListener("click", () => this.setSound(!this.sound, toggle));
      const fig = card("buzzer", `${s.parts.buzzer} · ${gpio(part.pin)}`, el("div", { class: "wb-buzzer-disc" }, "♪"), note, toggle);
      this.parts.push({ kind, pin: part.pin, fig, note });
      this.host.append(fig);
    } else if (kind === "servo") {
      const arm = el("svg:rect", { x: 28, y: 10, width: 4, height: 28, rx: 2, fill: "#f1f1f1", class: "wb-arm" });
      const svg = el("svg:svg", { viewBox: "0 0 60 60", role: "img", "aria-label": s.parts.servo }, el("svg:rect", { x: 8, y: 30, width: 44, height: 24, rx: 3, fill: "#2a6fdb" }), el("svg:g", { class: "wb-arm-g", transform: "rotate(-90 30 38)" }, arm), el("svg:circle", { cx: 30, cy: 38, r: 5, fill: "#fff" }));
      const angle = el("output", {}, "—");
      const fig = card("servo", `${s.parts.servo} · ${gpio(part.pin)}`, svg, angle);
      this.parts.push({ kind, pin: part.pin, fig, arm: svg.querySelector(".wb-arm-g"), angle });
      this.host.append(fig);
    } else if (kind === "neopixel") {
      const svg = el("svg:svg", { viewBox: "0 0 100 100", role: "img", "aria-label": s.parts.neopixel });
      const dots = [];
      for (let i = 0; i < part.count; i++) {
        const a = (i / part.count) * 2 * Math.PI - Math.PI / 2;
        const dot = el("svg:circle", { cx: 50 + 38 * Math.cos(a), cy: 50 + 38 * Math.sin(a), r: 8, fill: "#222", stroke: "#555" });
        dots.push(dot);
        svg.append(dot);
      }
      const fig = card("neopixel", `${s.parts.neopixel} × ${part.count} · ${gpio(part.pin)}`, svg);
      this.parts.push({ kind, pin: part.pin, fig, dots });
      this.host.append(fig);
    } else if (kind === "oled") {
      const canvas = el("canvas", { width: 128, height: 64, class: "wb-oled-screen", "aria-label": s.parts.oled });
      const fig = card("oled", `${s.parts.oled} · SDA ${part.sda} / SCL ${part.scl}`, canvas);
      this.parts.push({ kind, addr: part.addr ?? 0x3c, fig, canvas });
      this.host.append(fig);
    } else if (kind === "potentiometer" || kind === "light") {
      const label = kind === "light" ? s.parts.light : s.parts.potentiometer;
      const set = (v) => this.adc(part.pin, Math.round((v / 100) * 65535));
      this.host.append(card(kind, `${label} · ${gpio(part.pin)}`, slider(label, 0, 100, 50, "%", set)));
      this.parts.push({ kind, init: () => set(50) });
    } else if (kind === "dht11") {
      const put = (slot, v) => { Atomics.store(this.shared, slot, v); this.wake(); };
      const broken = el("input", { type: "checkbox" });
      broken.addEventListener("change", () => put(SLOT.dhtOk, broken.checked ? 0 : 1));
      this.host.append(card("dht11", `DHT11 · ${gpio(part.pin)}`,
        slider(s.parts.temperature, 0, 50, 25, " °C", (v) => put(SLOT.temp, v)),
        slider(s.parts.humidity, 20, 90, 60, " %", (v) => put(SLOT.humidity, v)),
        el("label", { class: "wb-check" }, broken, s.parts.unplugged)));
      this.parts.push({ kind, init: () => { this.shared[SLOT.temp] = 25; this.shared[SLOT.humidity] = 60; this.shared[SLOT.dhtOk] = 1; } });
    } else if (kind === "hcsr04") {
      const set = (cm) => { Atomics.store(this.shared, SLOT.distance, cm * 10); this.wake(); };
      this.host.append(card("hcsr04", `${s.parts.ultrasonic} · Trig ${part.trig} / Echo ${part.echo}`, slider(s.parts.distance, 2, 200, 50, " cm", set)));
      this.parts.push({ kind, init: () => set(50) });
    } else if (kind === "wifi") {
      const path = el("input", { type: "text", value: "/", "aria-label": s.parts.address, class: "wb-path" });
      const go = el("button", { type: "button" }, s.parts.visit);
      const page = el("iframe", { sandbox: "", title: s.parts.web_page, class: "wb-webpage" });
      go.addEventListener("click", () => this.request(path.value || "/"));
      const fig = card("wifi", s.parts.wifi, el("div", { class: "wb-url" }, "http://192.168.4.1", path, go), page);
      this.parts.push({ kind, fig, page });
      this.host.append(fig);
    }
  }

  input(pin, level) {
    Atomics.store(this.shared, SLOT.level + pin, level);
    this.wake();
  }

  adc(pin, value) {
    Atomics.store(this.shared, SLOT.adc + pin, value);
    this.wake();
  }

  request(path) {
    const codes = [...path.slice(0, 64)].map((c) => c.charCodeAt(0));
    codes.forEach((c, i) => (this.shared[SLOT.path + i] = c));
    Atomics.store(this.shared, SLOT.pathLen, codes.length);
    Atomics.add(this.shared, SLOT.requestSeq, 1);
    this.wake();
  }

  wake() {
    if (this.shared.buffer instanceof SharedArrayBuffer) {
      Atomics.store(this.shared, SLOT.wake, 1);
      Atomics.notify(this.shared, SLOT.wake);
    }
  }

  // Everything dark, as a board just reset; inputs keep what the page's controls show.
  reset() {
    this.host.dataset.events = "0";
    this.pins = {};
    this.screens = {};
    for (const part of this.parts) {
      part.init?.();
      if (part.kind === "led") this.drawLed(part, 0);
      if (part.kind === "neopixel") part.dots.forEach((d) => d.setAttribute("fill", "#222"));
      if (part.kind === "buzzer") { part.note.textContent = "—"; part.fig.dataset.hz = "0"; }
      if (part.kind === "oled") { this.screens[part.addr] = new SSD1306(); this.drawOled(part); }
    }
    this.tone(0);
  }

  pin(n) {
    return (this.pins[n] ??= { level: 0, pwm: false, freq: 5000, duty: 0, ns: null });
  }

  // Trace events [t_us, kind, target, value] from the worker.
  apply(events) {
    this.host.dataset.events = String(Number(this.host.dataset.events || 0) + events.length);
    const touched = new Set();
    for (const [, kind, target, value] of events) {
      if (kind === "pin") { const p = this.pin(target); p.level = value; p.pwm = false; touched.add(target); }
      else if (kind === "pwm_start") { this.pin(target).pwm = true; touched.add(target); }
      else if (kind === "pwm_stop") { const p = this.pin(target); p.pwm = false; p.duty = 0; touched.add(target); }
      else if (kind === "pwm_freq") { this.pin(target).freq = value; touched.add(target); }
      else if (kind === "pwm_duty") { const p = this.pin(target); p.duty = value; p.ns = null; p.pwm = true; touched.add(target); }
      else if (kind === "pwm_ns") { const p = this.pin(target); p.ns = value; p.duty = Math.min(65535, Math.round((value * p.freq * 65535) / 1e9)); p.pwm = true; touched.add(target); }
      else if (kind === "neopixel") this.drawPixels(target, value);
      else if (kind === "i2c_write" && this.screens[target]) { this.screens[target].write(hexBytes(value)); this.dirtyOled = true; }
      else if (kind === "http_response") this.showPage(value);
    }
    for (const part of this.parts) {
      if (!touched.has(part.pin)) continue;
      const p = this.pins[part.pin];
      if (part.kind === "led") this.drawLed(part, p.pwm ? p.duty / 65535 : p.level);
      else if (part.kind === "buzzer") this.drawBuzzer(part, p);
      else if (part.kind === "servo") this.drawServo(part, p);
    }
    if (this.dirtyOled && !this.oledFrame) {
      this.oledFrame = requestAnimationFrame(() => {
        this.oledFrame = null;
        this.dirtyOled = false;
        for (const part of this.parts) if (part.kind === "oled") this.drawOled(part);
      });
    }
  }

  drawLed(part, brightness) {
    part.bulb.setAttribute("opacity", (0.12 + 0.88 * brightness).toFixed(3));
    part.fig.dataset.on = brightness > 0 ? "1" : "0";
    part.fig.dataset.brightness = brightness.toFixed(3);
    part.fig.classList.toggle("is-lit", brightness > 0);
  }

  drawBuzzer(part, p) {
    const hz = p.pwm && p.duty > 0 ? p.freq : 0;
    part.note.textContent = hz ? `${hz} Hz` : "—";
    part.fig.dataset.hz = String(hz);
    this.tone(hz);
  }

  drawServo(part, p) {
    const ns = p.ns ?? (p.duty / 65535) * (1e9 / p.freq);
    const angle = Math.max(0, Math.min(180, ((ns - 500_000) / 2_000_000) * 180));
    part.arm.setAttribute("transform", `rotate(${(angle - 90).toFixed(1)} 30 38)`);
    part.angle.textContent = `${Math.round(angle)}°`;
    part.fig.dataset.angle = String(Math.round(angle));
  }

  drawPixels(pin, pixels) {
    const part = this.parts.find((q) => q.kind === "neopixel" && q.pin === pin);
    if (!part) return;
    // Lessons use dim colours (0-31) so as not to dazzle; shown brighter, as the eye sees them.
    const shade = (c) => Math.round(255 * Math.pow(c / 255, 0.45));
    pixels.forEach((rgb, i) => part.dots[i]?.setAttribute("fill", `rgb(${rgb.slice(0, 3).map(shade).join(",")})`));
  }

  drawOled(part) {
    const screen = this.screens[part.addr];
    const ctx = part.canvas.getContext("2d");
    const image = ctx.createImageData(128, 64);
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 128; x++) {
        const on = screen.on && screen.pixel(x, y);
        const i = (y * 128 + x) * 4;
        image.data.set(on ? [140, 220, 255, 255] : [8, 10, 20, 255], i);
      }
    }
    ctx.putImageData(image, 0, 0);
    part.fig.dataset.lit = String(screen.ram.reduce((n, b) => n + (b ? 1 : 0), 0));
  }

  showPage(response) {
    const part = this.parts.find((q) => q.kind === "wifi");
    if (part) part.page.srcdoc = String(response).split("\r\n\r\n").slice(1).join("\r\n\r\n");
  }

  setSound(on, toggle) {
    this.sound = on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? this.strings.sound_on : this.strings.sound_off;
    if (!on) this.tone(0);
  }

  // The buzzer through Web Audio, only after the student switched sound on (muted by default).
  tone(hz) {
    if (!this.sound) hz = 0;
    if (hz && !this.audio) {
      this.audio = new AudioContext();
      this.osc = this.audio.createOscillator();
      this.gain = this.audio.createGain();
      this.osc.type = "square";
      this.gain.gain.value = 0;
      this.osc.connect(this.gain).connect(this.audio.destination);
      this.osc.start();
    }
    if (!this.audio) return;
    if (hz) this.osc.frequency.setValueAtTime(hz, this.audio.currentTime);
    this.gain.gain.setValueAtTime(hz ? 0.05 : 0, this.audio.currentTime);
  }
}
