//! `carenet compare`: policy variants of one area, run with common random numbers.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use carenet::experiment::compare::{
    Effect, HEADLINE_METRICS, HEADLINES_PER_VARIANT, Variant, cost_effectiveness, cost_lines,
    effects, headlines, human, period,
};
use carenet::experiment::comparison_text::{
    Numbers, cost_markdown, cost_row, effect_row, yearly_markdown,
};
use carenet::experiment::replicates::map_replicates;
use carenet::experiment::{Run, replicate_seed};
use carenet::lang::Lang;
use carenet::output::{self, Manifest, Row, RunFolder};
use carenet::scenario::{self, Scenario};
use clap::Args;

use super::Failure;
use super::overrides::{self, Override};
use super::progress::Progress;
use super::{weeks, xlsx};

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The base scenario, then the variants to compare with it: files, or names
    /// of built-in scenarios (`carenet list`); a file of that name wins.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = overrides::parse, help = overrides::HELP)]
    overrides: Vec<Override>,
    /// Replicates per variant; every variant gets the same seeds, derived from
    /// the base scenario's seed.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=10_000))]
    replicates: u32,
    /// Output folder (default: results/compare-<base name>). An earlier comparison
    /// there is replaced only if the folder holds nothing carenet did not write.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the output folder even if it holds files carenet did not write.
    #[arg(long)]
    force: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    memory: super::MemoryCeiling,
}

/// The variants by name, each a file or a built-in scenario with the `--set`
/// options applied, and where the base came from.
fn load_variants(args: &CompareArgs) -> Result<(Vec<(String, Scenario)>, String), Failure> {
    let mut variants: Vec<(String, Scenario)> = Vec::new();
    let mut base_source = String::new();
    for path in &args.scenarios {
        let (scenario, source) = scenario::builtin::resolve_path(path)?;
        if variants.is_empty() {
            base_source = source;
        }
        // Every variant takes the --set options: say which one could not.
        let scenario = overrides::apply(&scenario, &args.overrides).map_err(|failure| Failure {
            code: failure.code,
            error: anyhow::anyhow!("in {}: {}", path.display(), failure.error),
        })?;
        variants.push((variant_name(path, &scenario, &variants), scenario));
    }
    Ok((variants, base_source))
}

/// One line for each variant whose `key` differs from the base's
/// (`variants[0]`), said by `say(name, variant, base name, base)`.
fn unlike_the_base<K: PartialEq>(
    variants: &[(String, Scenario)],
    key: impl Fn(&Scenario) -> K,
    say: impl Fn(&str, &Scenario, &str, &Scenario) -> String,
) -> Vec<String> {
    let Some((base_name, base)) = variants.first() else {
        return Vec::new();
    };
    variants[1..]
        .iter()
        .filter(|(_, s)| key(s) != key(base))
        .map(|(name, s)| say(name, s, base_name, base))
        .collect()
}

/// Variants whose area (neighbourhoods by name and adults) is not the base's,
/// one line each: their differences compare areas, not policies.
fn other_areas(variants: &[(String, Scenario)]) -> Vec<String> {
    let area = |s: &Scenario| -> Vec<(String, u32)> {
        s.neighbourhoods
            .iter()
            .map(|n| (n.name.clone(), n.adults))
            .collect()
    };
    let describe = |s: &Scenario| {
        format!(
            "{} adults in {} neighbourhoods",
            carenet::metrics::grouped(&s.area_adults().to_string()),
            s.neighbourhoods.len()
        )
    };
    unlike_the_base(variants, area, |name, s, base_name, base| {
        format!(
            "`{name}` is another area than the base `{base_name}` ({} against {}): \
             its differences compare areas, not policies for one area",
            describe(s),
            describe(base)
        )
    })
}

/// Variants that report other weeks than the base (or after another burn-in),
/// one line each: their totals of hours and euros cover another period.
fn other_periods(variants: &[(String, Scenario)]) -> Vec<String> {
    let period = |s: &Scenario| (s.weeks, s.burn_in_weeks);
    unlike_the_base(variants, period, |name, s, base_name, base| {
        format!(
            "`{name}` reports {} weeks after {} of burn-in, the base `{base_name}` {} after {}: \
             its totals of hours and euros cover another period than the base's; \
             compare shares and means, or give both the same weeks",
            s.weeks, s.burn_in_weeks, base.weeks, base.burn_in_weeks
        )
    })
}

