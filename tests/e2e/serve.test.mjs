// carenet serve as a person uses it, in headless Debian Chromium: open the page,
// move a slider, run a setting, wait for the charts, and check that the numbers
// on the page are the run's CSV files; run again with another lever and check the
// comparison; switch the language; run the projection of several years and check
// its years against yearly.csv; screenshot the page and a `carenet report`.
//
// Run by tests/e2e.sh, which starts the server and sets:
//   CARENET_URL      the page's address
//   CARENET_RESULTS  the server's results folder
//   CARENET_BIN      the carenet binary (for `carenet report`)
//   SCREENSHOTS      where serve.png, serve-years.png and report.png go

import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const URL = process.env.CARENET_URL;
const RESULTS = process.env.CARENET_RESULTS;
const BIN = process.env.CARENET_BIN;
const SCREENSHOTS = process.env.SCREENSHOTS;
for (const [name, value] of Object.entries({ CARENET_URL: URL, CARENET_RESULTS: RESULTS, CARENET_BIN: BIN, SCREENSHOTS })) {
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

/** Rows of a CSV file written by carenet (no quoted commas in these columns). */
function csv(path) {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
}

/** A number as the English page shows it: "4,812.33", "24.2%", "–". */
function shown(text) {
  const cleaned = text.replace(/,/g, "").replace("%", "").replace("−", "-").trim();
  return cleaned === "–" ? null : Number(cleaned);
}

/** The page's value equals the CSV's, rounded as the page rounds it. */
function same(text, csvValue, decimals, factor = 1) {
  const expected = Number((Number(csvValue) * factor).toFixed(decimals));
  const actual = shown(text);
  assert(actual === expected, `page shows ${text}, the CSV has ${csvValue} (${expected} rounded)`);
}

const userData = mkdtempSync(join(tmpdir(), "carenet-chromium-"));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1440, height: 1000 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(String(error)));
page.on("console", (message) => {
  if (message.type() === "error") pageErrors.push(message.text());
});
const requests = [];
page.on("request", (request) => requests.push(request.url()));

const number = (selector) => page.locator(selector).innerText();
let firstFolder;

