//! Policy comparisons: variants of one area run with the same replicate seeds
//! (common random numbers), so that differences come from the policy and not from
//! luck. Differences from the base are estimated per replicate pair.

use super::stats::Estimate;
use crate::output::Row;

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
/// `metrics` whose interval of difference excludes zero, largest relative change
/// first.
pub fn headlines(
    effects: &[Effect],
    base: &str,
    metrics: &[&str],
    per_variant: usize,
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
    let relative = |e: &Effect| {
        let base_mean = effects
            .iter()
            .find(|b| b.variant == base && b.metric == e.metric)
            .and_then(|b| b.value)
            .map_or(0.0, |v| v.mean.abs());
        let diff = e.difference.map_or(0.0, |d| d.mean.abs());
        if base_mean > 0.0 {
            diff / base_mean
        } else {
            diff
        }
    };
    let mut lines = Vec::new();
    for (variant, mut list) in by_variant {
        list.sort_by(|a, b| relative(b).total_cmp(&relative(a)));
        for effect in list.into_iter().take(per_variant) {
            let d = effect.difference.expect("clear effects have a difference");
            let (low, high) = d.ci95.expect("clear effects have an interval");
            let (direction, low, high) = if d.mean > 0.0 {
                ("raises", low, high)
            } else {
                ("lowers", -high, -low)
            };
            lines.push(format!(
                "{variant} {direction} {} by {} (95% interval {} to {}) compared with {base}.",
                effect.metric,
                human(d.mean.abs()),
                human(low),
                human(high)
            ));
        }
    }
    lines
}

/// A number rounded for people: three significant digits.
pub fn human(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let digits = (2 - value.abs().log10().floor() as i32).max(0) as usize;
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
        let lines = headlines(&effects, "base", &["unmet"], 3);
        assert!(headlines(&effects, "base", &["other"], 3).is_empty());
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("policy raises unmet by 1.03"),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn human_rounding() {
        assert_eq!(human(0.012345), "0.0123");
        assert_eq!(human(1234.5), "1234");
        assert_eq!(human(4.56789), "4.57");
    }
}