/// Variants that are another variant's scenario over again (the same file
/// twice, or a copy under another name or description, after the `--set`
/// options), one line each: with common seeds their runs are the same, so
/// every difference between them is 0.
fn same_as_another(variants: &[(String, Scenario)]) -> Vec<String> {
    let models: Vec<Scenario> = variants
        .iter()
        .map(|(_, s)| Scenario {
            name: String::new(),
            description: String::new(),
            ..s.clone()
        })
        .collect();
    variants
        .iter()
        .enumerate()
        .filter_map(|(i, (name, _))| {
            let earlier = models[..i].iter().position(|m| *m == models[i])?;
            let earlier = &variants[earlier].0;
            Some(format!(
                "`{name}` is the same scenario as `{earlier}`: with the same seeds their runs \
                 are the same, and every difference between them is 0; a variant is a \
                 scenario that differs from the base, e.g. a copy of its file with the \
                 lever you want to test changed (`--set` changes every variant alike)"
            ))
        })
        .collect()
}

/// Variants whose years stand for other calendar years than the base's, one
/// line each: the comparison labels every variant's years as the base's.
fn other_start_years(variants: &[(String, Scenario)]) -> Vec<String> {
    let label =
        |start: Option<u32>| start.map_or_else(|| "no start_year".to_string(), |y| y.to_string());
    unlike_the_base(
        variants,
        |s| s.start_year,
        |name, s, base_name, base| {
            format!(
                "`{name}` has start_year {}, the base `{base_name}` {}: \
                 yearly_comparison.csv pairs the variants' years by their number (year 1 \
                 with year 1) and labels them with the base's calendar years",
                label(s.start_year),
                label(base.start_year)
            )
        },
    )
}

pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let (variants, base_source) = load_variants(&args)?;
    let mut warnings = other_areas(&variants);
    warnings.extend(other_periods(&variants));
    warnings.extend(other_start_years(&variants));
    warnings.extend(same_as_another(&variants));
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    super::set_threads(args.threads)?;
    let runs = variants.len() as u64 * u64::from(args.replicates);
    super::check_runs_memory(variants.iter().map(|(_, s)| s), runs, &args.memory)?;
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(format!("compare-{}", variants[0].1.name)));
    let inputs: Vec<&Path> = args.scenarios.iter().map(PathBuf::as_path).collect();
    let folder = super::open_output(&target, args.force, &inputs)?;
    let started = output::timestamp_now();
    let clock = Instant::now();
    let runs = run_variants(&variants, args.replicates, args.quiet);
    let rows = &runs.summaries;
    let outcome = write_comparison(&folder, &variants, &runs, args.replicates, &warnings)?;
    for (name, scenario) in &variants {
        let text = toml::to_string(scenario).context("cannot serialise a scenario")?;
        folder.write_bytes(&format!("variant-{name}.toml"), text.as_bytes())?;
    }
    let seconds = clock.elapsed().as_secs_f64();
    let mut manifest =
        comparison_manifest(&variants, &base_source, args.replicates, started, seconds)?;
    manifest.overrides = overrides::record(&args.overrides);
    manifest.record_files(&folder)?;
    manifest.write(&folder)?;
    let replaced = super::Replaced::by(&folder);
    let written = folder.commit()?;
    super::say_replaced(replaced, &written);
    print!("{}", terminal_table(&variants, &outcome.effects));
    for line in &outcome.lines {
        println!("  {line}");
    }
    if !runs.years.is_empty() {
        println!(
            "  per year: yearly_comparison.csv (each variant's difference from the base by year, paired 95% intervals), yearly_aggregate.csv (means and intervals by variant and year), yearly.csv (every run's years), and comparison.md"
        );
    }
    println!(
        "{} runs in {:.1}s; outputs: {}",
        rows.len(),
        clock.elapsed().as_secs_f64(),
        written.display()
    );
    Ok(())
}

/// What a comparison's runs produced, each table in (variant, replicate) order.
struct Runs {
    /// The summary rows, named by variant and replicate.
    summaries: Vec<Row>,
    /// Every reported week of every run.
    weeks: Vec<Row>,
    /// Every year of every run of more than a year (yearly.csv's rows, named
    /// by variant and replicate); none for runs of a year or less.
    years: Vec<Row>,
}