try {
  // The first load hung for minutes in CI twice while the server was tiny_http,
  // whose pool could queue a new connection behind idle keep-alive ones
  // (src/serve/http.rs says why it now answers one request per connection).
  // Failing here with the server's log (tests/e2e.sh prints it) is the point.
  await page.goto(URL, { timeout: 60000 });
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });

  await check("the page lists the built-in settings and starts on the baseline", async () => {
    const options = await page.locator("#scenario option").allInnerTexts();
    assert(options.length >= 5, `settings: ${options}`);
    assert((await page.locator("#scenario").inputValue()) === "baseline", "baseline first");
    assert((await page.locator("#watch option").count()) === 5, "five neighbourhoods");
    // QA 36: before a run the network panel was an empty box without a word.
    const title = await page.locator("#network-title").innerText();
    const hint = await page.locator("#network-note").innerText();
    assert(title === "The network of a block" && hint.startsWith("Press Run:"), `empty panel: ${title} / ${hint}`);
  });

  await check("moving the cohesion slider shows its value", async () => {
    await page.locator("#cohesion").fill("0.8");
    const text = await page.locator("#cohesion-value").innerText();
    assert(text === "0.80", `slider output ${text}`);
    assert(await page.locator('.lever[data-lever="cohesion"].touched').count() === 1, "marked as moved");
  });

  await check("a run fills the charts week by week and ends with the summary", async () => {
    await page.locator("#watch").selectOption("Tuindorp");
    await page.locator("#run").click();
    // Weeks arrive while the run is going (the normal speed pauses 40 ms a week).
    await page.waitForFunction(() => {
      const week = document.querySelector('#week-numbers [data-column="week"]').textContent;
      return week !== "–" && document.querySelector("#status").dataset.state !== "done";
    }, null, { timeout: 60000 });
    const partial = await page.locator("#chart-need svg path").count();
    assert(partial === 4, `four stacked areas while running, got ${partial}`);
    await page.waitForSelector('#status[data-state="done"]', { timeout: 120000 });
    const status = await page.locator("#status").innerText();
    const match = status.match(/serve\/run-\d{4}/);
    assert(match, `status names the run folder: ${status}`);
    firstFolder = join(RESULTS, match[0]);
  });

  await check("the last week shown is the last row of timeseries.csv", async () => {
    const rows = csv(join(firstFolder, "timeseries.csv"));
    const last = rows[rows.length - 1];
    assert((await number('#week-numbers [data-column="week"]')) === last.week, "week number");
    for (const column of ["need_hours", "household_hours", "informal_hours", "formal_hours", "unmet_hours"]) {
      same(await number(`#week-numbers [data-column="${column}"]`), last[column], 2);
    }
    same(await number('#week-numbers [data-column="waiting_list"]'), last.waiting_list, 0);
  });

  await check("the year's numbers are summary.csv's", async () => {
    const [summary] = csv(join(firstFolder, "summary.csv"));
    for (const column of ["unmet_share", "within_neighbourhood_share", "outside_share", "intake_network_burdened_share"]) {
      same(await number(`#summary [data-column="${column}"]`), summary[column], 1, 100);
    }
    same(await number('#summary [data-column="informal_hours"]'), summary.informal_hours, 0);
    same(await number('#summary [data-column="burnouts"]'), summary.burnouts, 0);
    same(await number('#summary [data-column="mean_wait_weeks"]'), summary.mean_wait_weeks, 1);
    // The Wlz's care at home, the part of formal care the team's lever does not set (QA 26).
    same(await number('#summary [data-column="long_term_care_hours"]'), summary.long_term_care_hours, 0);
  });

  await check("the slider's value reached the run: every neighbourhood at cohesion 0.8", async () => {
    const scenario = readFileSync(join(firstFolder, "scenario.toml"), "utf8");
    const values = [...scenario.matchAll(/^cohesion = (.*)$/gm)].map((m) => Number(m[1]));
    assert(values.length === 5 && values.every((v) => v === 0.8), `cohesion in scenario.toml: ${values}`);
  });

  await check("every chart has one point per reported week", async () => {
    const rows = csv(join(firstFolder, "timeseries.csv"));
    const path = await page.locator("#chart-need svg path").first().getAttribute("d");
    const points = path.split("L").length - 2; // the two corners on the axis
    assert(points === rows.length, `${points} points for ${rows.length} weeks`);
    const line = await page.locator("#chart-waiting svg polyline").first().getAttribute("points");
    assert(line.trim().split(" ").length === rows.length, "waiting list line");
  });

  await check("the network picture draws the block of Tuindorp with ties and this week's help", async () => {
    const title = await page.locator("#network-title").innerText();
    assert(title.includes("Tuindorp"), title);
    const circles = await page.locator("#network-picture circle").count();
    assert(circles > 0 && circles <= 150, `${circles} residents drawn`);
    const lines = await page.locator("#network-picture line").count();
    assert(lines > 0, "ties drawn");
    const legend = await page.locator("#network-legend").innerText();
    assert(legend.includes("neighbour"), `legend: ${legend}`);
    const week = await page.locator("#network-week").innerText();
    assert(/^Week \d+:/.test(week), week);
  });

  await check("a second run with another lever is compared with the first", async () => {
    await page.locator("#help_exchange").selectOption("reciprocal");
    await page.locator("#pace").selectOption("0");
    await page.locator("#run").click();
    await page.waitForFunction(() => {
      const status = document.querySelector("#status");
      return status.dataset.state === "done" && /run-0002/.test(status.textContent);
    }, null, { timeout: 120000 });
    const rows = await page.locator("#comparison-table tbody tr[data-metric]").count();
    assert(rows === 7, `${rows} compared metrics`);
    const [before] = csv(join(firstFolder, "summary.csv"));
    const unmet = page.locator('#comparison-table tr[data-metric="unmet_share"] td');
    same(await unmet.nth(1).innerText(), before.unmet_share, 1, 100);
    const dashed = await page.locator('#chart-need svg polyline[stroke-dasharray="6 4"]').count();
    assert(dashed === 1, "the previous run's unmet need is drawn dashed");
    const scenario = readFileSync(join(firstFolder.replace("run-0001", "run-0002"), "scenario.toml"), "utf8");
    assert(/reciprocity_rule = true/.test(scenario) && /\[help_exchange\]\s*\nenabled = true/.test(scenario), "exchange lever reached the run");
    // QA 32: trust was left untouched, so each neighbourhood ran its own value;
    // the note gave their mean (0.58), which no neighbourhood had.
    const levers = await page.locator("#comparison-table td.note").innerText();
    assert(/trust in formal care 0\.35–0\.70 \(as in the setting\)/.test(levers), `untouched trust as its range: ${levers}`);
    assert(/cohesion 0\.80,/.test(levers), `moved cohesion as set: ${levers}`);
    assert(/formal care capacity 200 h,/.test(levers), `capacity with its unit: ${levers}`);
    // An unset switch read "–", as if unknown.
    assert(/network-first intake: off,/.test(levers), `an unset switch says off: ${levers}`);
  });

  await check("the language switch turns every label Dutch and back", async () => {
    await page.locator("#language").click();
    assert((await page.locator("h1").innerText()) === "Zorgnetwerken: wie helpt wie?", "Dutch title");
    assert((await page.locator("#run").innerText()) === "Start", "Dutch button");
    const status = await page.locator("#status").innerText();
    assert(status.startsWith("Klaar."), `Dutch status: ${status}`);
    // Numbers as Dutch readers write them, in the charts and lists too (QA 26:
    // the axes said 5,000 and 0.2 beside tables that said 9.056,81).
    const ticks = await page.locator("#chart-need svg .grid text").evaluateAll((t) => t.map((e) => e.textContent));
    assert(ticks.some((t) => /^\d{1,3}\.\d{3}$/.test(t)) && !ticks.some((t) => t.includes(",")), `Dutch need axis: ${ticks}`);
    const strain = await page.locator("#chart-strain svg .grid text").evaluateAll((t) => t.map((e) => e.textContent));
    assert(strain.includes("0,2") && !strain.includes("0.2"), `Dutch strain axis: ${strain}`);
    const settings = await page.locator("#scenario option").allInnerTexts();
    assert(settings.some((o) => o.includes("(6.000)")), `Dutch sizes: ${settings}`);
    const help = await page.locator('[data-lever="formal_capacity"] details p').textContent();
    assert(help.includes("Wlz") && help.includes("formele zorg"), `the capacity lever says what it does not set: ${help}`);
    // QA 26 §12: "0 h", "gewoon", English descriptions and a bare "–" for the wait.
    const capacity = await page.locator("#formal_capacity-value").innerText();
    assert(/ u /.test(capacity + " ") && !/ h\b/.test(capacity), `Dutch hours on the capacity slider: ${capacity}`);
    const speed = await page.locator('#pace option[value="40"]').innerText();
    assert(speed === "normaal", `Dutch speed: ${speed}`);
    const description = await page.locator("#scenario-description").innerText();
    assert(description.startsWith("Een Nederlands stedelijk gebied"), `Dutch description: ${description}`);
    const noWait = await page.evaluate(() => window.carenet.i18n.metricValue("mean_wait_weeks", null));
    assert(noWait.includes("niemand kwam van de wachtlijst af"), `no assignments: ${noWait}`);
    // QA 38: a share's difference read "+0,0 pp" where the runs differed by
    // 0.04 points, and in Dutch percentage points are "%-punt", as in the reports.
    const shareDifferences = await page.locator('#comparison-table tr[data-metric$="_share"] td:last-child').allInnerTexts();
    assert(shareDifferences.length === 4 && shareDifferences.every((d) => /^[+−±][\d.,]+%-punt$/.test(d)), `Dutch differences: ${shareDifferences}`);
    const small = await page.evaluate(() => ["within_neighbourhood_share", 0.0004, "burnouts", 0, "mean_wait_weeks", -0.03]
      .reduce((shown, _, i, all) => (i % 2 ? shown : [...shown, window.carenet.i18n.metricDifference(all[i], all[i + 1])]), []));
    assert(small.join(" | ") === "+0,04%-punt | ±0 | −0,03", `small differences in Dutch: ${small}`);
    await page.locator("#language").click();
    const englishDifferences = await page.locator('#comparison-table tr[data-metric$="_share"] td:last-child').allInnerTexts();
    assert(englishDifferences.every((d) => /^[+−±][\d.,]+ pp$/.test(d)), `English differences: ${englishDifferences}`);
    const smallEnglish = await page.evaluate(() => window.carenet.i18n.metricDifference("unmet_share", -0.0004));
    assert(smallEnglish === "−0.04 pp", `a small difference in English: ${smallEnglish}`);
    assert((await page.locator("h1").innerText()) === "Care networks: who helps whom?", "English again");
    const english_description = await page.locator("#scenario-description").innerText();
    assert(english_description.startsWith("A Dutch urban area"), `English description: ${english_description}`);
    const english = await page.locator("#chart-need svg .grid text").evaluateAll((t) => t.map((e) => e.textContent));
    assert(english.some((t) => /^\d{1,3},\d{3}$/.test(t)), `English need axis: ${english}`);
  });

  // QA 32: the charts and the network picture were pictures (role="img")
  // without a name, which a screen reader reads out as just "image".
  await check("every chart and the network picture are named for screen readers", async () => {
    const unnamed = await page.locator('svg[role="img"]').evaluateAll((pictures) =>
      pictures
        .filter((svg) => {
          const ids = (svg.getAttribute("aria-labelledby") ?? "").split(" ").filter(Boolean);
          const name = ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
          return (name || svg.getAttribute("aria-label") || "").length === 0;
        })
        .map((svg) => svg.closest("figure")?.id ?? svg.id));
    const count = await page.locator('svg[role="img"]').count();
    assert(count >= 5 && unnamed.length === 0, `${count} pictures, unnamed: ${unnamed}`);
  });

  // QA 32: on a phone the header did not wrap, so the language button went off
  // the right edge and the page scrolled sideways (at 360 px the levers too).
  await check("the page fits a phone's width in both languages", async () => {
    try {
      for (const width of [320, 360, 390]) {
        await page.setViewportSize({ width, height: 800 });
        for (const language of ["en", "nl"]) {
          const [client, scroll, button] = await page.evaluate(() => [
            document.documentElement.clientWidth,
            document.documentElement.scrollWidth,
            document.querySelector("#language").getBoundingClientRect().right,
          ]);
          assert(scroll <= client && button <= client, `${width} px, ${language}: page ${scroll} px wide, language button to ${button}`);
          await page.locator("#language").click();
        }
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
      if ((await page.evaluate(() => document.documentElement.lang)) === "nl") await page.locator("#language").click();
    }
  });

  // QA 33: on a lecturer's desktop the help exchange's longest option ("only if
  // you offer something too", in Dutch longer still) was cut off. Here (Debian's
  // DejaVu Sans, Chromium's arrow) it fitted with 7 px to spare, so the check
  // asks for room for a font or a browser's arrow a tenth wider than here.
  // QA 34: on a 320-360 px phone it was cut off still (a closed select shows
  // one line, 254 px wide at 320 px, where the Dutch option needed 308).
  await check("the levers' choices show their longest option whole on a phone and a desktop in both languages", async () => {
    const chosen = await page.locator("#help_exchange").inputValue();
    try {
      for (const width of [320, 360, 1280, 1920]) {
        await page.setViewportSize({ width, height: 1000 });
        for (const language of ["en", "nl"]) {
          await page.locator("#help_exchange").selectOption("reciprocal");
          const selects = await page.evaluate(() =>
            [...document.querySelectorAll(".lever select")].map((select) => {
              const shown = select.getBoundingClientRect();
              const lever = select.closest(".lever").getBoundingClientRect();
              // Its width for its widest option (a select is as wide as that unless made narrower).
              const style = [select.style.maxWidth, select.style.width];
              select.style.maxWidth = "none";
              select.style.width = "max-content";
              const needed = select.getBoundingClientRect().width;
              [select.style.maxWidth, select.style.width] = style;
              return { id: select.id, width: shown.width, right: shown.right, leverRight: lever.right, needed };
            }),
          );
          for (const s of selects) {
            assert(s.needed * 1.1 <= s.width && s.right <= s.leverRight,
              `${width} px, ${language}: #${s.id} is ${s.width.toFixed(0)} px wide (to ${s.right.toFixed(0)}, its lever to ${s.leverRight.toFixed(0)}); its widest option needs ${s.needed.toFixed(0)} px`);
          }
          await page.locator("#language").click();
        }
      }
    } finally {
      await page.locator("#help_exchange").selectOption(chosen);
      await page.setViewportSize({ width: 1440, height: 1000 });
      if ((await page.evaluate(() => document.documentElement.lang)) === "nl") await page.locator("#language").click();
    }
  });

  await check("a run of one year shows no years", async () => {
    assert(await page.locator("#years").isHidden(), "the years are hidden");
  });

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.lever[data-lever="cohesion"] details').evaluate((d) => { d.open = true; });
  await page.screenshot({ path: join(SCREENSHOTS, "serve.png"), fullPage: true });
  await page.locator('.lever[data-lever="cohesion"] details').evaluate((d) => { d.open = false; });

  // QA 32: with the server stopped, Run said "Failed to fetch ()", and the
  // server's English refusal of a third run stood on the Dutch page.
  await check("a stopped server and two runs going are said in the page's language", async () => {
    const logged = pageErrors.length;
    try {
      await page.locator("#language").click();
      await page.route("**/api/runs", (route) => route.abort("connectionrefused"));
      await page.locator("#run").click();
      await page.waitForFunction(() => document.querySelector("#status").dataset.state === "error");
      let status = await page.locator("#status").innerText();
      assert(status.includes("bereikt carenet serve niet") && !status.includes("Failed"), `server stopped: ${status}`);
      assert(await page.locator("#run").isEnabled(), "Run can be pressed again");
      await page.unroute("**/api/runs");
      const busy = { error: "2 runs are going already", fix: "wait until one is done, then run again", status: 429 };
      await page.route("**/api/runs", (route) => route.fulfill({ status: 429, contentType: "application/json", body: JSON.stringify(busy) }));
      await page.locator("#run").click();
      await page.waitForFunction(() => /going already|twee runs/.test(document.querySelector("#status").textContent));
      status = await page.locator("#status").innerText();
      assert(!status.includes("going already"), `Dutch refusal: ${status}`);
      await page.locator("#language").click();
      status = await page.locator("#status").innerText();
      assert(status.startsWith("Two runs are going already"), `English refusal after the switch: ${status}`);
      // A refused start made the run shown its own previous run: after the
      // switch redrew it, the table set that run beside itself.
      const shown = await page.locator('#comparison-table tr[data-metric="informal_hours"] td').allInnerTexts();
      assert(shown.length === 4 && shown[1] !== shown[2], `the two runs side by side still: ${shown}`);
    } finally {
      await page.unroute("**/api/runs");
      if ((await page.evaluate(() => document.documentElement.lang)) === "nl") await page.locator("#language").click();
      // Chromium logs the refused and the 429 request; the page itself logged nothing.
      for (let i = pageErrors.length - 1; i >= logged; i -= 1) {
        if (/^Failed to load resource/.test(pageErrors[i])) pageErrors.splice(i, 1);
      }
    }
  });

  let yearsFolder;
  await check("the projection runs its years; the years shown are yearly.csv's", async () => {
    await page.locator("#scenario").selectOption("ageing-town-2025-2040");
    await page.locator("#pace").selectOption("0");
    const started = Date.now();
    await page.locator("#run").click();
    await page.waitForFunction(() => {
      const status = document.querySelector("#status");
      return status.dataset.state === "done" && /run-0003/.test(status.textContent);
    }, null, { timeout: 120000 });
    console.log(`# the projection (780 weeks, 6,000 adults) in carenet serve: ${Date.now() - started} ms from Run to done`);
    yearsFolder = join(RESULTS, "serve", "run-0003");
    const rows = csv(join(yearsFolder, "yearly.csv"));
    assert(rows.length === 15, `${rows.length} years in yearly.csv`);
    assert(await page.locator("#years").isVisible(), "the years are shown");
    const shownRows = page.locator("#years-table tbody tr");
    assert((await shownRows.count()) === rows.length, `${await shownRows.count()} years shown`);
    for (const row of rows) {
      const cells = `#years-table tr[data-year="${row.year}"]`;
      // The year shown is the calendar year it stands for (start_year = 2025).
      assert(row.calendar_year === String(2024 + Number(row.year)), `calendar_year ${row.calendar_year} of year ${row.year}`);
      const shownYear = await page.locator(`${cells} [data-column="year"]`).innerText();
      assert(shownYear === row.calendar_year, `year ${row.year} shown as ${shownYear}`);
      for (const column of ["adults_75_plus", "receivers", "carers", "unmet_hours", "burnouts", "formal_cost_eur"]) {
        same(await number(`${cells} [data-column="${column}"]`), row[column], 0);
      }
      same(await number(`${cells} [data-column="unmet_share"]`), row.unmet_share, 1, 100);
      same(await number(`${cells} [data-column="living_alone_share"]`), row.living_alone_share, 1, 100);
    }
    // One point a year in each chart of the years.
    const people = await page.locator("#chart-years-people svg polyline").count();
    assert(people === 3, `${people} lines of residents`);
    const line = await page.locator("#chart-years-people svg polyline").first().getAttribute("points");
    assert(line.trim().split(" ").length === rows.length, "one point a year");
    const ticks = await page.locator("#chart-years-people svg text:not(.axis-title)").evaluateAll((labels) => labels.map((e) => e.textContent));
    assert(ticks.includes("2025") && ticks.includes("2039") && !ticks.includes("1"), `the years' axis by calendar year: ${ticks}`);
    // The weekly charts of the same run are labelled where each year begins,
    // by the same calendar years (QA 38: they counted weeks 0 to 728).
    for (const chart of ["#chart-need", "#chart-locality", "#chart-waiting", "#chart-strain"]) {
      const weekly = await page.locator(`${chart} svg text:not(.axis-title)`).evaluateAll((labels) => labels.map((e) => e.textContent));
      assert(weekly.includes("2025") && weekly.includes("2027") && weekly.includes("2039") && !weekly.includes("104"), `${chart} by year: ${weekly}`);
      const title = await page.locator(`${chart} svg .axis-title`).first().textContent();
      assert(title === "reported week (a label where each year begins)", `${chart} axis: ${title}`);
    }
    const area = await page.locator("#chart-years-need svg path").first().getAttribute("d");
    assert(area.split("L").length - 2 === rows.length, "one point a year in the need chart");
    const title = await page.locator("#summary h2").innerText();
    assert(title === "The 15 years in numbers", title);
    // A year's totals are not set beside fifteen years'.
    assert((await page.locator("#comparison-table tr").count()) === 0, "no comparison with the one-year run");
    const note = await page.locator("#comparison-other").innerText();
    assert(note.includes("52 weeks") && note.includes("780"), note);
  });

  await check("the years are labelled in Dutch too", async () => {
    await page.locator("#language").click();
    assert((await page.locator("#years h2").innerText()) === "Jaar na jaar", "Dutch years title");
    assert((await page.locator("#summary h2").innerText()) === "De 15 jaar in cijfers", "Dutch summary title");
    const head = await page.locator("#years-table thead").innerText();
    assert(head.includes("jaar") && head.includes("mantelzorgers") && head.includes("alleenwonend"), `Dutch table head: ${head}`);
    const axis = await page.locator("#chart-years-people svg .axis-title").evaluateAll((titles) => titles.map((e) => e.textContent));
    assert(axis.includes("jaar") && axis.includes("bewoners"), `Dutch axes: ${axis}`);
    await page.locator("#language").click();
    assert((await page.locator("#years h2").innerText()) === "Year by year", "English again");
  });
  await page.screenshot({ path: join(SCREENSHOTS, "serve-years.png"), fullPage: true });

  await check("nothing was fetched from another server and the page logged no error", async () => {
    const origin = new globalThis.URL(URL).origin;
    const foreign = requests.filter((r) => !r.startsWith(origin));
    assert(foreign.length === 0, `fetched ${foreign}`);
    assert(pageErrors.length === 0, `errors: ${pageErrors.join("; ")}`);
  });

  await check("carenet report --lang nl on the served run opens in Dutch", async () => {
    execFileSync(BIN, ["report", firstFolder, "--lang", "nl"], { stdio: "pipe" });
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(join(firstFolder, "report.nl.html")).href);
    assert((await page.locator("html").getAttribute("lang")) === "nl", "lang is nl");
    const headings = await page.locator("h2").allTextContents();
    assert(headings.includes("Grafieken"), `headings: ${headings.join(", ")}`);
    assert((await page.locator("figure svg").count()) === 8, "eight charts");
    const titles = await page.locator("figure svg title").allTextContents();
    assert(titles.includes("Waar de hulp van bewoners heen gaat"), `titles: ${titles.join("; ")}`);
  });

  await check("carenet report on the served run opens and is screenshot", async () => {
    execFileSync(BIN, ["report", firstFolder], { stdio: "pipe" });
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(join(firstFolder, "report.html")).href);
    const figures = await page.locator("figure svg").count();
    // Six charts of the run, where residents' help goes, and who gives care at
    // which age against CBS.
    assert(figures === 8, `${figures} charts in the report`);
    // The first charts, from the "Charts" heading.
    const charts = await page.locator("figure").first().boundingBox();
    await page.screenshot({
      path: join(SCREENSHOTS, "report.png"),
      fullPage: true,
      clip: { x: 0, y: Math.max(0, charts.y - 60), width: 1100, height: 1000 },
    });
  });
  // Last, as the stopped runs take run numbers the checks above count on.
  await check("Stop ends a run before its end, writes nothing, and a closed tab stops its run", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(URL);
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    await page.locator("#pace").selectOption("150");
    const folders = () => readdirSync(join(RESULTS, "serve")).sort().join(" ");
    const before = folders();
    const startedRun = async () => {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/runs") && r.request().method() === "POST"),
        page.locator("#run").click(),
      ]);
      await page.waitForFunction(() => document.querySelector("#status").dataset.key === "status_running", null, { timeout: 60000 });
      return (await response.json()).id;
    };
    await startedRun();
    assert(await page.locator("#stop").isVisible(), "Stop is offered while the run goes");
    await page.locator("#stop").click();
    await page.waitForFunction(() => document.querySelector("#status").dataset.state === "stopped", null, { timeout: 20000 });
    const status = await page.locator("#status").innerText();
    assert(status.startsWith("Stopped before its end"), `status: ${status}`);
    assert(await page.locator("#run").isEnabled(), "Run can be pressed again");
    assert(!(await page.locator("#stop").isVisible()), "Stop is hidden again");
    assert(folders() === before, `a stopped run wrote ${folders()} (before: ${before})`);
    // A tab closed or reloaded mid-run held one of the server's two places
    // until the run's end; now its run stops.
    const id = await startedRun();
    await page.reload();
    const started = Date.now();
    let state;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await (await fetch(new globalThis.URL(`api/runs/${id}`, URL))).json()).status.state;
    } while (state !== "stopped" && Date.now() - started < 20000);
    assert(state === "stopped", `the reloaded tab's run is ${state}`);
    assert(folders() === before, `the abandoned run wrote ${folders()}`);
  });
} finally {
  await context.close();
  rmSync(userData, { recursive: true, force: true });
}

console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
