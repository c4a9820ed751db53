// The runs of `carenet serve`: the model runs on the server, which writes each
// run to its results folder; the page asks its /api. `carenet serve` serves this
// file as assets/backend.js (the exported page gets backend-browser.js there).

(() => {
async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.error ?? response.statusText);
    error.fix = body.fix ?? "";
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
};
})();
