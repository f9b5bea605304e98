// The Web Worker that runs a student's program on real MicroPython (WebAssembly) against the
// virtual board of firmware/vboard/ — the same Python files and checker as the lesson tests.
//
//   {type: "run", files, shared}    live: real time, inputs read from `shared` (an Int32Array
//                                   on a SharedArrayBuffer the page writes), events posted back
//   {type: "check", files, scenario, budget_ms, expect, steps}
//                                   the virtual clock, then checker.mjs (steps: how many steps
//                                   the lesson page has, for each result's hint step)
//
// A program that never sleeps never returns here: the page's Stop terminates this worker.
import { loadMicroPython } from "./micropython.mjs";
import { checkRun } from "../../../firmware/vboard/checker.mjs";
import { BOARD_FILES, installBoard, runLesson } from "../../../firmware/vboard/vboard.mjs";
import { SLOT } from "./slots.js";
import vboardPy from "../../../firmware/vboard/board/vboard.py";
import vtimePy from "../../../firmware/vboard/board/vtime.py";
import machinePy from "../../../firmware/vboard/board/fake_machine.py";
import neopixelPy from "../../../firmware/vboard/board/fake_neopixel.py";
import dhtPy from "../../../firmware/vboard/board/fake_dht.py";
import networkPy from "../../../firmware/vboard/board/fake_network.py";
import socketPy from "../../../firmware/vboard/board/fake_socket.py";

const SOURCES = {
  "vboard.py": vboardPy,
  "vtime.py": vtimePy,
  "fake_machine.py": machinePy,
  "fake_neopixel.py": neopixelPy,
  "fake_dht.py": dhtPy,
  "fake_network.py": networkPy,
  "fake_socket.py": socketPy,
};
if (BOARD_FILES.some((name) => !(name in SOURCES))) throw new Error("worker.js misses a board file");

const ready = (async () => {
  const mp = await loadMicroPython({ linebuffer: true, stdout: () => {}, stderr: () => {} });
  return { mp, vboard: installBoard(mp, SOURCES) };
})();

// The live board's window on the page (see LiveBoard in vboard.py).
function liveHost(shared) {
  const t0 = performance.now();
  // Without cross-origin isolation there is no shared memory: sleeps spin and inputs stay as
  // they were when the run started.
  const sleep = shared.buffer instanceof SharedArrayBuffer
    ? (us) => {
        Atomics.store(shared, SLOT.wake, 0);
        Atomics.wait(shared, SLOT.wake, 0, us / 1000);
      }
    : (us) => {
        const end = performance.now() + us / 1000;
        while (performance.now() < end);
      };
  let lastRequest = Atomics.load(shared, SLOT.requestSeq);
  return {
    now_us: () => Math.round((performance.now() - t0) * 1000),
    sleep,
    level: (pin) => Atomics.load(shared, SLOT.level + pin),
    adc: (pin) => Atomics.load(shared, SLOT.adc + pin),
    dht: () =>
      Atomics.load(shared, SLOT.dhtOk)
        ? JSON.stringify([Atomics.load(shared, SLOT.temp), Atomics.load(shared, SLOT.humidity)])
        : "null",
    distance: () => Atomics.load(shared, SLOT.distance) / 10,
    request: () => {
      const seq = Atomics.load(shared, SLOT.requestSeq);
      if (seq === lastRequest) return "";
      lastRequest = seq;
      const path = String.fromCharCode(...shared.slice(SLOT.path, SLOT.path + Atomics.load(shared, SLOT.pathLen)));
      return `GET ${path} HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\n`;
    },
    emit: (json) => postMessage({ type: "events", events: JSON.parse(json) }),
  };
}

self.onmessage = async ({ data }) => {
  const { mp, vboard } = await ready;
  if (data.type === "run") {
    const dir = `/live/${Date.now()}`;
    for (const [path, text] of Object.entries(data.files)) {
      mp.FS.mkdirTree(`${dir}/${path}`.replace(/\/[^/]*$/, ""));
      mp.FS.writeFile(`${dir}/${path}`, text);
    }
    const result = JSON.parse(vboard.run(dir, "{}", 0, liveHost(data.shared)));
    postMessage({ type: "done", status: result.status, error: result.error, dir });
  } else if (data.type === "check") {
    const started = performance.now();
    const run = runLesson(mp, vboard, { files: data.files, scenario: data.scenario, budget_ms: data.budget_ms });
    const check = checkRun(data.expect, run, { steps: data.steps });
    postMessage({ type: "checked", status: run.status, error: run.error, check, ms: performance.now() - started });
  }
};
postMessage({ type: "loading" });
ready.then(() => postMessage({ type: "ready" }));
