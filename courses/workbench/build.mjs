// Builds the lesson workbench into courses/static/courses/workbench/ (served by whitenoise):
//   workbench.js  the page: editor, drawn board, inputs, check results (one IIFE bundle)
//   workbench.css its styles
//   flasher.js    esptool-js for full flashes from the page (an ES module, loaded on demand)
//   worker.js     the Web Worker running MicroPython against the virtual board (an ES module)
//   micropython.mjs + micropython.wasm  copied as they are from the pinned npm package: the
//                 worker imports them from our own origin, never from a CDN.
// and, for the firmware app, firmware/static/firmware/batch.js: the batch flashing page.
// The virtual board's MicroPython files and the checker come from firmware/vboard/, the same
// files the lesson tests run in Node.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "courses", "workbench");
mkdirSync(out, { recursive: true });

const common = { bundle: true, minify: true, target: "es2020", logLevel: "warning", legalComments: "none" };
await build({ ...common, entryPoints: [join(here, "src", "workbench.js")], outfile: join(out, "workbench.js"), format: "iife" });
await build({ ...common, entryPoints: [join(here, "src", "workbench.css")], outfile: join(out, "workbench.css") });
await build({
  ...common,
  entryPoints: [join(here, "src", "worker.js")],
  outfile: join(out, "worker.js"),
  format: "esm",
  loader: { ".py": "text" },
  external: ["./micropython.mjs"],
});
// esptool-js for full flashes, as its own module: imported only when a board is flashed.
await build({ ...common, entryPoints: [join(here, "src", "flasher.js")], outfile: join(out, "flasher.js"), format: "esm" });
// The lab staff's batch flashing page (firmware app), with esptool-js in the same bundle.
const firmwareOut = join(here, "..", "..", "firmware", "static", "firmware");
mkdirSync(firmwareOut, { recursive: true });
await build({ ...common, entryPoints: [join(here, "src", "batch.js")], outfile: join(firmwareOut, "batch.js"), format: "iife" });
const runtime = join(here, "node_modules", "@micropython", "micropython-webassembly-pyscript");
for (const name of ["micropython.mjs", "micropython.wasm"]) copyFileSync(join(runtime, name), join(out, name));
