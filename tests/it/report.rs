//! `carenet report` on the folders `carenet run` and `carenet compare` write.

use std::path::{Path, PathBuf};
use std::process::Output;

use carenet::lang::Lang;

use crate::common::{assert_ok, carenet};

fn ok(out: Output) -> Output {
    assert_ok(&out);
    out
}

fn small_scenario(dir: &Path, name: &str, cohesion: f64) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "name = \"{name}\"\nseed = 5\nweeks = 12\nburn_in_weeks = 12\n\
             [[neighbourhood]]\nname = \"A\"\nadults = 600\n\
             [[neighbourhood]]\nname = \"B\"\nadults = 400\ncentre_km = [1.2, 0.0]\ncohesion = {cohesion}\n"
        ),
    )
    .unwrap();
    path
}

/// The value of `column` in the single-row CSV file `path`.
fn csv_value(path: &Path, column: &str) -> f64 {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let index = reader
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("{column} in {}", path.display()));
    let record = reader.records().next().unwrap().unwrap();
    record[index].parse().unwrap()
}

/// Rewrites the CSV file `path` without the columns whose names start with
/// `prefix`, as a folder from before they existed; returns how many went.
fn drop_columns(path: &Path, prefix: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let keep: Vec<bool> = lines[0].iter().map(|c| !c.starts_with(prefix)).collect();
    let older: String = lines
        .iter()
        .map(|cells| {
            let kept: Vec<&str> = cells
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(c, _)| *c)
                .collect();
            kept.join(",") + "\n"
        })
        .collect();
    std::fs::write(path, older).unwrap();
    keep.iter().filter(|k| !**k).count()
}

/// The value shown in the HTML table row of `metric`.
fn shown(html: &str, metric: &str) -> String {
    let start = html
        .find(&format!("<tr data-metric=\"{metric}\">"))
        .unwrap_or_else(|| panic!("no row for {metric}"));
    let row = &html[start..];
    let cell = row.find("<td class=\"num\">").unwrap() + "<td class=\"num\">".len();
    let end = row[cell..].find("</td>").unwrap();
    row[cell..cell + end].to_string()
}

/// No resource is fetched from the network: no http(s) src or href.
fn assert_self_contained(html: &str) {
    for attribute in ["src=", "href=", "url("] {
        for quote in ["\"", "'", ""] {
            for scheme in ["http://", "https://", "//"] {
                let needle = format!("{attribute}{quote}{scheme}");
                assert!(!html.contains(&needle), "the page loads {needle}");
            }
        }
    }
    assert!(!html.contains("<script"), "the page has a script");
    assert!(!html.contains("<link"), "the page links a resource");
}

/// Every chart is in the page as inline SVG with its title and axis labels, and in
/// charts/ as its own SVG file and as a PNG twice its size.
fn assert_charts(dir: &Path, html: &str, charts: &[(&str, &str, &[&str])]) {
    assert_eq!(
        html.matches("<svg ").count(),
        charts.len(),
        "one inline SVG per chart"
    );
    for (file, title, labels) in charts {
        let svg = std::fs::read_to_string(dir.join("charts").join(format!("{file}.svg")))
            .unwrap_or_else(|e| panic!("charts/{file}.svg: {e}"));
        assert!(svg.starts_with("<svg "), "{file}.svg is an SVG document");
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert_png_of(dir, file, &svg);
        let figure = html
            .find(&format!("<figure id=\"{file}\">"))
            .unwrap_or_else(|| panic!("no figure {file}"));
        let inline = &html[figure..figure + html[figure..].find("</figure>").unwrap()];
        assert!(inline.contains("<svg "), "{file} is inline");
        for text in std::iter::once(title).chain(labels.iter()) {
            // plotters writes text XML-escaped.
            let text = text.replace('&', "&amp;").replace('\'', "&apos;");
            assert!(
                inline.contains(&format!("\n{text}\n</text>")),
                "{file}: no text {text:?}"
            );
            assert!(
                svg.contains(&format!("\n{text}\n</text>")),
                "{file}.svg: {text:?}"
            );
        }
    }
}

