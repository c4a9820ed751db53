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

// The worker, or the promise of one being started. Stop ends a run by
// terminating its worker: a message asking the worker to stop would be heard
// only when it yields (not while it builds the town, and at "as fast as
// possible" every eighth week). The next run gets a fresh worker with a fresh
// instance of the module, as the first run had, so it is the native run's
// byte for byte.
let worker = null;
let scripts = null;
let nextCall = 1;
const calls = new Map();
const runs = new Map();
let nextRun = 1;

async function start() {
  // The scripts once: a worker started again after a Stop reuses them.
  scripts = scripts ?? Promise.all([load("worker.js"), load("carenet-wasm.js")]);
  await scripts;
  const source = `(${window.carenet.workerMain.toString()})();`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const started = new Worker(url);
  URL.revokeObjectURL(url);
  started.onmessage = ({ data }) => receive(data);
  const bytes = decode(window.carenet.wasmBase64);
  started.postMessage({ type: "module", bytes }, [bytes.buffer]);
  return started;
}

/** Ends the worker and whatever it runs; its unanswered calls fail. */
async function terminate() {
  const ending = worker;
  worker = null;
  if (!ending) return;
  let ended;
  try {
    ended = await ending;
  } catch {
    return; // it never started
  }
  // No message of the ended worker arrives after this (one posted before it
  // ended could still be queued).
  ended.onmessage = null;
  ended.terminate();
  for (const [id, { reject }] of calls) {
    calls.delete(id);
    reject(new Error("the run was stopped"));
  }
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
  if (!run || run.status.state === "stopped") return;
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
  // The promise, not the worker, is kept at once, so that two calls before the
  // worker has started do not start two.
  worker = worker ?? start();
  const starting = worker;
  let running;
  try {
    running = await starting;
  } catch (error) {
    // The scripts did not load: the next call tries again.
    if (worker === starting) worker = null;
    scripts = null;
    throw error;
  }
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve, reject });
    running.postMessage({ type, call: id, ...fields });
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
  /** Ends the run before its next week: its weeks shown stay, it offers no
   * files. A new worker starts at once, so that the next Run does not wait
   * for the module to compile. */
  async stop(id) {
    const run = runs.get(id);
    if (!run || !["building", "running"].includes(run.status.state)) return {};
    run.status = { state: "stopped" };
    await terminate();
    worker = start();
    worker.catch(() => {});
    return {};
  },
};
})();
