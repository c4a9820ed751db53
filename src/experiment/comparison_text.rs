//! What a comparison writes besides its numbers: comparison.csv's and
//! cost_effectiveness.csv's rows, read back by `carenet report`, and
//! comparison.md's sections on cost and on the years, in English for
//! comparison.md and in either language for the report, so that a Dutch
//! report says in Dutch what comparison.md says in English.

use std::cell::Cell;
use std::fmt::Write as _;

use super::compare::{ByPayer, CostEffect, Effect, human, period};
use super::stats::Estimate;
use crate::lang::Lang;
use crate::metrics::Format;
use crate::output::{Row, year_shown};

/// A row's value as written: empty for none.
fn written(v: Option<f64>) -> String {
    v.map_or_else(String::new, crate::output::float_cell)
}

/// A mean and its 95% interval, as a file gives them back: the interval
/// where both ends are written.
fn read_estimate(row: &Row, n: usize, mean: &str, low: &str, high: &str) -> Option<Estimate> {
    let number = |c: &str| row.get(c).and_then(|v| v.parse::<f64>().ok());
    Some(Estimate {
        n,
        mean: number(mean)?,
        sd: None,
        ci95: number(low).zip(number(high)),
    })
}

/// A row of comparison.csv: a metric of a variant, its mean and interval, and
/// its difference from the base with the paired interval.
pub fn effect_row(e: &Effect) -> Row {
    let interval =
        |v: Option<Estimate>, end: fn((f64, f64)) -> f64| written(v.and_then(|v| v.ci95).map(end));
    Row(vec![
        ("metric".into(), e.metric.clone()),
        ("variant".into(), e.variant.clone()),
        ("n".into(), e.value.map_or(0, |v| v.n).to_string()),
        ("mean".into(), written(e.value.map(|v| v.mean))),
        ("ci95_low".into(), interval(e.value, |c| c.0)),
        ("ci95_high".into(), interval(e.value, |c| c.1)),
        ("difference".into(), written(e.difference.map(|d| d.mean))),
        (
            "difference_ci95_low".into(),
            interval(e.difference, |c| c.0),
        ),
        (
            "difference_ci95_high".into(),
            interval(e.difference, |c| c.1),
        ),
        ("clear_difference".into(), e.is_clear().to_string()),
    ])
}

/// An [`Effect`] read back from a row of comparison.csv ([`effect_row`]); the
/// standard deviations are not in the file.
pub fn effect_of_row(row: &Row) -> Option<Effect> {
    let n = row.get("n")?.parse().ok()?;
    Some(Effect {
        metric: row.get("metric")?.to_string(),
        variant: row.get("variant")?.to_string(),
        value: read_estimate(row, n, "mean", "ci95_low", "ci95_high"),
        difference: read_estimate(
            row,
            n,
            "difference",
            "difference_ci95_low",
            "difference_ci95_high",
        ),
    })
}

/// cost_effectiveness.csv's estimates, each written as its mean and the two
/// ends of its interval (`<name>_ci95_low`, `<name>_ci95_high`).
const COST_ESTIMATES: [&str; 8] = [
    "unmet_hours_change",
    "formal_cost_change_eur",
    "unmet_hours_per_1000_eur",
    "formal_cost_eur_per_1000_eur",
    "wmo_cost_change_eur",
    "zvw_cost_change_eur",
    "wlz_cost_change_eur",
    "municipal_cost_change_eur",
];

/// A [`CostEffect`]'s estimates in the order of [`COST_ESTIMATES`].
fn cost_estimates(c: &CostEffect) -> [Option<Estimate>; 8] {
    [
        c.unmet_hours_change,
        c.formal_cost_change,
        c.unmet_hours_per_1000_eur,
        c.formal_cost_per_1000_eur,
        c.by_payer.wmo,
        c.by_payer.zvw,
        c.by_payer.wlz,
        c.municipal_cost_change,
    ]
}

