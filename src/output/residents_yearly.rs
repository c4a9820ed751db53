//! `residents_yearly.csv` (`carenet run --microdata` in a run of several
//! years; docs/ODD.md §9.11.1): one row per resident and reported year, so that
//! a researcher can follow persons through a projection, not only homes. A
//! home's new resident after a death or a move is a new person
//! (`occupant` counts them), a resident who moves in with a partner keeps
//! their id, and each row's hours are the year's alone.
//!
//! The panel is kept beside the window's accounts ([`super::ResidentAccounts`])
//! and, like them, only reads the run: at the first week of each year it closes
//! the year before (the accounts' totals less those at that year's start) and
//! notes who lives in each home in the new year, after the turn of the year.

use std::io::Write;

use crate::engine::Engine;
use crate::hours::HoursTotal;
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::AgeBand;
use crate::model::demography::YEAR_WEEKS;

use super::residents::{ResidentAccount, sex_name};

/// The file's name.
pub const RESIDENTS_YEARLY_CSV: &str = "residents_yearly.csv";

/// What a row counts of a resident's year, as totals of the accounts: hours in
/// hundredths, then weeks and events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Totals {
    hours: [HoursTotal; HOURS.len()],
    counts: [u16; COUNTS.len()],
}

/// The hours columns, in the order of [`Totals::hours`].
const HOURS: [&str; 8] = [
    "need_hours",
    "household_hours",
    "informal_hours",
    "formal_hours",
    "unmet_hours",
    "given_household_hours",
    "given_informal_hours",
    "given_outbound_hours",
];

/// The count columns, in the order of [`Totals::counts`].
const COUNTS: [&str; 3] = ["weeks_in_need", "burnouts", "intakes"];

impl Totals {
    fn of(account: &ResidentAccount) -> Totals {
        let (received, given) = (&account.received, &account.given);
        Totals {
            hours: [
                received.need,
                received.household,
                received.informal,
                received.formal,
                received.unmet,
                given.household,
                given.informal,
                given.outbound,
            ],
            counts: [account.weeks_in_need, account.burnouts, account.intakes],
        }
    }

    /// What was counted since `earlier` (the totals only grow).
    fn since(self, earlier: Totals) -> Totals {
        Totals {
            hours: std::array::from_fn(|i| HoursTotal(self.hours[i].0 - earlier.hours[i].0)),
            counts: std::array::from_fn(|i| self.counts[i] - earlier.counts[i]),
        }
    }
}

/// Who lived in a home in a year, as the year began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Occupant {
    /// 0 for the home's resident at the start of the run, then 1, 2, … for
    /// each new resident after a death or a move out.
    number: u16,
    age: u8,
    woman: bool,
    partner: Option<PersonId>,
    neighbourhood: NeighbourhoodId,
}

/// One row: a resident's year, its hours in hundredths (a year of one
/// resident's hours fits in 32 bits many times over; the rows of a large area's
/// projection are many).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ResidentYear {
    occupant: Occupant,
    hours: [u32; HOURS.len()],
    counts: [u16; COUNTS.len()],
}

impl ResidentYear {
    fn new(occupant: Occupant, year: Totals) -> ResidentYear {
        ResidentYear {
            occupant,
            hours: year.hours.map(|h| {
                u32::try_from(h.0).expect("one resident's hours of a year fit in 32 bits")
            }),
            counts: year.counts,
        }
    }
}

/// Every resident's years so far.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YearPanel {
    /// Closed years, each a row per resident in id order.
    closed: Vec<Vec<ResidentYear>>,
    /// The year now counted: who lives in each home, and the accounts' totals
    /// when it began.
    open: Vec<(Occupant, Totals)>,
    /// The number of each home's current resident.
    numbers: Vec<u16>,
}

