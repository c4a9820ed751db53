//! Policy comparisons: variants of one area run with the same replicate seeds
//! (common random numbers), so that differences come from the policy and not from
//! luck. Differences from the base are estimated per replicate pair.

use super::comparison_text::Numbers;
use super::stats::Estimate;
use crate::lang::Lang;
use crate::metrics::Unit;
use crate::output::Row;

/// Metrics shown in the Markdown table and on the terminal (comparison.csv has
/// all). A policy that binds help to the neighbourhood shows in both directions:
/// where residents' help comes from (their neighbourhood, elsewhere in the area,
/// outside it) and what their help to parents outside the area comes to.
/// Formal hours come with their two parts that are not the district teams'
/// own: the Wlz's care at home and respite, which a lever can trade against
/// each other (respite spares partners, and the Wlz then gives less). Euros
/// as well as hours (session 28): formal care priced, the municipality's part
/// of it, and the levers' cost, each with its interval.
pub const HEADLINE_METRICS: [&str; 21] = [
    "unmet_share",
    "residents_with_unmet_need_share",
    "household_hours",
    "informal_hours",
    "formal_hours",
    "long_term_care_hours",
    "respite_hours",
    "within_neighbourhood_share",
    "cross_neighbourhood_share",
    "outside_share",
    "outbound_hours",
    "neighbour_hours",
    "volunteer_hours",
    "mean_strain",
    "burnouts",
    "intake_network_burdened_share",
    "mean_wait_weeks",
    "left_waiting_list",
    "formal_cost_eur",
    "formal_cost_wmo_eur",
    "intervention_cost_eur",
];

/// How many clear effects per variant the headlines name.
pub const HEADLINES_PER_VARIANT: usize = 2;

/// A metric of one variant against the base.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub metric: String,
    pub variant: String,
    pub value: Option<Estimate>,
    /// Variant minus base, paired by replicate.
    pub difference: Option<Estimate>,
}

impl Effect {
    /// The difference's 95% interval excludes zero.
    pub fn is_clear(&self) -> bool {
        self.difference
            .is_some_and(|d| d.above(0.0) || d.below(0.0))
    }
}

/// Summary rows of one variant, one per replicate, in replicate order.
pub struct Variant {
    pub name: String,
    pub rows: Vec<Row>,
}

fn values(rows: &[Row], metric: &str) -> Vec<Option<f64>> {
    rows.iter()
        .map(|r| r.get(metric).and_then(|v| v.parse::<f64>().ok()))
        .collect()
}

/// Every metric of every variant against `variants[0]`, the base.
pub fn effects(variants: &[Variant], metrics: &[String]) -> Vec<Effect> {
    let Some(base) = variants.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for metric in metrics {
        let base_values = values(&base.rows, metric);
        for variant in variants {
            let own = values(&variant.rows, metric);
            let present: Vec<f64> = own.iter().flatten().copied().collect();
            let paired: Vec<f64> = own
                .iter()
                .zip(&base_values)
                .filter_map(|(v, b)| Some((*v)? - (*b)?))
                .collect();
            out.push(Effect {
                metric: metric.clone(),
                variant: variant.name.clone(),
                value: Estimate::of(&present),
                difference: Estimate::of(&paired),
            });
        }
    }
    out
}

/// Plain-language lines for the clearest effects: per variant, the metrics among
/// `metrics` whose interval of difference excludes zero. The first of `metrics`
/// (the lead: compare's unmet share) comes first whenever its effect is clear,
/// as the one an analyst looks for; then the others, largest relative change
/// first; metrics that are 0 in the base (no relative change) after them,
/// largest change first. `numbers` says who reads them: a script
/// (comparison.md and the terminal name a metric by its column) or a person
/// (a report's page: its label, then its column).
pub fn headlines(
    effects: &[Effect],
    base: &str,
    metrics: &[&str],
    per_variant: usize,
    (lang, numbers): (Lang, Numbers),
) -> Vec<String> {
    let mut by_variant: Vec<(&str, Vec<&Effect>)> = Vec::new();
    for effect in effects
        .iter()
        .filter(|e| e.variant != base && e.is_clear() && metrics.contains(&e.metric.as_str()))
    {
        match by_variant.iter_mut().find(|(v, _)| *v == effect.variant) {
            Some((_, list)) => list.push(effect),
            None => by_variant.push((&effect.variant, vec![effect])),
        }
    }
    // The change relative to the base; none where the base is 0 (a metric the
    // variant's lever itself brings, such as an exchange's hours), which has
    // no relative change to weigh against the others and comes after them.
    let relative = |e: &Effect| {
        let base_mean = effects
            .iter()
            .find(|b| b.variant == base && b.metric == e.metric)
            .and_then(|b| b.value)
            .map_or(0.0, |v| v.mean.abs());
        let diff = e.difference.map_or(0.0, |d| d.mean.abs());
        (base_mean > 0.0).then(|| diff / base_mean)
    };
    let absolute = |e: &Effect| e.difference.map_or(0.0, |d| d.mean.abs());
    let mut lines = Vec::new();
    for (_, mut list) in by_variant {
        let lead = |e: &Effect| metrics.first().is_some_and(|m| e.metric == *m);
        list.sort_by(|a, b| {
            lead(b)
                .cmp(&lead(a))
                .then_with(|| match (relative(a), relative(b)) {
                    (Some(ra), Some(rb)) => rb.total_cmp(&ra),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => absolute(b).total_cmp(&absolute(a)),
                })
        });
        for effect in list.into_iter().take(per_variant) {
            lines.push(headline(effect, base, lang, numbers));
        }
    }
    lines
}

