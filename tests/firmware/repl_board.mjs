// A board already running MicroPython, for tests: the official WebAssembly port with a /flash
// folder as its filesystem. Reads {"code": text} lines on stdin, runs each in __main__ (so names
// persist between commands, as on a real raw REPL) and answers {"out": base64, "err": text}.
// Usage: node repl_board.mjs <path to micropython.mjs> <MAC as 12 hex digits>
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const { loadMicroPython } = await import(pathToFileURL(process.argv[2]).href);
let out = [];
const mp = await loadMicroPython({ stdout: (bytes) => out.push(...bytes), linebuffer: false });
mp.runPython(`
import os, sys
os.mkdir('/flash')
os.chdir('/flash')

class _WLAN:
    def __init__(self, interface=0):
        pass

    def config(self, key):
        return bytes.fromhex('${process.argv[3]}')

class network:
    STA_IF = 0
    WLAN = _WLAN

sys.modules['network'] = network
`);
const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
write({ ready: true });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { code } = JSON.parse(line);
  out = [];
  let err = "";
  try {
    mp.runPython(code);
  } catch (error) {
    if (error.name !== "PythonError") throw error;
    err = error.message.replaceAll("\n", "\r\n");
  }
  write({ out: Buffer.from(out).toString("base64"), err });
}