/// Every variant's replicates with common seeds.
fn run_variants(variants: &[(String, Scenario)], replicates: u32, quiet: bool) -> Runs {
    let progress = Progress::new(quiet);
    progress.start_bar((variants.len() as u64) * u64::from(replicates), "runs done");
    let scenarios: Vec<&Scenario> = variants.iter().map(|(_, s)| s).collect();
    let runs = map_replicates(&scenarios, replicates, |v, r, seeded| {
        let name = &variants[v].0;
        let run = Run::execute(seeded, &mut |_| {});
        progress.tick();
        let residents = run.world().people.area_residents();
        let weeks = weeks::of_comparison_run(name, r, seeded.seed, &run.record);
        let named = |row: Row| row.with_first("replicate", r).with_first("variant", name);
        let summary = named(output::summary_row(seeded, residents, &run.record));
        let years = if output::is_multi_year(run.record.weeks.len()) {
            output::yearly_rows(
                seeded,
                &run.record.years,
                &run.record.year_figures,
                &run.record.weeks,
            )
        } else {
            Vec::new()
        };
        Ok::<_, Infallible>((summary, weeks, years.into_iter().map(named).collect()))
    })
    .unwrap_or_else(|never| match never {});
    progress.finish();
    let mut all = Runs {
        summaries: Vec::new(),
        weeks: Vec::new(),
        years: Vec::new(),
    };
    for (summary, weeks, years) in runs {
        all.summaries.push(summary);
        all.weeks.extend(weeks);
        all.years.extend::<Vec<Row>>(years);
    }
    all
}

/// yearly.csv's key columns, which say whose year a row is; the others are
/// measured.
const YEARLY_KEYS: [&str; 3] = ["variant", "replicate", "year"];

/// The years of `rows`, in order, each once.
fn years_of<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<&'a str> {
    let mut numbers: Vec<&str> = rows.filter_map(|r| r.get("year")).collect();
    numbers.sort_by_key(|year| year.parse::<u32>().unwrap_or(u32::MAX));
    numbers.dedup();
    numbers
}

/// yearly_aggregate.csv's rows: per variant and year, every column of
/// yearly.csv over the replicates (n, mean, sd, 95% interval), as
/// summary_aggregate.csv has them for a run's whole.
fn yearly_aggregate(variants: &[(String, Scenario)], years: &[Row]) -> Vec<Row> {
    let mut out = Vec::new();
    for (name, _) in variants {
        let mine: Vec<&Row> = years
            .iter()
            .filter(|r| r.get("variant") == Some(name.as_str()))
            .collect();
        out.extend(
            output::aggregate_by_year(&mine, &YEARLY_KEYS)
                .into_iter()
                .map(|row| row.with_first("variant", name)),
        );
    }
    out
}

/// yearly_comparison.csv's rows: per year, every column of yearly.csv of
/// every variant against the base's, as comparison.csv has them for the
/// runs' whole (mean, interval, difference paired by replicate), `year` in
/// front. Years are numbered from 1 in every variant, so a policy's effect
/// can be read year by year with its interval.
fn yearly_comparison(variants: &[(String, Scenario)], years: &[Row]) -> Vec<Row> {
    let Some(first) = years.first() else {
        return Vec::new();
    };
    let columns: Vec<String> = first
        .0
        .iter()
        .map(|(c, _)| c.clone())
        .filter(|c| c != output::CALENDAR_YEAR && !YEARLY_KEYS.contains(&c.as_str()))
        .collect();
    let base = &variants[0].1;
    let mut out = Vec::new();
    for year in years_of(years.iter()) {
        let calendar_year = year
            .parse()
            .map_or_else(|_| String::new(), |y| output::calendar_year_cell(base, y));
        let of_year: Vec<Row> = years
            .iter()
            .filter(|r| r.get("year") == Some(year))
            .cloned()
            .collect();
        let per_variant = by_variant(variants, &of_year);
        out.extend(effects(&per_variant, &columns).iter().map(|e| {
            effect_row(e)
                .with_first(output::CALENDAR_YEAR, &calendar_year)
                .with_first("year", year)
        }));
    }
    out
}

/// What a comparison found: every metric's effect, and the lines said about
/// the clearest effects and about the costs.
struct Outcome {
    effects: Vec<Effect>,
    lines: Vec<String>,
}

