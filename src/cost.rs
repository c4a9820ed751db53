//! What care and policy cost: the `[cost]` table of a scenario (tariffs of formal
//! care by task and prices of the levers), its range checks, and the formulas that
//! price a run's formal hours and its interventions (docs/ODD.md §9.12).
//!
//! Pricing reads what the model produced and changes nothing of it: formal hours
//! come from the run's tally by task, intervention costs from the scenario's
//! levers and the weeks they were at work.

use serde::{Deserialize, Serialize};

use crate::hours::HoursTotal;
use crate::kinds::{PerTask, Task};
use crate::model::interventions::{Intervention, intervention_offices, standing_offices};
use crate::scenario::{Checker, Scenario};

/// Weeks in a year, for yearly budgets.
const WEEKS_PER_YEAR: f64 = 52.0;

/// Who pays an hour of formal care at home (docs/ODD.md §9.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// The municipality, under the Wmo 2015: household help, support and respite.
    Wmo,
    /// The health insurers, under the Zvw: district nursing's personal care.
    Zvw,
    /// The Wlz: care around the clock for its clients.
    Wlz,
}

impl Payer {
    /// Who pays a district team's hour of a task: personal care is district
    /// nursing (Zvw), the rest the Wmo's. (Respite is the Wmo's whatever its
    /// task; the Wlz's hours are the Wlz's.)
    pub fn of_team_task(task: Task) -> Payer {
        match task {
            Task::PersonalCare | Task::Emergency => Payer::Zvw,
            Task::Household | Task::Administration | Task::Transport | Task::Company => Payer::Wmo,
        }
    }
}

/// Formal care's cost split by payer, in euros; the parts add up to
/// [`CostParams::formal_cost`] of all the hours.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ByPayer {
    pub wmo: f64,
    pub zvw: f64,
    pub wlz: f64,
}

/// Tariffs and prices, in euros (docs/ODD.md §8.12 cites the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostParams {
    /// Household help (Wmo huishoudelijke ondersteuning), € per hour.
    pub household_help_eur_per_hour: f64,
    /// Personal care and nursing at home (Zvw wijkverpleging, persoonlijke
    /// verzorging), € per hour.
    pub personal_care_eur_per_hour: f64,
    /// Support (Wmo individuele begeleiding): administration, transport and
    /// company, € per hour.
    pub support_eur_per_hour: f64,
    /// Cohesion events (street parties, neighbourhood meals), € per targeted
    /// neighbourhood per year.
    pub cohesion_events_eur_per_neighbourhood_year: f64,
    /// A help exchange's coordinator, € per full-time equivalent per year
    /// (salary with employer's costs).
    pub coordinator_eur_per_fte_year: f64,
    /// Matches a full-time coordinator makes per week: an exchange of
    /// `matches_per_week` needs that share of an FTE.
    pub matches_per_coordinator_fte_week: f64,
    /// Support for care-oriented associations, € per targeted neighbourhood per year.
    pub association_support_eur_per_neighbourhood_year: f64,
    /// Informal guides (volunteers' expenses, training, their coordination), € per
    /// targeted neighbourhood per year.
    pub informal_guides_eur_per_neighbourhood_year: f64,
}

impl Default for CostParams {
    fn default() -> Self {
        CostParams {
            // Gemeente Westerveld, Tarieven Wmo 2023: hulp bij het huishouden € 32.40/h.
            household_help_eur_per_hour: 32.40,
            // Wijkverpleging 2024, persoonlijke verzorging € 67.94/h (under the NZa's
            // prestatie- en tariefbeschikking verpleging en verzorging TB/REG-24619-01).
            personal_care_eur_per_hour: 67.94,
            // Gemeente Westerveld, Tarieven Wmo 2023: individuele begeleiding basis € 55.80/h.
            support_eur_per_hour: 55.80,
            // The rest: assumptions (docs/ODD.md §8.12).
            cohesion_events_eur_per_neighbourhood_year: 5_000.0,
            coordinator_eur_per_fte_year: 70_000.0,
            matches_per_coordinator_fte_week: 20.0,
            association_support_eur_per_neighbourhood_year: 10_000.0,
            informal_guides_eur_per_neighbourhood_year: 15_000.0,
        }
    }
}

impl CostParams {
    /// Range checks of the `[cost]` table.
    pub(crate) fn check(&self, c: &mut Checker) {
        for (key, value) in [
            (
                "household_help_eur_per_hour",
                self.household_help_eur_per_hour,
            ),
            (
                "personal_care_eur_per_hour",
                self.personal_care_eur_per_hour,
            ),
            ("support_eur_per_hour", self.support_eur_per_hour),
            (
                "cohesion_events_eur_per_neighbourhood_year",
                self.cohesion_events_eur_per_neighbourhood_year,
            ),
            (
                "coordinator_eur_per_fte_year",
                self.coordinator_eur_per_fte_year,
            ),
            (
                "association_support_eur_per_neighbourhood_year",
                self.association_support_eur_per_neighbourhood_year,
            ),
            (
                "informal_guides_eur_per_neighbourhood_year",
                self.informal_guides_eur_per_neighbourhood_year,
            ),
        ] {
            c.non_negative(&format!("cost.{key}"), value);
        }
        c.positive(
            "cost.matches_per_coordinator_fte_week",
            self.matches_per_coordinator_fte_week,
        );
    }