/// A row of cost_effectiveness.csv: per variant, mean and paired 95% interval of
/// each change.
pub fn cost_row(c: &CostEffect) -> Row {
    let mut row = vec![
        ("variant".into(), c.variant.clone()),
        (
            "extra_intervention_cost_eur".into(),
            written(c.extra_intervention_cost),
        ),
    ];
    for (name, estimate) in COST_ESTIMATES.iter().zip(cost_estimates(c)) {
        row.push((name.to_string(), written(estimate.map(|e| e.mean))));
        let ends = estimate.and_then(|e| e.ci95);
        row.push((format!("{name}_ci95_low"), written(ends.map(|c| c.0))));
        row.push((format!("{name}_ci95_high"), written(ends.map(|c| c.1))));
    }
    Row(row)
}

/// A [`CostEffect`] read back from a row of cost_effectiveness.csv
/// ([`cost_row`]); `n` is the replicates per variant (not in the file).
pub fn cost_effect_of_row(row: &Row, n: usize) -> Option<CostEffect> {
    let [
        unmet,
        formal,
        unmet_per,
        formal_per,
        wmo,
        zvw,
        wlz,
        municipal,
    ] = COST_ESTIMATES.map(|name| {
        read_estimate(
            row,
            n,
            name,
            &format!("{name}_ci95_low"),
            &format!("{name}_ci95_high"),
        )
    });
    Some(CostEffect {
        variant: row.get("variant")?.to_string(),
        extra_intervention_cost: row
            .get("extra_intervention_cost_eur")
            .and_then(|v| v.parse().ok()),
        unmet_hours_change: unmet,
        formal_cost_change: formal,
        unmet_hours_per_1000_eur: unmet_per,
        formal_cost_per_1000_eur: formal_per,
        by_payer: ByPayer { wmo, zvw, wlz },
        municipal_cost_change: municipal,
    })
}

/// Between the ends of an interval: a comma in comparison.md's plain English
/// numbers ("[0.4, 0.6]"), else a semicolon: a Dutch decimal comma would make
/// "[0,4, 0,6]" hard to read, and so would English thousands (QA 39: a page's
/// "[678,887, 860,672]").
fn interval_separator(lang: Lang, numbers: Numbers) -> &'static str {
    match (lang, numbers) {
        (Lang::En, Numbers::Plain) => ", ",
        _ => "; ",
    }
}

