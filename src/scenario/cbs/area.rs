//! The figures of one area (gemeente, wijk or buurt) of the CBS table, and what a
//! carenet neighbourhood takes from them: adults, their age mix, the share
//! living alone and the land area.
//!
//! CBS counts inhabitants in the bands 0–14, 15–24, 25–44, 45–64 and 65+;
//! carenet's adults are 18+ in the bands 18–34, 35–54, 55–74 and 75+. Single years
//! within a CBS band are taken as equally many (so 3 of the 10 years of 15–24 are
//! under 18, and half of 25–44 is 25–34), except that 65+ is split by the national
//! share below, since the old-age bands thin out fast.

use super::CbsError;
use super::table::{self, Record, Table};

/// Share of the 15–24-year-olds who are under 18 (3 of the 10 years).
const UNDER_18_OF_15_24: f64 = 0.3;
/// Share of the 65-plus who are 65–74: CBS StatLine "Bevolking; geslacht,
/// leeftijd en burgerlijke staat, 1 januari" 2024, 2.05 of 3.64 million
/// (assumption: every buurt has the national split).
const UNDER_75_OF_65_PLUS: f64 = 0.56;

/// How far a count of the table may be from the true count: CBS rounds its
/// counts of people and households to fives (so a sum of six counts may be 15
/// off the total).
const ROUNDING: f64 = 2.5;
/// Two counts of the same people that differ by more than this share of them
/// (and by more than [`GROSS_PEOPLE`]) contradict each other: more than
/// rounding, suppression or a date's difference explains.
const GROSS_SHARE: f64 = 0.1;
/// See [`GROSS_SHARE`]: small buurten may differ by this many people.
const GROSS_PEOPLE: f64 = 25.0;

/// The largest difference between two counts of `people` that is not a
/// contradiction.
fn gross(people: f64) -> f64 {
    (GROSS_SHARE * people).max(GROSS_PEOPLE)
}

/// An area's published figures; `None` where CBS publishes none.
pub struct Area {
    pub code: String,
    pub name: String,
    pub line: usize,
    pub inhabitants: Option<f64>,
    /// Inhabitants aged 0–14, 15–24, 25–44, 45–64, 65+.
    ages: Option<[f64; 5]>,
    one_person_households: Option<f64>,
    land_ha: Option<f64>,
    density_per_km2: Option<f64>,
}

impl Area {
    pub fn read(table: &Table, record: &Record) -> Result<Area, CbsError> {
        let count = |column: &str| -> Result<Option<f64>, CbsError> {
            let value = table.number(record, column)?;
            match value {
                Some(v) if v < 0.0 => Err(CbsError::new(
                    &table.file,
                    Some(record.line),
                    format!("`{column}` is {v}, below 0"),
                    "correct the value, or download the table again from CBS",
                )),
                _ => Ok(value),
            }
        };
        let mut ages = [0.0; 5];
        let mut all_ages = true;
        for (slot, column) in ages.iter_mut().zip(table::AGES) {
            match count(column)? {
                Some(v) => *slot = v,
                None => all_ages = false,
            }
        }
        Ok(Area {
            code: table.code(record),
            name: table.text(record, table::NAME).to_string(),
            line: record.line,
            inhabitants: count(table::INHABITANTS)?,
            ages: (all_ages && ages.iter().sum::<f64>() > 0.0).then_some(ages),
            one_person_households: count(table::ONE_PERSON_HOUSEHOLDS)?,
            land_ha: count(table::LAND_HA)?.filter(|ha| *ha > 0.0),
            density_per_km2: count(table::DENSITY)?.filter(|d| *d > 0.0),
        })
    }

    /// Share of inhabitants who are 18 or older.
    pub fn adult_share(&self) -> Option<f64> {
        let [a0, a15, a25, a45, a65] = self.ages?;
        let adults = a15 * (1.0 - UNDER_18_OF_15_24) + a25 + a45 + a65;
        Some(adults / (a0 + a15 + a25 + a45 + a65))
    }

