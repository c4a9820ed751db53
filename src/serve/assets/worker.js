// The web worker of the page in the browser alone. Its source is this one
// function, which backend-browser.js starts as a worker from a blob: URL. It
// instantiates the model (plain `extern "C"` exports, JSON across the module's
// memory: src/page/web.rs), answers the page's calls, and runs a run week by
// week, posting each week, pausing between reported weeks as the page asks.

window.carenet = window.carenet ?? {};
window.carenet.workerMain = function carenetWorker() {
  let model = null;
  let module = null;
  let current = 0;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  async function instantiate() {
    const instance = await WebAssembly.instantiate(module, {});
    model = instance.exports;
  }

  function read(length) {
    const bytes = new Uint8Array(model.memory.buffer, model.carenet_output_ptr(), length);
    return JSON.parse(decoder.decode(bytes));
  }

  function send(text, call) {
    const bytes = encoder.encode(text);
    const at = model.carenet_alloc(bytes.length);
    new Uint8Array(model.memory.buffer, at, bytes.length).set(bytes);
    try {
      return read(call(at, bytes.length));
    } finally {
      model.carenet_free(at, bytes.length);
    }
  }

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function run(id, paceMs) {
    for (;;) {
      if (id !== current) return;
      const step = read(model.carenet_step());
      if (step.error) throw new Error(step.error);
      self.postMessage({ type: "week", run: id, weeks_done: step.weeks_done, week: step.week });
      if (step.finished) break;
      // A pause after reported weeks lets the charts fill visibly; a zero
      // pause now and then still lets the worker hear a newer run.
      if (step.week && paceMs > 0) await pause(paceMs);
      else if (step.weeks_done % 8 === 0) await pause(0);
    }
    const result = read(model.carenet_finish());
    if (result.error) throw new Error(result.error);
    self.postMessage({ type: "done", run: id, summary: result.summary, files: result.files });
  }

  async function handle(message) {
    if (message.type === "module") {
      module = await WebAssembly.compile(message.bytes);
      await instantiate();
      return;
    }
    if (message.type === "catalogue") {
      self.postMessage({ call: message.call, value: read(model.carenet_catalogue()) });
    } else if (message.type === "start") {
      current = message.run;
      const started = send(JSON.stringify(message.request), model.carenet_start);
      self.postMessage({ call: message.call, value: started });
      if (started.error) return;
      run(message.run, message.request.pace_ms ?? 0).catch(async (error) => {
        self.postMessage({ type: "failed", run: message.run, message: String(error.message ?? error) });
        // A trapped module is not to be trusted: start afresh for the next run.
        await instantiate();
      });
    }
  }

  let queue = Promise.resolve();
  self.onmessage = ({ data }) => {
    queue = queue.then(() => handle(data)).catch((error) => {
      if (data.call) self.postMessage({ call: data.call, value: { error: String(error.message ?? error), fix: "reload the page" } });
    });
  };
};