/// charts/FILE.png is a PNG of the SVG's size times two.
fn assert_png_of(dir: &Path, file: &str, svg: &str) {
    let png = std::fs::read(dir.join("charts").join(format!("{file}.png")))
        .unwrap_or_else(|e| panic!("charts/{file}.png: {e}"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{file}.png is a PNG");
    // The IHDR chunk follows the signature: length, "IHDR", width, height.
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    let attribute = |name: &str| -> u32 {
        let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[start..start + svg[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    assert_eq!(
        (width, height),
        (2 * attribute("width"), 2 * attribute("height")),
        "{file}.png"
    );
}

const RUN_CHARTS: [(&str, &str, &[&str]); 8] = [
    (
        "informal-hours-by-locality",
        "Informal help by where the helper lives",
        &[
            "reported week",
            "informal hours per week",
            "same neighbourhood",
            "outside the area",
        ],
    ),
    (
        "help-given-by-destination",
        "Where residents' help goes",
        &[
            "hours given per week",
            "own neighbourhood",
            "parents outside, at home",
            "parents outside, in a home",
            "to parents outside, by distance",
            "50 km or more",
        ],
    ),
    (
        "informal-hours-by-kind-and-task",
        "Informal help over the year by tie kind and by task",
        &[
            "hours in the reported weeks",
            "by tie kind",
            "by task",
            "kin",
        ],
    ),
    (
        "need-by-source",
        "Need for care and who met it",
        &["reported week", "hours per week", "unmet", "formal"],
    ),
    (
        "strain-and-burnouts",
        "Carers' strain and burnouts",
        &["strain (0–1)", "burnouts per week", "reported week", "mean"],
    ),
    (
        "waiting-list",
        "Waiting list for formal care",
        &["reported week", "residents waiting"],
    ),
    (
        "neighbour-help-by-cohesion",
        "Neighbour help and cohesion, per neighbourhood",
        &[
            "cohesion of the neighbourhood (0–1)",
            "neighbour hours per resident",
            "long-term needs",
            "emergencies",
        ],
    ),
    (
        "carers-by-age",
        "Who gives care at which age, against CBS",
        &[
            "age",
            "carers (CBS), % of the age band",
            "this run",
            "CBS 2022",
            "45-54",
        ],
    ),
];

#[test]
fn a_run_folder_gets_a_self_contained_report_with_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path(), "small", 0.8);
    ok(carenet(
        &["run", scenario.to_str().unwrap(), "--out", "run", "--quiet"],
        dir.path(),
    ));
    let out = ok(carenet(&["report", "run"], dir.path()));
    assert!(String::from_utf8_lossy(&out.stdout).contains("run/report.html"));
    let run = dir.path().join("run");
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_self_contained(&html);
    assert_charts(&run, &html, &RUN_CHARTS);
    // QA 39: the heading line's residents in thousands, as the page's counts.
    assert!(
        html.contains(", 1,000 residents, 12 reported weeks"),
        "the residents"
    );

    // The summary table shows summary.csv's numbers, rounded for people.
    let summary = run.join("summary.csv");
    // Where residents' help goes: each distance band's bar is labelled with
    // summary.csv's hours to parents outside the area at that distance.
    let destination =
        std::fs::read_to_string(run.join("charts/help-given-by-destination.svg")).unwrap();
    for band in [
        "under_1km",
        "1_to_5km",
        "5_to_20km",
        "20_to_50km",
        "50km_plus",
    ] {
        let hours = csv_value(&summary, &format!("outbound_hours_{band}"));
        let label = carenet::metrics::grouped(&format!("{:.0}", hours.round()));
        assert!(
            destination.contains(&format!("\n{label}\n</text>")),
            "no bar labelled {label} for {band}"
        );
    }
    let unmet = csv_value(&summary, "unmet_share");
    assert_eq!(
        shown(&html, "unmet_share"),
        format!("{:.1}%", unmet * 100.0)
    );
    let burnouts = csv_value(&summary, "burnouts");
    assert_eq!(
        shown(&html, "burnouts").replace(',', ""),
        format!("{burnouts:.0}")
    );
    let strain = csv_value(&summary, "mean_strain");
    assert_eq!(shown(&html, "mean_strain"), format!("{strain:.2}"));
    // The run against the Dutch figures, one row per target.
    assert!(html.contains("<h2>Against the Dutch figures</h2>"));
    assert_eq!(html.matches("<tr data-target=").count(), 15);
    let informal = csv_value(&summary, "informal_hours");
    assert_eq!(
        shown(&html, "informal_hours").replace(',', ""),
        format!("{informal:.0}")
    );

    // --out puts the page elsewhere; the charts stay with the run.
    ok(carenet(
        &["report", "run", "--out", "pages/run.html"],
        dir.path(),
    ));
    let again = std::fs::read_to_string(dir.path().join("pages/run.html")).unwrap();
    assert_eq!(again, html, "a report is a function of the folder");
}

/// The number labels of an SVG chart, by the line they stand on: (the y of
/// an x axis's labels or the x of a y axis's, its labels in order).
fn axis_labels(svg: &str, along_x: bool) -> Vec<(String, Vec<String>)> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for element in svg.split("<text ").skip(1) {
        let (tag, rest) = element.split_once('>').unwrap();
        let tag = format!(" {tag}");
        let text = rest.split("</text>").next().unwrap().trim();
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_digit() || ",.-−".contains(c))
        {
            continue;
        }
        let attribute = if along_x { " y=\"" } else { " x=\"" };
        let start = tag.find(attribute).unwrap() + attribute.len();
        let at = tag[start..start + tag[start..].find('"').unwrap()].to_string();
        match lines.iter_mut().find(|(line, _)| *line == at) {
            Some((_, labels)) => labels.push(text.to_string()),
            None => lines.push((at, vec![text.to_string()])),
        }
    }
    lines
}

/// No axis of weeks, years or counts repeats a label (a rounded tick between
/// two whole numbers) or shows "-0".
fn assert_whole_number_axes(charts: &Path, files: &[&str], along_x: bool) {
    for file in files {
        let svg = std::fs::read_to_string(charts.join(format!("{file}.svg"))).unwrap();
        for (at, labels) in axis_labels(&svg, along_x) {
            let mut distinct = labels.clone();
            distinct.dedup();
            assert_eq!(distinct, labels, "{file}.svg, the axis at {at}");
            assert!(!labels.iter().any(|l| l == "-0"), "{file}.svg: {labels:?}");
        }
    }
}

/// QA 29: plotters puts up to 11 labels on an axis whatever its span, so a
/// short run's weeks read -0 0 0 1 2 2 2 3 4 (ticks every half week, rounded)
/// and an empty waiting list's residents 0 0 0 0 0 1 1 1 1 1 1; a 110-week
/// run's years read 1 1 1 2 2 2 2 2 3 3 3.
#[test]
fn axes_of_weeks_years_and_residents_label_each_whole_number_once() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path(), "short", 0.8);
    let scenario = scenario.to_str().unwrap();
    let run = |weeks: &str, out: &str| {
        let weeks = format!("weeks={weeks}");
        let args = ["run", scenario, "--set", &weeks, "--out", out, "--quiet"];
        ok(carenet(&args, dir.path()));
        ok(carenet(&["report", out], dir.path()));
        dir.path().join(out).join("charts")
    };
    let short = run("4", "short");
    let week_charts = [
        "informal-hours-by-locality",
        "need-by-source",
        "strain-and-burnouts",
        "waiting-list",
    ];
    assert_whole_number_axes(&short, &week_charts, true);
    assert_whole_number_axes(&short, &["waiting-list"], false);
    let years = run("110", "years");
    assert_whole_number_axes(&years, &["years", "living-alone", "year-carers"], true);
}

/// The report of a run folder as written before summary.csv had the columns
/// starting with `prefix` (`dropped` of them): the folder (kept while the
/// TempDir lives), its run folder and its report.html.
fn report_of_an_older_run(prefix: &str, dropped: usize) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path(), "small", 0.8);
    ok(carenet(
        &["run", scenario.to_str().unwrap(), "--out", "run", "--quiet"],
        dir.path(),
    ));
    let run = dir.path().join("run");
    assert_eq!(drop_columns(&run.join("summary.csv"), prefix), dropped);
    ok(carenet(&["report", "run"], dir.path()));
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    (dir, run, html)
}

