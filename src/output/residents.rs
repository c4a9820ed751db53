//! `residents.csv` (`carenet run --microdata`): one row per resident of the
//! area, for analyses at the level of persons (docs/ODD.md §9.11): who they are,
//! their ties at the start, and over the reported weeks the hours they received
//! by source and tie kind, the hours they gave, their strain, burnouts,
//! contacts with the district team, and what the carer figures count of them
//! (the same [`CarerStatus`](crate::engine::CarerStatus) as summary.csv's).
//!
//! The accounts watch a run from outside ([`ResidentAccounts::observe`] after
//! each week): they read the week's cases, the ledger's gifts and the tally's
//! lists of burnouts and intakes, and change nothing, so a run with them has the
//! same outputs as one without. They exist only when asked for (about 185 bytes
//! per resident). Hours are whole hundredths, so summed over residents they
//! equal the run's totals in summary.csv to the last digit.

use std::io::Write;

use super::Cell;
use crate::engine::Engine;
use crate::hours::HoursTotal;
use crate::ids::PersonId;
use crate::kinds::{KinRelation, TieKind};
use crate::population::flags;
use crate::tally::WeekTally;
use crate::world::World;

/// Hours a resident received over the reported weeks, by source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    pub need: HoursTotal,
    pub household: HoursTotal,
    pub informal: HoursTotal,
    pub formal: HoursTotal,
    /// The part of `formal` given under the Wlz (docs/ODD.md §7.10.23).
    pub long_term_care: HoursTotal,
    pub unmet: HoursTotal,
    /// Informal hours by the kind of tie they came over (help exchange matches
    /// count as volunteer ties).
    pub informal_by_kind: [HoursTotal; TieKind::COUNT],
}

/// Hours a resident gave over the reported weeks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    /// Household help to the partner they live with (usual help included).
    pub household: HoursTotal,
    /// Informal help to other residents of the area (asking and giving,
    /// neighbours looking in, help exchange matches).
    pub informal: HoursTotal,
    /// Help to their parents outside the area (docs/ODD.md §7.10.19).
    pub outbound: HoursTotal,
    /// The part of `outbound` given to parents in a nursing home.
    pub nursing_home: HoursTotal,
}

/// What is counted of one resident.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResidentAccount {
    /// Ties at the start of the run by kind, and kin ties by what the relative is.
    pub ties: [u16; TieKind::COUNT],
    pub kin: [u16; KinRelation::COUNT],
    pub received: Received,
    pub given: Given,
    /// Reported weeks with need, and with some of it unmet.
    pub weeks_in_need: u16,
    pub weeks_with_unmet_need: u16,
    /// Times the resident burnt out, and reported weeks ending burnt out.
    pub burnouts: u16,
    pub burnt_out_weeks: u16,
    /// Intake conversations with the district team (applications).
    pub intakes: u16,
    /// First reported week with need, and with an intake.
    pub first_need_week: Option<u32>,
    pub first_intake_week: Option<u32>,
}

/// Every resident's account, indexed by person id.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentAccounts {
    pub accounts: Vec<ResidentAccount>,
    /// Each resident's years, in a run of several years
    /// (`residents_yearly.csv`).
    pub years: Option<super::YearPanel>,
}

impl ResidentAccounts {
    /// Accounts with each resident's ties in the world as built.
    pub fn new(world: &World) -> ResidentAccounts {
        let network = &world.network;
        let accounts = (0..world.people.area_residents())
            .map(|r| {
                let me = PersonId(r as u32);
                let mut account = ResidentAccount::default();
                for entry in network.row(me) {
                    account.ties[entry.kind().index()] += 1;
                    if let Some(relation) = network.kin_relation(me, *entry) {
                        account.kin[relation.index()] += 1;
                    }
                }
                account
            })
            .collect();
        let several_years = super::is_multi_year(world.scenario.weeks as usize);
        ResidentAccounts {
            accounts,
            years: several_years.then(super::YearPanel::default),
        }
    }

    /// Counts a week the engine has just run; burn-in weeks count nothing. The
    /// engine must keep the week's gifts ([`Engine::keep_week_gifts`]).
    pub fn observe(&mut self, engine: &Engine, tally: &WeekTally) {
        let Ok(week) = u32::try_from(tally.week) else {
            return;
        };
        if let Some(years) = &mut self.years {
            years.observe(engine, &self.accounts, week);
        }
        self.count_cases(engine, week);
        self.count_gifts(engine);
        for person in &tally.burnout_residents {
            self.accounts[person.index()].burnouts += 1;
        }
        for person in &tally.intake_residents {
            let account = &mut self.accounts[person.index()];
            account.intakes += 1;
            account.first_intake_week.get_or_insert(week);
        }
        let burnt_out = &engine.carers().burnt_out;
        for (account, burnt) in self.accounts.iter_mut().zip(burnt_out) {
            if *burnt > 0 {
                account.burnt_out_weeks += 1;
            }
        }
    }