/// One clear effect in a sentence: in comparison.md's English with the
/// metric's column; for people (a report's page, and always in Dutch) with its
/// label and the column after it (QA 39: the English page said "lowers
/// unmet_share" where the Dutch one named "deel van de zorgvraag dat onvervuld
/// bleef").
fn headline(effect: &Effect, base: &str, lang: Lang, numbers: Numbers) -> String {
    let d = effect.difference.expect("clear effects have a difference");
    let (low, high) = d.ci95.expect("clear effects have an interval");
    let up = d.mean > 0.0;
    let (low, high) = if up { (low, high) } else { (-high, -low) };
    let amount = in_units(&effect.metric, lang);
    let (variant, metric) = (&effect.variant, &effect.metric);
    let (change, low, high) = (
        amount(d.mean.abs(), true),
        amount(low, false),
        amount(high, false),
    );
    let label = crate::metrics::find(metric).map_or(metric.as_str(), |m| lang.label(m));
    match (lang, numbers) {
        (Lang::En, Numbers::Plain) => {
            let direction = if up { "raises" } else { "lowers" };
            format!(
                "{variant} {direction} {metric} by {change} (95% interval {low} to {high}) compared with {base}."
            )
        }
        (Lang::En, Numbers::Grouped) => {
            let direction = if up { "higher" } else { "lower" };
            format!(
                "{variant}: {label} ({metric}) {change} {direction} than with {base} (95% interval {low} to {high})."
            )
        }
        (Lang::Nl, _) => {
            let direction = if up { "meer" } else { "minder" };
            format!(
                "{variant}: {label} ({metric}) {change} {direction} dan bij {base} (95%-interval {low} tot {high})."
            )
        }
    }
}

/// A difference of `metric` as the headlines say it: a share's in percentage
/// points (as the charts give it), euros with the sign, other metrics as
/// numbers; the unit named once, after the difference (`with_unit`).
fn in_units(metric: &str, lang: Lang) -> impl Fn(f64, bool) -> String {
    let unit = crate::metrics::find(metric).map(|m| m.unit);
    let points = lang.pick("percentage points", "procentpunt");
    move |value, with_unit| match unit {
        Some(Unit::Share) if with_unit => format!("{} {points}", readable(value * 100.0, lang)),
        Some(Unit::Share) => readable(value * 100.0, lang),
        Some(Unit::Euro) => format!("€ {}", readable(value, lang)),
        _ => readable(value, lang),
    }
}

/// Per variant, what its levers buy: the change from the base in unmet hours and
/// in formal cost, in all and per € 1,000 of intervention cost, each paired by
/// replicate (docs/ODD.md §9.12).
#[derive(Debug, Clone, PartialEq)]
pub struct CostEffect {
    pub variant: String,
    /// The variant's intervention cost less the base's, € (mean over replicates).
    pub extra_intervention_cost: Option<f64>,
    pub unmet_hours_change: Option<Estimate>,
    pub formal_cost_change: Option<Estimate>,
    /// `None` where the variant's levers cost no more than the base's.
    pub unmet_hours_per_1000_eur: Option<Estimate>,
    pub formal_cost_per_1000_eur: Option<Estimate>,
    /// The change in formal cost by who pays it: the municipality (Wmo), the
    /// health insurers (Zvw), the Wlz.
    pub by_payer: ByPayer<Option<Estimate>>,
    /// The change in what the municipality pays: its formal care (Wmo) and
    /// the levers.
    pub municipal_cost_change: Option<Estimate>,
}

/// Something for each payer of formal care (docs/ODD.md §9.12).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ByPayer<T> {
    pub wmo: T,
    pub zvw: T,
    pub wlz: T,
}

/// The summary columns of formal cost by payer, in the order of [`ByPayer`]'s
/// fields, with the payer's name for people in English and in Dutch.
pub const PAYER_COSTS: [(&str, &str, &str); 3] = [
    (
        "formal_cost_wmo_eur",
        "the municipality (Wmo)",
        "de gemeente (Wmo)",
    ),
    (
        "formal_cost_zvw_eur",
        "the health insurers (Zvw)",
        "de zorgverzekeraars (Zvw)",
    ),
    ("formal_cost_wlz_eur", "the Wlz", "de Wlz"),
];

/// Summary columns the cost-effectiveness table reads.
pub const UNMET_HOURS: &str = "unmet_hours";
pub const FORMAL_COST: &str = "formal_cost_eur";
pub const INTERVENTION_COST: &str = "intervention_cost_eur";