/// A run folder written before summary.csv had the carer rates by age (session
/// 16) still gets its report, without that chart.
#[test]
fn a_run_folder_without_the_carer_rates_by_age_gets_the_other_charts() {
    let (_dir, run, html) = report_of_an_older_run("cbs_carer_rate_aged_", 8);
    assert_charts(&run, &html, &RUN_CHARTS[..7]);
    assert!(!html.contains("carers-by-age"));
}

/// A run folder written before residents cared for parents outside the area
/// (summary.csv without `outbound_hours_<band>`) gets its report without the
/// chart of where residents' help goes.
#[test]
fn a_run_folder_without_help_to_parents_outside_gets_the_other_charts() {
    let (_dir, run, html) = report_of_an_older_run("outbound_hours_", 5);
    let without: Vec<_> = RUN_CHARTS
        .iter()
        .copied()
        .filter(|(file, _, _)| *file != "help-given-by-destination")
        .collect();
    assert_charts(&run, &html, &without);
    assert!(!html.contains("help-given-by-destination"));
}

#[test]
fn a_run_of_several_years_gets_the_years_chart_first() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path(), "years", 0.8);
    ok(carenet(
        &[
            "run",
            scenario.to_str().unwrap(),
            "--set",
            "weeks=110",
            "--out",
            "run",
            "--quiet",
        ],
        dir.path(),
    ));
    ok(carenet(&["report", "run"], dir.path()));
    let run = dir.path().join("run");
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let years: (&str, &str, &[&str]) = (
        "years",
        "Carers, receivers and unmet need by year",
        &[
            "year",
            "persons (weekly mean)",
            "unmet hours per week",
            "carers",
            "receivers",
        ],
    );
    let living_alone: (&str, &str, &[&str]) = (
        "living-alone",
        "Residents living alone by year",
        &[
            "year",
            "living alone, % of residents",
            "all residents",
            "18–34",
            "75+",
        ],
    );
    let year_carers: (&str, &str, &[&str]) = (
        "year-carers",
        "Carers and receivers of care by year",
        &[
            "year",
            "% of residents",
            "carers (CBS)",
            "helpers (SCP, broad)",
            "receivers, % of 75+",
        ],
    );
    let mut charts = vec![years, living_alone, year_carers];
    charts.extend(RUN_CHARTS.iter().copied());
    assert_charts(&run, &html, &charts);
    assert!(
        html.find("<figure id=\"years\">")
            < html.find("<figure id=\"informal-hours-by-locality\">"),
        "the years come first"
    );
    // QA 26: the Dutch figures are yearly; over 110 weeks a run's carers in
    // CBS's sense (13 weeks of care) were scored against them ("6 of 15 in
    // range" for the 15-year projection, half its residents "carers").
    let section = &html[html.find("<h2>Against the Dutch figures</h2>").unwrap()..];
    let section = &section[..section.find("</table>").unwrap()];
    assert!(
        section.contains("<strong>Not scored:</strong>") && section.contains("reports 110 weeks"),
        "{section}"
    );
    assert!(
        section.contains("the carer figures of each year alone"),
        "a run of years points to its years' figures: {section}"
    );
    assert_eq!(section.matches("<tr data-target=").count(), 15);
    assert_eq!(
        section
            .matches("<td class=\"verdict\">not scored</td>")
            .count(),
        15
    );
    assert!(!section.contains("in range</td>") && !section.contains(" of 15</strong>"));
}

/// Two replicates of the small scenario `name` over `weeks` weeks in
/// `dir/reps`, with their report; the folder.
fn reported_replicates(dir: &Path, name: &str, weeks: u32) -> PathBuf {
    let scenario = small_scenario(dir, name, 0.8);
    let weeks = format!("weeks={weeks}");
    ok(carenet(
        &[
            "run",
            scenario.to_str().unwrap(),
            "--replicates",
            "2",
            "--set",
            &weeks,
            "--out",
            "reps",
            "--quiet",
        ],
        dir,
    ));
    ok(carenet(&["report", "reps"], dir));
    dir.join("reps")
}

#[test]
fn a_replicate_folder_shows_means_with_intervals_and_replicate_one() {
    let dir = tempfile::tempdir().unwrap();
    let reps = reported_replicates(dir.path(), "small", 52);
    let html = std::fs::read_to_string(reps.join("report.html")).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("95% interval"));
    assert!(
        html.contains(" replicates, 1,000 residents, "),
        "the residents"
    );
    assert_charts(&reps, &html, &RUN_CHARTS);
    let mean = {
        let mut reader = csv::Reader::from_path(reps.join("summary_aggregate.csv")).unwrap();
        reader
            .records()
            .map(|r| r.unwrap())
            .find(|r| &r[0] == "unmet_share")
            .map(|r| r[2].parse::<f64>().unwrap())
            .unwrap()
    };
    assert_eq!(shown(&html, "unmet_share"), format!("{:.1}%", mean * 100.0));
    assert_dutch_figures(&html, &reps.join("summary_aggregate.csv"));
    assert_clipped_intervals(&html, &reps.join("summary_aggregate.csv"));
}

/// QA 35: replicates of several years show each year's mean and interval over
/// the replicates (yearly_aggregate.csv), not only replicate 1's years.
#[test]
fn a_replicate_folder_of_several_years_shows_each_years_interval() {
    let dir = tempfile::tempdir().unwrap();
    let reps = reported_replicates(dir.path(), "years", 110);
    let html = std::fs::read_to_string(reps.join("report.html")).unwrap();
    let section = html
        .split_once("<h3>Per year</h3>")
        .map(|(_, rest)| rest)
        .expect("a section per year");
    let need = {
        let mut reader = csv::Reader::from_path(reps.join("yearly_aggregate.csv")).unwrap();
        reader
            .records()
            .map(|r| r.unwrap())
            .find(|r| &r[0] == "2" && &r[2] == "need_hours")
            .map(|r| r[4].parse::<f64>().unwrap())
            .unwrap()
    };
    // In thousands, as the page's other tables (QA 36: 442959 [405166, …]).
    let whole = (need.round() as u64).to_string();
    let grouped = |separator: &str| -> String {
        let head = whole.len() % 3;
        let mut groups: Vec<&str> = if head > 0 {
            vec![&whole[..head]]
        } else {
            vec![]
        };
        groups.extend((head..whole.len()).step_by(3).map(|i| &whole[i..i + 3]));
        groups.join(separator)
    };
    assert!(need >= 1000.0, "a need to group: {need}");
    let shown = grouped(",");
    assert!(
        section.contains(&format!("{shown} [")),
        "year 2's need {shown} with its interval: {}",
        &section[..section.len().min(3000)]
    );
    ok(carenet(&["report", "reps", "--lang", "nl"], dir.path()));
    let dutch = std::fs::read_to_string(reps.join("report.nl.html")).unwrap();
    assert!(dutch.contains("<h3>Per jaar</h3>"));
    assert!(
        dutch.contains(&format!("{} [", grouped("."))),
        "Dutch thousands"
    );
}

