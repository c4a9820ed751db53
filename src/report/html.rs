//! The report page: one HTML file with inline CSS and the charts as inline SVG,
//! so it opens anywhere without a network or the charts/ folder.

use std::fmt::Write as _;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::charts::Chart;
use super::tables::Table;
use super::{Format, Lang, ReportError, RunTables, metric_of, summary_metrics};
use crate::experiment::targets::{TARGETS, Target};
use crate::metrics::{CLIPPED_INTERVALS, CLIPPED_INTERVALS_NL, Metric};

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
       color: #222; background: #fff; margin: 0 auto; max-width: 980px; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; }
tbody tr:nth-child(even) { background: #f7f7f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
thead th { vertical-align: bottom; }
td.verdict, th.verdict { white-space: nowrap; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.88em; }
figure { margin: 1.6rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.88rem; max-width: 760px; }
.scroll { overflow-x: auto; }
p.note { color: #555; font-size: 0.88rem; }
";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .or_else(|| dir.file_name())
        .map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
}

/// What every report's head names as its generator: how `carenet report`
/// knows a file it may replace.
pub(super) const GENERATOR: &str = crate::output::REPORT_GENERATOR;

fn page(title: &str, meta: &str, body: &str, lang: Lang) -> String {
    let footer = lang.pick(
        "Written by <code>carenet report</code>. Every column is defined in docs/ODD.md §9; \
         the charts are also in <code>charts/</code> as SVG and PNG files.",
        "Geschreven door <code>carenet report</code>. Elke kolom is beschreven in \
         docs/ODD.md §9; de grafieken staan ook als SVG- en PNG-bestanden in \
         <code>charts/nl/</code>.",
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{GENERATOR}\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p class=\"meta\">{meta}</p>\n{body}\
         <p class=\"meta\">{footer}</p>\n\
         </body>\n</html>\n",
        code = lang.code(),
        title = escape(title),
    )
}

fn figures(charts: &[Chart]) -> String {
    let mut out = String::new();
    for chart in charts {
        let _ = write!(
            out,
            "<figure id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(&chart.file),
            chart.svg.trim(),
            escape(&chart.note)
        );
    }
    out
}

fn shown(value: Option<f64>, format: Format, lang: Lang) -> String {
    value.map_or_else(|| lang.no_figure().to_string(), |v| lang.value(v, format))
}

/// The headline metrics of a one-row summary.csv.
/// The summary column that runs before session 36 did not write.
const LATER_COLUMN: &str = "left_waiting_list";

fn summary_table(summary: &Table, lang: Lang) -> Result<String, ReportError> {
    let mut out = format!(
        "<table class=\"summary\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th>\
         <th>{}</th></tr></thead>\n<tbody>\n",
        lang.pick("metric", "uitkomst"),
        lang.pick("value", "waarde"),
        lang.pick("column", "kolom"),
    );
    if summary.rows.is_empty() {
        return Ok(format!(
            "<p>{}</p>\n",
            lang.pick("summary.csv has no row.", "summary.csv heeft geen rij.")
        ));
    }
    for m in summary_metrics() {
        // A column added since the run was made (left_waiting_list, session
        // 36) is left out of an older run's report.
        if m.column == LATER_COLUMN && !summary.has_column(m.column) {
            continue;
        }
        let value = summary.number(0, m.column)?;
        let _ = writeln!(
            out,
            "<tr data-metric=\"{column}\"><td>{label}</td><td class=\"num\">{value}</td>\
             <td><code>{column}</code></td></tr>",
            column = m.column,
            label = escape(lang.label(m)),
            value = shown(value, m.format, lang),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    Ok(out)
}

/// A table of the neighbourhoods, for reading the cohesion chart by name.
fn neighbourhood_table(neighbourhoods: &Table, lang: Lang) -> Result<String, ReportError> {
    let mut out =
        String::from("<div class=\"scroll\"><table class=\"neighbourhoods\">\n<thead><tr>");
    let headings = [
        ("neighbourhood", "buurt"),
        ("residents", "bewoners"),
        ("cohesion", "samenhang"),
        ("informal hours", "informele uren"),
        ("from the same neighbourhood", "uit de eigen buurt"),
        ("unmet share", "deel onvervuld"),
        (
            "neighbour hours per resident, long-term",
            "burenuren per bewoner, langdurig",
        ),
        ("…, emergencies", "…, noodgevallen"),
        ("burnouts", "opgebrand"),
    ];
    for (i, (english, dutch)) in headings.iter().enumerate() {
        let class = if i == 0 { "" } else { " class=\"num\"" };
        let _ = write!(out, "<th{class}>{}</th>", lang.pick(english, dutch));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in 0..neighbourhoods.rows.len() {
        let number = |c: &str| neighbourhoods.number(row, c);
        let residents = number("residents")?.unwrap_or(0.0);
        let per_resident = |c: &str| -> Result<String, ReportError> {
            Ok(match (number(c)?, residents > 0.0) {
                (Some(h), true) => lang.decimal(h / residents, 2),
                _ => lang.no_figure().into(),
            })
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(neighbourhoods.text(row, "neighbourhood")?),
            shown(Some(residents), Format::Count, lang),
            shown(number("cohesion")?, Format::Strain, lang),
            shown(number("informal_hours")?, Format::Hours, lang),
            shown(number("within_neighbourhood_share")?, Format::Share, lang),
            shown(number("unmet_share")?, Format::Share, lang),
            per_resident("neighbour_hours_long_term")?,
            per_resident("neighbour_hours_emergency")?,
            shown(number("burnouts")?, Format::Count, lang),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
    Ok(out)
}

/// A metric's value in a report: the run's (or the replicates' mean), and for
/// replicates the 95% interval of the mean.
struct Reading {
    value: Option<f64>,
    interval: Option<(f64, f64)>,
}

/// The run against the Dutch figures of docs/ODD.md §1.3 (`TARGETS`): each
/// target's range, the run's value (with its interval for replicates),
/// whether the value lies in the range, and the source.
///
/// The targets are yearly figures (CBS counts a carer over a year), so a run
/// that reports `weeks` other than 52 has its values shown beside them but
/// not scored: over 780 weeks half the residents are carers in CBS's sense,
/// over 12 weeks nobody has cared in 13 of them (QA 26).
fn dutch_figures(
    read: impl Fn(&str) -> Result<Reading, ReportError>,
    with_interval: bool,
    weeks: Option<u32>,
    lang: Lang,
) -> Result<String, ReportError> {
    let scored = weeks.is_none_or(|w| w == YEAR_WEEKS);
    let (rows, met, measured, clipped) = target_rows(read, with_interval, scored, lang)?;
    let note = clipped_note(clipped, lang);
    let value_heading = match (with_interval, lang) {
        (true, _) => lang.pick("mean", "gemiddelde"),
        (false, _) => lang.pick("value", "waarde"),
    };
    let interval_heading = if with_interval {
        format!(
            "<th class=\"num\">{}</th>",
            lang.pick("95% interval", "95%-interval")
        )
    } else {
        String::new()
    };
    let verdicts = match weeks {
        Some(w) if !scored => not_scored_note(w, with_interval, lang),
        _ => match lang {
            Lang::En => format!("<strong>{met} of {measured}</strong> in range."),
            Lang::Nl => format!("<strong>{met} van de {measured}</strong> binnen bereik."),
        },
    };
    let intro = lang.pick(
        "The calibration targets of docs/ODD.md §1.3: national figures, each read with its \
         source's definition. The baseline is calibrated to them; for another area or a \
         policy variant they are a point of reference, not a test.",
        "De ijkpunten van docs/ODD.md §1.3: landelijke cijfers, elk gelezen met de definitie \
         van de bron. De basissituatie is erop afgestemd; voor een ander gebied of een \
         beleidsvariant zijn ze een referentiepunt, geen toets.",
    );
    Ok(format!(
        "<h2>{heading}</h2>\n<p>{intro} {verdicts}</p>\n\
         <table class=\"targets\">\n<thead><tr><th>{metric}</th><th class=\"num\">{target}</th>\
         <th class=\"num\">{value_heading}</th>{interval_heading}<th class=\"verdict\">{in_range}</th>\
         <th>{source}</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n{note}",
        heading = lang.pick(
            "Against the Dutch figures",
            "Vergeleken met de Nederlandse cijfers"
        ),
        metric = lang.pick("metric", "uitkomst"),
        target = lang.pick("target", "doel"),
        in_range = lang.pick("in range", "binnen bereik"),
        source = lang.pick("source", "bron"),
    ))
}

/// The rows of the targets' table, how many values lie in range, how many
/// there are, and whether an interval was clipped to its metric's range.
fn target_rows(
    read: impl Fn(&str) -> Result<Reading, ReportError>,
    with_interval: bool,
    scored: bool,
    lang: Lang,
) -> Result<(String, usize, usize, bool), ReportError> {
    let mut rows = String::new();
    let (mut met, mut measured) = (0, 0);
    let mut clipped = false;
    for target in TARGETS {
        let metric = metric_of(target.column);
        let format = metric.map_or(Format::Decimal, |m| m.format);
        let label = metric.map_or(target.column, |m| lang.label(m));
        let reading = read(target.column)?;
        let (verdict, in_range) = target_verdict(&target, reading.value, scored, lang);
        measured += usize::from(reading.value.is_some());
        met += usize::from(in_range);
        let (interval, was_clipped) = interval_cell(metric, reading.interval, with_interval, lang);
        clipped |= was_clipped;
        let _ = writeln!(
            rows,
            "<tr data-target=\"{column}\"><td>{label}</td><td class=\"num\">{low} – {high}</td>\
             <td class=\"num\">{value}</td>{interval}<td class=\"verdict\">{verdict}</td><td>{source}</td></tr>",
            column = target.column,
            label = escape(label),
            low = lang.value(target.low, format),
            high = lang.value(target.high, format),
            value = shown(reading.value, format, lang),
            source = escape(lang.pick(target.source, target.source_nl)),
        );
    }
    Ok((rows, met, measured, clipped))
}

/// Where a value lies against its target's range, and whether in it.
fn target_verdict(
    target: &Target,
    value: Option<f64>,
    scored: bool,
    lang: Lang,
) -> (&'static str, bool) {
    match value {
        _ if !scored => (lang.pick("not scored", "niet getoetst"), false),
        None => (lang.no_figure(), false),
        Some(v) if v < target.low => (lang.pick("below", "eronder"), false),
        Some(v) if v > target.high => (lang.pick("above", "erboven"), false),
        Some(_) => (lang.pick("in range", "binnen bereik"), true),
    }
}

/// The interval's cell of a target's row (none without intervals), and
/// whether it was clipped.
fn interval_cell(
    metric: Option<&Metric>,
    interval: Option<(f64, f64)>,
    with_interval: bool,
    lang: Lang,
) -> (String, bool) {
    let format = metric.map_or(Format::Decimal, |m| m.format);
    match (with_interval, interval) {
        (false, _) => (String::new(), false),
        (true, Some(interval)) => {
            let ((low, high), was_clipped) = shown_interval(metric, interval);
            let cell = format!(
                "<td class=\"num\">{} – {}</td>",
                lang.value(low, format),
                lang.value(high, format)
            );
            (cell, was_clipped)
        }
        (true, None) => (
            format!("<td class=\"num\">{}</td>", lang.no_figure()),
            false,
        ),
    }
}

/// Why the values of a run of `weeks` other than a year are not scored.
fn not_scored_note(weeks: u32, with_interval: bool, lang: Lang) -> String {
    let w = weeks;
    match lang {
        Lang::En => format!(
            "<strong>Not scored:</strong> the targets are yearly figures (CBS counts a \
             carer over a year) and this {run} {w} weeks, so {its} values over \
             {w} weeks are shown beside them but not set against them. Run 52 reported \
             weeks (<code>--set weeks=52</code>) to score them.{years}",
            // QA 37: "this folder's runs reports 156 weeks".
            run = if with_interval {
                "folder's runs report"
            } else {
                "run reports"
            },
            its = if with_interval { "their" } else { "its" },
            years = if w > 52 {
                " <code>yearly.csv</code> has the carer figures of each year alone, \
                 comparable with these (the chart of carers and receivers by year)."
            } else {
                ""
            },
        ),
        Lang::Nl => format!(
            "<strong>Niet getoetst:</strong> de doelen zijn jaarcijfers (het CBS telt een \
             mantelzorger over een jaar) en {run} over {w} weken, dus de waarden over {w} \
             weken staan ernaast maar worden er niet aan getoetst. Laat 52 weken rapporteren \
             (<code>--set weeks=52</code>) om ze te toetsen.{years}",
            run = if with_interval {
                "de runs in deze map rapporteren"
            } else {
                "deze run rapporteert"
            },
            years = if w > 52 {
                " <code>yearly.csv</code> heeft de cijfers over mantelzorgers van elk jaar \
                 apart, die wel met deze te vergelijken zijn (de grafiek van mantelzorgers en \
                 ontvangers per jaar)."
            } else {
                ""
            },
        ),
    }
}

/// An interval as shown: within the values its metric can take (none is
/// known for a column outside the metric table), and whether it was clipped.
fn shown_interval(metric: Option<&Metric>, interval: (f64, f64)) -> ((f64, f64), bool) {
    metric.map_or((interval, false), |m| m.shown_interval(interval))
}

/// The note below a table some of whose intervals were clipped, or nothing.
fn clipped_note(clipped: bool, lang: Lang) -> String {
    if clipped {
        format!(
            "<p class=\"note\">{}</p>\n",
            escape(lang.pick(CLIPPED_INTERVALS, CLIPPED_INTERVALS_NL))
        )
    } else {
        String::new()
    }
}

fn run_sections(run: &RunTables, charts: &[Chart], lang: Lang) -> Result<String, ReportError> {
    let mut body = String::new();
    let _ = writeln!(body, "<h2>{}</h2>", lang.pick("Charts", "Grafieken"));
    body.push_str(&figures(charts));
    let _ = writeln!(body, "<h2>{}</h2>", lang.pick("Neighbourhoods", "Buurten"));
    body.push_str(&neighbourhood_table(&run.neighbourhoods, lang)?);
    Ok(body)
}

/// Weeks in a year, the period of the Dutch figures.
const YEAR_WEEKS: u32 = 52;

/// The reported weeks of a run's summary.csv, where it says.
fn reported_weeks(summary: &Table) -> Result<Option<u32>, ReportError> {
    if summary.rows.is_empty() || summary.column("weeks").is_err() {
        return Ok(None);
    }
    Ok(summary.text(0, "weeks")?.parse().ok())
}

/// The residents of summary.csv's first row as the page's heading line says
/// them: in thousands, as every other count on the page (QA 39: "11334
/// bewoners" above "119.963" hours; a gemeente's 841000 residents).
fn residents_shown(summary: &Table, lang: Lang) -> Result<String, ReportError> {
    Ok(shown(summary.number(0, "residents")?, Format::Count, lang))
}

fn run_meta(summary: &Table, lang: Lang) -> Result<String, ReportError> {
    if summary.rows.is_empty() {
        return Ok(String::new());
    }
    let text = |c| summary.text(0, c);
    Ok(format!(
        "scenario <code>{}</code>, {} {}, {} {}, {} {}",
        escape(text("scenario")?),
        lang.pick("seed", "seed"),
        escape(text("seed")?),
        residents_shown(summary, lang)?,
        lang.pick("residents", "bewoners"),
        escape(text("weeks")?),
        lang.pick("reported weeks", "gerapporteerde weken"),
    ))
}

/// The page of a run folder.
pub fn run_page(
    dir: &Path,
    run: &RunTables,
    charts: &[Chart],
    lang: Lang,
) -> Result<String, ReportError> {
    let mut body = format!(
        "<h2>{}</h2>\n<p>{}</p>\n",
        lang.pick("Headline outcomes", "Belangrijkste uitkomsten"),
        lang.pick(
            "Totals over the reported weeks (summary.csv); shares of hours are of need or of \
             informal hours as named.",
            "Totalen over de gerapporteerde weken (summary.csv); aandelen van uren zijn van de \
             zorgvraag of van de informele uren, zoals genoemd.",
        ),
    );
    body.push_str(&summary_table(&run.summary, lang)?);
    if !run.summary.rows.is_empty() {
        // A folder written before a target's column existed shows n/a for it.
        let read = |column: &str| {
            let value = match run.summary.column(column) {
                Ok(_) => run.summary.number(0, column)?,
                Err(_) => None,
            };
            Ok(Reading {
                value,
                interval: None,
            })
        };
        body.push_str(&dutch_figures(
            read,
            false,
            reported_weeks(&run.summary)?,
            lang,
        )?);
    }
    body.push_str(&run_sections(run, charts, lang)?);
    Ok(page(
        &format!("carenet run: {}", folder_name(dir)),
        &run_meta(&run.summary, lang)?,
        &body,
        lang,
    ))
}

/// The page of a replicate folder: the aggregate (and its years, in runs of
/// more than a year), then replicate 1's charts. `tables` are the folder's
/// summary_aggregate.csv and yearly_aggregate.csv; `first` is replicate 1's.
pub fn replicate_page(
    dir: &Path,
    tables: (&Table, Option<&Table>),
    first: &RunTables,
    charts: &[Chart],
    lang: Lang,
) -> Result<String, ReportError> {
    let (aggregate, years) = tables;
    let mut body = aggregate_table_head(lang);
    let (rows, replicates, clipped) = aggregate_rows(aggregate, lang)?;
    body.push_str(&rows);
    body.push_str("</tbody>\n</table>\n");
    body.push_str(&clipped_note(clipped, lang));
    if let Some(years) = years {
        body.push_str(&markdown_to_html(
            &crate::experiment::comparison_text::replicates_yearly_markdown(&years.to_rows(), lang),
        ));
    }
    body.push_str(&dutch_figures(
        |column| aggregate_reading(aggregate, column),
        true,
        reported_weeks(&first.summary)?,
        lang,
    )?);
    body.push_str(&first_replicate_intro(lang));
    body.push_str(&summary_table(&first.summary, lang)?);
    body.push_str(&run_sections(first, charts, lang)?);
    let meta = replicate_meta(first, &replicates, lang)?;
    Ok(page(
        &format!(
            "carenet {}: {}",
            lang.pick("replicates", "replicaties"),
            folder_name(dir)
        ),
        &meta,
        &body,
        lang,
    ))
}

/// The aggregate's heading, introduction and table head, up to its rows.
fn aggregate_table_head(lang: Lang) -> String {
    format!(
        "<h2>{heading}</h2>\n<p>{intro}</p>\n<table class=\"aggregate\">\n\
         <thead><tr><th>{metric}</th><th class=\"num\">{mean}</th><th class=\"num\">{interval}</th>\
         <th class=\"num\">{replicates}</th><th>{column}</th></tr></thead>\n<tbody>\n",
        heading = lang.pick(
            "Headline outcomes over the replicates",
            "Belangrijkste uitkomsten over de replicaties"
        ),
        intro = lang.pick(
            "Mean over the replicates and the 95% interval of that mean (summary_aggregate.csv).",
            "Gemiddelde over de replicaties en het 95%-interval van dat gemiddelde \
             (summary_aggregate.csv).",
        ),
        metric = lang.pick("metric", "uitkomst"),
        mean = lang.pick("mean", "gemiddelde"),
        interval = lang.pick("95% interval", "95%-interval"),
        replicates = lang.pick("replicates", "replicaties"),
        column = lang.pick("column", "kolom"),
    )
}

/// The aggregate table's rows, the number of replicates its last row counts
/// ("?" without rows) and whether an interval was clipped to its range.
fn aggregate_rows(aggregate: &Table, lang: Lang) -> Result<(String, String, bool), ReportError> {
    let mut rows = String::new();
    let mut replicates = String::from("?");
    let mut clipped = false;
    for m in summary_metrics() {
        let Some(row) = aggregate.find("metric", m.column)? else {
            continue;
        };
        let interval = match (
            aggregate.number(row, "ci95_low")?,
            aggregate.number(row, "ci95_high")?,
        ) {
            (Some(low), Some(high)) => {
                let ((low, high), was_clipped) = m.shown_interval((low, high));
                clipped |= was_clipped;
                format!(
                    "{} – {}",
                    lang.value(low, m.format),
                    lang.value(high, m.format)
                )
            }
            _ => lang.no_figure().into(),
        };
        replicates = aggregate.text(row, "n")?.to_string();
        let _ = writeln!(
            rows,
            "<tr data-metric=\"{column}\"><td>{label}</td><td class=\"num\">{mean}</td>\
             <td class=\"num\">{interval}</td><td class=\"num\">{n}</td><td><code>{column}</code></td></tr>",
            column = m.column,
            label = escape(lang.label(m)),
            mean = shown(aggregate.number(row, "mean")?, m.format, lang),
            n = escape(aggregate.text(row, "n")?),
        );
    }
    Ok((rows, replicates, clipped))
}

/// A metric's mean and 95% interval over the replicates; neither if the
/// aggregate lacks it.
fn aggregate_reading(aggregate: &Table, column: &str) -> Result<Reading, ReportError> {
    let Some(row) = aggregate.find("metric", column)? else {
        return Ok(Reading {
            value: None,
            interval: None,
        });
    };
    let interval = aggregate
        .number(row, "ci95_low")?
        .zip(aggregate.number(row, "ci95_high")?);
    Ok(Reading {
        value: aggregate.number(row, "mean")?,
        interval,
    })
}

fn first_replicate_intro(lang: Lang) -> String {
    format!(
        "<h2>{}</h2>\n<p>{}</p>\n",
        lang.pick("Replicate 1", "Replicatie 1"),
        lang.pick(
            "The charts and tables below are of one replicate, <code>replicate-001/</code>; \
             the other replicates differ by chance. Its headline outcomes:",
            "De grafieken en tabellen hieronder zijn van één replicatie, \
             <code>replicate-001/</code>; de andere replicaties verschillen daarvan door het \
             toeval. Haar belangrijkste uitkomsten:",
        ),
    )
}

/// The page's line under its title: scenario, replicates, residents, weeks.
fn replicate_meta(first: &RunTables, replicates: &str, lang: Lang) -> Result<String, ReportError> {
    let replicates_word = lang.pick("replicates", "replicaties");
    if first.summary.rows.is_empty() {
        return Ok(format!("{replicates} {replicates_word}"));
    }
    let text = |c| first.summary.text(0, c).map(escape);
    Ok(format!(
        "scenario <code>{}</code>, {} {replicates_word}, {} {}, {} {}",
        text("scenario")?,
        escape(replicates),
        residents_shown(&first.summary, lang)?,
        lang.pick("residents", "bewoners"),
        text("weeks")?,
        lang.pick("reported weeks", "gerapporteerde weken"),
    ))
}

/// What `carenet report` reads of a comparison folder besides comparison.md.
pub struct ComparisonTables {
    pub comparison: Table,
    /// cost_effectiveness.csv, where the folder has it.
    pub costs: Option<Table>,
    /// yearly_aggregate.csv, where the runs report more than a year.
    pub yearly: Option<Table>,
    /// The reported weeks of its runs (runs.csv), which the totals cover.
    pub weeks: Vec<u32>,
}

/// The page of a comparison folder: comparison.md's warnings, the outcomes
/// per variant, the largest clear effects, the cost-effectiveness and, for
/// runs of several years, the years, said for people from the folder's tables
/// in the page's language (comparison.md is English for scripts, by column
/// name and in plain numbers), then the interval charts. QA 39: the English
/// page showed comparison.md itself below its table of outcomes: metrics by
/// column ("lowers unmet_share") and euros as 365351 where the Dutch page had
/// words and thousands.
pub fn comparison_page(
    dir: &Path,
    tables: &ComparisonTables,
    markdown: &str,
    charts: &[Chart],
    lang: Lang,
) -> Result<String, ReportError> {
    let (comparison, weeks) = (&tables.comparison, tables.weeks.as_slice());
    let mut body = String::new();
    body.push_str(&warnings_of(markdown, lang));
    body.push_str(&comparison_table(comparison, lang)?);
    body.push_str(&markdown_to_html(&comparison_text(tables, lang)?));
    body.push_str(lang.pick(
        "<p class=\"note\">All metrics: comparison.csv; every run: runs.csv; the same figures \
         for scripts (by column name, in plain numbers): comparison.md.</p>\n",
        "<p class=\"note\">Alle uitkomsten: comparison.csv; elke run: runs.csv; \
         dezelfde cijfers in het Engels: comparison.md.</p>\n",
    ));
    let _ = writeln!(
        body,
        "<h2>{}</h2>",
        lang.pick(
            "Differences from the base, with 95% intervals",
            "Verschillen met de basis, met 95%-intervallen"
        )
    );
    body.push_str(&figures(charts));
    let variants = variants_of(comparison)?;
    let meta = match variants.split_first() {
        Some((base, others)) => format!(
            "{} <code>{}</code>; {} {}; {} {}",
            lang.pick("base", "basis"),
            escape(base),
            lang.pick("variants", "varianten"),
            others
                .iter()
                .map(|v| format!("<code>{}</code>", escape(v)))
                .collect::<Vec<_>>()
                .join(", "),
            lang.pick(
                "hours, counts and euros are totals over",
                "uren, aantallen en euro's zijn totalen over"
            ),
            escape(&format!(
                "{} {}",
                crate::experiment::compare::period(weeks, lang),
                lang.pick("of each run", "van elke run")
            )),
        ),
        None => String::new(),
    };
    Ok(page(
        &format!(
            "carenet {}: {}",
            lang.pick("comparison", "vergelijking"),
            folder_name(dir)
        ),
        &meta,
        &body,
        lang,
    ))
}

/// comparison.md's warnings (a variant of another area or period), which
/// `carenet compare` writes in English; on a Dutch page said to be so.
fn warnings_of(markdown: &str, lang: Lang) -> String {
    let warnings: String = markdown
        .lines()
        .filter_map(|line| line.strip_prefix("**Warning:** "))
        .map(|warning| format!("- {warning}\n"))
        .collect();
    if warnings.is_empty() {
        return String::new();
    }
    lang.pick(
        "<p class=\"note\"><strong>Warning</strong> (from comparison.md):</p>\n",
        "<p class=\"note\"><strong>Waarschuwing</strong> (uit comparison.md, in het Engels):</p>\n",
    )
    .to_string()
        + &markdown_to_html(&warnings)
}

/// The largest clear effects, the cost-effectiveness and the years of a
/// comparison as Markdown, from its tables, for people in `lang`: what
/// comparison.md says for scripts, by the same functions, with metrics in
/// words and numbers in thousands.
fn comparison_text(tables: &ComparisonTables, lang: Lang) -> Result<String, ReportError> {
    use crate::experiment::compare::{
        HEADLINE_METRICS, HEADLINES_PER_VARIANT, cost_lines, headlines, period,
    };
    use crate::experiment::comparison_text::{
        Numbers, cost_effect_of_row, cost_markdown, effect_of_row, yearly_markdown,
    };
    let for_people = (lang, Numbers::Grouped);
    let variants = variants_of(&tables.comparison)?;
    let Some(base) = variants.first() else {
        return Ok(String::new());
    };
    let rows = tables.comparison.to_rows();
    let effects: Vec<_> = rows.iter().filter_map(effect_of_row).collect();
    let mut out = String::new();
    let lines = headlines(
        &effects,
        base,
        &HEADLINE_METRICS,
        HEADLINES_PER_VARIANT,
        for_people,
    );
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n",
            lang.pick("Largest clear effects", "Grootste duidelijke effecten")
        );
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
    }
    if let Some(costs) = &tables.costs {
        let replicates = effects.first().and_then(|e| e.value).map_or(0, |v| v.n);
        let costs: Vec<_> = costs
            .to_rows()
            .iter()
            .filter_map(|row| cost_effect_of_row(row, replicates))
            .collect();
        let said = cost_lines(&costs, base, &period(&tables.weeks, lang), lang);
        out.push_str(&cost_markdown(
            &costs,
            &said,
            (base, &tables.weeks),
            for_people,
        ));
    }
    if let Some(yearly) = &tables.yearly {
        out.push_str(&yearly_markdown(&yearly.to_rows(), lang, Numbers::Grouped));
    }
    Ok(out)
}

/// The variants of comparison.csv in their order, the base first.
fn variants_of(comparison: &Table) -> Result<Vec<&str>, ReportError> {
    let column = comparison.column("variant")?;
    let mut seen: Vec<&str> = Vec::new();
    for row in &comparison.rows {
        if let Some(v) = row.get(column)
            && !seen.contains(&v.as_str())
        {
            seen.push(v);
        }
    }
    Ok(seen)
}

/// The headline outcomes of a comparison, from comparison.csv, with their
/// labels and units in the page's language: per metric the base's mean, and
/// each other variant's mean with its difference from the base and the paired
/// 95% interval of that difference, a clear difference (the interval excludes
/// zero) in bold. comparison.md's own table is English, by column name.
fn comparison_table(comparison: &Table, lang: Lang) -> Result<String, ReportError> {
    let variants = variants_of(comparison)?;
    let mut out = comparison_head(comparison, &variants, lang)?;
    for m in summary_metrics() {
        if let Some(cells) = metric_cells(comparison, &variants, m, lang)? {
            let _ = writeln!(
                out,
                "<tr data-metric=\"{column}\"><td>{label}</td>{cells}<td><code>{column}</code></td></tr>",
                column = m.column,
                label = escape(lang.label(m)),
            );
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
    Ok(out)
}

/// The comparison's heading, introduction and table head, up to its rows.
fn comparison_head(
    comparison: &Table,
    variants: &[&str],
    lang: Lang,
) -> Result<String, ReportError> {
    // The replicates each variant ran (comparison.md says it in its first
    // lines, which the page no longer shows).
    let replicates = if comparison.rows.is_empty() {
        None
    } else {
        comparison.number(0, "n")?
    }
    .map_or_else(String::new, |n| format!("{n} "));
    let mut out = lang
        .pick(
            "<h2>Headline outcomes per variant</h2>\n<p>Mean over the {n}replicates, with the \
             same seeds for every variant (common random numbers; comparison.csv); with each \
             other variant also its difference from the base and the 95% interval of that \
             difference over paired replicates. <strong>Bold</strong>: a clear difference (the \
             interval excludes zero).</p>\n<div class=\"scroll\"><table class=\"comparison\">\n\
             <thead><tr><th>outcome</th>",
            "<h2>Belangrijkste uitkomsten per variant</h2>\n<p>Gemiddelde over de {n}replicaties, \
             met dezelfde seeds voor elke variant (common random numbers; comparison.csv); bij \
             elke variant ook het verschil met de basis en het 95%-interval van dat verschil \
             over gepaarde replicaties. <strong>Vet</strong>: een duidelijk verschil (het \
             interval sluit nul uit).</p>\n<div class=\"scroll\"><table class=\"comparison\">\n\
             <thead><tr><th>uitkomst</th>",
        )
        .replace("{n}", &replicates);
    for (i, variant) in variants.iter().enumerate() {
        let role = if i == 0 {
            lang.pick(" (base)", " (basis)")
        } else {
            ""
        };
        let _ = write!(out, "<th class=\"num\">{}{role}</th>", escape(variant));
    }
    let _ = write!(
        out,
        "<th>{}</th></tr></thead>\n<tbody>\n",
        lang.pick("column", "kolom")
    );
    Ok(out)
}

/// A metric's cell for each variant; None if no variant has the metric.
fn metric_cells(
    comparison: &Table,
    variants: &[&str],
    m: &Metric,
    lang: Lang,
) -> Result<Option<String>, ReportError> {
    let mut cells = String::new();
    let mut found = false;
    for (i, variant) in variants.iter().enumerate() {
        let row = (0..comparison.rows.len()).find(|&r| {
            comparison.text(r, "metric").is_ok_and(|t| t == m.column)
                && comparison.text(r, "variant").is_ok_and(|t| t == *variant)
        });
        let Some(row) = row else {
            let _ = write!(cells, "<td class=\"num\">{}</td>", lang.no_figure());
            continue;
        };
        found = true;
        let mean = shown(comparison.number(row, "mean")?, m.format, lang);
        if i == 0 {
            let _ = write!(cells, "<td class=\"num\">{mean}</td>");
            continue;
        }
        let difference = variant_difference(comparison, row, m.format, lang)?;
        let _ = write!(cells, "<td class=\"num\">{mean}<br>{difference}</td>");
    }
    Ok(found.then_some(cells))
}

/// A variant's difference from the base with its 95% interval, in bold
/// where the difference is clear.
fn variant_difference(
    comparison: &Table,
    row: usize,
    format: Format,
    lang: Lang,
) -> Result<String, ReportError> {
    let signed = |value: f64| signed_difference(value, format, lang);
    let to = lang.pick("to", "tot");
    let difference = match (
        comparison.number(row, "difference")?,
        comparison.number(row, "difference_ci95_low")?,
        comparison.number(row, "difference_ci95_high")?,
    ) {
        (Some(d), Some(low), Some(high)) => {
            format!("{} [{} {to} {}]", signed(d), signed(low), signed(high))
        }
        _ => lang.no_figure().into(),
    };
    let clear = comparison.text(row, "clear_difference")? == "true";
    Ok(if clear {
        format!("<strong>{difference}</strong>")
    } else {
        difference
    })
}

/// comparison.md, CommonMark with tables as `carenet compare` writes it, as
/// HTML (pulldown-cmark). Headings move one level down (the page has its own
/// h1); tables scroll sideways and right-align every column but the first
/// (numbers); raw HTML is shown as text, escaped, and links and images as
/// their text, so a name in a scenario file cannot add markup to the page.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut table = TableTags::default();
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).filter_map(|event| {
        Some(match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: one_level_down(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => {
                Event::End(TagEnd::Heading(one_level_down(level)))
            }
            Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => return None,
            Event::Start(
                tag @ (Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell),
            ) => Event::Html(table.start(&tag).into()),
            Event::End(
                end @ (TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell),
            ) => Event::Html(table.end(end).into()),
            other => other,
        })
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

fn one_level_down(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6)
}

/// The tags of a Markdown table as the page writes them: a scrolling box, a
/// head row, a body only when there are rows, the first column text and the
/// others numbers (`class="num"`).
#[derive(Default)]
struct TableTags {
    in_head: bool,
    body_started: bool,
    column: usize,
}

impl TableTags {
    fn start(&mut self, tag: &Tag) -> &'static str {
        match tag {
            Tag::Table(_) => {
                self.body_started = false;
                "<div class=\"scroll\"><table class=\"comparison\">\n"
            }
            Tag::TableHead => {
                self.in_head = true;
                self.column = 0;
                "<thead><tr>"
            }
            Tag::TableRow => {
                self.column = 0;
                if self.body_started {
                    "<tr>"
                } else {
                    self.body_started = true;
                    "<tbody>\n<tr>"
                }
            }
            _ => match (self.in_head, self.column) {
                (true, 0) => "<th>",
                (true, _) => "<th class=\"num\">",
                (false, 0) => "<td>",
                (false, _) => "<td class=\"num\">",
            },
        }
    }

    fn end(&mut self, end: TagEnd) -> &'static str {
        match end {
            TagEnd::Table if self.body_started => "</tbody>\n</table></div>\n",
            TagEnd::Table => "</table></div>\n",
            TagEnd::TableHead => {
                self.in_head = false;
                "</tr></thead>\n"
            }
            TagEnd::TableRow => "</tr>\n",
            _ => {
                self.column += 1;
                if self.in_head { "</th>" } else { "</td>" }
            }
        }
    }
}

/// A difference as the comparison's headline table shows it: `+1,234`,
/// `−2.1 pp` (a difference of shares is in percentage points). A difference
/// too small for the metric's usual precision gets the decimals that show it
/// (QA 37: `−0 [−1 to +1]` and `−0.0 pp` read as a signed zero).
fn signed_difference(value: f64, format: Format, lang: Lang) -> String {
    let sign = if value > 0.0 {
        "+"
    } else if value < 0.0 {
        "−"
    } else {
        ""
    };
    let mut shown = lang.value(value.abs(), format);
    let scale = if format == Format::Share { 100.0 } else { 1.0 };
    let mut decimals = match format {
        Format::Share | Format::Decimal => 2,
        Format::Strain => 3,
        _ => 1,
    };
    while value != 0.0 && !shown.chars().any(|c| matches!(c, '1'..='9')) && decimals <= 6 {
        let digits = lang.decimal(value.abs() * scale, decimals);
        shown = match format {
            Format::Share => format!("{digits}%"),
            Format::Euro => format!("€ {digits}"),
            _ => digits,
        };
        decimals += 1;
    }
    match (format == Format::Share, lang) {
        (true, Lang::En) => format!("{sign}{} pp", shown.trim_end_matches('%')),
        (true, Lang::Nl) => format!("{sign}{shown}-punt"),
        (false, _) => format!("{sign}{shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA 38: the per-year tables' headings are words ("deel van de
    /// zorgvraag dat onvervuld bleef"); kept on one line they made a table of
    /// nine columns 2,600 pixels wide. Headings wrap, numbers do not.
    #[test]
    fn headings_wrap_and_numbers_do_not() {
        let rules: Vec<&str> = STYLE.lines().filter(|l| l.contains("nowrap")).collect();
        assert!(rules.iter().any(|r| r.starts_with("td.num {")), "{rules:?}");
        assert!(!rules.iter().any(|r| r.contains("th.num")), "{rules:?}");
    }

    /// QA 37: a difference too small for the usual precision read "−0".
    #[test]
    fn a_small_difference_shows_its_digits_not_a_signed_zero() {
        assert_eq!(signed_difference(-0.3, Format::Hours, Lang::En), "−0.3");
        assert_eq!(
            signed_difference(-0.0004, Format::Share, Lang::En),
            "−0.04 pp"
        );
        assert_eq!(
            signed_difference(0.0004, Format::Share, Lang::Nl),
            "+0,04%-punt"
        );
        assert_eq!(signed_difference(1234.4, Format::Hours, Lang::En), "+1,234");
        assert_eq!(
            signed_difference(-0.021, Format::Share, Lang::En),
            "−2.1 pp"
        );
        assert_eq!(signed_difference(0.0, Format::Hours, Lang::En), "0");
        assert_eq!(signed_difference(0.004, Format::Strain, Lang::En), "+0.004");
    }

    #[test]
    fn targets_not_scored_say_what_reports_the_weeks_in_agreement() {
        let read = |_: &str| {
            Ok(Reading {
                value: Some(0.2),
                interval: Some((0.1, 0.3)),
            })
        };
        let runs = dutch_figures(read, true, Some(156), Lang::En).unwrap();
        assert!(
            runs.contains("this folder's runs report 156 weeks, so their values"),
            "{runs}"
        );
        let run = dutch_figures(read, false, Some(156), Lang::En).unwrap();
        assert!(
            run.contains("this run reports 156 weeks, so its values"),
            "{run}"
        );
    }

    #[test]
    fn a_dutch_page_keeps_comparison_md_s_warnings_as_html() {
        let markdown = "# Comparison of 2 variants\n\n**Warning:** `big` is another area than the base `base`: its differences compare areas.\n\nEach variant ran 2 replicates.\n";
        let html = warnings_of(markdown, Lang::Nl);
        assert!(html.contains("<strong>Waarschuwing</strong>"), "{html}");
        assert!(
            html.contains("<li><code>big</code> is another area than the base <code>base</code>: its differences compare areas.</li>"),
            "{html}"
        );
        assert!(!html.contains("Each variant"), "{html}");
        assert!(warnings_of("# Comparison\n\nNo warning.\n", Lang::Nl).is_empty());
        // QA 39: the English page no longer shows comparison.md whole, so it
        // keeps the warnings this way too.
        let english = warnings_of(markdown, Lang::En);
        assert!(
            english.starts_with(
                "<p class=\"note\"><strong>Warning</strong> (from comparison.md):</p>"
            ) && english.contains("<li><code>big</code> is another area than the base"),
            "{english}"
        );
    }

    #[test]
    fn comparison_markdown_becomes_html() {
        let md = "# Comparison of 2 variants\n\nEach ran `3` replicates.\n\n| metric | a | b |\n\
                  |---|---|---|\n| unmet_share | 0.2 | 0.3 (+0.1) |\n\n## Largest clear effects\n\n\
                  - b: unmet <up>\n\nAll metrics: comparison.csv.\n";
        let html = markdown_to_html(md);
        assert!(html.contains("<h2>Comparison of 2 variants</h2>"), "{html}");
        assert!(
            html.contains("<p>Each ran <code>3</code> replicates.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<thead><tr><th>metric</th><th class=\"num\">a</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td>unmet_share</td><td class=\"num\">0.2</td>"),
            "{html}"
        );
        assert!(!html.contains("---"), "{html}");
        assert!(html.contains("<li>b: unmet &lt;up&gt;</li>"), "{html}");
        assert!(html.contains("<h3>Largest clear effects</h3>"), "{html}");
        assert!(html.contains("</tbody>\n</table></div>"), "{html}");
    }

    #[test]
    fn emphasis_renders_and_markup_from_names_stays_text() {
        let md = "Some *emphasis*, **strong** and `a <b>`.\n\n\
                  <script>alert(1)</script>\n\n\
                  | variant | x |\n|---|---|\n| <img src=x onerror=alert(1)> | [a](javascript:alert(1)) |\n";
        let html = markdown_to_html(md);
        assert!(html.contains("<em>emphasis</em>"), "{html}");
        assert!(html.contains("<strong>strong</strong>"), "{html}");
        assert!(html.contains("<code>a &lt;b&gt;</code>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"),
            "{html}"
        );
        assert!(html.contains("<td class=\"num\">a</td>"), "{html}");
        for markup in ["<script", "<img", "<a ", "javascript:"] {
            assert!(!html.contains(markup), "{markup} in {html}");
        }
    }

    #[test]
    fn a_table_without_rows_has_no_body() {
        let html = markdown_to_html("| a | b |\n|---|---|\n");
        assert_eq!(
            html,
            "<div class=\"scroll\"><table class=\"comparison\">\n\
             <thead><tr><th>a</th><th class=\"num\">b</th></tr></thead>\n\
             </table></div>\n"
        );
    }
}
