//! Parameters of demography in runs of several years: the `[demography]` section.

use serde::{Deserialize, Serialize};

use crate::kinds::AgeBand;
use crate::scenario::Checker;

/// Who moves out, who moves in and who comes of age at each turn of the year
/// (docs/ODD.md §7.2.1). Deaths follow `population.mortality`. Nothing here acts
/// in a run of one reported year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemographyParams {
    /// Residents age, die, move and come of age between reported years. `false`
    /// keeps the same residents, ageless, however many years a run reports.
    pub enabled: bool,
    /// Chance a year that a household moves out of the area, by the age band of
    /// its older member (18–34, 35–54, 55–74, 75+; the last includes moves into
    /// a care home elsewhere). Both partners move together.
    pub move_out_per_year: [f64; AgeBand::COUNT],
    /// Age bands of the newcomers who move into homes that fell vacant (shares
    /// adding up to 1; ages within a band are drawn as at the start).
    pub arrival_age_mix: [f64; AgeBand::COUNT],
    /// Young adults who come of age in the area each year, per resident: each is
    /// a child of a resident aged `parent_age_min` to `parent_age_max` of the
    /// same neighbourhood, aged 18, and takes a home that fell vacant.
    pub coming_of_age_per_year: f64,
    /// The youngest age of a resident parent of a young adult coming of age.
    pub parent_age_min: u8,
    /// The oldest age of such a parent.
    pub parent_age_max: u8,
    /// Chance that the newcomer who takes the vacant half of a couple's home
    /// beside a resident living alone moves in as that resident's partner, by
    /// the resident's age band (18–34, 35–54, 55–74, 75+): singles form
    /// couples, the young often and the old seldom, so that widowhood raises
    /// the share of the old who live alone while the young keep pairing up
    /// (docs/ODD.md §7.2.1). All 0: every such newcomer lives alone, as before
    /// session 28.
    pub partner_moves_in: [f64; AgeBand::COUNT],
    /// Chance a year that a resident living alone looks for a partner among
    /// the neighbourhood's residents living alone, by age band (18–34, 35–54,
    /// 55–74, 75+); two who find each other live together, one moving into
    /// the other's home (docs/ODD.md §7.2.1). All 0: singles stay single, as
    /// before session 33.
    pub singles_pair_up_per_year: [f64; AgeBand::COUNT],
    /// The largest difference of age between two singles who pair up.
    pub pair_up_max_age_gap_years: u8,
    /// Chance a year that a couple separates, by the age band of the older
    /// partner (18–34, 35–54, 55–74, 75+): the partner who moved in returns
    /// to their own home, or, where both lived there from the start, one of
    /// them moves out of the area (docs/ODD.md §7.2.1). All 0: couples part
    /// only by death or moving out together, as before session 33.
    pub separations_per_year: [f64; AgeBand::COUNT],
    /// Neighbours a newcomer knows on arrival (the people next door); more local
    /// ties come over time as for everyone (peers, the help exchange, events).
    pub newcomer_neighbours: u32,
    /// Yearly fall of mortality at every age, residents and relatives outside
    /// alike: in reported year `y` the life table's hazard is multiplied by
    /// `(1 − this)^(y − 1)`. 0 keeps today's life table; Dutch mortality at old
    /// ages fell by about 1–2% a year since 2000 and CBS projects life
    /// expectancy to keep rising (docs/ODD.md §7.2.1).
    pub mortality_decline_per_year: f64,
}

impl Default for DemographyParams {
    fn default() -> Self {
        DemographyParams {
            enabled: true,
            move_out_per_year: [0.10, 0.05, 0.025, 0.015],
            arrival_age_mix: [0.50, 0.30, 0.14, 0.06],
            coming_of_age_per_year: 0.011,
            parent_age_min: 36,
            parent_age_max: 60,
            partner_moves_in: [0.8, 0.5, 0.15, 0.03],
            singles_pair_up_per_year: [0.3, 0.04, 0.02, 0.005],
            pair_up_max_age_gap_years: 8,
            separations_per_year: [0.04, 0.015, 0.005, 0.001],
            newcomer_neighbours: 1,
            mortality_decline_per_year: 0.0,
        }
    }
}

impl DemographyParams {
    pub(crate) fn check(&self, c: &mut Checker) {
        c.shares("demography.move_out_per_year", &self.move_out_per_year);
        c.shares("demography.arrival_age_mix", &self.arrival_age_mix);
        c.shares("demography.partner_moves_in", &self.partner_moves_in);
        c.shares(
            "demography.singles_pair_up_per_year",
            &self.singles_pair_up_per_year,
        );
        c.shares(
            "demography.separations_per_year",
            &self.separations_per_year,
        );
        if self.pair_up_max_age_gap_years > 40 {
            c.fail(
                "demography.pair_up_max_age_gap_years",
                format!(
                    "{} is out of range: expected a largest age difference of 0 to 40 years",
                    self.pair_up_max_age_gap_years
                ),
                "set `demography.pair_up_max_age_gap_years` from 0 to 40",
            );
        }
        c.sums_to_one(
            "demography.arrival_age_mix",
            &self.arrival_age_mix,
            "18–34, 35–54, 55–74, 75+",
        );
        c.within(
            "demography.mortality_decline_per_year",
            self.mortality_decline_per_year,
            0.0,
            0.1,
            "a share a year",
        );
        c.within(
            "demography.coming_of_age_per_year",
            self.coming_of_age_per_year,
            0.0,
            0.1,
            "young adults per resident a year",
        );
        let (min, max) = (self.parent_age_min, self.parent_age_max);
        if !(36..=80).contains(&min) || !(36..=80).contains(&max) || min > max {
            c.fail(
                "demography.parent_age_min",
                format!("parents of 18-year-olds aged {min} to {max}"),
                "set `demography.parent_age_min` and `parent_age_max` from 36 to 80, \
                 the first not above the second",
            );
        }
        if self.newcomer_neighbours > 20 {
            c.fail(
                "demography.newcomer_neighbours",
                format!("{} neighbours on arrival", self.newcomer_neighbours),
                "set `demography.newcomer_neighbours` from 0 to 20",
            );
        }
    }
}