/// QA 24 §10.5: with two replicates the Student-t interval of a count reaches
/// below zero. summary_aggregate.csv keeps it as computed (docs/ODD.md §9);
/// the page shows it from 0 and says why.
fn assert_clipped_intervals(html: &str, aggregate: &Path) {
    let mut reader = csv::Reader::from_path(aggregate).unwrap();
    let below_zero: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[4].parse::<f64>().is_ok_and(|low| low < 0.0))
        .map(|r| r[0].to_string())
        .filter(|metric| html.contains(&format!("<tr data-metric=\"{metric}\">")))
        .collect();
    assert!(
        !below_zero.is_empty(),
        "no shown interval of the aggregate reaches below 0"
    );
    for metric in &below_zero {
        let row = &html[html
            .find(&format!("<tr data-metric=\"{metric}\">"))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        let interval = row.split("<td class=\"num\">").nth(2).unwrap();
        assert!(
            interval.starts_with('0') || interval.starts_with("€ 0"),
            "{metric}: {row}"
        );
        assert!(!interval.contains('-'), "{metric}: {row}");
    }
    assert!(
        html.contains("The CSV files keep the intervals as computed."),
        "the page says why its intervals stop at 0"
    );
}

/// The section "Against the Dutch figures": one row per target of docs/ODD.md
/// §1.3, each with the verdict its mean gives, and the count of those in range.
fn assert_dutch_figures(html: &str, aggregate: &Path) {
    let section = &html[html
        .find("<h2>Against the Dutch figures</h2>")
        .expect("the section")..];
    let section = &section[..section.find("</table>").unwrap()];
    assert_eq!(section.matches("<tr data-target=").count(), 15);
    let mut reader = csv::Reader::from_path(aggregate).unwrap();
    let means: Vec<(String, f64)> = reader
        .records()
        .map(|r| r.unwrap())
        .filter_map(|r| Some((r[0].to_string(), r[2].parse::<f64>().ok()?)))
        .collect();
    let mean_of = |column: &str| means.iter().find(|m| m.0 == column).map(|m| m.1);
    // (column, low, high) as in docs/ODD.md §1.3.
    let mut in_range = 0;
    for (column, low, high) in [
        ("carers_cbs_share", 0.12, 0.14),
        ("cbs_carer_mean_hours", 11.0, 13.0),
        ("volunteering_share", 0.40, 0.50),
        ("receivers_55plus_mean_hours", 16.0, 20.0),
    ] {
        let mean = mean_of(column).unwrap_or_else(|| panic!("{column} in the aggregate"));
        let row = &section[section
            .find(&format!("<tr data-target=\"{column}\">"))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        let verdict = if mean < low {
            "below"
        } else if mean > high {
            "above"
        } else {
            in_range += 1;
            "in range"
        };
        assert!(
            row.contains(&format!("<td class=\"verdict\">{verdict}</td>")),
            "{column}: {row}"
        );
    }
    let counted = section
        .matches("<td class=\"verdict\">in range</td>")
        .count();
    assert!(counted >= in_range);
    assert!(section.contains(&format!("<strong>{counted} of 15</strong> in range")));
}

/// The comparison's difference charts: one per headline metric, titled with
/// its label and its axis in its unit.
fn assert_difference_charts(cmp: &Path, html: &str) {
    let charts: Vec<(String, String)> = [
        (
            "unmet-share",
            "share of need left unmet",
            "percentage points",
        ),
        (
            "informal-hours",
            "informal help",
            "hours in the reported weeks",
        ),
        ("formal-hours", "formal care", "hours in the reported weeks"),
        (
            "formal-cost-wmo-eur",
            "cost of formal care to the municipality (Wmo)",
            "euros",
        ),
        (
            "within-neighbourhood-share",
            "informal help from the own neighbourhood",
            "percentage points",
        ),
        (
            "outbound-hours",
            "residents' help to parents and parents-in-law outside the area",
            "hours in the reported weeks",
        ),
        ("mean-strain", "carers' mean strain (0–1)", "strain (0–1)"),
        ("burnouts", "times carers burnt out", "times"),
        (
            "intake-network-burdened-share",
            "intakes where the network was already burdened",
            "percentage points",
        ),
        ("mean-wait-weeks", "mean wait for formal care", "weeks"),
    ]
    .iter()
    .map(|(file, label, unit)| {
        (
            format!("difference-{file}"),
            // Titles start with a capital (QA 30); the axis says it mid-sentence.
            format!(
                "{}{}: difference from base|difference from base, {unit}",
                label[..1].to_uppercase(),
                &label[1..]
            ),
        )
    })
    .collect();
    let specs: Vec<(&str, &str, Vec<&str>)> = charts
        .iter()
        .map(|(file, texts)| {
            let (title, axis) = texts.split_once('|').unwrap();
            (file.as_str(), title, vec![axis])
        })
        .collect();
    let specs: Vec<(&str, &str, &[&str])> = specs
        .iter()
        .map(|(f, t, l)| (*f, *t, l.as_slice()))
        .collect();
    assert_charts(cmp, html, &specs);
}

/// The English page says what comparison.md says for people, from the
/// folder's tables: no table of column names (QA 39: it showed comparison.md's
/// `unmet_share` row and its cost table's 279194 below the table of outcomes
/// in words), the cost table in thousands with its ends apart by a semicolon.
fn assert_no_markdown_table_in(cmp: &Path, html: &str) {
    let markdown = std::fs::read_to_string(cmp.join("comparison.md")).unwrap();
    assert!(
        markdown.contains("| unmet_share |"),
        "comparison.md keeps it"
    );
    assert!(
        !html.contains("<td>unmet_share</td>"),
        "comparison.md's table"
    );
    assert!(
        !html.contains("<h2>Comparison of"),
        "comparison.md's heading"
    );
    assert!(
        html.contains("<h3>Cost-effectiveness</h3>"),
        "the cost section"
    );
    assert!(
        html.contains("<th class=\"num\">unmet hours per € 1,000</th>"),
        "the cost table"
    );
    let costs = &html[html.find("<h3>Cost-effectiveness</h3>").unwrap()..];
    let row = &costs[costs.find("<tr><td>").expect("a row of costs")..];
    let row = &row[..row.find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.trim_end_matches("</td>"))
        .collect();
    let formal_cost = cells[2];
    assert!(
        formal_cost.contains(',') && formal_cost.contains("; ") && !formal_cost.contains(", "),
        "{row}: euros in thousands, the interval's ends apart by a semicolon"
    );
}

/// A comparison of projections draws each variant's difference from the base
/// year by year, with its paired interval, from yearly_comparison.csv (before
/// session 36 its report had the years only as a table); a comparison of one
/// year has no such chart.
#[test]
fn a_comparison_of_projections_draws_the_differences_by_year() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_scenario(dir.path(), "base", 0.8);
    let other = small_scenario(dir.path(), "loose", 0.2);
    for (weeks, out) in [("110", "years"), ("12", "one")] {
        ok(carenet(
            &[
                "compare",
                base.to_str().unwrap(),
                other.to_str().unwrap(),
                "--replicates",
                "3",
                "--set",
                &format!("weeks={weeks}"),
                "--out",
                out,
                "--quiet",
            ],
            dir.path(),
        ));
        for lang in ["en", "nl"] {
            ok(carenet(&["report", out, "--lang", lang], dir.path()));
        }
    }
    let charts = dir.path().join("years/charts");
    let mut reader =
        csv::Reader::from_path(dir.path().join("years/yearly_comparison.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let years_of_loose: Vec<String> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[column("metric")] == "unmet_share" && &r[column("variant")] == "loose")
        .map(|r| r[column("year")].to_string())
        .collect();
    assert_eq!(
        years_of_loose,
        ["1", "2", "3"],
        "110 weeks: years 1, 2 and a part"
    );
    for (file, title, title_nl) in [
        (
            "yearly-difference-unmet-share",
            "Share of need left unmet by year: difference from base",
            "Deel van de zorgvraag dat onvervuld bleef per jaar: verschil met base",
        ),
        (
            "yearly-difference-formal-cost-eur",
            "by year: difference from base",
            "per jaar: verschil met base",
        ),
        (
            "yearly-difference-informal-hours",
            "by year: difference from base",
            "per jaar: verschil met base",
        ),
        (
            "yearly-difference-carers-cbs-share",
            "by year: difference from base",
            "per jaar: verschil met base",
        ),
    ] {
        let svg = std::fs::read_to_string(charts.join(format!("{file}.svg"))).unwrap();
        assert!(
            svg.contains(title) && svg.contains("\nloose\n</text>"),
            "{file}"
        );
        assert!(
            !svg.contains("\nbase\n</text>"),
            "{file}: the base is not drawn"
        );
        assert!(charts.join(format!("{file}.png")).is_file(), "{file}.png");
        let dutch = std::fs::read_to_string(charts.join(format!("nl/{file}.svg"))).unwrap();
        assert!(
            dutch.contains(title_nl) && dutch.contains("jaar"),
            "{file} in Dutch"
        );
        let html = std::fs::read_to_string(dir.path().join("years/report.html")).unwrap();
        assert!(html.contains(title), "{file} on the page");
    }
    // QA 38: the English page's table of the years was comparison.md's, by
    // column name and in plain numbers, where the Dutch page had words.
    let html = std::fs::read_to_string(dir.path().join("years/report.html")).unwrap();
    let years = &html[html
        .find("<h3>Per year</h3>")
        .expect("a table of the years")..];
    assert!(
        years.contains("<th class=\"num\">need, hours</th>")
            && !years.contains(">need_hours<")
            && !years.contains(">unmet_share<"),
        "{years}"
    );
    let markdown = std::fs::read_to_string(dir.path().join("years/comparison.md")).unwrap();
    assert!(
        markdown.contains("| need_hours |"),
        "comparison.md keeps the column names"
    );
    // Hours and euros are a year's totals: year 3's 6 weeks are left out of
    // them (they would show as a fall), not out of the shares.
    let points = |file: &str| {
        let svg = std::fs::read_to_string(charts.join(format!("{file}.svg"))).unwrap();
        let line = svg
            .lines()
            .find(|l| l.contains("<polyline") && l.contains("stroke-width=\"3\""))
            .map(str::to_string)
            .unwrap_or_default();
        line.split("points=\"").nth(1).map_or(0, |p| {
            p.split('"').next().unwrap_or("").split_whitespace().count()
        })
    };
    assert_eq!(
        points("yearly-difference-unmet-share"),
        3,
        "a share: every year"
    );
    assert_eq!(
        points("yearly-difference-informal-hours"),
        2,
        "hours: whole years"
    );
    let one_year = std::fs::read_dir(dir.path().join("one/charts"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("yearly-difference")
        })
        .count();
    assert_eq!(one_year, 0, "a comparison of one year has no years to draw");
}

#[test]
fn a_comparison_folder_gets_interval_charts_and_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_scenario(dir.path(), "base", 0.8);
    let other = small_scenario(dir.path(), "loose", 0.2);
    ok(carenet(
        &[
            "compare",
            base.to_str().unwrap(),
            other.to_str().unwrap(),
            "--replicates",
            "2",
            "--out",
            "cmp",
            "--quiet",
        ],
        dir.path(),
    ));
    ok(carenet(&["report", "cmp"], dir.path()));
    let cmp = dir.path().join("cmp");
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert_self_contained(&html);
    // QA 24 §10.3: the totals say what period they cover (small_scenario
    // reports 12 weeks), in the page's heading line and in comparison.md's.
    assert!(
        html.contains("hours, counts and euros are totals over the 12 reported weeks of each run"),
        "the period of the totals"
    );
    assert!(html.contains("(€, 12 weeks)"), "the cost table's units");
    assert_difference_charts(&cmp, &html);
    let svg = std::fs::read_to_string(cmp.join("charts/difference-unmet-share.svg")).unwrap();
    assert!(svg.contains("\nloose\n</text>"), "the variant is named");
    assert!(
        !svg.contains("\nbase\n</text>"),
        "the base is not compared with itself"
    );

    assert_no_markdown_table_in(&cmp, &html);
    // QA 36: the English page had only comparison.md's table, by column name,
    // with euros as 4421018 and shares as 0.191, where the Dutch page had a
    // table with labels and units; now both have it (QA 39: and what
    // comparison.md says, said for people as on the Dutch page).
    assert!(
        html.contains("<h2>Headline outcomes per variant</h2>\n<p>Mean over the 2 replicates,"),
        "the labelled table, and how many replicates"
    );
    assert_same_headlines(&cmp, &html, Lang::En);
    let row = |metric: &str| -> &str {
        let start = html
            .find(&format!("<tr data-metric=\"{metric}\">"))
            .unwrap_or_else(|| panic!("a row of {metric}"));
        &html[start..start + html[start..].find("</tr>").unwrap()]
    };
    let unmet = row("unmet_share");
    assert!(
        unmet.contains("<td>share of need left unmet</td>"),
        "{unmet}"
    );
    assert!(
        unmet.contains("%<br>") && unmet.contains(" pp ["),
        "{unmet}"
    );
    assert!(
        row("formal_cost_eur").contains("€ "),
        "{}",
        row("formal_cost_eur")
    );

    // In Dutch: the period, the charts and a table of the headline outcomes
    // from comparison.csv, with Dutch numbers; then what comparison.md says
    // in English, said in Dutch from the folder's tables (QA 30: the Dutch
    // page showed comparison.md's English sentences).
    ok(carenet(&["report", "cmp", "--lang", "nl"], dir.path()));
    let dutch = std::fs::read_to_string(cmp.join("report.nl.html")).unwrap();
    assert!(dutch.contains("<html lang=\"nl\">"));
    assert!(dutch.contains("totalen over de 12 gerapporteerde weken van elke run"));
    assert!(dutch.contains("<h2>Belangrijkste uitkomsten per variant</h2>"));
    assert!(
        dutch.contains("<h3>Kosteneffectiviteit</h3>"),
        "the cost section"
    );
    assert!(dutch.contains("(€, 12 weken)"), "the cost table's units");
    assert!(dutch.contains("loose kost niet meer aan interventies dan base"));
    for english in [
        "Each variant ran",
        "Cost-effectiveness",
        "compared with",
        "spends",
    ] {
        assert!(
            !dutch.contains(english),
            "English left on the Dutch page: {english}"
        );
    }
    assert_same_headlines(&cmp, &dutch, Lang::Nl);
    let svg = std::fs::read_to_string(cmp.join("charts/nl/difference-unmet-share.svg")).unwrap();
    assert!(
        svg.contains("\nDeel van de zorgvraag dat onvervuld bleef: verschil met base\n</text>"),
        "the chart's title in Dutch"
    );
    let mut reader = csv::Reader::from_path(cmp.join("comparison.csv")).unwrap();
    let mean = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "informal_hours" && &r[1] == "base")
        .unwrap()[3]
        .parse::<f64>()
        .unwrap();
    let row = &dutch[dutch.find("<tr data-metric=\"informal_hours\">").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    let shown = carenet::metrics::grouped(&format!("{:.0}", mean.round())).replace(',', ".");
    assert!(
        row.contains(&format!("<td class=\"num\">{shown}</td>")),
        "{row} shows the base's mean {shown}"
    );
}

/// A page names the same clear effects as comparison.md, in the same order:
/// each of its headlines' variant and metric column, the metric in words.
fn assert_same_headlines(cmp: &std::path::Path, page: &str, lang: Lang) {
    let markdown = std::fs::read_to_string(cmp.join("comparison.md")).unwrap();
    let english: Vec<(String, String)> = markdown
        .lines()
        .skip_while(|l| *l != "## Largest clear effects")
        .skip(2)
        .take_while(|l| l.starts_with("- "))
        .map(|l| {
            let words: Vec<&str> = l[2..].split(' ').collect();
            (words[0].to_string(), words[2].to_string())
        })
        .collect();
    let heading = lang.pick("Largest clear effects", "Grootste duidelijke effecten");
    let list = page
        .find(&format!("<h3>{heading}</h3>"))
        .map(|start| &page[start..])
        .map(|rest| &rest[..rest.find("</ul>").unwrap()]);
    let Some(list) = list else {
        assert!(
            english.is_empty(),
            "no headlines on the page for {english:?}"
        );
        return;
    };
    let said: Vec<&str> = list.split("<li>").skip(1).collect();
    assert_eq!(said.len(), english.len(), "{list}");
    for (line, (variant, metric)) in said.iter().zip(&english) {
        let label = lang.label(carenet::metrics::find(metric).expect("a metric"));
        assert!(
            line.starts_with(&format!("{variant}: {label} ({metric})")),
            "{line} says {variant}'s {metric} in words"
        );
        let than = lang.pick("than with base (95% interval", "dan bij base (95%-interval");
        assert!(line.contains(than), "{line}");
    }
}

#[test]
fn a_folder_of_another_kind_is_refused_with_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("summary.csv"), "a\n1\n").unwrap();
    let out = carenet(&["report", "."], dir.path());
    assert_eq!(out.status.code(), Some(3), "invalid input");
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("not a carenet run, replicate or comparison folder"),
        "{error}"
    );
    assert!(
        error.contains("missing: timeseries.csv, flows.csv, neighbourhoods.csv"),
        "{error}"
    );
    assert!(
        error.contains("missing: comparison.csv, comparison.md, runs.csv"),
        "{error}"
    );
    assert!(!dir.path().join("report.html").exists());
}