impl YearPanel {
    /// At the first reported week of each year (before the week is counted):
    /// closes the year before and notes each home's resident after the turn.
    pub fn observe(&mut self, engine: &Engine, accounts: &[ResidentAccount], week: u32) {
        if !week.is_multiple_of(YEAR_WEEKS) {
            return;
        }
        if week > 0 {
            self.close(accounts);
            for home in engine.newcomer_homes() {
                self.numbers[home.index()] += 1;
            }
        } else {
            self.numbers = vec![0; accounts.len()];
        }
        let people = &engine.world().people;
        self.open = accounts
            .iter()
            .enumerate()
            .map(|(r, account)| {
                let person = PersonId(r as u32);
                let occupant = Occupant {
                    number: self.numbers[r],
                    age: people.age[r],
                    woman: people.is_woman(person),
                    partner: people.partner(person),
                    neighbourhood: people.neighbourhood[r],
                };
                (occupant, Totals::of(account))
            })
            .collect();
    }

    /// Ends the open year at the accounts' present totals.
    fn close(&mut self, accounts: &[ResidentAccount]) {
        let year = self.open_rows(accounts);
        self.closed.push(year);
        self.open.clear();
    }

    /// The open year's rows as far as the accounts' present totals go.
    fn open_rows(&self, accounts: &[ResidentAccount]) -> Vec<ResidentYear> {
        self.open
            .iter()
            .zip(accounts)
            .map(|((occupant, start), account)| {
                ResidentYear::new(*occupant, Totals::of(account).since(*start))
            })
            .collect()
    }

    /// Writes the rows, year by year and in resident order within a year
    /// (the last year as counted so far), each led by `replicate` when there
    /// is one, with the header if `header`; returns the writer.
    pub fn write_csv<W: Write>(
        &self,
        engine: &Engine,
        accounts: &[ResidentAccount],
        replicate: Option<u32>,
        header: bool,
        out: W,
    ) -> Result<W, csv::Error> {
        let mut csv = csv::Writer::from_writer(out);
        if header {
            let led = replicate.map(|_| "replicate".to_string());
            csv.write_record(led.into_iter().chain(residents_yearly_columns()))?;
        }
        let open = self.open_rows(accounts);
        let years = self
            .closed
            .iter()
            .chain((!open.is_empty()).then_some(&open));
        let scenario = &engine.world().scenario;
        let names = &scenario.neighbourhoods;
        let mut fields: Vec<String> = Vec::new();
        for (y, rows) in years.enumerate() {
            let year = y as u32 + 1;
            let calendar_year = super::calendar_year_cell(scenario, year);
            for (r, row) in rows.iter().enumerate() {
                fields.clear();
                fields.extend(replicate.map(|n| n.to_string()));
                let o = &row.occupant;
                fields.extend([
                    year.to_string(),
                    calendar_year.clone(),
                    r.to_string(),
                    o.number.to_string(),
                    names[o.neighbourhood.index()].name.clone(),
                    o.age.to_string(),
                    AgeBand::of_age(o.age).name().to_string(),
                    sex_name(o.woman).to_string(),
                    (1 + usize::from(o.partner.is_some())).to_string(),
                    o.partner
                        .map_or_else(String::new, |p| p.index().to_string()),
                ]);
                fields.extend(
                    row.hours
                        .iter()
                        .map(|h| HoursTotal(u64::from(*h)).to_string()),
                );
                fields.extend(row.counts.iter().map(u16::to_string));
                csv.write_record(&fields)?;
            }
        }
        csv.into_inner().map_err(|e| e.into_error().into())
    }
}

/// The columns of residents_yearly.csv (after `replicate`, when there is one);
/// docs/ODD.md §9.11.1 defines each.
pub fn residents_yearly_columns() -> Vec<String> {
    [
        "year",
        super::CALENDAR_YEAR,
        "resident",
        "occupant",
        "neighbourhood",
        "age",
        "age_band",
        "sex",
        "household_size",
        "partner",
    ]
    .iter()
    .chain(HOURS.iter())
    .chain(COUNTS.iter())
    .map(|c| c.to_string())
    .collect()
}