/// The summary rows of each variant, in replicate order.
fn by_variant(variants: &[(String, Scenario)], rows: &[Row]) -> Vec<Variant> {
    variants
        .iter()
        .map(|(name, _)| Variant {
            name: name.clone(),
            rows: rows
                .iter()
                .filter(|r| r.get("variant") == Some(name.as_str()))
                .cloned()
                .collect(),
        })
        .collect()
}

/// Writes runs.csv, weeks.csv, comparison.csv, cost_effectiveness.csv,
/// comparison.md and comparison.xlsx.
fn write_comparison(
    folder: &RunFolder,
    variants: &[(String, Scenario)],
    runs: &Runs,
    replicates: u32,
    warnings: &[String],
) -> Result<Outcome, Failure> {
    let (rows, weeks) = (&runs.summaries, &runs.weeks);
    output::write_table(folder, "runs.csv", &rows[0], rows)?;
    folder.write_bytes("weeks.csv", &output::table_bytes(weeks)?)?;
    let yearly = yearly_aggregate(variants, &runs.years);
    let yearly_effects = yearly_comparison(variants, &runs.years);
    if !runs.years.is_empty() {
        folder.write_bytes("yearly.csv", &output::table_bytes(&runs.years)?)?;
        folder.write_bytes("yearly_aggregate.csv", &output::table_bytes(&yearly)?)?;
        folder.write_bytes(
            "yearly_comparison.csv",
            &output::table_bytes(&yearly_effects)?,
        )?;
    }
    let per_variant = by_variant(variants, rows);
    let metrics: Vec<String> = carenet::metrics::METRICS
        .iter()
        .map(|m| m.column.to_string())
        .collect();
    let all = effects(&per_variant, &metrics);
    let table: Vec<Row> = all.iter().map(effect_row).collect();
    output::write_table(folder, "comparison.csv", &table[0], &table)?;
    let base_name = &variants[0].0;
    let mut lines = headlines(
        &all,
        base_name,
        &HEADLINE_METRICS,
        HEADLINES_PER_VARIANT,
        (Lang::En, Numbers::Plain),
    );
    let costs = cost_effectiveness(&per_variant);
    let cost_table: Vec<Row> = costs.iter().map(cost_row).collect();
    output::write_table(
        folder,
        "cost_effectiveness.csv",
        &cost_table[0],
        &cost_table,
    )?;
    let reported: Vec<u32> = variants.iter().map(|(_, s)| s.weeks).collect();
    let said_in_costs = cost_lines(&costs, base_name, &period(&reported, Lang::En), Lang::En);
    let mut markdown = markdown(variants, &all, &lines, (replicates, warnings));
    markdown.push_str(&cost_markdown(
        &costs,
        &said_in_costs,
        (base_name, &reported),
        (Lang::En, Numbers::Plain),
    ));
    markdown.push_str(&yearly_markdown(&yearly, Lang::En, Numbers::Plain));
    folder.write_bytes("comparison.md", markdown.as_bytes())?;
    xlsx::write_workbook(
        folder,
        "comparison.xlsx",
        &[
            ("comparison", &table),
            ("cost_effectiveness", &cost_table),
            ("runs", rows),
            ("yearly", &runs.years),
            ("yearly_aggregate", &yearly),
            ("yearly_comparison", &yearly_effects),
            ("weeks", weeks),
        ],
    )?;
    lines.extend(said_in_costs);
    Ok(Outcome {
        effects: all,
        lines,
    })
}

/// The comparison's manifest: the base scenario, the variants and the replicate
/// seeds they shared.
fn comparison_manifest(
    variants: &[(String, Scenario)],
    base_source: &str,
    replicates: u32,
    started: String,
    seconds: f64,
) -> Result<Manifest, Failure> {
    let base = &variants[0].1;
    let mut facts = serde_json::Map::new();
    let names: Vec<String> = variants.iter().map(|(n, _)| n.clone()).collect();
    facts.insert("variants".into(), names.into());
    facts.insert("replicates".into(), replicates.into());
    let seeds = (1..=replicates).map(|r| replicate_seed(base.seed, r));
    facts.insert("replicate_seeds".into(), output::seeds_json(seeds));
    let base_text = toml::to_string(base).context("cannot serialise a scenario")?;
    Ok(Manifest::new(
        &base.name,
        &base_text,
        base_source,
        base.seed,
        started,
        seconds,
        facts,
    ))
}