/// QA 29: `carenet report` of a sweep's folder listed what a run, replicate
/// and comparison folder each lack; it says what the folder is and which
/// folder inside it a report can be made of.
#[test]
fn an_experiment_folder_is_refused_with_a_run_to_report_instead() {
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path(), "small", 0.8);
    std::fs::write(
        dir.path().join("experiment.toml"),
        "name = \"exp\"\nscenario = \"small.toml\"\nreplicates = 1\ndesign = \"grid\"\n\
         [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [0.2, 0.8]\n",
    )
    .unwrap();
    ok(carenet(
        &["sweep", "experiment.toml", "--out", "x", "--quiet"],
        dir.path(),
    ));
    let out = carenet(&["report", "x"], dir.path());
    let error = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{error}");
    let rerun = "`carenet run x/runs/p0000-r001/scenario.toml --out p0000-r001`";
    assert!(
        error.contains("x is an experiment folder")
            && error.contains("keep_runs = true")
            && error.contains(rerun)
            && error.contains("`carenet report p0000-r001`")
            && !error.contains("missing:"),
        "{error}"
    );
    assert!(!dir.path().join("x/report.html").exists());
    // What the message says works, and gives the sweep's run.
    ok(carenet(
        &[
            "run",
            "x/runs/p0000-r001/scenario.toml",
            "--out",
            "p0000-r001",
        ],
        dir.path(),
    ));
    ok(carenet(&["report", "p0000-r001"], dir.path()));
    assert_eq!(
        std::fs::read(dir.path().join("p0000-r001/summary.csv")).unwrap(),
        std::fs::read(dir.path().join("x/runs/p0000-r001/summary.csv")).unwrap()
    );
    // A sweep that kept its runs' tables: report one of them.
    let kept = std::fs::read_to_string(dir.path().join("experiment.toml")).unwrap();
    std::fs::write(
        dir.path().join("kept.toml"),
        kept.replace("name = \"exp\"", "name = \"kept\"\nkeep_runs = true"),
    )
    .unwrap();
    ok(carenet(
        &["sweep", "kept.toml", "--out", "k", "--quiet"],
        dir.path(),
    ));
    let out = carenet(&["report", "k"], dir.path());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("fix: report one of its runs, e.g. `carenet report k/runs/p0000-r001`"),
        "{error}"
    );
    ok(carenet(&["report", "k/runs/p0000-r001"], dir.path()));
}