/// A Markdown table with its heading row, after a blank line.
pub fn markdown_table(
    out: &mut String,
    heading: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) {
    let _ = writeln!(out, "\n| {} |", heading.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(heading.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// The reported weeks in a column heading: "52 weeks", or "own weeks" where
/// the variants report different weeks.
fn weeks_short(weeks: &[u32], lang: Lang) -> String {
    match weeks.split_first() {
        Some((first, rest)) if rest.iter().all(|w| w == first) => match first {
            1 => "1 week".into(),
            n => format!("{n} {}", lang.pick("weeks", "weken")),
        },
        _ => lang.pick("own weeks", "eigen weken").into(),
    }
}

/// The cost-effectiveness section of comparison.md: a table and a line per
/// variant (`said`, [`super::compare::cost_lines`] in the same language);
/// `weeks` are the variants' reported weeks, which its totals cover.
/// comparison.md keeps plain numbers for scripts ([`Numbers::Plain`]); a
/// report's page, for people, groups them in thousands (QA 38: the Dutch
/// page's -30160 beside the sentence's -30.160; QA 39: the English page's).
pub fn cost_markdown(
    costs: &[CostEffect],
    said: &[String],
    (base, weeks): (&str, &[u32]),
    (lang, numbers): (Lang, Numbers),
) -> String {
    let mut out = cost_intro(base, &period(weeks, lang), lang);
    let weeks = weeks_short(weeks, lang);
    cost_effect_table(&mut out, costs, &weeks, (lang, numbers));
    cost_by_payer_table(&mut out, costs, &weeks, (lang, numbers));
    out.push('\n');
    for line in said {
        let _ = writeln!(out, "- {line}");
    }
    out
}

/// A cost figure, its thousands grouped for a report's page.
fn cost_number(x: f64, (lang, numbers): (Lang, Numbers)) -> String {
    match numbers {
        Numbers::Plain => lang.number(&human(x)),
        Numbers::Grouped => lang.number(&grouped_in_thousands(&human(x))),
    }
}

/// A mean with its 95% interval when there is one.
fn cost_interval(e: Option<Estimate>, (lang, numbers): (Lang, Numbers)) -> String {
    let number = |x: f64| cost_number(x, (lang, numbers));
    match e {
        Some(e) => match e.ci95 {
            Some((low, high)) => format!(
                "{} [{}{}{}]",
                number(e.mean),
                number(low),
                interval_separator(lang, numbers),
                number(high)
            ),
            None => number(e.mean),
        },
        None => lang.no_figure().into(),
    }
}

fn cost_intro(base: &str, period: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "\n## Cost-effectiveness\n\n\
             Formal hours are priced by task and the levers by their yearly budgets (`[cost]` of the \
             scenario; docs/ODD.md §9.12). Per variant against `{base}`, paired by replicate: \
             the change in unmet hours and in formal cost (€), in all and per € 1,000 of extra \
             intervention cost, as mean [95% interval] (every figure: cost_effectiveness.csv). \
             Costs and hours are totals over {period} of each run; a lever's yearly budget \
             counts for the weeks it worked. The formal cost's change is then split by who pays \
             it: the municipality (Wmo: the district teams' household help and support, and \
             respite), the health insurers (Zvw: the teams' personal care) and the Wlz; the \
             municipality's cost is its Wmo care and the levers.\n"
        ),
        Lang::Nl => format!(
            "\n## Kosteneffectiviteit\n\n\
             Formele uren zijn geprijsd per taak en de interventies met hun jaarbudget (`[cost]` \
             van het scenario; docs/ODD.md §9.12). Per variant tegenover `{base}`, gepaard per \
             replicatie: de verandering in onvervulde uren en in kosten van formele zorg (€), in \
             totaal en per € 1.000 extra interventiekosten, als gemiddelde [95%-interval] (elk \
             getal: cost_effectiveness.csv). Kosten en uren zijn totalen over {period} van elke \
             run; het jaarbudget van een interventie telt voor de weken dat ze werkte. De \
             verandering in formele kosten is daarna verdeeld naar wie betaalt: de gemeente \
             (Wmo: huishoudelijke hulp en begeleiding van de wijkteams, en respijtzorg), de \
             zorgverzekeraars (Zvw: persoonlijke verzorging door de wijkteams) en de Wlz; de \
             kosten van de gemeente zijn haar Wmo-zorg en de interventies.\n"
        ),
    }
}

/// A cost table's heading: `variant`, then the named columns (an empty
/// English name leaves its column out) with `{weeks}` filled in.
fn cost_heading(columns: [(&str, &str); 5], lang: Lang, weeks: &str) -> Vec<String> {
    std::iter::once("variant".to_string())
        .chain(
            columns
                .iter()
                .filter(|(en, _)| !en.is_empty())
                .map(|(en, nl)| lang.pick(en, nl).replace("{weeks}", weeks)),
        )
        .collect()
}

fn cost_effect_table(
    out: &mut String,
    costs: &[CostEffect],
    weeks: &str,
    (lang, numbers): (Lang, Numbers),
) {
    let interval = |e: Option<Estimate>| cost_interval(e, (lang, numbers));
    markdown_table(
        out,
        &cost_heading(
            [
                (
                    "extra intervention cost (€, {weeks})",
                    "extra interventiekosten (€, {weeks})",
                ),
                (
                    "unmet hours change (hours, {weeks})",
                    "verandering onvervulde uren (uren, {weeks})",
                ),
                (
                    "formal cost change (€, {weeks})",
                    "verandering kosten formele zorg (€, {weeks})",
                ),
                ("unmet hours per € 1,000", "onvervulde uren per € 1.000"),
                (
                    "formal cost (€) per € 1,000",
                    "kosten formele zorg (€) per € 1.000",
                ),
            ],
            lang,
            weeks,
        ),
        costs.iter().map(|c| {
            vec![
                c.variant.clone(),
                c.extra_intervention_cost.map_or_else(
                    || lang.no_figure().into(),
                    |x| cost_number(x, (lang, numbers)),
                ),
                interval(c.unmet_hours_change),
                interval(c.formal_cost_change),
                interval(c.unmet_hours_per_1000_eur),
                interval(c.formal_cost_per_1000_eur),
            ]
        }),
    );
}

fn cost_by_payer_table(
    out: &mut String,
    costs: &[CostEffect],
    weeks: &str,
    (lang, numbers): (Lang, Numbers),
) {
    let interval = |e: Option<Estimate>| cost_interval(e, (lang, numbers));
    markdown_table(
        out,
        &cost_heading(
            [
                (
                    "Wmo formal cost change (€, {weeks})",
                    "verandering Wmo-kosten (€, {weeks})",
                ),
                (
                    "Zvw formal cost change (€, {weeks})",
                    "verandering Zvw-kosten (€, {weeks})",
                ),
                (
                    "Wlz formal cost change (€, {weeks})",
                    "verandering Wlz-kosten (€, {weeks})",
                ),
                (
                    "municipality's cost change: Wmo and levers (€, {weeks})",
                    "verandering kosten gemeente: Wmo en interventies (€, {weeks})",
                ),
                ("", ""),
            ],
            lang,
            weeks,
        ),
        costs.iter().map(|c| {
            vec![
                c.variant.clone(),
                interval(c.by_payer.wmo),
                interval(c.by_payer.zvw),
                interval(c.by_payer.wlz),
                interval(c.municipal_cost_change),
            ]
        }),
    );
}

/// The columns of yearly.csv that comparison.md shows per variant and year.
/// The share living alone is read beside need and unmet share: partners give
/// most household care, so a projection's need moves with its households as
/// well as with ageing (docs/ODD.md §10.0 item 7).
const YEARLY_SHOWN: [&str; 9] = [
    "weeks",
    "need_hours",
    "informal_hours",
    "formal_hours",
    "unmet_share",
    "living_alone_share",
    "burnouts",
    "formal_cost_eur",
    "formal_cost_wmo_eur",
];

/// How a yearly table writes its numbers and names its columns: `Plain` in
/// comparison.md, a file that scripts read (442959, `need_hours`); `Grouped`
/// in thousands on a report's page, for people (442,959; in Dutch 442.959;
/// "need, hours"). QA 36: the reports' per-year tables showed € 4,421,018 as
/// 4421018 beside tables that grouped it; QA 38: their columns were named
/// `need_hours`, `unmet_share`, also in Dutch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    Plain,
    Grouped,
}

