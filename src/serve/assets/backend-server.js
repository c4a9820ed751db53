// The runs of `carenet serve`: the model runs on the server, which writes each
// run to its results folder; the page asks its /api. `carenet serve` serves this
// file as assets/backend.js (the exported page gets backend-browser.js there).

(() => {
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (cause) {
    // The server is gone (stopped with Ctrl-C, or the laptop slept): the
    // browser's "Failed to fetch" said neither what happened nor what to do,
    // and in English on the Dutch page. `key` is the page's own message.
    const error = new Error(String(cause?.message ?? cause));
    error.key = "status_unreachable";
    throw error;
  }
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ?? response.statusText);
    error.fix = body.fix ?? "";
    // Two runs going (a reloaded or second tab's run goes on): the one refusal a
    // class meets, said in the page's language rather than the server's English.
    if (response.status === 429) error.key = "status_busy";
    throw error;
  }
  return body;
}

window.carenet = window.carenet ?? {};
window.carenet.backend = {
  /** The built-in settings and the levers' limits. */
  catalogue: () => api("api/scenarios"),
  /** Starts a run: its id, settings, weeks and, here, its folder. */
  start: (request) =>
    api("api/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    }),
  /** The reported weeks from index `from` and where the run is. */
  weeks: (id, from) => api(`api/runs/${id}/weeks?from=${from}`),
  /** The drawn block. */
  network: (id) => api(`api/runs/${id}/network`),
  /** The finished run's summary.csv row (its files are in the folder). */
  result: (id) => api(`api/runs/${id}`),
  /** Asks the run to stop before its next week; it writes nothing. */
  stop: (id) => api(`api/runs/${id}/stop`, { method: "POST" }),
  /** The same as the page goes away (a request that outlives the page). */
  abandon: (id) => navigator.sendBeacon(`api/runs/${id}/stop`),
};
})();