/// The cost-effectiveness of every variant but the base, `variants[0]`.
pub fn cost_effectiveness(variants: &[Variant]) -> Vec<CostEffect> {
    let Some(base) = variants.first() else {
        return Vec::new();
    };
    let paired = |variant: &Variant, metric: &str| -> Vec<Option<f64>> {
        values(&variant.rows, metric)
            .iter()
            .zip(values(&base.rows, metric))
            .map(|(v, b)| Some((*v)? - b?))
            .collect()
    };
    variants[1..]
        .iter()
        .map(|variant| {
            let extra = paired(variant, INTERVENTION_COST);
            let unmet = paired(variant, UNMET_HOURS);
            let formal = paired(variant, FORMAL_COST);
            // Per replicate: the change per € 1,000 of that replicate's extra cost.
            let per_1000 = |change: &[Option<f64>]| -> Option<Estimate> {
                let ratios: Vec<f64> = change
                    .iter()
                    .zip(&extra)
                    .filter_map(|(c, e)| Some(((*c)?, (*e)?)))
                    .filter(|(_, e)| *e > 0.0)
                    .map(|(c, e)| c / (e / 1000.0))
                    .collect();
                if ratios.len() < extra.iter().flatten().count() {
                    return None;
                }
                Estimate::of(&ratios)
            };
            let present =
                |v: &[Option<f64>]| Estimate::of(&v.iter().flatten().copied().collect::<Vec<_>>());
            let [wmo, zvw, wlz] = PAYER_COSTS.map(|(column, _, _)| paired(variant, column));
            let municipal: Vec<Option<f64>> = wmo
                .iter()
                .zip(&extra)
                .map(|(w, e)| Some((*w)? + (*e)?))
                .collect();
            CostEffect {
                variant: variant.name.clone(),
                extra_intervention_cost: present(&extra).map(|e| e.mean),
                unmet_hours_change: present(&unmet),
                formal_cost_change: present(&formal),
                unmet_hours_per_1000_eur: per_1000(&unmet),
                formal_cost_per_1000_eur: per_1000(&formal),
                by_payer: ByPayer {
                    wmo: present(&wmo),
                    zvw: present(&zvw),
                    wlz: present(&wlz),
                },
                municipal_cost_change: present(&municipal),
            }
        })
        .collect()
}

/// The period a comparison's totals of hours, counts and euros cover, as a
/// phrase ("the 52 reported weeks (a year)"), from the reported weeks of its
/// runs; where the variants report different weeks, "each variant's own
/// reported weeks (26 to 52)".
pub fn period(weeks: &[u32], lang: Lang) -> String {
    let (Some(&least), Some(&most)) = (weeks.iter().min(), weeks.iter().max()) else {
        return lang
            .pick("the reported weeks", "de gerapporteerde weken")
            .into();
    };
    if least != most {
        return match lang {
            Lang::En => format!("each variant's own reported weeks ({least} to {most})"),
            Lang::Nl => {
                format!("de eigen gerapporteerde weken van elke variant ({least} tot {most})")
            }
        };
    }
    let years = match least {
        52 => lang.pick(" (a year)", " (een jaar)").to_string(),
        n if n > 0 && n % 52 == 0 => format!(" ({} {})", n / 52, lang.pick("years", "jaar")),
        _ => String::new(),
    };
    match lang {
        Lang::En => {
            let noun = if least == 1 { "week" } else { "weeks" };
            format!("the {least} reported {noun}{years}")
        }
        Lang::Nl => {
            let noun = if least == 1 { "week" } else { "weken" };
            format!("de {least} gerapporteerde {noun}{years}")
        }
    }
}

/// Plain-language lines on what each variant's levers buy; `period` is what
/// their totals cover ([`period`]).
pub fn cost_lines(table: &[CostEffect], base: &str, period: &str, lang: Lang) -> Vec<String> {
    table
        .iter()
        .map(|c| cost_line(c, base, period, lang))
        .collect()
}

fn cost_line(c: &CostEffect, base: &str, period: &str, lang: Lang) -> String {
    cost_effect_line(c, base, period, lang) + &payer_sentence(c, lang)
}

/// Who pays the change in formal care, and what the municipality pays in all
/// (its formal care and the levers) per unmet hour avoided; empty where the
/// comparison has no split by payer.
fn payer_sentence(c: &CostEffect, lang: Lang) -> String {
    let ByPayer { wmo, zvw, wlz } = c.by_payer;
    let (Some(wmo), Some(zvw), Some(wlz)) = (wmo, zvw, wlz) else {
        return String::new();
    };
    let payer = |i: usize| lang.pick(PAYER_COSTS[i].1, PAYER_COSTS[i].2);
    let [wmo, zvw, wlz] =
        [(wmo, 0), (zvw, 1), (wlz, 2)].map(|(e, i)| change_for(e, payer(i), lang));
    let mut text = match lang {
        Lang::En => format!(" Formal care changes by {wmo}, {zvw} and {wlz}"),
        Lang::Nl => format!(" De kosten van formele zorg veranderen met {wmo}, {zvw} en {wlz}"),
    };
    if let Some(municipal) = c.municipal_cost_change {
        text += lang.pick(
            "; the municipality's cost (its Wmo care and the levers) changes by € ",
            "; de kosten van de gemeente (haar Wmo-zorg en de interventies) veranderen met € ",
        );
        text += &change_with_interval(municipal, "", lang);
        if let Some(eur) = per_unmet_hour_avoided(c, municipal) {
            text += &format!(
                ": € {} {}{}",
                readable(eur, lang),
                lang.pick("per unmet hour avoided", "per vermeden onvervuld uur"),
                unclear_fall_caution(c, lang)
            );
        }
    }
    text.push('.');
    text
}