/// The scenario's name, or the file's stem when two variants share a name.
fn variant_name(path: &Path, scenario: &Scenario, taken: &[(String, Scenario)]) -> String {
    let name = scenario.name.clone();
    if taken.iter().any(|(n, _)| *n == name) {
        let stem = path
            .file_stem()
            .map_or_else(|| "variant".into(), |s| s.to_string_lossy().into_owned());
        format!("{name}-{stem}-{}", taken.len() + 1)
    } else {
        name
    }
}

/// A cell of comparison.md's table: the variant's mean with its interval
/// (shown within the values the metric can take; `clipped` notes where it was
/// not) and, but for the base, the difference from the base.
fn cell(e: Option<&Effect>, base: bool, clipped: &mut bool) -> String {
    let Some(e) = e else { return "n/a".into() };
    let Some(v) = e.value else {
        return "n/a".into();
    };
    let mut text = human(v.mean);
    if let Some(interval) = v.ci95 {
        let ((low, high), was_clipped) = carenet::metrics::find(&e.metric)
            .map_or((interval, false), |m| m.shown_interval(interval));
        *clipped |= was_clipped;
        text = format!("{text} [{}, {}]", human(low), human(high));
    }
    if let (false, Some(d)) = (base, e.difference) {
        let sign = if d.mean >= 0.0 { "+" } else { "" };
        let mark = if e.is_clear() { "" } else { ", n.s." };
        text = format!("{text} ({sign}{}{mark})", human(d.mean));
    }
    text
}

fn markdown(
    variants: &[(String, Scenario)],
    all: &[Effect],
    lines: &[String],
    (replicates, warnings): (u32, &[String]),
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Comparison of {} variants\n", variants.len());
    for warning in warnings {
        let _ = writeln!(out, "**Warning:** {warning}.\n");
    }
    let _ = writeln!(
        out,
        "Each variant ran {replicates} replicates with the same seeds (common random numbers). \
         Cells: mean [95% interval over replicates] (difference from `{}`, paired by replicate; \
         n.s. where its 95% interval includes zero). Hours (`…_hours`), euros (`…_eur`) and counts \
         (`burnouts`) are totals over {} of each run; shares, means and strains are over those weeks.\n",
        variants[0].0,
        period(
            &variants.iter().map(|(_, s)| s.weeks).collect::<Vec<_>>(),
            Lang::En,
        ),
    );
    let _ = write!(out, "| metric |");
    for (name, _) in variants {
        let _ = write!(out, " {name} |");
    }
    let _ = write!(out, "\n|---|");
    for _ in variants {
        let _ = write!(out, "---|");
    }
    out.push('\n');
    let mut clipped = false;
    for metric in HEADLINE_METRICS {
        let _ = write!(out, "| {metric} |");
        for (i, (name, _)) in variants.iter().enumerate() {
            let e = all
                .iter()
                .find(|e| e.metric == metric && e.variant == *name);
            let _ = write!(out, " {} |", cell(e, i == 0, &mut clipped));
        }
        out.push('\n');
    }
    if clipped {
        let _ = writeln!(out, "\n{}", carenet::metrics::CLIPPED_INTERVALS);
    }
    if !lines.is_empty() {
        let _ = writeln!(out, "\n## Largest clear effects\n");
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
    }
    let _ = writeln!(out, "\nAll metrics: comparison.csv; every run: runs.csv.");
    out
}

/// A number of the terminal's table: grouped in thousands from 1,000 on, as
/// `carenet run` prints its totals (QA 37: compare printed 431519 hours and
/// 8195268 euros beside run's 260,721 and € 13,120,319); smaller ones with
/// three significant digits. comparison.md keeps plain numbers for scripts.
fn readable(value: f64) -> String {
    if value.abs() >= 1000.0 {
        super::run::thousands(value)
    } else {
        let shown = human(value);
        // A difference of exactly 0 shows as 0, not -0.
        if shown == "-0" { "0".into() } else { shown }
    }
}

