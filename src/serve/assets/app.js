// The teaching page: levers, a run, charts that fill week by week, a block of
// one neighbourhood with its ties and this week's help, and the previous run
// beside this one. The runs come from `carenet.backend`: the server's /api
// (backend.js as `carenet serve` serves it) or the model compiled to
// WebAssembly in a web worker (backend.js of the exported page).

(() => {
const { setLanguage, language, t, number, percent, metricLabel, metricValue, metricDifference, metricBetter, scenarioDescription } =
  window.carenet.i18n;
const { drawChart, legend, element } = window.carenet.charts;
const backend = window.carenet.backend;

const COLOURS = {
  household: "#cc79a7",
  informal: "#009e73",
  formal: "#0072b2",
  unmet: "#d55e00",
  within: "#009e73",
  cross: "#56b4e9",
  outside: "#e69f00",
  outbound: "#000000",
  previous: "#333333",
};
// Okabe–Ito colours by tie kind; the neighbour's yellow is darkened to show on white.
const KIND_COLOURS = {
  partner: "#cc79a7",
  kin: "#d55e00",
  friend: "#0072b2",
  peer: "#009e73",
  association: "#e69f00",
  volunteer: "#56b4e9",
  neighbour: "#b59f00",
  acquaintance: "#a0a0a0",
};
const SLIDERS = ["cohesion", "institutional_trust", "formal_capacity"];
const POLL_MS = 150;
const YEAR_WEEKS = 52;
// A run of several years pauses as long in all as a run of this many weeks at
// the chosen speed, so that fifteen years do not take fifteen times as long to
// watch as one.
const PACED_WEEKS = 104;

const state = {
  scenarios: [],
  touched: new Set(),
  current: null, // {id, scenario, levers, weeks: [], years: [], summary, picture, totalWeeks, burnIn}
  previous: null,
  runToken: 0,
};

const $ = (selector) => document.querySelector(selector);

function scenario() {
  return state.scenarios.find((s) => s.name === $("#scenario").value);
}

// A backend's error in the page's words where it has them (`error.key`), else
// the message and fix it sent.
function showError(error, key, kind) {
  if (error.key) setStatus(error.key, {}, kind);
  else setStatus(key, { message: error.message, fix: error.fix ?? "" }, kind);
}

function setStatus(key, values = {}, kind = "info") {
  const status = $("#status");
  status.dataset.key = key;
  status.dataset.values = JSON.stringify(values);
  status.dataset.state = kind;
  status.textContent = t(key, values);
}

// ---- levers --------------------------------------------------------------

function sliderText(id, value) {
  if (id === "formal_capacity") return `${number(value)} ${t("hours_short")}`;
  return number(value, 2);
}

function showSlider(id) {
  const input = $(`#${id}`);
  const output = $(`#${id}-value`);
  const lever = input.closest(".lever");
  if (state.touched.has(id)) {
    output.textContent = sliderText(id, Number(input.value));
    lever.classList.add("touched");
  } else {
    const s = scenario();
    const values = s.neighbourhoods.map((n) => n[id]).filter((v) => v !== undefined);
    const low = Math.min(...values);
    const high = Math.max(...values);
    output.textContent =
      id === "formal_capacity" || low === high
        ? `${sliderText(id, Number(input.value))} (${t("scenario_value")})`
        : `${number(low, 2)}–${number(high, 2)} (${t("scenario_value")})`;
    lever.classList.remove("touched");
  }
}

function resetLevers() {
  const s = scenario();
  state.touched.clear();
  $("#cohesion").value = s.levers.cohesion;
  $("#institutional_trust").value = s.levers.institutional_trust;
  $("#formal_capacity").value = s.levers.formal_capacity;
  $("#network_first").checked = s.levers.network_first;
  $("#help_exchange").value = s.levers.help_exchange;
  $("#help_radius").value = s.levers.help_radius;
  for (const id of SLIDERS) showSlider(id);
  for (const lever of document.querySelectorAll(".lever")) lever.classList.remove("touched");
}

function chooseScenario() {
  const s = scenario();
  $("#scenario-description").textContent = scenarioDescription(s);
  const watch = $("#watch");
  watch.replaceChildren(
    ...s.neighbourhoods.map((n) => {
      const option = document.createElement("option");
      option.value = n.name;
      option.textContent = `${n.name} (${number(n.adults)})`;
      return option;
    }),
  );
  resetLevers();
}

// A run of more than one year: the page shows its years (yearly.csv's rows).
function multiYear(reportedWeeks) {
  return reportedWeeks > YEAR_WEEKS;
}

function request() {
  const pace = Number($("#pace").value);
  const weeks = scenario().weeks;
  const body = {
    scenario: $("#scenario").value,
    watch: $("#watch").value,
    pace_ms: weeks > PACED_WEEKS ? Math.round((pace * PACED_WEEKS) / weeks) : pace,
    network_first: $("#network_first").checked,
    help_exchange: $("#help_exchange").value,
    help_radius: $("#help_radius").value,
  };
  // An untouched slider keeps the setting's own values per neighbourhood.
  for (const id of SLIDERS) {
    if (state.touched.has(id)) body[id] = Number($(`#${id}`).value);
  }
  return body;
}

// ---- a run ---------------------------------------------------------------

async function run() {
  const token = ++state.runToken;
  $("#run").disabled = true;
  let started;
  const untouched = new Set(["cohesion", "institutional_trust"].filter((id) => !state.touched.has(id)));
  try {
    started = await backend.start(request());
  } catch (error) {
    showError(error, "status_error", "error");
    $("#run").disabled = false;
    return;
  }
  // Only a run that started becomes the previous one's successor: a refused
  // start made the shown run its own "previous run", compared with itself.
  if (state.current && state.current.done) state.previous = state.current;
  state.current = {
    id: started.id,
    scenario: started.scenario,
    levers: started.levers,
    untouched,
    watch: started.watch,
    folder: started.folder,
    totalWeeks: started.total_weeks,
    burnIn: started.burn_in_weeks,
    weeks: [],
    years: [],
    summary: null,
    picture: null,
    done: false,
  };
  clearNumbers();
  offerDownloads([]);
  render();
  $("#stop").hidden = !backend.stop;
  try {
    await poll(token);
  } catch (error) {
    // The server went away between two of poll's requests: without this the
    // Run button stayed disabled until the page was reloaded.
    showError(error, "status_failed", "failed");
  }
  $("#stop").hidden = true;
  $("#run").disabled = false;
}

async function stopRun() {
  const run = state.current;
  if (!run || run.done || !backend.stop) return;
  $("#stop").disabled = true;
  try {
    await backend.stop(run.id);
  } catch (error) {
    showError(error, "status_failed", "failed");
  }
  $("#stop").disabled = false;
}

// A run nobody watches any more held one of the server's two places until its
// end (minutes at a slow pace), so the class got "two runs are going": a closed
// or reloaded tab stops its run.
function abandonRun() {
  const run = state.current;
  if (run && !run.done && backend.abandon) backend.abandon(run.id);
}

async function poll(token) {
  const run = state.current;
  for (;;) {
    if (token !== state.runToken) return;
    let answer;
    try {
      answer = await backend.weeks(run.id, run.weeks.length);
    } catch (error) {
      showError(error, "status_failed", "failed");
      return;
    }
    run.weeks.push(...answer.weeks);
    // The week that ends a year of a run of several years brings its row of yearly.csv.
    run.years.push(...answer.weeks.filter((w) => w.year).map((w) => w.year));
    if (!run.picture && answer.status.state !== "building") {
      const network = await backend.network(run.id);
      run.picture = network.picture;
    }
    // After each turn of the year of a projection the block comes drawn again,
    // with the ties and ages of those who live there now.
    for (const week of answer.weeks) if (week.picture) run.picture = week.picture;
    const status = answer.status.state;
    showProgress(run, answer);
    if (answer.weeks.length > 0 || status === "done") render();
    if (status === "failed") {
      setStatus("status_failed", { message: answer.status.message }, "failed");
      return;
    }
    if (status === "stopped") {
      // The server's run writes no folder; the browser's offers no files.
      setStatus(run.folder ? "status_stopped" : "status_stopped_browser", {}, "stopped");
      return;
    }
    if (status === "done" && run.weeks.length >= answer.next) {
      const final = await backend.result(run.id);
      run.summary = final.summary;
      run.done = true;
      if (final.files) {
        offerDownloads(final.files);
        setStatus("status_done_browser", {}, "done");
      } else {
        setStatus("status_done", { folder: run.folder }, "done");
      }
      render();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// The run's files, as `carenet run` writes them, offered for download (only
// the page in the browser alone has them; the server writes a run folder).
function offerDownloads(files) {
  const list = $("#downloads");
  for (const link of list.querySelectorAll("a")) URL.revokeObjectURL(link.href);
  list.replaceChildren();
  list.hidden = files.length === 0;
  for (const file of files) {
    const link = document.createElement("a");
    const type = file.name.endsWith(".csv") ? "text/csv" : "text/plain";
    link.href = URL.createObjectURL(new Blob([file.text], { type }));
    link.download = file.name;
    link.textContent = file.name;
    list.append(link, " ");
  }
}

function showProgress(run, answer) {
  const reported = run.totalWeeks - run.burnIn;
  $("#progress").max = run.totalWeeks;
  $("#progress").value = answer.weeks_done;
  const state = answer.status.state;
  if (state === "building") setStatus("status_building");
  else if (state === "running" && answer.weeks_done < run.burnIn)
    setStatus("status_burn_in", { done: answer.weeks_done, burn: run.burnIn });
  else if (state === "running" && multiYear(reported))
    setStatus("status_running_years", {
      year: Math.max(1, Math.ceil(run.weeks.length / YEAR_WEEKS)),
      years: Math.ceil(reported / YEAR_WEEKS),
      week: run.weeks.length,
      weeks: reported,
    });
  else if (state === "running") setStatus("status_running", { week: run.weeks.length, weeks: reported });
  else if (state === "writing") setStatus("status_writing");
}

// ---- drawing -------------------------------------------------------------

function column(weeks, name) {
  return weeks.map((w) => w.row[name]);
}

function clearNumbers() {
  for (const cell of document.querySelectorAll("#week-numbers [data-column], #summary [data-column]")) {
    cell.textContent = "–";
  }
  $("#summary-wait").hidden = false;
}

// Two runs are set side by side only when they report as many weeks: a year's
// totals against fifteen years' would compare the lengths, not the levers.
function sameLength(a, b) {
  return a.totalWeeks - a.burnIn === b.totalWeeks - b.burnIn;
}

/** Need stacked by who met it (partner, informal, formal, unmet), with the
 * previous run's unmet hours dashed; the same chart by week and by year.
 * `values(column)` gives a column's points, `previous` the previous run's or null. */
function drawNeed(box, { points, values, previous, yLabel, xLabel, xTick }) {
  drawChart(box.querySelector("svg"), {
    weeks: points,
    stacked: [
      { color: COLOURS.household, values: values("household_hours") },
      { color: COLOURS.informal, values: values("informal_hours") },
      { color: COLOURS.formal, values: values("formal_hours") },
      { color: COLOURS.unmet, values: values("unmet_hours") },
    ],
    lines: previous ? [{ color: COLOURS.previous, values: previous("unmet_hours"), dash: true }] : [],
    yLabel,
    xLabel,
    xTick,
  });
  legend(box.querySelector(".legend"), [
    { label: t("unmet"), color: COLOURS.unmet },
    { label: t("formal"), color: COLOURS.formal },
    { label: t("informal"), color: COLOURS.informal },
    { label: t("household"), color: COLOURS.household },
    ...(previous ? [{ label: t("previous_unmet"), color: COLOURS.previous, dash: true }] : []),
  ]);
}

// The x axis of the weekly charts. A run of several years labels them at the
// weeks each year begins, by the year as its charts by year name it (2025, 2027,
// … where the scenario has a start year), so that the weekly and the yearly
// pictures can be read side by side; a year or two keeps its week numbers.
function weeklyAxis(run, reported) {
  if (!multiYear(reported)) return { xLabel: t("x_week"), xTick: undefined };
  const start = scenarioOf(run)?.start_year || 1;
  const years = Math.ceil(reported / YEAR_WEEKS);
  return {
    xLabel: t("x_week_by_year"),
    xTick: { every: YEAR_WEEKS * Math.ceil(years / 10), label: (w) => String(start + w / YEAR_WEEKS) },
  };
}

function render() {
  const run = state.current;
  if (!run) {
    showNetworkBefore();
    return;
  }
  const previous = $("#compare").checked && state.previous && sameLength(state.previous, run) ? state.previous : null;
  const reported = run.totalWeeks - run.burnIn;
  const weeks = run.weeks;
  const prevWeeks = previous ? previous.weeks : [];
  const { xLabel, xTick } = weeklyAxis(run, reported);

  drawNeed($("#chart-need"), {
    points: reported,
    values: (name) => column(weeks, name),
    previous: previous ? (name) => column(prevWeeks, name) : null,
    yLabel: t("chart_need_y"),
    xLabel,
    xTick,
  });

  const locality = $("#chart-locality");
  drawChart(locality.querySelector("svg"), {
    weeks: reported,
    stacked: [
      { color: COLOURS.within, values: column(weeks, "within_neighbourhood_hours") },
      { color: COLOURS.cross, values: column(weeks, "cross_neighbourhood_hours") },
      { color: COLOURS.outside, values: column(weeks, "outside_hours") },
    ],
    // Both directions across the area's boundary: what residents give their
    // parents outside is a line beside the help they receive.
    lines: [
      { color: COLOURS.outbound, values: column(weeks, "outbound_hours") },
      ...(previous ? [{ color: COLOURS.previous, values: column(prevWeeks, "informal_hours"), dash: true }] : []),
    ],
    yLabel: t("chart_locality_y"),
    xLabel,
    xTick,
  });
  legend(locality.querySelector(".legend"), [
    { label: t("outside"), color: COLOURS.outside },
    { label: t("cross"), color: COLOURS.cross },
    { label: t("within"), color: COLOURS.within },
    { label: t("outbound"), color: COLOURS.outbound },
    ...(previous ? [{ label: t("previous_informal"), color: COLOURS.previous, dash: true }] : []),
  ]);

  const waiting = $("#chart-waiting");
  drawChart(waiting.querySelector("svg"), {
    weeks: reported,
    lines: [
      { color: COLOURS.formal, values: column(weeks, "waiting_list") },
      ...(previous ? [{ color: COLOURS.previous, values: column(prevWeeks, "waiting_list"), dash: true }] : []),
    ],
    yLabel: t("chart_waiting_y"),
    xLabel,
    xTick,
  });
  legend(waiting.querySelector(".legend"), [
    { label: t("waiting_list"), color: COLOURS.formal },
    ...(previous ? [{ label: t("previous"), color: COLOURS.previous, dash: true }] : []),
  ]);

  const strain = $("#chart-strain");
  drawChart(strain.querySelector("svg"), {
    weeks: reported,
    yMax: 1,
    lines: [
      { color: COLOURS.unmet, values: column(weeks, "p90_strain") },
      { color: COLOURS.formal, values: column(weeks, "mean_strain") },
      ...(previous ? [{ color: COLOURS.previous, values: column(prevWeeks, "mean_strain"), dash: true }] : []),
    ],
    yLabel: t("chart_strain_y"),
    xLabel,
    xTick,
  });
  legend(strain.querySelector(".legend"), [
    { label: t("p90_strain"), color: COLOURS.unmet },
    { label: t("mean_strain"), color: COLOURS.formal },
    ...(previous ? [{ label: `${t("mean_strain")}, ${t("previous")}`, color: COLOURS.previous, dash: true }] : []),
  ]);

  showYears(run, previous);
  showWeek(weeks[weeks.length - 1]);
  $("#summary h2").textContent = multiYear(reported)
    ? t("summary_title_years", { years: number(reported / YEAR_WEEKS, reported % YEAR_WEEKS ? 1 : 0) })
    : t("summary_title");
  showSummary(run.summary);
  drawNetwork(run);
  showComparison(previous, run);
}

// ---- the years of a run of several years ---------------------------------

// The columns of the years' table, from yearly.csv, and how each is shown.
// A year is shown as the calendar year it stands for where the scenario has one
// (start_year: 2025, not "2,025"), else by its number.
const YEAR_COLUMNS = [
  ["year", (v, row) => (row.calendar_year == null ? number(v) : String(row.calendar_year))],
  ["adults_75_plus", (v) => number(v)],
  ["living_alone_share", (v) => percent(v)],
  ["receivers", (v) => number(v)],
  ["carers", (v) => number(v)],
  ["unmet_hours", (v) => number(v)],
  ["unmet_share", (v) => percent(v)],
  ["burnouts", (v) => number(v)],
  ["formal_cost_eur", (v) => number(v)],
];

function showYears(run, previous) {
  const reported = run.totalWeeks - run.burnIn;
  const box = $("#years");
  box.hidden = !multiYear(reported);
  if (box.hidden) return;
  const years = run.years;
  const count = Math.ceil(reported / YEAR_WEEKS);
  const start = scenarioOf(run)?.start_year || 1;
  const xTick = { every: count > 20 ? 5 : 1, label: (i) => String(start + i) };
  const values = (name, rows = years) => rows.map((row) => row[name]);
  const before = previous ? previous.years : null;

  const people = $("#chart-years-people");
  drawChart(people.querySelector("svg"), {
    weeks: count,
    lines: [
      { color: COLOURS.formal, values: values("adults_75_plus") },
      { color: COLOURS.informal, values: values("carers") },
      { color: COLOURS.unmet, values: values("receivers") },
    ],
    yLabel: t("chart_years_people_y"),
    xLabel: t("x_year"),
    xTick,
  });
  legend(people.querySelector(".legend"), [
    { label: t("adults_75_plus"), color: COLOURS.formal },
    { label: t("carers"), color: COLOURS.informal },
    { label: t("receivers"), color: COLOURS.unmet },
  ]);

  drawNeed($("#chart-years-need"), {
    points: count,
    values,
    previous: before ? (name) => values(name, before) : null,
    yLabel: t("chart_years_need_y"),
    xLabel: t("x_year"),
    xTick,
  });

  const body = $("#years-table tbody");
  body.replaceChildren();
  for (const row of years) {
    const line = body.insertRow();
    line.dataset.year = row.year;
    for (const [name, show] of YEAR_COLUMNS) {
      const cell = line.insertCell();
      cell.dataset.column = name;
      cell.textContent = show(row[name], row);
    }
  }
}

function showWeek(point) {
  if (!point) return;
  const cells = document.querySelectorAll("#week-numbers [data-column]");
  for (const cell of cells) {
    const value = point.row[cell.dataset.column];
    const whole = cell.dataset.column === "week" || cell.dataset.column === "waiting_list";
    cell.textContent = number(value, whole ? 0 : 2);
  }
}

function showSummary(summary) {
  if (!summary) return;
  $("#summary-wait").hidden = true;
  for (const cell of document.querySelectorAll("#summary [data-column]")) {
    cell.textContent = metricValue(cell.dataset.column, summary[cell.dataset.column]);
  }
}

// The metrics compared with the previous run; their labels, formats and which way
// is better come from the metric table (metrics.js).
const COMPARED = [
  "unmet_share",
  "informal_hours",
  "within_neighbourhood_share",
  "outside_share",
  "burnouts",
  "mean_wait_weeks",
  "intake_network_burdened_share",
];

// The research setting a run was started from, as the catalogue describes it.
function scenarioOf(run) {
  return state.scenarios.find((s) => s.name === run.scenario);
}

// A slider left untouched ran every neighbourhood at its own value, so the
// note says their range as the slider did; the run's lever value is their mean
// (0.58 for trust of 0.35–0.70 in the baseline), which no neighbourhood had.
function sliderSummary(run, id) {
  const value = run.levers[id];
  const setting = scenarioOf(run);
  if (!run.untouched || !run.untouched.has(id) || !setting) return sliderText(id, value);
  const values = setting.neighbourhoods.map((n) => n[id]);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const shown = low === high ? sliderText(id, low) : `${number(low, 2)}–${number(high, 2)}`;
  return `${shown} (${t("scenario_value")})`;
}

function leverSummary(run) {
  const l = run.levers;
  return `${run.scenario}: ${t("lever_cohesion").toLowerCase()} ${sliderSummary(run, "cohesion")}, ` +
    `${t("lever_trust").toLowerCase()} ${sliderSummary(run, "institutional_trust")}, ` +
    `${t("lever_capacity").toLowerCase()} ${sliderText("formal_capacity", l.formal_capacity)}, ` +
    `${t("lever_exchange").toLowerCase()}: ${t("exchange_" + l.help_exchange)}, ` +
    `${t("lever_network_first").toLowerCase()}: ${t(l.network_first ? "switch_on" : "switch_off")}, ` +
    `${t("lever_radius").toLowerCase()}: ${t("radius_" + l.help_radius)}`;
}

function showComparison(previous, run) {
  const table = $("#comparison-table");
  table.replaceChildren();
  const other = $("#compare").checked && state.previous && !previous ? state.previous : null;
  $("#comparison-other").hidden = !other;
  if (other) {
    const weeks = (r) => number(r.totalWeeks - r.burnIn);
    $("#comparison-other").textContent = t("compare_other_length", { previous: weeks(other), current: weeks(run) });
  }
  $("#comparison-none").hidden = Boolean(other || (previous && previous.summary && run.summary));
  if (!previous || !previous.summary || !run.summary) return;
  const head = table.createTHead().insertRow();
  for (const key of ["compare_metric", "compare_previous", "compare_current", "compare_difference"]) {
    const th = document.createElement("th");
    th.textContent = t(key);
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const name of COMPARED) {
    const format = (value) => metricValue(name, value);
    const better = metricBetter(name);
    const before = previous.summary[name];
    const after = run.summary[name];
    const row = body.insertRow();
    row.dataset.metric = name;
    row.insertCell().textContent = metricLabel(name);
    row.insertCell().textContent = format(before);
    row.insertCell().textContent = format(after);
    const cell = row.insertCell();
    if (before == null || after == null) {
      cell.textContent = "–";
      continue;
    }
    const difference = after - before;
    cell.textContent = metricDifference(name, difference);
    if (better !== 0 && difference !== 0) cell.className = Math.sign(difference) === better ? "better" : "worse";
  }
  const levers = body.insertRow();
  const note = levers.insertCell();
  note.colSpan = 4;
  note.className = "note";
  note.textContent = `${t("compare_previous")}: ${leverSummary(previous)}. ${t("compare_current")}: ${leverSummary(run)}.`;
}

// ---- the network picture -------------------------------------------------

const PICTURE = { width: 520, height: 440, left: 120, right: 20, top: 20, bottom: 20 };
const GATES = ["same_neighbourhood", "cross_neighbourhood", "outside"];

// Before a run (or for a run without a picture) the panel says what will
// appear there, not an empty box (QA 36).
function showNetworkBefore() {
  $("#network-picture").replaceChildren();
  $("#network-legend").replaceChildren();
  $("#network-title").textContent = t("network_before_title");
  $("#network-note").textContent = t("network_before");
  $("#network-week").textContent = "";
}

function drawNetwork(run) {
  const svg = $("#network-picture");
  const picture = run.picture;
  if (!picture) {
    showNetworkBefore();
    return;
  }
  $("#network-title").textContent = t("network_title", { name: picture.neighbourhood });
  $("#network-note").textContent = t("network_note", {
    n: picture.nodes.length,
    name: picture.neighbourhood,
    residents: number(picture.residents),
  });
  const extent = Math.max(1e-6, ...picture.nodes.map((n) => Math.max(Math.abs(n.x), Math.abs(n.y))));
  const plotW = PICTURE.width - PICTURE.left - PICTURE.right;
  const plotH = PICTURE.height - PICTURE.top - PICTURE.bottom;
  const scale = Math.min(plotW, plotH) / 2 / extent;
  const cx = PICTURE.left + plotW / 2;
  const cy = PICTURE.top + plotH / 2;
  const at = (node) => [cx + node.x * scale, cy - node.y * scale];
  svg.replaceChildren();
  const ties = element("g", { "stroke-width": 1.2, "stroke-opacity": 0.55 }, svg);
  for (const edge of picture.edges) {
    const [x1, y1] = at(picture.nodes[edge.a]);
    const [x2, y2] = at(picture.nodes[edge.b]);
    element("line", { x1, y1, x2, y2, stroke: KIND_COLOURS[edge.kind] }, ties);
  }
  const gates = {};
  const gateLabels = [];
  GATES.forEach((gate, i) => {
    const y = PICTURE.top + 40 + i * ((plotH - 80) / 2);
    gates[gate] = [18, y];
    element("rect", { x: 4, y: y - 12, width: 12, height: 24, fill: "#bbbbbb", rx: 3 }, svg);
    gateLabels.push([t(`gate_${gate}`), y]);
  });
  const week = run.weeks[run.weeks.length - 1];
  const flows = week ? week.flows : [];
  const received = new Map();
  const help = element("g", { "stroke-linecap": "round" }, svg);
  for (const flow of flows) {
    const [x2, y2] = at(picture.nodes[flow.to]);
    const [x1, y1] = flow.from != null ? at(picture.nodes[flow.from]) : gates[flow.source];
    const width = Math.min(6, 1 + Math.sqrt(flow.hours));
    element("line", { x1, y1, x2, y2, stroke: KIND_COLOURS[flow.kind], "stroke-width": width, "stroke-opacity": 0.9 }, help);
    received.set(flow.to, (received.get(flow.to) ?? 0) + flow.hours);
  }
  const nodes = element("g", {}, svg);
  picture.nodes.forEach((node, i) => {
    const [x, y] = at(node);
    const hours = received.get(i);
    element("circle", {
      cx: x,
      cy: y,
      r: hours ? Math.min(9, 3.5 + Math.sqrt(hours)) : 3.5,
      fill: hours ? "#282828" : "#ffffff",
      stroke: "#282828",
      "stroke-width": 1,
    }, nodes);
  });
  // Gate names last, on a halo, so that no line hides them.
  for (const [text, y] of gateLabels) {
    const label = element("text", { x: 4, y: y - 17, class: "gate" }, svg);
    label.textContent = text;
  }
  const kinds = [...new Set(picture.edges.map((e) => e.kind).concat(flows.map((f) => f.kind)))];
  const order = Object.keys(KIND_COLOURS);
  kinds.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  legend($("#network-legend"), kinds.map((kind) => ({ label: t(`kind_${kind}`), color: KIND_COLOURS[kind] })));
  describeWeek(week, flows);
}

function describeWeek(week, flows) {
  const line = $("#network-week");
  if (!week) {
    line.textContent = "";
    return;
  }
  const sum = (list) => list.reduce((total, f) => total + f.hours, 0);
  const weekNumber = week.row.week;
  // Partners' help is household help; the shares are of informal help, as in
  // the chart of informal help by where the helper lives.
  const household = sum(flows.filter((f) => f.kind === "partner"));
  const informal = flows.filter((f) => f.kind !== "partner");
  const total = sum(informal);
  if (total + household === 0) {
    line.textContent = t("network_none", { week: weekNumber });
    return;
  }
  const share = (source) => number((100 * sum(informal.filter((f) => f.source === source))) / Math.max(total, 1e-9));
  line.textContent = t("network_week", {
    week: weekNumber,
    household: number(household, 1),
    hours: number(total, 1),
    inside: share("block"),
    neighbourhood: share("same_neighbourhood"),
    cross: share("cross_neighbourhood"),
    outside: share("outside"),
  });
}

// ---- start ---------------------------------------------------------------

function relabel() {
  setLanguage(language());
  const status = $("#status");
  if (status.dataset.key) status.textContent = t(status.dataset.key, JSON.parse(status.dataset.values));
  $("#language").textContent = t("language");
  if (state.scenarios.length) for (const id of SLIDERS) showSlider(id);
  // The settings' and neighbourhoods' sizes in the language's numbers too.
  for (const option of $("#scenario").options) {
    const s = state.scenarios.find((x) => x.name === option.value);
    if (s) option.textContent = `${s.name} (${number(s.adults)})`;
  }
  if (state.scenarios.length) {
    $("#scenario-description").textContent = scenarioDescription(scenario());
    for (const option of $("#watch").options) {
      const n = scenario().neighbourhoods.find((x) => x.name === option.value);
      if (n) option.textContent = `${n.name} (${number(n.adults)})`;
    }
  }
  render();
}

async function start() {
  const saved = localStorage.getItem("carenet-language");
  setLanguage(saved === "nl" ? "nl" : "en");
  $("#language").addEventListener("click", () => {
    setLanguage(language() === "en" ? "nl" : "en");
    localStorage.setItem("carenet-language", language());
    relabel();
  });
  setStatus("status_idle");
  const catalogue = await backend.catalogue();
  state.scenarios = catalogue.scenarios;
  $("#formal_capacity").max = Math.min(600, catalogue.limits.formal_capacity_max);
  $("#scenario").replaceChildren(
    ...state.scenarios.map((s) => {
      const option = document.createElement("option");
      option.value = s.name;
      option.textContent = `${s.name} (${number(s.adults)})`;
      return option;
    }),
  );
  chooseScenario();
  $("#scenario").addEventListener("change", chooseScenario);
  for (const id of SLIDERS) {
    $(`#${id}`).addEventListener("input", () => {
      state.touched.add(id);
      showSlider(id);
    });
  }
  for (const id of ["network_first", "help_exchange", "help_radius"]) {
    $(`#${id}`).addEventListener("change", () => $(`#${id}`).closest(".lever").classList.add("touched"));
  }
  $("#reset").addEventListener("click", resetLevers);
  $("#compare").addEventListener("change", render);
  $("#run").addEventListener("click", run);
  $("#stop").addEventListener("click", stopRun);
  window.addEventListener("pagehide", abandonRun);
  render();
  document.body.dataset.ready = "true";
}

start().catch((error) => showError(error, "status_error", "error"));
})();