    /// Need and where its hours went, at the resident in need; household help
    /// also at the partner who gave it.
    fn count_cases(&mut self, engine: &Engine, week: u32) {
        let people = &engine.world().people;
        for case in engine.cases() {
            let unmet = case.remaining_total();
            let account = &mut self.accounts[case.person.index()];
            let received = &mut account.received;
            received.need += case.hours.need;
            received.household += case.hours.household;
            received.informal += case.hours.informal;
            received.formal += case.hours.formal;
            received.long_term_care += case.hours.long_term_care;
            received.unmet += unmet;
            if !case.hours.need.is_zero() {
                account.weeks_in_need += 1;
                account.first_need_week.get_or_insert(week);
            }
            if !unmet.is_zero() {
                account.weeks_with_unmet_need += 1;
            }
            if let Some(partner) = people.partner(case.person) {
                self.accounts[partner.index()].given.household += case.hours.household;
            }
        }
    }

    /// Informal help by tie kind at the receiver, and what residents gave to
    /// other residents and to their parents outside the area.
    fn count_gifts(&mut self, engine: &Engine) {
        let world = engine.world();
        let residents = self.accounts.len();
        for gift in engine.ledger().last_week_gifts() {
            if gift.household {
                continue;
            }
            // A gift without a tie went over a volunteer tie made that week.
            let kind = gift
                .tie
                .map_or(TieKind::Volunteer, |t| world.network.ties.kind[t.index()]);
            let hours = gift.hours;
            if gift.receiver.index() < residents {
                self.accounts[gift.receiver.index()]
                    .received
                    .informal_by_kind[kind.index()] += hours;
                if let Some(helper) = self.accounts.get_mut(gift.helper.index()) {
                    helper.given.informal += hours;
                }
            } else if let Some(helper) = self.accounts.get_mut(gift.helper.index()) {
                helper.given.outbound += hours;
                if engine.outside_parents().is_in_nursing_home(gift.receiver) {
                    helper.given.nursing_home += hours;
                }
            }
        }
    }

    /// Writes the accounts as CSV rows (with the header if `header`), each led
    /// by `replicate` when there is one; returns the writer.
    pub fn write_csv<W: Write>(
        &self,
        engine: &Engine,
        replicate: Option<u32>,
        header: bool,
        out: W,
    ) -> Result<W, csv::Error> {
        let mut csv = csv::Writer::from_writer(out);
        if header {
            let mut columns = Vec::new();
            if replicate.is_some() {
                columns.push("replicate".to_string());
            }
            columns.extend(header_columns());
            csv.write_record(&columns)?;
        }
        let mut fields: Vec<String> = Vec::new();
        for r in 0..self.accounts.len() {
            fields.clear();
            if let Some(replicate) = replicate {
                fields.push(replicate.to_string());
            }
            self.record(engine, r, &mut fields);
            csv.write_record(&fields)?;
        }
        csv.into_inner().map_err(|e| e.into_error().into())
    }

