// Node front end of checker.mjs for traces recorded elsewhere: reads {"id", "expect", "run"} (and
// optionally "steps", how many steps the lesson page has) as JSON lines on stdin and writes
// {"id", "ok", "results", "first_wrong_us"} lines.
import { createInterface } from "node:readline";
import { checkRun } from "./checker.mjs";

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { id, expect, run, steps } = JSON.parse(line);
  process.stdout.write(JSON.stringify({ id, ...checkRun(expect, run, { steps }) }) + "\n");
}