/// A cost's mean change over the mean unmet hours the variant avoided, where
/// it avoided some at an extra cost.
fn per_unmet_hour_avoided(c: &CostEffect, cost: Estimate) -> Option<f64> {
    let avoided = -c.unmet_hours_change?.mean;
    (avoided > 0.0 && cost.mean > 0.0).then(|| cost.mean / avoided)
}

/// Said after a cost per unmet hour avoided where the fall in unmet hours is
/// not clear (its 95% interval includes no change): the figure divides by a
/// fall that may be chance, and read alone it looked like a price (QA 35:
/// "€ 232 per unmet hour avoided" of a fall of 4.3 h, interval -8.7 to +0.06).
fn unclear_fall_caution(c: &CostEffect, lang: Lang) -> &'static str {
    let unclear = c
        .unmet_hours_change
        .and_then(|e| e.ci95)
        .is_some_and(|(low, high)| low <= 0.0 && high >= 0.0);
    if !unclear {
        return "";
    }
    lang.pick(
        ", but the fall in unmet hours is no clear change (its 95% interval includes zero), \
         so neither is this figure",
        ", maar de daling van de onvervulde uren is geen duidelijke verandering (het \
         95%-interval omvat nul), dus dit bedrag ook niet",
    )
}

fn cost_effect_line(c: &CostEffect, base: &str, period: &str, lang: Lang) -> String {
    let variant = &c.variant;
    let (Some(extra), Some(unmet), Some(formal)) = (
        c.extra_intervention_cost,
        c.unmet_hours_per_1000_eur,
        c.formal_cost_per_1000_eur,
    ) else {
        let mut line = no_cost_per_1000_line(c, base, period, lang);
        // Levers priced through the formal hours (more team hours, respite)
        // show their cost there.
        if let Some(formal) = c.formal_cost_change.filter(|f| f.mean != 0.0) {
            line += lang.pick(
                " and its formal care costs by € ",
                " en de kosten van formele zorg met € ",
            );
            line += &change_with_interval(formal, "", lang);
            if let Some(eur) = per_unmet_hour_avoided(c, formal) {
                line += &format!(
                    ": € {} {}{}",
                    readable(eur, lang),
                    lang.pick(
                        "of formal care per unmet hour avoided",
                        "aan formele zorg per vermeden onvervuld uur"
                    ),
                    unclear_fall_caution(c, lang)
                );
            }
        }
        line.push('.');
        return line;
    };
    let (extra, unmet, formal) = (
        readable(extra, lang),
        change_with_interval(unmet, lang.pick("h", "uur"), lang),
        change_with_interval(formal, "", lang),
    );
    match lang {
        Lang::En => format!(
            "{variant} spends € {extra} more on interventions than {base} over {period}. Per € 1,000 of that, unmet hours change by {unmet} and formal care costs change by € {formal}."
        ),
        Lang::Nl => format!(
            "{variant} geeft over {period} € {extra} meer uit aan interventies dan {base}. Per € 1.000 daarvan veranderen de onvervulde uren met {unmet} en de kosten van formele zorg met € {formal}."
        ),
    }
}

/// The first clause of a cost line where no change per € 1,000 of extra
/// intervention cost can be given: a variant that spends less than the base
/// (what its savings cost in unmet hours), or no more.
fn no_cost_per_1000_line(c: &CostEffect, base: &str, period: &str, lang: Lang) -> String {
    let variant = &c.variant;
    let unmet = c
        .unmet_hours_change
        .map_or_else(|| lang.no_figure().into(), |u| signed(u.mean, lang));
    match (c.extra_intervention_cost, c.unmet_hours_change) {
        (Some(extra), Some(change)) if extra < 0.0 => {
            let (saved, per_1000) = (
                readable(-extra, lang),
                signed(change.mean / (-extra / 1000.0), lang),
            );
            match lang {
                Lang::En => format!(
                    "{variant} spends € {saved} less on interventions than {base} over {period}; its unmet hours change by {unmet} in all, {per_1000} per € 1,000 saved"
                ),
                Lang::Nl => format!(
                    "{variant} geeft over {period} € {saved} minder uit aan interventies dan {base}; de onvervulde uren veranderen met {unmet} in totaal, {per_1000} per bespaarde € 1.000"
                ),
            }
        }
        _ => match lang {
            Lang::En => format!(
                "{variant} costs no more in interventions than {base}, so there is no change per € 1,000 to report; over {period} its unmet hours change by {unmet} in all"
            ),
            Lang::Nl => format!(
                "{variant} kost niet meer aan interventies dan {base}, dus er is geen verandering per € 1.000; over {period} veranderen de onvervulde uren met {unmet} in totaal"
            ),
        },
    }
}

fn signed(value: f64, lang: Lang) -> String {
    if value >= 0.0 {
        format!("+{}", readable(value, lang))
    } else {
        format!("-{}", readable(-value, lang))
    }
}

/// "(95% interval +33,522 to +52,811)", with `verdict` inside the bracket
/// where the interval includes zero (", no clear change"), so that the verdict
/// stays with its figure; empty without an interval.
fn interval_of(e: Estimate, lang: Lang, verdict_inside: bool) -> String {
    let Some((low, high)) = e.ci95 else {
        return String::new();
    };
    let no_change = if low <= 0.0 && high >= 0.0 {
        lang.pick(", no clear change", ", geen duidelijke verandering")
    } else {
        ""
    };
    let (low, high) = (signed(low, lang), signed(high, lang));
    let (inside, after) = if verdict_inside {
        (no_change, "")
    } else {
        ("", no_change)
    };
    match lang {
        Lang::En => format!(" (95% interval {low} to {high}{inside}){after}"),
        Lang::Nl => format!(" (95%-interval {low} tot {high}{inside}){after}"),
    }
}

