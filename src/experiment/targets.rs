//! The Dutch figures of docs/ODD.md §1.3 as ranges over `summary.csv` columns, and a
//! score of how far a run's metrics lie outside them.

/// One calibration target: a `summary.csv` column and its range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub column: &'static str,
    pub low: f64,
    pub high: f64,
    pub source: &'static str,
    /// The same in Dutch, for reports in Dutch.
    pub source_nl: &'static str,
}

/// The Dutch figures of docs/ODD.md §1.3, as far as the model computes them.
pub const TARGETS: [Target; 15] = [
    Target {
        column: "carers_cbs_share",
        low: 0.12,
        high: 0.14,
        source: "CBS Gezondheidsmonitor 2022; CBS 2021-2024",
        source_nl: "CBS Gezondheidsmonitor 2022; CBS 2021-2024",
    },
    Target {
        column: "carers_broad_share",
        low: 0.30,
        high: 0.36,
        source: "SCP 2014, 2016, 2019",
        source_nl: "SCP 2014, 2016, 2019",
    },
    Target {
        column: "cbs_carer_mean_hours",
        low: 11.0,
        high: 13.0,
        source: "CBS 2022, 2024",
        source_nl: "CBS 2022, 2024",
    },
    Target {
        column: "intensive_share_of_cbs_carers",
        low: 0.30,
        high: 0.40,
        source: "CBS 2022",
        source_nl: "CBS 2022",
    },
    Target {
        column: "heavily_burdened_share_of_cbs_carers",
        low: 0.14,
        high: 0.20,
        source: "CBS 2022, 2012",
        source_nl: "CBS 2022, 2012",
    },
    Target {
        column: "relatives_share_of_care_pairs",
        low: 0.78,
        high: 0.88,
        source: "SCP 2016 via Movisie (about 83%)",
        source_nl: "SCP 2016 via Movisie (ongeveer 83%)",
    },
    Target {
        column: "friends_share_of_carers_of_55plus",
        low: 0.05,
        high: 0.13,
        source: "Egging, De Boer & Stevens 2011 (about 9%)",
        source_nl: "Egging, De Boer & Stevens 2011 (ongeveer 9%)",
    },
    Target {
        column: "neighbours_share_of_carers_of_55plus",
        low: 0.05,
        high: 0.13,
        source: "Egging, De Boer & Stevens 2011 (about 9%)",
        source_nl: "Egging, De Boer & Stevens 2011 (ongeveer 9%)",
    },
    Target {
        column: "intake_network_involved_share",
        low: 0.50,
        high: 0.80,
        source: "Bredewold et al. 2020 (above half; 46 of 65)",
        source_nl: "Bredewold e.a. 2020 (meer dan de helft; 46 van 65)",
    },
    Target {
        column: "isolated_share",
        low: 0.02,
        high: 0.06,
        source: "CBS 2012-2015 (3.7% without weekly contact)",
        source_nl: "CBS 2012-2015 (3,7% zonder wekelijks contact)",
    },
    Target {
        column: "volunteering_share",
        low: 0.40,
        high: 0.50,
        source: "CBS 2020-2023 (41-49%)",
        source_nl: "CBS 2020-2023 (41-49%)",
    },
    Target {
        column: "kin_within_5km_share",
        low: 0.50,
        high: 0.60,
        source: "CBS 2016 (young parents within 5 km of their mother)",
        source_nl: "CBS 2016 (jonge ouders binnen 5 km van hun moeder)",
    },
    Target {
        column: "receivers_55plus_share",
        low: 0.08,
        high: 0.12,
        source: "CBS 2020, Kloosterman & Schmeets (about 10% of 55+)",
        source_nl: "CBS 2020, Kloosterman & Schmeets (ongeveer 10% van de 55-plussers)",
    },
    Target {
        column: "receivers_75plus_share",
        low: 0.20,
        high: 0.28,
        source: "CBS 2020, Kloosterman & Schmeets (nearly 25% of 75+)",
        source_nl: "CBS 2020, Kloosterman & Schmeets (bijna 25% van de 75-plussers)",
    },
    Target {
        column: "receivers_55plus_mean_hours",
        low: 16.0,
        high: 20.0,
        source: "CBS 2020, Kloosterman & Schmeets (about 18 h); CBS 2023 (2022: 17 h)",
        source_nl: "CBS 2020, Kloosterman & Schmeets (ongeveer 18 uur); CBS 2023 (2022: 17 uur)",
    },
];

/// CBS carers as a share of each age band, in [`CarerAgeBand`] order (18–24 …
/// 85+): Appendix B's age profile, a rate within each age group, not scored
/// (docs/ODD.md §1.3). From CBS, Statistische Trends 2024, "Vader en moeder op
/// leeftijd", table 4.1 (Gezondheidsmonitor 2022): a band is the mean of CBS's
/// two five-year groups; 18–24 is CBS's 20–24 (3.7%); 85+ weighs 85–89 (10.8%),
/// 90–94 (8.7%) and 95+ (7.3%) by their rough sizes, about 10%.
///
/// [`CarerAgeBand`]: crate::kinds::CarerAgeBand
pub const CBS_CARER_RATE_BY_AGE: [f64; crate::kinds::CarerAgeBand::COUNT] =
    [0.037, 0.0535, 0.096, 0.1735, 0.226, 0.1635, 0.128, 0.10];

/// Where [`CBS_CARER_RATE_BY_AGE`] comes from, for charts and tables, in
/// `lang`.
pub fn cbs_carer_rate_source(lang: crate::lang::Lang) -> &'static str {
    lang.pick(
        "CBS Gezondheidsmonitor 2022 (Statistische Trends 2024, table 4.1)",
        "CBS Gezondheidsmonitor 2022 (Statistische Trends 2024, tabel 4.1)",
    )
}

impl Target {
    /// Distance outside the range, in widths of the range (0 inside).
    pub fn miss(&self, value: f64) -> f64 {
        let width = self.high - self.low;
        if value < self.low {
            (self.low - value) / width
        } else if value > self.high {
            (value - self.high) / width
        } else {
            0.0
        }
    }
}

/// Sum of squared misses over the targets with a value (missing values count as
/// a miss of 10 range widths, so a point that cannot be measured ranks last).
pub fn score(value_of: impl Fn(&str) -> Option<f64>) -> f64 {
    TARGETS
        .iter()
        .map(|t| value_of(t.column).map_or(10.0, |v| t.miss(v)).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_the_ranges_scores_zero_and_misses_grow_with_distance() {
        let mid = |column: &str| {
            TARGETS
                .iter()
                .find(|t| t.column == column)
                .map(|t| (t.low + t.high) / 2.0)
        };
        assert_eq!(score(mid), 0.0);
        let t = TARGETS[0];
        assert_eq!(t.miss(t.high + (t.high - t.low)), 1.0);
        assert!(t.miss(0.0) > t.miss(0.1));
        assert_eq!(score(|_| None), 100.0 * TARGETS.len() as f64);
    }
}