    /// One resident's fields, in the order of [`header_columns`].
    fn record(&self, engine: &Engine, r: usize, fields: &mut Vec<String>) {
        let world = engine.world();
        let people = &world.people;
        let person = PersonId(r as u32);
        let account = &self.accounts[r];
        let partner = people.partner(person);
        let household = partner.map_or(person, |p| p.min(person));
        let neighbourhood = people.neighbourhood[r].index();
        let optional = |week: Option<u32>| week.map_or_else(String::new, |w| w.to_string());
        fields.extend([
            r.to_string(),
            world.scenario.neighbourhoods[neighbourhood].name.clone(),
            people.age[r].to_string(),
            people.age_band[r].name().to_string(),
            sex_name(people.is_woman(person)).to_string(),
            household.index().to_string(),
            (1 + usize::from(partner.is_some())).to_string(),
            people.position[r][0].cell(),
            people.position[r][1].cell(),
            people.capacity[r].cell(),
            people.helpfulness[r].cell(),
            people.ask_reluctance[r].cell(),
            people.formal_trust[r].cell(),
            people
                .has_flag(person, flags::EXCHANGE_VOLUNTEER)
                .to_string(),
            world.associations.of_person(person).len().to_string(),
        ]);
        let ties: u32 = account.ties.iter().map(|t| u32::from(*t)).sum();
        fields.push(ties.to_string());
        fields.extend(account.ties.iter().map(u16::to_string));
        fields.extend(account.kin.iter().map(u16::to_string));
        let received = &account.received;
        fields.extend(
            [
                received.need,
                received.household,
                received.informal,
                received.formal,
                received.long_term_care,
                received.unmet,
            ]
            .iter()
            .chain(&received.informal_by_kind)
            .map(HoursTotal::to_string),
        );
        let given = &account.given;
        fields.extend(
            [
                given.household,
                given.informal,
                given.outbound,
                given.nursing_home,
            ]
            .iter()
            .map(HoursTotal::to_string),
        );
        fields.extend([
            account.weeks_in_need.to_string(),
            account.weeks_with_unmet_need.to_string(),
            engine.carers().strain[r].cell(),
            account.burnouts.to_string(),
            account.burnt_out_weeks.to_string(),
            account.intakes.to_string(),
            optional(account.first_need_week),
            optional(account.first_intake_week),
        ]);
        let carer = engine.carer_status(r);
        fields.extend([
            carer.broad.to_string(),
            carer.cbs.to_string(),
            carer.intensive().to_string(),
            carer.heavily_burdened.to_string(),
            carer
                .hours_per_caring_week
                .map_or_else(String::new, |hours| format!("{hours:.2}")),
            carer
                .main_receiver
                .map_or_else(String::new, |(_, relation)| relation.name().to_string()),
        ]);
        let (receiver_cbs, received_per_week) = engine.receiver_status(r);
        fields.extend([
            receiver_cbs.to_string(),
            received_per_week.map_or_else(String::new, |hours| format!("{hours:.2}")),
        ]);
    }
}

/// How residents.csv and the graph export write a person's sex.
pub fn sex_name(woman: bool) -> &'static str {
    if woman { "woman" } else { "man" }
}

/// The columns of residents.csv (after `replicate`, when there is one);
/// docs/ODD.md §9.11 defines each.
pub fn header_columns() -> Vec<String> {
    let mut columns: Vec<String> = [
        "resident",
        "neighbourhood",
        "age",
        "age_band",
        "sex",
        "household",
        "household_size",
        "x_km",
        "y_km",
        "capacity_hours",
        "helpfulness",
        "ask_reluctance",
        "formal_trust",
        "exchange_volunteer",
        "associations",
        "ties",
    ]
    .map(String::from)
    .to_vec();
    columns.extend(TieKind::ALL.iter().map(|k| format!("ties_{k}")));
    columns.extend(KinRelation::ALL.iter().map(|k| format!("ties_{k}")));
    for source in [
        "need",
        "household",
        "informal",
        "formal",
        "long_term_care",
        "unmet",
    ] {
        columns.push(format!("{source}_hours"));
    }
    columns.extend(TieKind::ALL.iter().map(|k| format!("informal_hours_{k}")));
    for given in ["household", "informal", "outbound", "nursing_home"] {
        columns.push(format!("given_{given}_hours"));
    }
    columns.extend(
        [
            "weeks_in_need",
            "weeks_with_unmet_need",
            "strain_at_end",
            "burnouts",
            "burnt_out_weeks",
            "intakes",
            "first_need_week",
            "first_intake_week",
            "carer_broad",
            "carer_cbs",
            "carer_intensive",
            "carer_heavily_burdened",
            "care_hours_per_caring_week",
            "main_receiver",
            "receiver_cbs",
            "care_hours_per_receiving_week",
        ]
        .map(String::from),
    );
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Run;
    use crate::scenario::Scenario;

    fn small() -> Scenario {
        Scenario::default_scaled(160, 8, 6)
    }

    #[test]
    fn the_header_and_every_record_have_the_same_columns() {
        let run = Run::execute_with_residents(&small(), &mut |_| {});
        let accounts = run.residents.as_ref().expect("accounts kept");
        let bytes = accounts
            .write_csv(&run.engine, Some(1), true, Vec::new())
            .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert_eq!(header.split(',').count(), 1 + header_columns().len());
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), run.world().people.area_residents());
        for row in rows {
            assert_eq!(row.split(',').count(), 1 + header_columns().len(), "{row}");
        }
    }
}