/// "€ +43,167 for the municipality (Wmo) (95% interval +33,522 to +52,811)",
/// with ", no clear change" inside the bracket where the interval includes
/// zero, so that the verdict stays with its payer.
fn change_for(e: Estimate, payer: &str, lang: Lang) -> String {
    let word = lang.pick("for", "voor");
    format!(
        "€ {} {word} {payer}{}",
        signed(e.mean, lang),
        interval_of(e, lang, true)
    )
}

/// [`human`] for a sentence: its whole part grouped in thousands ("201,379",
/// "9,800"), as the analyst reads it in comparison.md; in Dutch with the
/// separators swapped ("201.379").
/// Tables keep [`human`]'s plain digits, which spreadsheets read as numbers.
pub fn readable(value: f64, lang: Lang) -> String {
    let plain = human(value);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (rest, None),
    };
    if whole.len() < 4 || !whole.chars().all(|c| c.is_ascii_digit()) {
        return lang.number(&plain);
    }
    let grouped = crate::metrics::grouped(whole);
    lang.number(&match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    })
}

/// "−12 h (95% interval −20 to −4)", or "… : no clear change" where the interval
/// includes zero.
fn change_with_interval(e: Estimate, unit: &str, lang: Lang) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    format!(
        "{}{unit}{}",
        signed(e.mean, lang),
        interval_of(e, lang, false)
    )
}