#[test]
fn report_out_replaces_an_earlier_report_but_no_other_file_without_force() {
    // QA 24: `report DIR --out DIR/summary.csv` replaced the run's data with
    // HTML and exited 0, and so it did any file of the user's.
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path(), "a", 0.5);
    ok(carenet(
        &["run", "a.toml", "--out", "run", "--quiet"],
        dir.path(),
    ));
    let summary = dir.path().join("run/summary.csv");
    let data = std::fs::read(&summary).unwrap();
    let out = carenet(&["report", "run", "--out", "run/summary.csv"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        crate::common::stderr(&out)
    );
    assert!(crate::common::stderr(&out).contains("is not a report carenet wrote"));
    assert_eq!(
        std::fs::read(&summary).unwrap(),
        data,
        "the run's data is kept"
    );
    let mine = dir.path().join("mine.html");
    std::fs::write(&mine, "my notes").unwrap();
    assert!(
        !carenet(&["report", "run", "--out", "mine.html"], dir.path())
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes");
    // A report is replaced by the next one; --force replaces anything.
    ok(carenet(
        &["report", "run", "--out", "page.html"],
        dir.path(),
    ));
    ok(carenet(
        &["report", "run", "--out", "page.html"],
        dir.path(),
    ));
    ok(carenet(
        &["report", "run", "--out", "mine.html", "--force"],
        dir.path(),
    ));
    assert!(
        std::fs::read_to_string(&mine)
            .unwrap()
            .contains("<meta name=\"generator\" content=\"carenet report\">")
    );
    // The run's costs are in its report, in euros (QA 24 item 10.1).
    let page = std::fs::read_to_string(dir.path().join("page.html")).unwrap();
    for metric in ["formal_cost_eur", "intervention_cost_eur"] {
        let row = &page[page.find(&format!("data-metric=\"{metric}\"")).unwrap()..];
        assert!(row[..row.find("</tr>").unwrap()].contains("€ "), "{metric}");
    }
}

#[test]
fn a_chart_edited_since_the_last_report_is_kept_unless_force() {
    // QA 26: a chart touched up for slides (charts/need-by-source.svg) was
    // written over by the next `carenet report`, with exit code 0.
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path(), "a", 0.5);
    ok(carenet(
        &["run", "a.toml", "--out", "run", "--quiet"],
        dir.path(),
    ));
    ok(carenet(&["report", "run"], dir.path()));
    let charts = dir.path().join("run/charts");
    let record = std::fs::read_to_string(charts.join("charts.sha256")).unwrap();
    // Each chart's SVG and PNG, and the page (since session 41).
    assert_eq!(record.lines().count(), 2 * RUN_CHARTS.len() + 1, "{record}");
    assert!(record.ends_with("  ../report.html\n"), "{record}");
    // Unchanged charts are replaced by the next report, as before.
    ok(carenet(&["report", "run"], dir.path()));
    for name in ["need-by-source.svg", "need-by-source.png"] {
        let path = charts.join(name);
        let original = std::fs::read(&path).unwrap();
        std::fs::write(&path, b"<svg>edited for my slides</svg>").unwrap();
        let out = carenet(&["report", "run"], dir.path());
        let text = crate::common::stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{text}");
        assert!(
            text.contains(&format!("{name} was changed after carenet report wrote it")),
            "{text}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"<svg>edited for my slides</svg>",
            "{name} is kept"
        );
        std::fs::write(&path, original).unwrap();
    }
    // A file of the user's own name is left alone; --force replaces an edit.
    std::fs::write(charts.join("my-chart.svg"), "mine").unwrap();
    std::fs::write(charts.join("need-by-source.svg"), "edited").unwrap();
    ok(carenet(&["report", "run", "--force"], dir.path()));
    assert!(
        std::fs::read_to_string(charts.join("need-by-source.svg"))
            .unwrap()
            .starts_with("<svg")
    );
    assert_eq!(
        std::fs::read_to_string(charts.join("my-chart.svg")).unwrap(),
        "mine"
    );
}