fn terminal_table(variants: &[(String, Scenario)], all: &[Effect]) -> String {
    let mut out = String::new();
    let _ = write!(out, "{:<32}", "metric");
    for (name, _) in variants {
        let _ = write!(out, " {name:>22}");
    }
    out.push('\n');
    for metric in HEADLINE_METRICS {
        let _ = write!(out, "{metric:<32}");
        for (i, (name, _)) in variants.iter().enumerate() {
            let e = all
                .iter()
                .find(|e| e.metric == metric && e.variant == *name);
            let text = match (e.and_then(|e| e.value), e.and_then(|e| e.difference)) {
                (Some(v), Some(d)) if i > 0 => {
                    let mark = if e.is_some_and(Effect::is_clear) {
                        ""
                    } else {
                        "~"
                    };
                    let d = human(d.mean).parse::<f64>().unwrap_or(d.mean);
                    let sign = if d >= 0.0 { "+" } else { "" };
                    format!("{} ({sign}{}{mark})", readable(v.mean), readable(d))
                }
                (Some(v), _) => readable(v.mean),
                _ => "n/a".into(),
            };
            let _ = write!(out, " {text:>22}");
        }
        out.push('\n');
    }
    if variants.len() > 1 {
        out.push_str(
            "(difference from the base in brackets; ~: its 95% interval includes 0, \
             not a clear difference)\n",
        );
    }
    let weeks: Vec<u32> = variants.iter().map(|(_, s)| s.weeks).collect();
    let _ = writeln!(
        out,
        "(hours, euros and burnouts: totals over {} of each run)",
        period(&weeks, Lang::En)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_of_another_area_is_named_and_a_policy_variant_is_not() {
        let base = Scenario::default();
        let mut policy = base.clone();
        policy.formal.network_first = true;
        let mut other = base.clone();
        other.neighbourhoods[0].adults += 100;
        let variants = vec![
            ("base".to_string(), base),
            ("policy".to_string(), policy),
            ("elsewhere".to_string(), other),
        ];
        let warnings = other_areas(&variants);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("`elsewhere` is another area"),
            "{}",
            warnings[0]
        );
        // In thousands, as carenet's other counts (QA 37: "11334 adults").
        assert!(
            warnings[0].contains("(6,100 adults in 5 neighbourhoods against 6,000 adults in 5"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn a_variant_of_another_period_is_named() {
        let base = Scenario::default();
        let mut half = base.clone();
        half.weeks = 26;
        let mut longer_burn_in = base.clone();
        longer_burn_in.burn_in_weeks += 4;
        let variants = vec![
            ("base".to_string(), base.clone()),
            ("same".to_string(), base),
            ("half".to_string(), half),
            ("settled".to_string(), longer_burn_in),
        ];
        let warnings = other_periods(&variants);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("`half` reports 26 weeks"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].starts_with("`settled` reports"),
            "{}",
            warnings[1]
        );
    }

    /// QA 40: `compare baseline baseline` ran and reported zeros without a word.
    #[test]
    fn a_variant_that_is_another_over_again_is_named() {
        let base = Scenario::default();
        let mut copy = base.clone();
        copy.name = "copy".into();
        copy.description = "the baseline under another name".into();
        let mut policy = base.clone();
        policy.formal.network_first = true;
        let variants = vec![
            ("base".to_string(), base.clone()),
            ("policy".to_string(), policy),
            ("base-2".to_string(), base),
            ("copy".to_string(), copy),
        ];
        let warnings = same_as_another(&variants);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("`base-2` is the same scenario as `base`"),
            "{}",
            warnings[0]
        );
        assert!(
            warnings[1].starts_with("`copy` is the same scenario as `base`"),
            "{}",
            warnings[1]
        );
    }

    #[test]
    fn a_negative_bound_of_a_count_is_shown_as_zero_and_said_so() {
        // QA 24 §10.5: with two replicates the Student-t interval of burnouts
        // reached below zero; comparison.csv keeps it, comparison.md shows 0.
        let estimate = |mean: f64, low: f64, high: f64| carenet::experiment::stats::Estimate {
            n: 2,
            mean,
            sd: Some(1.0),
            ci95: Some((low, high)),
        };
        let effect = |variant: &str, metric: &str, value| Effect {
            metric: metric.into(),
            variant: variant.into(),
            value: Some(value),
            difference: Some(estimate(-1.0, -5.0, 3.0)),
        };
        let variants = vec![
            ("base".to_string(), Scenario::default()),
            ("other".to_string(), Scenario::default()),
        ];
        let all = [
            effect("base", "burnouts", estimate(3.0, -5.85, 12.0)),
            effect("other", "burnouts", estimate(2.0, 1.0, 3.0)),
        ];
        let text = markdown(&variants, &all, &[], (2, &[]));
        let row = text
            .lines()
            .find(|l| l.starts_with("| burnouts |"))
            .expect("a burnouts row");
        assert!(row.contains("| 3.00 [0, 12.0] |"), "{row}");
        assert!(
            row.contains("(-1.00, n.s.)"),
            "a difference is not clipped: {row}"
        );
        assert!(text.contains(carenet::metrics::CLIPPED_INTERVALS), "{text}");
        let within = [
            effect("base", "burnouts", estimate(3.0, 1.0, 5.0)),
            effect("other", "burnouts", estimate(2.0, 1.0, 3.0)),
        ];
        let text = markdown(&variants, &within, &[], (2, &[]));
        assert!(
            !text.contains(carenet::metrics::CLIPPED_INTERVALS),
            "{text}"
        );
    }

    #[test]
    fn the_terminal_table_groups_thousands_as_run_does() {
        let estimate = |mean: f64| carenet::experiment::stats::Estimate {
            n: 4,
            mean,
            sd: Some(1.0),
            ci95: Some((mean - 3000.0, mean + 9000.0)),
        };
        let effect = |variant: &str, metric: &str, value, difference| Effect {
            metric: metric.into(),
            variant: variant.into(),
            value: Some(estimate(value)),
            difference: Some(estimate(difference)),
        };
        let variants = vec![
            ("base".to_string(), Scenario::default()),
            ("other".to_string(), Scenario::default()),
        ];
        let all = [
            effect("base", "formal_cost_eur", 8_195_268.0, 0.0),
            effect("other", "formal_cost_eur", 8_198_093.0, 2_824.3),
            effect("base", "unmet_share", 0.194, 0.0),
            effect("other", "unmet_share", 0.1939, -0.0000419),
        ];
        let table = terminal_table(&variants, &all);
        let line = |metric: &str| {
            table
                .lines()
                .find(|l| l.starts_with(metric))
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            line("formal_cost_eur").contains("8,195,268")
                && line("formal_cost_eur").contains("8,198,093 (+2,824~)"),
            "{table}"
        );
        assert!(
            line("unmet_share").contains("0.194 (-0.0000419~)"),
            "{table}"
        );
    }

    #[test]
    fn the_terminal_table_says_what_its_brackets_and_tilde_mean() {
        let variants = vec![
            ("base".to_string(), Scenario::default()),
            ("other".to_string(), Scenario::default()),
        ];
        let table = terminal_table(&variants, &[]);
        assert!(table.contains("~: its 95% interval includes 0"), "{table}");
        assert!(!terminal_table(&variants[..1], &[]).contains('~'));
    }

    #[test]
    fn the_totals_say_their_period_and_units() {
        // QA 24 §10.3: "unmet hours change -528", "extra intervention cost
        // 25000" said neither the unit nor the weeks they are totals over.
        let half = Scenario {
            weeks: 26,
            ..Scenario::default()
        };
        let variants = vec![
            ("base".to_string(), half.clone()),
            ("other".to_string(), half),
        ];
        let table = terminal_table(&variants, &[]);
        assert!(
            table.contains(
                "(hours, euros and burnouts: totals over the 26 reported weeks of each run)"
            ),
            "{table}"
        );
        let text = markdown(&variants, &[], &[], (2, &[]));
        assert!(
            text.contains("are totals over the 26 reported weeks of each run"),
            "{text}"
        );
        let costs = cost_markdown(&[], &[], ("base", &[26, 26]), (Lang::En, Numbers::Plain));
        assert!(
            costs.contains("Costs and hours are totals over the 26 reported weeks of each run"),
            "{costs}"
        );
        assert!(
            costs.contains(
                "| variant | extra intervention cost (€, 26 weeks) | unmet hours change (hours, 26 weeks) | formal cost change (€, 26 weeks) |"
            ),
            "{costs}"
        );
        let mixed = cost_markdown(&[], &[], ("base", &[52, 26]), (Lang::En, Numbers::Plain));
        assert!(
            mixed.contains("each variant's own reported weeks (26 to 52)")
                && mixed.contains("(€, own weeks)"),
            "{mixed}"
        );
    }

    #[test]
    fn the_headline_metrics_are_in_the_metric_table() {
        for column in HEADLINE_METRICS {
            assert!(carenet::metrics::find(column).is_some(), "{column}");
        }
    }
}