/// A number rounded for people: three significant digits.
pub fn human(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let digits = (2 - crate::math::log10(value.abs()).floor() as i32).max(0) as usize;
    format!("{value:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(metric: &str, values: &[f64]) -> Vec<Row> {
        values
            .iter()
            .map(|v| Row(vec![(metric.to_string(), v.to_string())]))
            .collect()
    }

    /// A variant whose replicates give two metrics, `a.0` and `b.0`, the
    /// values of `a.1` and `b.1` side by side.
    fn two_metrics(name: &str, a: (&str, &[f64]), b: (&str, &[f64])) -> Variant {
        Variant {
            name: name.into(),
            rows: a
                .1
                .iter()
                .zip(b.1)
                .map(|(x, y)| {
                    Row(vec![
                        (a.0.into(), x.to_string()),
                        (b.0.into(), y.to_string()),
                    ])
                })
                .collect(),
        }
    }

    #[test]
    fn paired_differences_see_through_shared_noise() {
        // The replicates differ a lot, the policy shifts each by exactly 1.
        let base = Variant {
            name: "base".into(),
            rows: rows("unmet", &[10.0, 20.0, 30.0, 40.0]),
        };
        let policy = Variant {
            name: "policy".into(),
            rows: rows("unmet", &[11.0, 21.0, 31.0, 41.1]),
        };
        let effects = effects(&[base, policy], &["unmet".to_string()]);
        let e = &effects[1];
        let d = e.difference.expect("paired");
        assert!((d.mean - 1.025).abs() < 1e-9);
        assert!(
            e.is_clear(),
            "unpaired intervals would overlap; paired must not"
        );
        let v = e.value.expect("values");
        assert!(v.ci95.expect("interval").0 < 20.0);
        assert!(
            !effects[0].is_clear(),
            "the base does not differ from itself"
        );
        let lines = headlines(&effects, "base", &["unmet"], 3, (Lang::En, Numbers::Plain));
        assert!(headlines(&effects, "base", &["other"], 3, (Lang::En, Numbers::Plain)).is_empty());
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("policy raises unmet by 1.03"),
            "{}",
            lines[0]
        );
    }

    /// QA 30: a share's difference was written as a fraction ("lowers
    /// unmet_share by 0.00106") where the charts give percentage points.
    #[test]
    fn headlines_give_shares_in_percentage_points_and_costs_in_euros() {
        let variant = |name: &str, share: &[f64], cost: &[f64]| {
            two_metrics(name, ("unmet_share", share), ("formal_cost_eur", cost))
        };
        let base = variant("base", &[0.20, 0.22, 0.24], &[1000.0, 2000.0, 3000.0]);
        let policy = variant("policy", &[0.19, 0.205, 0.23], &[3500.0, 4500.0, 5600.0]);
        let metrics = ["unmet_share".to_string(), "formal_cost_eur".to_string()];
        let effects = effects(&[base, policy], &metrics);
        let lines = headlines(
            &effects,
            "base",
            &["unmet_share", "formal_cost_eur"],
            2,
            (Lang::En, Numbers::Plain),
        );
        assert!(
            lines[0]
                .starts_with("policy lowers unmet_share by 1.17 percentage points (95% interval "),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("policy raises formal_cost_eur by € 2,533 (95% interval € "),
            "{}",
            lines[1]
        );
        // In Dutch (the report's), the same effects in the same order, with
        // the metric's label and Dutch numbers.
        let dutch = headlines(
            &effects,
            "base",
            &["unmet_share", "formal_cost_eur"],
            2,
            (Lang::Nl, Numbers::Grouped),
        );
        assert!(
            dutch[0].starts_with("policy: deel van de zorgvraag dat onvervuld bleef (unmet_share) 1,17 procentpunt minder dan bij base (95%-interval "),
            "{}",
            dutch[0]
        );
        assert!(
            dutch[1].starts_with("policy: kosten van formele zorg, euro (formal_cost_eur) € 2.533 meer dan bij base (95%-interval € "),
            "{}",
            dutch[1]
        );
        // QA 39: on an English page, for people, the metric is named in words
        // as on the Dutch one, its column after it (comparison.md and the
        // terminal keep the column alone).
        let page = headlines(
            &effects,
            "base",
            &["unmet_share", "formal_cost_eur"],
            2,
            (Lang::En, Numbers::Grouped),
        );
        assert!(
            page[0].starts_with("policy: share of need left unmet (unmet_share) 1.17 percentage points lower than with base (95% interval "),
            "{}",
            page[0]
        );
        assert!(
            page[1].starts_with("policy: cost of formal care, euros (formal_cost_eur) € 2,533 higher than with base (95% interval € "),
            "{}",
            page[1]
        );
    }

    #[test]
    fn a_metric_that_is_zero_in_the_base_does_not_crowd_out_relative_changes() {
        let variant = |name: &str, unmet: &[f64], exchange: &[f64]| {
            two_metrics(name, ("unmet", unmet), ("exchange_hours", exchange))
        };
        let base = variant("base", &[0.30, 0.28, 0.29], &[0.0, 0.0, 0.0]);
        let policy = variant("policy", &[0.28, 0.26, 0.27], &[6800.0, 6900.0, 6850.0]);
        let metrics = ["unmet".to_string(), "exchange_hours".to_string()];
        let effects = effects(&[base, policy], &metrics);
        let lines = headlines(
            &effects,
            "base",
            &["unmet", "exchange_hours"],
            1,
            (Lang::En, Numbers::Plain),
        );
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("policy lowers unmet"), "{}", lines[0]);
        let both = headlines(
            &effects,
            "base",
            &["unmet", "exchange_hours"],
            2,
            (Lang::En, Numbers::Plain),
        );
        assert!(
            both[1].starts_with("policy raises exchange_hours"),
            "{}",
            both[1]
        );
    }

    #[test]
    fn the_lead_metric_is_stated_first_when_clear_however_small_its_relative_change() {
        // QA 24: the help exchange's clear fall of the unmet share was left out
        // of the two lines, behind larger relative changes of other metrics.
        let variant = |name: &str, rows: &[(f64, f64, f64)]| Variant {
            name: name.into(),
            rows: rows
                .iter()
                .map(|(u, c, i)| {
                    Row(vec![
                        ("unmet".into(), u.to_string()),
                        ("cross".into(), c.to_string()),
                        ("informal".into(), i.to_string()),
                    ])
                })
                .collect(),
        };
        let base = variant(
            "base",
            &[
                (0.300, 0.10, 100.0),
                (0.302, 0.11, 101.0),
                (0.301, 0.10, 99.0),
            ],
        );
        let policy = variant(
            "policy",
            &[
                (0.290, 0.20, 150.0),
                (0.291, 0.21, 152.0),
                (0.289, 0.20, 149.0),
            ],
        );
        let metrics = [
            "unmet".to_string(),
            "cross".to_string(),
            "informal".to_string(),
        ];
        let effects = effects(&[base, policy], &metrics);
        let lines = headlines(
            &effects,
            "base",
            &["unmet", "cross", "informal"],
            2,
            (Lang::En, Numbers::Plain),
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("policy lowers unmet"), "{lines:?}");
        assert!(lines[1].starts_with("policy raises cross"), "{lines:?}");
    }

    fn run(unmet: f64, formal: f64, intervention: f64) -> Row {
        Row(vec![
            (UNMET_HOURS.into(), unmet.to_string()),
            (FORMAL_COST.into(), formal.to_string()),
            (INTERVENTION_COST.into(), intervention.to_string()),
        ])
    }

    #[test]
    fn cost_effectiveness_is_paired_by_replicate_per_1000_eur() {
        let base = Variant {
            name: "base".into(),
            rows: vec![
                run(1000.0, 50_000.0, 0.0),
                run(1200.0, 60_000.0, 0.0),
                run(800.0, 40_000.0, 0.0),
            ],
        };
        // € 20,000 of levers: unmet falls by 100, 140 and 60 h; formal cost by
        // € 2,000, 3,000 and 1,000.
        let exchange = Variant {
            name: "exchange".into(),
            rows: vec![
                run(900.0, 48_000.0, 20_000.0),
                run(1060.0, 57_000.0, 20_000.0),
                run(740.0, 39_000.0, 20_000.0),
            ],
        };
        let free = Variant {
            name: "network-first".into(),
            rows: vec![
                run(1010.0, 49_000.0, 0.0),
                run(1190.0, 59_000.0, 0.0),
                run(820.0, 41_000.0, 0.0),
            ],
        };
        let table = cost_effectiveness(&[base, exchange, free]);
        assert_eq!(table.len(), 2);
        let c = &table[0];
        assert_eq!(c.extra_intervention_cost, Some(20_000.0));
        // Per € 1,000: -5, -7, -3 h (mean -5, sd 2); -100, -150, -50 € (mean -100, sd 50).
        let unmet = c.unmet_hours_per_1000_eur.expect("priced");
        assert!((unmet.mean + 5.0).abs() < 1e-12);
        let half = 4.302_653 * 2.0 / 3.0_f64.sqrt();
        let (low, high) = unmet.ci95.expect("interval");
        assert!((low - (-5.0 - half)).abs() < 1e-5 && (high - (-5.0 + half)).abs() < 1e-5);
        let formal = c.formal_cost_per_1000_eur.expect("priced");
        assert!((formal.mean + 100.0).abs() < 1e-9);
        assert!((formal.sd.expect("sd") - 50.0).abs() < 1e-9);
        assert!((c.unmet_hours_change.expect("change").mean + 100.0).abs() < 1e-9);
        // A variant whose levers cost nothing extra has no ratio.
        assert_eq!(table[1].unmet_hours_per_1000_eur, None);
        let lines = cost_lines(&table, "base", "the 52 reported weeks (a year)", Lang::En);
        assert!(
            lines[0].starts_with("exchange spends € 20,000 more on interventions than base over the 52 reported weeks (a year). Per € 1,000 of that, unmet hours change by -5.00 h (95% interval"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].contains("costs no more in interventions"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn a_cheaper_variant_says_what_its_savings_cost_in_unmet_hours() {
        // QA 24: a variant € 35,000 cheaper than the base was said to cost
        // "no more", with no figure per € 1,000.
        let cheaper = CostEffect {
            variant: "none".into(),
            extra_intervention_cost: Some(-35_000.0),
            unmet_hours_change: Estimate::of(&[520.0, 528.0, 536.0]),
            formal_cost_change: None,
            unmet_hours_per_1000_eur: None,
            formal_cost_per_1000_eur: None,
            by_payer: ByPayer::default(),
            municipal_cost_change: None,
        };
        let line = cost_line(
            &cheaper,
            "exchange",
            "the 52 reported weeks (a year)",
            Lang::En,
        );
        assert!(
            line.starts_with("none spends € 35,000 less on interventions than exchange over the 52 reported weeks (a year); its unmet hours change by +528 in all, +15.1 per € 1,000 saved"),
            "{line}"
        );
    }

    #[test]
    fn a_lever_priced_through_formal_hours_shows_its_formal_cost() {
        let estimate = |mean: f64| Estimate::of(&[mean - 1.0, mean, mean + 1.0]);
        let respite = CostEffect {
            variant: "respite".into(),
            extra_intervention_cost: Some(0.0),
            unmet_hours_change: estimate(-100.0),
            formal_cost_change: estimate(5_000.0),
            unmet_hours_per_1000_eur: None,
            formal_cost_per_1000_eur: None,
            by_payer: ByPayer::default(),
            municipal_cost_change: None,
        };
        let line = cost_line(&respite, "base", "the 26 reported weeks", Lang::En);
        assert!(
            line.contains("over the 26 reported weeks its unmet hours change by -100 in all"),
            "{line}"
        );
        assert!(line.contains("its formal care costs by € +5,000"), "{line}");
        assert!(
            line.ends_with("€ 50.0 of formal care per unmet hour avoided."),
            "{line}"
        );
    }

    #[test]
    fn a_cost_per_unmet_hour_avoided_of_an_unclear_fall_says_so() {
        let respite = |unmet: Option<Estimate>| CostEffect {
            variant: "respite".into(),
            extra_intervention_cost: Some(0.0),
            unmet_hours_change: unmet,
            formal_cost_change: Estimate::of(&[4_000.0, 5_000.0, 6_000.0]),
            unmet_hours_per_1000_eur: None,
            formal_cost_per_1000_eur: None,
            by_payer: ByPayer::default(),
            municipal_cost_change: None,
        };
        let unclear = respite(Estimate::of(&[-300.0, -100.0, 100.0]));
        let line = cost_line(&unclear, "base", "the 52 reported weeks", Lang::En);
        assert!(
            line.ends_with(
                "€ 50.0 of formal care per unmet hour avoided, but the fall in unmet hours is no \
                 clear change (its 95% interval includes zero), so neither is this figure."
            ),
            "{line}"
        );
        let dutch = cost_line(&unclear, "base", "de 52 gerapporteerde weken", Lang::Nl);
        assert!(dutch.contains("dus dit bedrag ook niet."), "{dutch}");
        let clear = respite(Estimate::of(&[-101.0, -100.0, -99.0]));
        let line = cost_line(&clear, "base", "the 52 reported weeks", Lang::En);
        assert!(
            line.ends_with("€ 50.0 of formal care per unmet hour avoided."),
            "{line}"
        );
    }

    #[test]
    fn the_formal_cost_is_split_by_who_pays_it() {
        // QA 26: "€ 54.5 of formal care per unmet hour avoided" netted the
        // Wlz's saving against the municipality's respite.
        let run = |unmet: f64, wmo: f64, zvw: f64, wlz: f64| {
            Row(vec![
                ("unmet_hours".into(), unmet.to_string()),
                ("formal_cost_eur".into(), (wmo + zvw + wlz).to_string()),
                ("intervention_cost_eur".into(), "0".into()),
                ("formal_cost_wmo_eur".into(), wmo.to_string()),
                ("formal_cost_zvw_eur".into(), zvw.to_string()),
                ("formal_cost_wlz_eur".into(), wlz.to_string()),
            ])
        };
        let base = Variant {
            name: "base".into(),
            rows: vec![
                run(1000.0, 10_000.0, 5_000.0, 20_000.0),
                run(1100.0, 11_000.0, 5_000.0, 21_000.0),
                run(900.0, 9_000.0, 5_000.0, 19_000.0),
            ],
        };
        // Respite: +6,000, +6,200, +5,800 for the Wmo; -2,000 for the Wlz.
        let respite = Variant {
            name: "respite".into(),
            rows: vec![
                run(900.0, 16_000.0, 5_000.0, 18_000.0),
                run(1000.0, 17_200.0, 5_000.0, 19_000.0),
                run(800.0, 14_800.0, 5_000.0, 17_000.0),
            ],
        };
        let table = cost_effectiveness(&[base, respite]);
        let c = &table[0];
        assert_eq!(c.formal_cost_change.map(|e| e.mean), Some(4_000.0));
        assert_eq!(c.by_payer.wmo.map(|e| e.mean), Some(6_000.0));
        assert_eq!(c.by_payer.zvw.map(|e| e.mean), Some(0.0));
        assert_eq!(c.by_payer.wlz.map(|e| e.mean), Some(-2_000.0));
        assert_eq!(c.municipal_cost_change.map(|e| e.mean), Some(6_000.0));
        let line = cost_line(c, "base", "the 52 reported weeks (a year)", Lang::En);
        assert!(
            line.contains("€ 40.0 of formal care per unmet hour avoided"),
            "{line}"
        );
        assert!(
            line.contains(
                "Formal care changes by € +6,000 for the municipality (Wmo) (95% interval"
            ),
            "{line}"
        );
        // The verdict stays with its payer (session 28: the sentence of a real
        // comparison: "…, no clear change for the health insurers" read as if
        // the insurers had none where the Wmo's had one).
        assert!(
            line.contains("), € +0 for the health insurers (Zvw) (95% interval +0 to +0, no clear change) and € -2,000 for the Wlz (95% interval -2,000 to -2,000)"),
            "{line}"
        );
        assert!(
            line.ends_with("the municipality's cost (its Wmo care and the levers) changes by € +6,000 (95% interval +5,503 to +6,497): € 60.0 per unmet hour avoided."),
            "{line}"
        );
        // The same in Dutch, for the report (QA 30: a Dutch report showed
        // comparison.md's English sentences).
        let line = cost_line(c, "base", "de 52 gerapporteerde weken (een jaar)", Lang::Nl);
        assert!(
            line.starts_with("respite kost niet meer aan interventies dan base, dus er is geen verandering per € 1.000; over de 52 gerapporteerde weken (een jaar) veranderen de onvervulde uren met -100 in totaal en de kosten van formele zorg met € +4.000 (95%-interval"),
            "{line}"
        );
        assert!(
            line.contains("€ 40,0 aan formele zorg per vermeden onvervuld uur"),
            "{line}"
        );
        assert!(
            line.contains("), € +0 voor de zorgverzekeraars (Zvw) (95%-interval +0 tot +0, geen duidelijke verandering) en € -2.000 voor de Wlz (95%-interval -2.000 tot -2.000)"),
            "{line}"
        );
        assert!(
            line.ends_with("de kosten van de gemeente (haar Wmo-zorg en de interventies) veranderen met € +6.000 (95%-interval +5.503 tot +6.497): € 60,0 per vermeden onvervuld uur."),
            "{line}"
        );
    }

    #[test]
    fn the_period_of_the_totals_is_said_in_weeks_and_years() {
        // QA 24 §10.3: "unmet hours change -528" said not over what.
        assert_eq!(
            period(&[52, 52], Lang::En),
            "the 52 reported weeks (a year)"
        );
        assert_eq!(period(&[104], Lang::En), "the 104 reported weeks (2 years)");
        assert_eq!(period(&[26, 26, 26], Lang::En), "the 26 reported weeks");
        assert_eq!(period(&[1], Lang::En), "the 1 reported week");
        assert_eq!(
            period(&[52, 26], Lang::En),
            "each variant's own reported weeks (26 to 52)"
        );
        assert_eq!(period(&[], Lang::En), "the reported weeks");
        assert_eq!(
            period(&[104], Lang::Nl),
            "de 104 gerapporteerde weken (2 jaar)"
        );
        assert_eq!(period(&[1], Lang::Nl), "de 1 gerapporteerde week");
        assert_eq!(
            period(&[52, 26], Lang::Nl),
            "de eigen gerapporteerde weken van elke variant (26 tot 52)"
        );
    }

    #[test]
    fn human_rounding() {
        assert_eq!(human(0.012345), "0.0123");
        assert_eq!(human(1234.5), "1234");
        assert_eq!(human(201379.4), "201379");
        assert_eq!(readable(201379.4, Lang::En), "201,379");
        assert_eq!(readable(-1234567.0, Lang::En), "-1,234,567");
        assert_eq!(readable(1234.5, Lang::En), "1,234");
        assert_eq!(readable(385.0, Lang::En), "385");
        assert_eq!(readable(0.012345, Lang::En), "0.0123");
        assert_eq!(readable(-1234567.0, Lang::Nl), "-1.234.567");
        assert_eq!(readable(0.012345, Lang::Nl), "0,0123");
        assert_eq!(human(4.56789), "4.57");
    }
}