#[test]
fn a_report_in_dutch_leaves_the_english_report_and_its_charts_as_they_were() {
    // QA 34: `carenet report DIR --lang nl` after the English report wrote
    // its page over report.html and its charts over DIR/charts/, which then
    // no longer matched the English page (or the slides made from them).
    let dir = tempfile::tempdir().unwrap();
    small_scenario(dir.path(), "a", 0.5);
    ok(carenet(
        &["run", "a.toml", "--out", "run", "--quiet"],
        dir.path(),
    ));
    ok(carenet(&["report", "run"], dir.path()));
    let run = dir.path().join("run");
    let english_files = |run: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(run.join("charts"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .chain([run.join("report.html")])
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect()
    };
    let english = english_files(&run);
    assert_eq!(
        english.len(),
        2 * RUN_CHARTS.len() + 2,
        "charts, record, page"
    );
    let out = ok(carenet(&["report", "run", "--lang", "nl"], dir.path()));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("report.nl.html"), "{said}");
    assert!(
        said.contains(&format!("charts{}nl", std::path::MAIN_SEPARATOR)),
        "{said}"
    );
    assert!(
        english_files(&run) == english,
        "the English files are unchanged"
    );
    let dutch = std::fs::read_to_string(run.join("report.nl.html")).unwrap();
    assert!(dutch.contains("<html lang=\"nl\">"));
    assert!(
        dutch.contains("<code>charts/nl/</code>"),
        "the footer names the folder"
    );
    let svg = std::fs::read_to_string(run.join("charts/nl/need-by-source.svg")).unwrap();
    assert!(svg.contains("\nZorgvraag en wie die invulde\n</text>"));
    assert!(run.join("charts/nl/need-by-source.png").is_file());
    // Each language keeps its own record: an edited Dutch chart is kept,
    // and the English report goes on without looking at it.
    let edited = run.join("charts/nl/need-by-source.svg");
    std::fs::write(&edited, "<svg>mijn dia</svg>").unwrap();
    let refused = carenet(&["report", "run", "--lang", "nl"], dir.path());
    assert_eq!(
        refused.status.code(),
        Some(4),
        "{}",
        crate::common::stderr(&refused)
    );
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "<svg>mijn dia</svg>"
    );
    ok(carenet(&["report", "run"], dir.path()));
    assert!(
        english_files(&run) == english,
        "English written again, the same"
    );
}

