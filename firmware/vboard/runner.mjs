// Node front end: reads jobs as JSON lines on stdin, runs each on ONE MicroPython instance and
// writes {"start": id} then the result line (with "check" when the job gives "expect"). The caller kills us if a lesson never yields.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { checkRun } from "./checker.mjs";
import { BOARD_FILES, installBoard, runLesson } from "./vboard.mjs";

const here = new URL("./board/", import.meta.url);
const sources = Object.fromEntries(BOARD_FILES.map((n) => [n, readFileSync(new URL(n, here), "utf8")]));
let stdout = "";
const mp = await loadMicroPython({ stdout: (s) => (stdout += s + "\n"), stderr: (s) => (stdout += s + "\n"), linebuffer: true });
const vboard = installBoard(mp, sources);
const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
write({ ready: true });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const job = JSON.parse(line);
  write({ start: job.id });
  stdout = "";
  let result;
  try {
    result = runLesson(mp, vboard, job);
  } catch (err) {
    result = { status: "error", error: String(err.message || err), events: [] };
  }
  // A job with the lesson's expectations ("expect") is checked too, by the page's own checker.
  if (job.expect) result.check = checkRun(job.expect, result);
  write({ id: job.id, stdout, ...result });
}