/// `plain` (an English number: `-4421018`, `0.61`) with its whole part in
/// groups of three digits: `-4,421,018`.
fn grouped_in_thousands(plain: &str) -> String {
    let (sign, unsigned) = plain
        .strip_prefix('-')
        .map_or(("", plain), |rest| ("-", rest));
    let (whole, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(w, f)| (w, Some(f)));
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return plain.to_string();
    }
    let mut out = format!("{sign}{}", crate::metrics::grouped(whole));
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A cell of the yearly table: the mean [95% interval] of a row of
/// yearly_aggregate.csv, shares in per cent.
fn yearly_cell(row: &Row, lang: Lang, numbers: Numbers, clipped: &Cell<bool>) -> String {
    let value = |c: &str| row.get(c).and_then(|v| v.parse::<f64>().ok());
    let metric = row.get("metric").unwrap_or_default();
    // yearly.csv's shares outside the metric table (living_alone_share) too.
    let is_share = metric.ends_with("_share");
    // Every column the table shows is 0 or more, a share at most 1; the
    // interval is shown within that, as the main tables show theirs.
    let bounds = match crate::metrics::find(metric) {
        Some(m) => m.unit.bounds(),
        None if is_share => (0.0, 1.0),
        None => (0.0, f64::INFINITY),
    };
    let show = |v: f64| {
        let plain = match crate::metrics::find(metric).map(|m| m.format) {
            Some(Format::Share) => format!("{:.1}%", 100.0 * v),
            None if is_share => format!("{:.1}%", 100.0 * v),
            _ if v.fract() == 0.0 => format!("{v:.0}"),
            _ => human(v),
        };
        lang.number(&match numbers {
            Numbers::Plain => plain,
            Numbers::Grouped => grouped_in_thousands(&plain),
        })
    };
    match (value("mean"), value("ci95_low"), value("ci95_high")) {
        (Some(mean), Some(low), Some(high)) if low < high => {
            let shown = (
                low.clamp(bounds.0, bounds.1),
                high.clamp(bounds.0, bounds.1),
            );
            clipped.set(clipped.get() || shown != (low, high));
            format!(
                "{} [{}{}{}]",
                show(mean),
                show(shown.0),
                interval_separator(lang, numbers),
                show(shown.1)
            )
        }
        (Some(mean), _, _) => show(mean),
        _ => "n/a".into(),
    }
}