    /// The tariff of an hour of formal care with a task. Professionals do no
    /// emergency help (docs/ODD.md §7.10.4); such an hour would be priced as
    /// personal care.
    pub fn eur_per_hour(&self, task: Task) -> f64 {
        match task {
            Task::Household => self.household_help_eur_per_hour,
            Task::PersonalCare | Task::Emergency => self.personal_care_eur_per_hour,
            Task::Administration | Task::Transport | Task::Company => self.support_eur_per_hour,
        }
    }

    /// Formal hours by task, priced.
    pub fn formal_cost(&self, hours_by_task: &PerTask<HoursTotal>) -> f64 {
        // A fold from +0.0: an empty float sum is -0.0, which would print "-0.00".
        Task::ALL
            .iter()
            .map(|task| hours_by_task[task.index()].as_f64() * self.eur_per_hour(*task))
            .fold(0.0, |sum, eur| sum + eur)
    }

    /// Formal hours priced by who pays them (docs/ODD.md §9.12): the Wlz its
    /// clients' care at home; the municipality (Wmo) respite and the district
    /// teams' household help and support; the health insurers (Zvw, district
    /// nursing) the teams' personal care. `all` is every formal hour by task,
    /// `respite` and `wlz` the parts of it those gave.
    pub fn formal_cost_by_payer(
        &self,
        all: &PerTask<HoursTotal>,
        respite: &PerTask<HoursTotal>,
        wlz: &PerTask<HoursTotal>,
    ) -> ByPayer {
        let mut team = *all;
        for (hours, (r, w)) in team.iter_mut().zip(respite.iter().zip(wlz)) {
            *hours = HoursTotal(hours.0.saturating_sub(r.0 + w.0));
        }
        let (mut team_wmo, mut team_zvw) = ([HoursTotal::default(); Task::COUNT], team);
        for task in Task::ALL {
            if Payer::of_team_task(*task) == Payer::Wmo {
                team_wmo[task.index()] = team[task.index()];
                team_zvw[task.index()] = HoursTotal::default();
            }
        }
        ByPayer {
            wmo: self.formal_cost(&team_wmo) + self.formal_cost(respite),
            zvw: self.formal_cost(&team_zvw),
            wlz: self.formal_cost(wlz),
        }
    }

    /// The levers' cost over `weeks` reported weeks: each yearly budget for the
    /// weeks it was at work (from its `start_week`), and the coordinators of the
    /// scenario's own help exchange for every week.
    pub fn intervention_cost(&self, scenario: &Scenario, weeks: usize) -> f64 {
        let weeks = weeks as f64;
        let standing = self.coordinator_fte(&standing_offices(scenario)) * weeks;
        let levers: f64 = scenario
            .interventions
            .iter()
            .map(|lever| {
                let at_work = (weeks - f64::from(lever.start_week())).max(0.0);
                self.yearly_cost(scenario, lever) * at_work
            })
            .fold(0.0, |sum, eur| sum + eur);
        (standing * self.coordinator_eur_per_fte_year + levers) / WEEKS_PER_YEAR
    }

    /// A lever's cost per year. Network-first work, formal capacity and
    /// respite (both priced through the formal hours), online contact and the
    /// help-radius counterfactual cost nothing here.
    pub fn yearly_cost(&self, scenario: &Scenario, lever: &Intervention) -> f64 {
        let targeted = match lever.neighbourhoods().len() {
            0 => scenario.neighbourhoods.len(),
            n => n,
        } as f64;
        match lever {
            Intervention::CohesionEvents { .. } => {
                self.cohesion_events_eur_per_neighbourhood_year * targeted
            }
            Intervention::AssociationSupport { .. } => {
                self.association_support_eur_per_neighbourhood_year * targeted
            }
            Intervention::InformalGuides { .. } => {
                self.informal_guides_eur_per_neighbourhood_year * targeted
            }
            Intervention::HelpExchange { .. } => {
                let offices = intervention_offices(scenario, lever);
                self.coordinator_fte(&offices) * self.coordinator_eur_per_fte_year
            }
            Intervention::NetworkFirst { .. }
            | Intervention::FormalCapacity { .. }
            | Intervention::BlendedContact { .. }
            | Intervention::Respite { .. }
            | Intervention::HelpRadius { .. } => 0.0,
        }
    }

