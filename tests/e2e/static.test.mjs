// The exported teaching page (carenet export-page) as a person uses it from a
// folder, in headless Debian Chromium: open DIR/index.html as file://, run the
// baseline in the browser (WebAssembly in a web worker), check the numbers
// shown and the downloaded CSV files against a native `carenet run` of the same
// scenario and seed, stop a slow run with Stop and check that the next run is
// the native run's again, compare a second run, run the projection of several
// years and check its years and yearly.csv, switch the language, reload the tab
// while a run goes, and check that no request left the page.
//
// Run by tests/e2e.sh, which sets:
//   CARENET_PAGE          the exported folder
//   CARENET_NATIVE        a native run folder of scenarios/baseline.toml
//   CARENET_NATIVE_YEARS  a native run folder of scenarios/ageing-town-2025-2040.toml

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const PAGE = process.env.CARENET_PAGE;
const NATIVE = process.env.CARENET_NATIVE;
const NATIVE_YEARS = process.env.CARENET_NATIVE_YEARS;
for (const [name, value] of Object.entries({ CARENET_PAGE: PAGE, CARENET_NATIVE: NATIVE, CARENET_NATIVE_YEARS: NATIVE_YEARS })) {
  if (!value) throw new Error(`${name} is not set; run tests/e2e.sh`);
}

const results = { passed: 0, failed: 0 };
async function check(name, body) {
  try {
    await body();
    results.passed += 1;
    console.log(`ok - ${name}`);
  } catch (error) {
    results.failed += 1;
    console.log(`not ok - ${name}\n  ${String(error.stack ?? error).split("\n").join("\n  ")}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function csv(text) {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
}
function shown(text) {
  const cleaned = text.replace(/,/g, "").replace("%", "").replace("−", "-").trim();
  return cleaned === "–" ? null : Number(cleaned);
}
function same(text, csvValue, decimals, factor = 1) {
  const expected = Number((Number(csvValue) * factor).toFixed(decimals));
  const actual = shown(text);
  assert(actual === expected, `page shows ${text}, the native CSV has ${csvValue} (${expected} rounded)`);
}
const native = (file) => readFileSync(join(NATIVE, file), "utf8");
const nativeYears = (file) => readFileSync(join(NATIVE_YEARS, file), "utf8");

/** Each downloaded file is byte for byte `expected(name)`; returns the names. */
async function checkDownloads(expected) {
  const names = await page.locator("#downloads a").allInnerTexts();
  for (const name of names) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`#downloads a[download="${name}"]`).click()]);
    const got = readFileSync(await download.path(), "utf8");
    assert(got === expected(name), `${name} differs from the native run's`);
  }
  return names;
}

const userData = mkdtempSync(join(tmpdir(), "carenet-chromium-"));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1440, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(String(error)));
page.on("console", (message) => {
  if (message.type() === "error") pageErrors.push(message.text());
});
const requests = [];
page.on("request", (request) => requests.push(request.url()));
const text = (selector) => page.locator(selector).innerText();