/// `carenet report --lang nl`: the page, its tables and its charts in Dutch,
/// with Dutch numbers (a decimal comma, a point between thousands), so that a
/// municipality can hand it on; column names stay as written.
#[test]
fn a_report_in_dutch_has_dutch_words_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path(), "small", 0.8);
    ok(carenet(
        &["run", scenario.to_str().unwrap(), "--out", "run", "--quiet"],
        dir.path(),
    ));
    ok(carenet(&["report", "run", "--lang", "nl"], dir.path()));
    let run = dir.path().join("run");
    let html = std::fs::read_to_string(run.join("report.nl.html")).unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(
        html.contains(", 1.000 bewoners, 12 gerapporteerde weken"),
        "the residents"
    );
    for heading in [
        "<h2>Belangrijkste uitkomsten</h2>",
        "<h2>Vergeleken met de Nederlandse cijfers</h2>",
        "<h2>Grafieken</h2>",
        "<h2>Buurten</h2>",
    ] {
        assert!(html.contains(heading), "no {heading}");
    }
    // Metric labels in Dutch, the column names as they are.
    assert!(html.contains("<td>deel van de zorgvraag dat onvervuld bleef</td>"));
    assert!(html.contains("<code>unmet_share</code>"));
    // The sources in the notes too (QA 31: "table 4.1" in a Dutch note).
    assert!(html.contains("Statistische Trends 2024, tabel 4.1"));
    assert!(!html.contains("table 4.1"));
    let summary = run.join("summary.csv");
    let unmet = csv_value(&summary, "unmet_share");
    assert_eq!(
        shown(&html, "unmet_share"),
        format!("{:.1}%", unmet * 100.0).replace('.', ",")
    );
    let need = csv_value(&summary, "need_hours");
    assert_eq!(
        shown(&html, "need_hours"),
        carenet::metrics::grouped(&format!("{:.0}", need.round())).replace(',', ".")
    );
    // Every chart in Dutch: titles, axes and legends.
    let dutch: [(&str, &[&str]); 4] = [
        (
            "need-by-source",
            &["Zorgvraag en wie die invulde", "uren per week", "onvervuld"],
        ),
        (
            "help-given-by-destination",
            &[
                "Waar de hulp van bewoners heen gaat",
                "ouders buiten, thuis",
            ],
        ),
        (
            "informal-hours-by-kind-and-task",
            &["naar soort band", "familie", "persoonlijke verzorging"],
        ),
        (
            "carers-by-age",
            &[
                "Wie zorgt op welke leeftijd, naast het CBS",
                "leeftijd",
                "deze run",
            ],
        ),
    ];
    for (file, texts) in dutch {
        let svg =
            std::fs::read_to_string(run.join("charts/nl").join(format!("{file}.svg"))).unwrap();
        for text in texts {
            assert!(
                svg.contains(&format!("\n{text}\n</text>")),
                "{file}: {text}"
            );
        }
    }
    for (file, title, _) in RUN_CHARTS {
        let svg =
            std::fs::read_to_string(run.join("charts/nl").join(format!("{file}.svg"))).unwrap();
        let title = title.replace('\'', "&apos;");
        assert!(!svg.contains(&title), "{file} kept its English title");
        assert!(!svg.contains("reported week"), "{file} has an English axis");
    }
    // English stays the default.
    ok(carenet(&["report", "run"], dir.path()));
    let english = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(english.contains("<html lang=\"en\">"));
    assert_charts(&run, &english, &RUN_CHARTS);
}
