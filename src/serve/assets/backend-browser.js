// The runs of the page in the browser alone: the model compiled to WebAssembly
// runs in a web worker (worker.js), so the page stays responsive, and nothing
// is sent anywhere. The exported page has this file as assets/backend.js.
//
// From a folder opened as file://, Chromium refuses to start a worker from a
// file and to fetch a .wasm file, so the worker is started from its source
// text (a blob: URL) and the module comes from carenet-wasm.js, which holds it
// as base64 text; both are loaded as classic scripts, which file:// allows.

(() => {
const here = document.currentScript.src;

function load(name) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL(name, here).href;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${name}: keep the folder's files together`));
    document.head.appendChild(script);
  });
}

function decode(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let worker = null;
let nextCall = 1;
const calls = new Map();
const runs = new Map();
let nextRun = 1;

async function start() {
  await Promise.all([load("worker.js"), load("carenet-wasm.js")]);
  const source = `(${window.carenet.workerMain.toString()})();`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const started = new Worker(url);
  URL.revokeObjectURL(url);
  started.onmessage = ({ data }) => receive(data);
  const bytes = decode(window.carenet.wasmBase64);
  started.postMessage({ type: "module", bytes }, [bytes.buffer]);
  return started;
}

function receive(message) {
  if (message.call) {
    const { resolve, reject } = calls.get(message.call);
    calls.delete(message.call);
    if (message.value && message.value.error) {
      const error = new Error(message.value.error);
      error.fix = message.value.fix ?? "";
      reject(error);
    } else {
      resolve(message.value);
    }
    return;
  }
  const run = runs.get(message.run);
  if (!run) return;
  if (message.type === "week") {
    run.weeks_done = message.weeks_done;
    if (message.week) run.weeks.push(message.week);
    run.status = { state: "running" };
  } else if (message.type === "done") {
    run.result = { summary: message.summary, files: message.files };
    run.status = { state: "done" };
  } else if (message.type === "failed") {
    run.status = { state: "failed", message: message.message };
  }
}

async function call(type, fields = {}) {
  worker = worker ?? (await start());
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve, reject });
    worker.postMessage({ type, call: id, ...fields });
  });
}

window.carenet = window.carenet ?? {};
window.carenet.backend = {
  catalogue: () => call("catalogue"),
  async start(request) {
    const id = nextRun++;
    const run = { id, weeks: [], weeks_done: 0, status: { state: "building" }, result: null };
    runs.set(id, run);
    const started = await call("start", { run: id, request });
    run.picture = started.picture;
    return { id, ...started, folder: null };
  },
  async weeks(id, from) {
    const run = runs.get(id);
    const weeks = run.weeks.slice(from);
    return { status: run.status, weeks_done: run.weeks_done, from, next: from + weeks.length, weeks };
  },
  async network(id) {
    return { picture: runs.get(id).picture };
  },
  async result(id) {
    return runs.get(id).result;
  },
};
})();