/// A column of [`YEARLY_SHOWN`] as a yearly table's heading names it: by its
/// column name in comparison.md, in words on a report's page (the metric's
/// label, as the report's other tables name it).
fn yearly_heading(column: &str, lang: Lang, numbers: Numbers) -> String {
    if numbers == Numbers::Plain {
        return column.to_string();
    }
    match (column, crate::metrics::find(column)) {
        (_, Some(metric)) => lang.pick(metric.label, metric.label_nl).to_string(),
        ("weeks", None) => lang.pick("weeks", "weken").to_string(),
        ("living_alone_share", None) => lang
            .pick(
                "living alone at the start of the year",
                "alleenwonend aan het begin van het jaar",
            )
            .to_string(),
        _ => column.to_string(),
    }
}

/// The note below a yearly table some of whose intervals were clipped.
fn clipped_note(clipped: &Cell<bool>, lang: Lang) -> String {
    if clipped.get() {
        format!(
            "\n{}\n",
            lang.pick(
                crate::metrics::CLIPPED_INTERVALS,
                crate::metrics::CLIPPED_INTERVALS_NL
            )
        )
    } else {
        String::new()
    }
}

/// comparison.md's section of a comparison of runs of more than a year: per
/// variant and year, the mean [95% interval] of a few of yearly.csv's
/// columns (`aggregate`: yearly_aggregate.csv's rows); empty for runs of a
/// year or less.
pub fn yearly_markdown(aggregate: &[Row], lang: Lang, numbers: Numbers) -> String {
    if aggregate.is_empty() {
        return String::new();
    }
    let mut out = lang
        .pick(
            "\n## Per year\n\n\
             The runs report more than a year: per variant and year, the mean [95% interval] \
             over the replicates (every column of every run: yearly.csv; their means and \
             intervals: yearly_aggregate.csv; each variant's difference from the base by \
             year, paired by replicate: yearly_comparison.csv; docs/ODD.md §9.13).\n",
            "\n## Per jaar\n\n\
             De runs beslaan meer dan een jaar: per variant en jaar het gemiddelde \
             [95%-interval] over de replicaties (elke kolom van elke run: yearly.csv; hun \
             gemiddelden en intervallen: yearly_aggregate.csv; het verschil van elke variant \
             met de basis per jaar, gepaard per replicatie: yearly_comparison.csv; \
             docs/ODD.md §9.13).\n",
        )
        .to_string();
    let heading: Vec<String> = ["variant", lang.pick("year", "jaar")]
        .iter()
        .map(ToString::to_string)
        .chain(
            YEARLY_SHOWN
                .iter()
                .map(|c| yearly_heading(c, lang, numbers)),
        )
        .collect();
    let mut keys: Vec<(&str, &str, &str)> = aggregate
        .iter()
        .filter_map(|r| Some((r.get("variant")?, r.get("year")?, year_shown(r)?)))
        .collect();
    keys.dedup();
    let clipped = Cell::new(false);
    markdown_table(
        &mut out,
        &heading,
        keys.into_iter().map(|(variant, year, shown)| {
            let mut cells = vec![variant.to_string(), shown.to_string()];
            for column in YEARLY_SHOWN {
                let row = aggregate.iter().find(|r| {
                    r.get("variant") == Some(variant)
                        && r.get("year") == Some(year)
                        && r.get("metric") == Some(column)
                });
                cells.push(
                    row.map_or_else(|| "n/a".into(), |r| yearly_cell(r, lang, numbers, &clipped)),
                );
            }
            cells
        }),
    );
    out + &clipped_note(&clipped, lang)
}

