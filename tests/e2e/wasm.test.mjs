// The model compiled to WebAssembly gives the native build's results: every
// built-in setting of the teaching page, run by the exported page's module in
// Node (single-threaded), must write byte for byte the files `carenet run` wrote
// natively (on all cores) for the same scenario and seed.
//
// Run by tests/e2e.sh, which sets:
//   CARENET_PAGE    the exported folder (its assets/carenet-wasm.js)
//   CARENET_NATIVE  a folder with a native run folder per setting, by name

import { readFileSync } from "node:fs";
import { join } from "node:path";

const PAGE = process.env.CARENET_PAGE;
const NATIVE = process.env.CARENET_NATIVE;
if (!PAGE || !NATIVE) throw new Error("CARENET_PAGE and CARENET_NATIVE must be set; run tests/e2e.sh");

const script = readFileSync(join(PAGE, "assets", "carenet-wasm.js"), "utf8");
const base64 = script.match(/wasmBase64 = "([A-Za-z0-9+/=]*)"/)[1];
const { instance } = await WebAssembly.instantiate(Buffer.from(base64, "base64"), {});
const model = instance.exports;
const decoder = new TextDecoder();
const read = (length) => JSON.parse(decoder.decode(new Uint8Array(model.memory.buffer, model.carenet_output_ptr(), length)));

function run(request) {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  const at = model.carenet_alloc(bytes.length);
  new Uint8Array(model.memory.buffer, at, bytes.length).set(bytes);
  const started = read(model.carenet_start(at, bytes.length));
  model.carenet_free(at, bytes.length);
  if (started.error) throw new Error(started.error);
  const years = [];
  for (;;) {
    const step = read(model.carenet_step());
    if (step.error) throw new Error(step.error);
    if (step.week && step.week.year) years.push(step.week.year);
    if (step.finished) break;
  }
  return { ...read(model.carenet_finish()), years };
}

/** The rows of yearly.csv, each value as a number, or null for an empty cell. */
function yearlyRows(text) {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v === "" ? null : Number(v)])));
}

let failed = 0;
for (const setting of read(model.carenet_catalogue()).scenarios) {
  const clock = performance.now();
  const result = run({ scenario: setting.name });
  const seconds = ((performance.now() - clock) / 1000).toFixed(1);
  const differing = result.files
    .filter((file) => readFileSync(join(NATIVE, setting.name, file.name), "utf8") !== file.text)
    .map((file) => file.name);
  // A run of several years brings each year's row of yearly.csv with the week
  // that ends it (the page's years); a run of one year none.
  const yearly = result.files.find((file) => file.name === "yearly.csv");
  const expected = yearly ? yearlyRows(yearly.text) : [];
  if (setting.weeks > 52 && !yearly) differing.push("yearly.csv (missing)");
  const sameRow = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(b).every((k) => a[k] === b[k]);
  if (result.years.length !== expected.length || !result.years.every((row, i) => sameRow(row, expected[i]))) {
    differing.push("the years shown");
  }
  if (differing.length === 0) {
    const years = yearly ? `, ${result.years.length} years as in yearly.csv` : "";
    console.log(`ok - ${setting.name}: ${result.files.length} files identical to the native run${years} (${seconds} s in WebAssembly)`);
  } else {
    failed += 1;
    console.log(`not ok - ${setting.name}: ${differing.join(", ")} differ from the native run`);
  }
}
process.exit(failed === 0 ? 0 : 1);