    /// Adults (18+) in carenet's bands 18–34, 35–54, 55–74 and 75+, as shares.
    pub fn age_mix(&self) -> Option<[f64; 4]> {
        let [_, a15, a25, a45, a65] = self.ages?;
        let bands = [
            a15 * (1.0 - UNDER_18_OF_15_24) + a25 / 2.0,
            a25 / 2.0 + a45 / 2.0,
            a45 / 2.0 + a65 * UNDER_75_OF_65_PLUS,
            a65 * (1.0 - UNDER_75_OF_65_PLUS),
        ];
        let total: f64 = bands.iter().sum();
        (total > 0.0).then(|| bands.map(|b| b / total))
    }

    /// Adults (18+), from the inhabitants and the age bands.
    fn adults(&self) -> Option<f64> {
        Some(self.inhabitants? * self.adult_share()?)
    }

    /// Share of adults who live alone: one-person households per adult, as
    /// the figures give it (above 1 where they disagree; see [`Area::check`]).
    pub fn living_alone(&self) -> Option<f64> {
        let adults = self.adults().filter(|a| *a > 0.0)?;
        Some(self.one_person_households? / adults)
    }

    /// Whether the area's own figures agree with each other: its age bands
    /// with its inhabitants, and its one-person households with its
    /// inhabitants aged 15 or over. `Err` for a contradiction that rounding
    /// and suppression cannot explain (beyond [`GROSS_SHARE`] and
    /// [`GROSS_PEOPLE`]); a small disagreement beyond rounding is a note.
    pub fn check(&self) -> Result<Vec<String>, String> {
        let (Some(inhabitants), Some(ages)) = (self.inhabitants, self.ages) else {
            return Ok(Vec::new());
        };
        let mut notes = Vec::new();
        let by_age: f64 = ages.iter().sum();
        let difference = by_age - inhabitants;
        if difference.abs() > gross(inhabitants) {
            let terms: Vec<String> = ages.iter().map(|a| a.to_string()).collect();
            return Err(format!(
                "the age bands `{}` = {} = {by_age} inhabitants, but `{}` = {inhabitants}",
                table::AGES.join("` + `"),
                terms.join(" + "),
                table::INHABITANTS
            ));
        }
        if difference.abs() > ROUNDING * (table::AGES.len() + 1) as f64 {
            notes.push(format!(
                "the age bands (`{}` … `{}`) add up to {by_age} inhabitants, `{}` is \
                 {inhabitants}: only the bands' shares are used",
                table::AGES[0],
                table::AGES[4],
                table::INHABITANTS
            ));
        }
        let Some(one_person) = self.one_person_households else {
            return Ok(notes);
        };
        let aged_15_plus = inhabitants * (by_age - ages[0]) / by_age;
        if one_person - aged_15_plus > gross(aged_15_plus) {
            return Err(format!(
                "`{}` = {one_person} one-person households, but only {:.0} of the `{}` = \
                 {inhabitants} inhabitants are 15 or older (`{}` = {} of {by_age} by age)",
                table::ONE_PERSON_HOUSEHOLDS,
                aged_15_plus,
                table::INHABITANTS,
                table::AGES[0],
                ages[0]
            ));
        }
        if let Some(share) = self.living_alone().filter(|s| *s > 1.0) {
            notes.push(format!(
                "`{}` = {one_person} one-person households for {:.0} adults (18+, \
                 estimated) is a share of {share:.2} living alone, set to 1 (rounding, or more \
                 of `{}` 18 or older than the 7 of 10 years assumed, as where students live)",
                table::ONE_PERSON_HOUSEHOLDS,
                self.adults().unwrap_or_default(),
                table::AGES[1]
            ));
        }
        Ok(notes)
    }

    /// Inhabitants per km² of land: CBS's `bev_dich`, else from the land area.
    pub fn density_per_km2(&self) -> Option<f64> {
        self.density_per_km2.or_else(|| {
            let km2 = self.land_ha? / 100.0;
            Some(self.inhabitants? / km2).filter(|d| *d > 0.0)
        })
    }