/// The report's section of a `run --replicates` folder of runs of more than a
/// year: per year, the mean [95% interval] over the replicates of the columns
/// comparison.md shows per year (`aggregate`: the folder's
/// yearly_aggregate.csv rows); empty for runs of a year or less. Its report
/// showed replicate 1's years alone (QA 35).
pub fn replicates_yearly_markdown(aggregate: &[Row], lang: Lang) -> String {
    if aggregate.is_empty() {
        return String::new();
    }
    let mut out = lang
        .pick(
            "\n## Per year\n\n\
             The runs report more than a year: per year, the mean [95% interval] over the \
             replicates (every column: yearly_aggregate.csv; every replicate's years: \
             yearly.csv; docs/ODD.md §9.13).\n",
            "\n## Per jaar\n\n\
             De runs beslaan meer dan een jaar: per jaar het gemiddelde [95%-interval] over \
             de replicaties (elke kolom: yearly_aggregate.csv; de jaren van elke replicatie: \
             yearly.csv; docs/ODD.md §9.13).\n",
        )
        .to_string();
    let heading: Vec<String> = std::iter::once(lang.pick("year", "jaar").to_string())
        .chain(
            YEARLY_SHOWN
                .iter()
                .map(|c| yearly_heading(c, lang, Numbers::Grouped)),
        )
        .collect();
    let mut years: Vec<(&str, &str)> = aggregate
        .iter()
        .filter_map(|r| Some((r.get("year")?, year_shown(r)?)))
        .collect();
    years.dedup();
    let clipped = Cell::new(false);
    markdown_table(
        &mut out,
        &heading,
        years.into_iter().map(|(year, shown)| {
            let mut cells = vec![shown.to_string()];
            for column in YEARLY_SHOWN {
                let row = aggregate
                    .iter()
                    .find(|r| r.get("year") == Some(year) && r.get("metric") == Some(column));
                cells.push(row.map_or_else(
                    || "n/a".into(),
                    |r| yearly_cell(r, lang, Numbers::Grouped, &clipped),
                ));
            }
            cells
        }),
    );
    out + &clipped_note(&clipped, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of yearly_aggregate.csv: year 1's `metric` with its interval.
    fn year_row(metric: &str, mean: f64, low: f64, high: f64) -> Row {
        let mut row = Row::default();
        row.put("variant", "base")
            .put("year", 1)
            .put("metric", metric)
            .put("mean", mean)
            .put("ci95_low", low)
            .put("ci95_high", high);
        row
    }

    /// Session 37: a projection of 2025–2040 had its years as 1–15.
    #[test]
    fn the_years_tables_show_the_calendar_year_where_there_is_one() {
        let mut labelled = year_row("unmet_share", 0.2, 0.1, 0.3);
        labelled = labelled.with_first("calendar_year", 2031);
        let unlabelled = year_row("unmet_share", 0.2, 0.1, 0.3).with_first("calendar_year", "");
        let cells = |table: &str| -> Vec<String> {
            table
                .lines()
                .filter(|l| {
                    l.starts_with("| base") || l.starts_with("| 20") || l.starts_with("| 1 ")
                })
                .map(str::to_string)
                .collect()
        };
        for (row, year) in [(labelled, "2031"), (unlabelled, "1")] {
            let rows = [row];
            let compared = yearly_markdown(&rows, Lang::En, Numbers::Plain);
            assert!(
                cells(&compared)
                    .iter()
                    .any(|l| l.starts_with(&format!("| base | {year} |"))),
                "{compared}"
            );
            let replicates = replicates_yearly_markdown(&rows, Lang::Nl);
            assert!(
                cells(&replicates)
                    .iter()
                    .any(|l| l.starts_with(&format!("| {year} |"))),
                "{replicates}"
            );
        }
    }

    /// QA 37: the Dutch report's cost table said "n/a" where a variant that
    /// costs no more in levers has no figure per € 1,000.
    #[test]
    fn a_cost_table_without_a_figure_says_so_in_its_language() {
        let no_extra = CostEffect {
            variant: "more-hours".into(),
            extra_intervention_cost: Some(0.0),
            unmet_hours_change: Estimate::of(&[-40.0, -30.0, -35.0]),
            formal_cost_change: Estimate::of(&[2_000.0, 3_000.0, 3_500.0]),
            unmet_hours_per_1000_eur: None,
            formal_cost_per_1000_eur: None,
            by_payer: ByPayer::default(),
            municipal_cost_change: None,
        };
        let costs = [no_extra];
        let english = cost_markdown(&costs, &[], ("base", &[52, 52]), (Lang::En, Numbers::Plain));
        let dutch = cost_markdown(
            &costs,
            &[],
            ("base", &[52, 52]),
            (Lang::Nl, Numbers::Grouped),
        );
        assert!(english.contains("| n/a | n/a |"), "{english}");
        assert!(dutch.contains("| n.v.t. | n.v.t. |"), "{dutch}");
        assert!(!dutch.contains("n/a"), "{dutch}");
        // QA 38: the Dutch page's euros in thousands, comparison.md's plain.
        assert!(dutch.contains("| 2.833 ["), "{dutch}");
        assert!(english.contains("| 2833 ["), "{english}");
        // QA 39: the English page's too.
        let page = cost_markdown(
            &costs,
            &[],
            ("base", &[52, 52]),
            (Lang::En, Numbers::Grouped),
        );
        assert!(page.contains("| 2,833 [936; 4,731] |"), "{page}");
    }

    /// QA 35: the per-year tables showed a Student-t interval below 0 (a
    /// share or a count) where the main tables clip it and say so.
    #[test]
    fn yearly_intervals_are_shown_within_what_a_metric_can_take() {
        let rows = [
            year_row("unmet_share", 0.02, -0.01, 0.05),
            year_row("burnouts", 3.0, 1.0, 5.0),
        ];
        for table in [
            yearly_markdown(&rows, Lang::En, Numbers::Plain),
            replicates_yearly_markdown(&rows, Lang::En),
        ] {
            assert!(table.contains("2.0% [0.0%"), "{table}");
            assert!(table.contains("3 [1"), "{table}");
            assert!(table.contains(crate::metrics::CLIPPED_INTERVALS), "{table}");
        }
        let inside = [year_row("unmet_share", 0.02, 0.01, 0.03)];
        let dutch = yearly_markdown(&inside, Lang::Nl, Numbers::Grouped);
        assert!(
            !dutch.contains(crate::metrics::CLIPPED_INTERVALS_NL),
            "{dutch}"
        );
    }

    fn estimate(mean: f64, ci95: Option<(f64, f64)>) -> Option<Estimate> {
        Some(Estimate {
            n: 4,
            mean,
            sd: None,
            ci95,
        })
    }

    #[test]
    fn comparison_rows_read_back_as_written() {
        let effect = Effect {
            metric: "unmet_share".into(),
            variant: "policy".into(),
            value: estimate(0.21, Some((0.19, 0.23))),
            difference: estimate(-0.012, Some((-0.02, -0.004))),
        };
        assert_eq!(effect_of_row(&effect_row(&effect)), Some(effect));
        let cost = CostEffect {
            variant: "policy".into(),
            extra_intervention_cost: Some(25_000.0),
            unmet_hours_change: estimate(-1200.5, Some((-1500.0, -900.0))),
            formal_cost_change: estimate(300.0, None),
            unmet_hours_per_1000_eur: estimate(-48.0, Some((-60.0, -36.0))),
            formal_cost_per_1000_eur: None,
            by_payer: ByPayer {
                wmo: estimate(100.0, Some((-5.0, 205.0))),
                zvw: estimate(200.0, Some((150.0, 250.0))),
                wlz: estimate(0.0, Some((0.0, 0.0))),
            },
            municipal_cost_change: estimate(25_100.0, Some((24_000.0, 26_200.0))),
        };
        assert_eq!(cost_effect_of_row(&cost_row(&cost), 4), Some(cost));
    }

    #[test]
    fn the_yearly_section_speaks_the_language_asked() {
        let row = |metric: &str, mean: f64| {
            Row(vec![
                ("variant".into(), "base".into()),
                ("year".into(), "2".into()),
                ("metric".into(), metric.into()),
                ("mean".into(), mean.to_string()),
                ("ci95_low".into(), (mean * 0.9).to_string()),
                ("ci95_high".into(), (mean * 1.1).to_string()),
            ])
        };
        let rows = [row("need_hours", 412_345.6), row("unmet_share", 0.1875)];
        let english = yearly_markdown(&rows, Lang::En, Numbers::Plain);
        assert!(english.contains("## Per year"), "{english}");
        assert!(english.contains("| base | 2 |"), "{english}");
        assert!(english.contains("18.8% [16.9%, 20.6%]"), "{english}");
        // comparison.md's numbers plain, for scripts; a report's grouped.
        assert!(english.contains("412346 [371111, 453580]"), "{english}");
        let grouped = yearly_markdown(&rows, Lang::En, Numbers::Grouped);
        // QA 39: grouped ends apart by a semicolon, as in Dutch; a comma read
        // as "[371,111, 453,580]".
        assert!(grouped.contains("412,346 [371,111; 453,580]"), "{grouped}");
        let dutch = yearly_markdown(&rows, Lang::Nl, Numbers::Grouped);
        assert!(dutch.contains("## Per jaar"), "{dutch}");
        assert!(dutch.contains("| variant | jaar |"), "{dutch}");
        // QA 38: a report's columns in words, comparison.md's by their names.
        assert!(
            dutch.contains("| weken | zorgvraag, uren | informele hulp, uren | formele zorg, uren | deel van de zorgvraag dat onvervuld bleef | alleenwonend aan het begin van het jaar |"),
            "{dutch}"
        );
        assert!(
            !dutch.contains("need_hours") && !dutch.contains("unmet_share"),
            "{dutch}"
        );
        assert!(
            english.contains("| weeks | need_hours | informal_hours |"),
            "{english}"
        );
        assert!(
            grouped.contains("| weeks | need, hours | informal help, hours |"),
            "{grouped}"
        );
        assert!(dutch.contains("18,8% [16,9%; 20,6%]"), "{dutch}");
        assert!(dutch.contains("412.346 [371.111; 453.580]"), "{dutch}");
        let replicates = replicates_yearly_markdown(&rows, Lang::En);
        assert!(
            replicates.contains("412,346 [371,111; 453,580]"),
            "{replicates}"
        );
        assert!(yearly_markdown(&[], Lang::Nl, Numbers::Grouped).is_empty());
        assert_eq!(grouped_in_thousands("-4421018"), "-4,421,018");
        assert_eq!(grouped_in_thousands("999"), "999");
        assert_eq!(grouped_in_thousands("1234.5"), "1,234.5");
        assert_eq!(grouped_in_thousands("18.8%"), "18.8%");
    }
}