    /// Coordinators' FTE of a set of help-exchange offices.
    fn coordinator_fte(&self, offices: &[crate::model::interventions::OfficeSpec]) -> f64 {
        offices
            .iter()
            .map(|o| f64::from(o.matches_per_week) / self.matches_per_coordinator_fte_week)
            .fold(0.0, |sum, fte| sum + fte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_str;

    #[test]
    fn formal_hours_are_priced_by_task() {
        let cost = CostParams::default();
        let mut hours = [HoursTotal::default(); Task::COUNT];
        hours[Task::Household.index()] = HoursTotal(1_000); // 10 h
        hours[Task::PersonalCare.index()] = HoursTotal(250); // 2.5 h
        hours[Task::Company.index()] = HoursTotal(100); // 1 h
        let expected = 10.0 * 32.40 + 2.5 * 67.94 + 55.80;
        assert!((cost.formal_cost(&hours) - expected).abs() < 1e-9);
    }

    #[test]
    fn formal_cost_is_split_by_who_pays_and_the_parts_add_up() {
        let cost = CostParams::default();
        let hours = |household: u64, personal: u64, company: u64| {
            let mut h = [HoursTotal::default(); Task::COUNT];
            h[Task::Household.index()] = HoursTotal(household * 100);
            h[Task::PersonalCare.index()] = HoursTotal(personal * 100);
            h[Task::Company.index()] = HoursTotal(company * 100);
            h
        };
        // 30 h household, 20 h personal care, 10 h company in all; of them
        // respite gave 5 h household and 2 h personal care, the Wlz 4 h
        // household and 8 h personal care.
        let all = hours(30, 20, 10);
        let respite = hours(5, 2, 0);
        let wlz = hours(4, 8, 0);
        let split = cost.formal_cost_by_payer(&all, &respite, &wlz);
        // The team: 21 h household and 10 h company (Wmo), 10 h personal care (Zvw).
        let wmo = 21.0 * 32.40 + 10.0 * 55.80 + (5.0 * 32.40 + 2.0 * 67.94);
        assert!((split.wmo - wmo).abs() < 1e-9, "{split:?}");
        assert!((split.zvw - 10.0 * 67.94).abs() < 1e-9, "{split:?}");
        assert!(
            (split.wlz - (4.0 * 32.40 + 8.0 * 67.94)).abs() < 1e-9,
            "{split:?}"
        );
        let whole = cost.formal_cost(&all);
        assert!((split.wmo + split.zvw + split.wlz - whole).abs() < 1e-9);
    }

    #[test]
    fn levers_cost_their_yearly_budget_for_the_weeks_they_work() {
        let text = "weeks = 26\n\
            [[neighbourhood]]\nname = \"A\"\nadults = 100\n\
            [[neighbourhood]]\nname = \"B\"\nadults = 100\ncentre_km = [2.0, 0.0]\n\
            [help_exchange]\nenabled = true\ncatchment = \"each_neighbourhood\"\nmatches_per_week = 5\n\
            [[intervention]]\nkind = \"cohesion_events\"\nstart_week = 13\n\
            [[intervention]]\nkind = \"informal_guides\"\nneighbourhoods = [\"B\"]\n\
            [[intervention]]\nkind = \"help_exchange\"\nmatches_per_week = 10\n\
            [[intervention]]\nkind = \"network_first\"\n";
        let scenario = parse_str(text, "t.toml").expect("valid");
        let cost = CostParams::default();
        // Standing exchange: 2 offices x 5/20 FTE x 70,000 for 26 of 52 weeks = 17,500.
        // Cohesion events in 2 neighbourhoods x 5,000 for 13 weeks = 2,500.
        // Guides in 1 neighbourhood x 15,000 for 26 weeks = 7,500.
        // The lever's exchange: 10/20 FTE x 70,000 for 26 weeks = 17,500.
        let expected = 17_500.0 + 2_500.0 + 7_500.0 + 17_500.0;
        assert!((cost.intervention_cost(&scenario, 26) - expected).abs() < 1e-6);
        // A lever that starts after the reported weeks costs nothing.
        // Over 13 weeks: 8,750 + 0 + 3,750 + 8,750.
        assert!((cost.intervention_cost(&scenario, 13) - 21_250.0).abs() < 1e-6);
    }

    #[test]
    fn nothing_costs_zero_not_minus_zero() {
        let scenario = Scenario::default();
        let cost = CostParams::default();
        let none = [HoursTotal::default(); Task::COUNT];
        assert_eq!(format!("{:.2}", cost.formal_cost(&none)), "0.00");
        assert_eq!(
            format!("{:.2}", cost.intervention_cost(&scenario, 52)),
            "0.00"
        );
    }

    #[test]
    fn bad_prices_are_refused_with_their_key() {
        let text = "[cost]\nsupport_eur_per_hour = -3\nmatches_per_coordinator_fte_week = 0\n";
        let error = parse_str(text, "t.toml").expect_err("invalid");
        let message = error.to_string();
        assert!(message.contains("cost.support_eur_per_hour"), "{message}");
        assert!(
            message.contains("cost.matches_per_coordinator_fte_week"),
            "{message}"
        );
    }
}
