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

    /// Share of adults who live alone: one-person households per adult.
    pub fn living_alone(&self) -> Option<f64> {
        let adults = self.adults().filter(|a| *a > 0.0)?;
        Some((self.one_person_households? / adults).min(1.0))
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
}