try {
  const url = pathToFileURL(join(PAGE, "index.html")).href;
  const loading = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
  console.log(`# page ready in ${Date.now() - loading} ms (the module compiled in the worker)`);

  await check("the page from a folder lists the settings and starts on the baseline", async () => {
    const options = await page.locator("#scenario option").allInnerTexts();
    assert(options.length >= 5, `settings: ${options}`);
    assert((await page.locator("#scenario").inputValue()) === "baseline", "baseline first");
  });

  await check("the baseline runs in the browser; the numbers shown are the native run's", async () => {
    await page.locator("#pace").selectOption("0");
    const started = Date.now();
    await page.locator("#run").click();
    await page.waitForSelector('#status[data-state="done"]', { timeout: 120000 });
    console.log(`# baseline (${104} weeks, 6,000 adults) in the browser: ${Date.now() - started} ms from Run to done`);
    const rows = csv(native("timeseries.csv"));
    const last = rows[rows.length - 1];
    assert((await text('#week-numbers [data-column="week"]')) === last.week, "week number");
    for (const column of ["need_hours", "household_hours", "informal_hours", "formal_hours", "unmet_hours"]) {
      same(await text(`#week-numbers [data-column="${column}"]`), last[column], 2);
    }
    const [summary] = csv(native("summary.csv"));
    for (const column of ["unmet_share", "within_neighbourhood_share", "outside_share", "intake_network_burdened_share"]) {
      same(await text(`#summary [data-column="${column}"]`), summary[column], 1, 100);
    }
    same(await text('#summary [data-column="informal_hours"]'), summary.informal_hours, 0);
    same(await text('#summary [data-column="burnouts"]'), summary.burnouts, 0);
  });

  await check("every downloaded file is byte for byte the native run's", async () => {
    const names = await checkDownloads(native);
    for (const name of ["scenario.toml", "network_summary.csv", "timeseries.csv", "flows.csv", "neighbourhoods.csv", "summary.csv"]) {
      assert(names.includes(name), `download ${name} offered: ${names}`);
    }
    assert(!names.includes("yearly.csv"), "a run of one year has no yearly.csv");
    assert(await page.locator("#years").isHidden(), "a run of one year shows no years");
  });

  // QA 33: in the browser alone there was no Stop; only a reload ended a run.
  await check("Stop ends a run in the browser before its end; the next run is the native run's", async () => {
    await page.locator("#pace").selectOption("150");
    await page.locator("#run").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.key === "status_running", null, { timeout: 60000 });
    assert(await page.locator("#stop").isVisible(), "Stop is offered while the run goes");
    await page.locator("#stop").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.state === "stopped", null, { timeout: 20000 });
    const status = await text("#status");
    assert(status.startsWith("Stopped before its end") && status.includes("download"), `status: ${status}`);
    assert(await page.locator("#run").isEnabled(), "Run can be pressed again");
    assert(!(await page.locator("#stop").isVisible()), "Stop is hidden again");
    assert(await page.locator("#downloads").isHidden(), "a stopped run offers no files");
    const rows = csv(native("timeseries.csv"));
    const last = rows[rows.length - 1];
    const stoppedAt = await text('#week-numbers [data-column="week"]');
    assert(stoppedAt !== last.week, `the run went on to week ${stoppedAt}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert((await text('#week-numbers [data-column="week"]')) === stoppedAt, "a week came after Stop");
    await page.locator("#language").click();
    const dutch = await text("#status");
    await page.locator("#language").click();
    assert(dutch.startsWith("Gestopt voor het einde") && dutch.includes("downloaden"), `Dutch status: ${dutch}`);
    // The next run, in a fresh worker, is the native run's to the byte.
    await page.locator("#pace").selectOption("0");
    await page.locator("#run").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.state !== "stopped", null, { timeout: 10000 }).catch(() => {});
    await page.waitForSelector('#status[data-state="done"]', { timeout: 120000 });
    assert((await text('#week-numbers [data-column="week"]')) === last.week, "week number");
    same(await text('#week-numbers [data-column="unmet_hours"]'), last.unmet_hours, 2);
    await checkDownloads(native);
  });

  await check("the network picture is drawn and a second run is compared with the first", async () => {
    assert((await page.locator("#network-picture circle").count()) > 0, "residents drawn");
    await page.locator("#help_exchange").selectOption("reciprocal");
    await page.locator("#run").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.state !== "done", null, { timeout: 10000 }).catch(() => {});
    await page.waitForSelector('#status[data-state="done"]', { timeout: 120000 });
    const rows = await page.locator("#comparison-table tbody tr[data-metric]").count();
    assert(rows === 7, `${rows} compared metrics`);
    const [before] = csv(native("summary.csv"));
    same(await page.locator('#comparison-table tr[data-metric="unmet_share"] td').nth(1).innerText(), before.unmet_share, 1, 100);
  });

  await check("the projection runs its years in the browser; the years shown and yearly.csv are the native run's", async () => {
    await page.locator("#scenario").selectOption("ageing-town-2025-2040");
    const started = Date.now();
    await page.locator("#run").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.state !== "done", null, { timeout: 10000 }).catch(() => {});
    await page.waitForSelector('#status[data-state="done"]', { timeout: 180000 });
    console.log(`# the projection (780 weeks after 52 of burn-in, 6,000 adults) in the browser: ${Date.now() - started} ms from Run to done`);
    const rows = csv(nativeYears("yearly.csv"));
    assert(rows.length === 15, `${rows.length} years`);
    assert((await page.locator("#years-table tbody tr").count()) === rows.length, "one table row a year");
    for (const row of rows) {
      const cells = `#years-table tr[data-year="${row.year}"]`;
      // The year shown is the calendar year it stands for (start_year = 2025).
      assert(row.calendar_year === String(2024 + Number(row.year)), `calendar_year ${row.calendar_year} of year ${row.year}`);
      const shownYear = await page.locator(`${cells} [data-column="year"]`).innerText();
      assert(shownYear === row.calendar_year, `year ${row.year} shown as ${shownYear}`);
      for (const column of ["adults_75_plus", "receivers", "carers", "unmet_hours", "burnouts", "formal_cost_eur"]) {
        same(await text(`${cells} [data-column="${column}"]`), row[column], 0);
      }
      same(await text(`${cells} [data-column="unmet_share"]`), row.unmet_share, 1, 100);
      same(await text(`${cells} [data-column="living_alone_share"]`), row.living_alone_share, 1, 100);
    }
    const line = await page.locator("#chart-years-people svg polyline").first().getAttribute("points");
    assert(line.trim().split(" ").length === rows.length, "one point a year");
    const ticks = await page.locator("#chart-years-people svg text:not(.axis-title)").evaluateAll((labels) => labels.map((e) => e.textContent));
    assert(ticks.includes("2025") && ticks.includes("2039") && !ticks.includes("1"), `the years' axis by calendar year: ${ticks}`);
    const names = await checkDownloads(nativeYears);
    assert(names.includes("yearly.csv"), `yearly.csv offered: ${names}`);
  });

  await check("the language switch turns the page Dutch and back", async () => {
    await page.locator("#language").click();
    assert((await text("h1")) === "Zorgnetwerken: wie helpt wie?", "Dutch title");
    assert((await text("#status")).startsWith("Klaar."), "Dutch status");
    assert((await text("#years h2")) === "Jaar na jaar", "Dutch years title");
    assert((await text("#chart-years-need figcaption")) === "Zorgvraag en wie die invulde, per jaar", "Dutch years chart");
    await page.locator("#language").click();
    assert((await text("h1")) === "Care networks: who helps whom?", "English again");
  });

  await check("a tab reloaded while a run goes in the browser starts afresh", async () => {
    // The projection is still chosen: its status names the year too.
    await page.locator("#pace").selectOption("150");
    await page.locator("#run").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.key.startsWith("status_running"), null, { timeout: 60000 });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
    assert((await page.evaluate(() => document.querySelector("#status").dataset.key)) === "status_idle", "idle again");
    assert(await page.locator("#run").isEnabled(), "Run can be pressed");
    assert(!(await page.locator("#stop").isVisible()), "no Stop before a run");
  });

  await check("no request left the page and the page logged no error", async () => {
    const foreign = requests.filter((r) => !r.startsWith("file://") && !r.startsWith("blob:") && !r.startsWith("data:"));
    assert(foreign.length === 0, `requested ${foreign}`);
    assert(pageErrors.length === 0, `errors: ${pageErrors.join("; ")}`);
  });
} finally {
  await context.close();
  rmSync(userData, { recursive: true, force: true });
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