    /// Land area, km², where CBS publishes it.
    pub fn land_km2(&self) -> Option<f64> {
        self.land_ha.map(|ha| ha / 100.0)
    }
}

/// Where a buurt's value came from: its own row, or that of the wijk or gemeente
/// it lies in (CBS leaves out the details of small buurten). Ordered from fine
/// to coarse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Buurt,
    Wijk,
    Gemeente,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Buurt => "buurt",
            Source::Wijk => "wijk",
            Source::Gemeente => "gemeente",
        }
    }
}

/// The first area, buurt then wijk then gemeente, that has a value.
pub fn first_of<T>(
    chain: &[(Source, &Area)],
    value: impl Fn(&Area) -> Option<T>,
) -> Option<(T, Source)> {
    chain
        .iter()
        .find_map(|(source, area)| value(area).map(|v| (v, *source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(ages: [f64; 5], one_person: f64) -> Area {
        Area {
            code: "BU00000000".into(),
            name: "test".into(),
            line: 2,
            inhabitants: Some(ages.iter().sum()),
            ages: Some(ages),
            one_person_households: Some(one_person),
            land_ha: Some(50.0),
            density_per_km2: None,
        }
    }

    #[test]
    fn cbs_age_bands_become_carenets_adult_bands() {
        // 100 aged 0–14, 100 aged 15–24 (30 under 18), 200 aged 25–44, 200
        // aged 45–64, 100 aged 65+: 570 adults of 700 inhabitants; 18–34: 70 + 100,
        // 35–54: 100 + 100, 55–74: 100 + 56, 75+: 44.
        let a = area([100.0, 100.0, 200.0, 200.0, 100.0], 114.0);
        assert!((a.adult_share().unwrap() * 700.0 - 570.0).abs() < 1e-9);
        let mix = a.age_mix().unwrap();
        for (m, e) in mix.iter().zip([170.0, 200.0, 156.0, 44.0]) {
            assert!((m - e / 570.0).abs() < 1e-12, "{mix:?}");
        }
        assert!((a.living_alone().unwrap() - 0.2).abs() < 1e-12);
        // 700 inhabitants on 50 ha = 0.5 km².
        assert!((a.density_per_km2().unwrap() - 1400.0).abs() < 1e-9);
    }

    #[test]
    fn rounding_is_silent_a_small_difference_a_note_and_a_large_one_a_contradiction() {
        let mut a = area([100.0, 100.0, 200.0, 200.0, 400.0], 114.0);
        assert_eq!(a.check(), Ok(Vec::new()));
        // 1000 by age: 15 off is CBS's rounding of six counts to fives.
        a.inhabitants = Some(985.0);
        assert_eq!(a.check(), Ok(Vec::new()));
        a.inhabitants = Some(984.0);
        assert_eq!(a.check().unwrap().len(), 1);
        // 10% of the inhabitants, at least 25 people, is a contradiction.
        a.inhabitants = Some(1110.0);
        assert_eq!(a.check().unwrap().len(), 1);
        a.inhabitants = Some(1112.0);
        assert!(a.check().unwrap_err().starts_with("the age bands"));
        a.inhabitants = Some(1000.0);
        // 900 aged 15+: 990 one-person households is 10% more (noted, as
        // more than the 870 adults); 991 is a contradiction.
        a.one_person_households = Some(990.0);
        let notes = a.check().unwrap();
        assert!(
            notes[0].contains("share of 1.14 living alone, set to 1"),
            "{notes:?}"
        );
        a.one_person_households = Some(991.0);
        assert!(a.check().unwrap_err().contains("only 900 of the"));
        // Small areas: 25 people either way.
        let mut small = area([0.0, 0.0, 10.0, 10.0, 10.0], 0.0);
        small.inhabitants = Some(5.0);
        assert_eq!(small.check().unwrap().len(), 1);
        small.inhabitants = Some(4.0);
        assert!(small.check().is_err());
    }
}
