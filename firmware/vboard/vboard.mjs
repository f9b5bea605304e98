// Runs lessons on a MicroPython (WebAssembly) instance against the virtual board.
// No Node-only code here: a browser page can use it with its own loadMicroPython and fetch().

export const BOARD_FILES = [
  "vboard.py",
  "vtime.py",
  "fake_machine.py",
  "fake_neopixel.py",
  "fake_dht.py",
  "fake_network.py",
  "fake_socket.py",
];

// sources: {filename: text} for every name in BOARD_FILES.
export function installBoard(mp, sources) {
  mp.FS.mkdirTree("/vboard");
  for (const name of BOARD_FILES) mp.FS.writeFile(`/vboard/${name}`, sources[name]);
  mp.runPython("import sys\nsys.path.insert(0, '/vboard')\nimport vboard");
  return mp.pyimport("vboard");
}

let runs = 0;

// job: {files: {"main.py": text, "lib/x.py": text}, scenario: {...}, budget_ms: number}
export function runLesson(mp, vboard, job) {
  const dir = `/run/${++runs}`;
  for (const [path, text] of Object.entries(job.files)) {
    const full = `${dir}/${path}`;
    mp.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
    mp.FS.writeFile(full, text);
  }
  return JSON.parse(vboard.run(dir, JSON.stringify(job.scenario || {}), job.budget_ms));
}
