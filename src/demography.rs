//! Ages in years and survival (docs/ODD.md §7.2).
//!
//! Adult mortality follows a Gompertz law, hazard `a·exp(b·age)` per year, fitted
//! to the Dutch life table (docs/ODD.md §7.2 gives the fit). It decides two things
//! at the start of a run: how ages spread within an age band (a stationary
//! population thins out with age as survival does) and whether a resident's
//! parents, children and siblings are alive.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::kinds::AgeBand;

/// Nobody in the model is older than this (the open age band ends here).
pub const OLDEST_AGE: u8 = 105;
/// Adults are 18 or older.
pub const ADULT_AGE: u8 = 18;

/// Gompertz mortality: the yearly hazard at age `x` is `a · exp(b · x)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mortality {
    /// Hazard at age 0 (per year).
    pub a: f64,
    /// Rate at which the hazard rises with age (per year of age).
    pub b: f64,
}

impl Default for Mortality {
    /// Fitted to the CBS life table of 2022–2023, both sexes: remaining life
    /// expectancy at 65 of 20.6 years and about 36% of 65-year-olds reaching 90
    /// (the fit gives 20.7 years and 36%; survival from birth to 80 is 0.62).
    fn default() -> Self {
        Mortality {
            a: 3.7e-5,
            b: 0.088,
        }
    }
}

impl Mortality {
    /// The same law with every hazard multiplied by `ratio`.
    pub fn scaled(&self, ratio: f64) -> Mortality {
        Mortality {
            a: self.a * ratio,
            b: self.b,
        }
    }

    /// Women's and men's laws when men's hazard is `men_to_women` times women's
    /// and this law is their average (a hazard of (1 + ratio) / 2 times women's).
    pub fn by_sex(&self, men_to_women: f64) -> (Mortality, Mortality) {
        let women = 2.0 / (1.0 + men_to_women);
        (self.scaled(women), self.scaled(women * men_to_women))
    }

    /// The chance to survive from birth to `age` (years, fractional allowed).
    pub fn survival(&self, age: f64) -> f64 {
        crate::math::exp(-self.a / self.b * (crate::math::exp(self.b * age) - 1.0))
    }

    /// The chance that someone aged `from` is still alive at `to` (`to` ≥ `from`).
    pub fn survives(&self, from: f64, to: f64) -> f64 {
        if to > f64::from(OLDEST_AGE) {
            return 0.0;
        }
        let at_from = self.survival(from);
        if at_from <= 0.0 {
            return 0.0;
        }
        (self.survival(to) / at_from).clamp(0.0, 1.0)
    }

    /// Remaining life expectancy at `age`, years (numerically, to [`OLDEST_AGE`]).
    pub fn life_expectancy(&self, age: f64) -> f64 {
        const STEP: f64 = 0.05;
        let steps = ((f64::from(OLDEST_AGE) - age) / STEP).max(0.0) as usize;
        (0..steps)
            .map(|i| self.survives(age, age + (i as f64 + 0.5) * STEP) * STEP)
            .sum()
    }

    /// An age in years within `band`, spread as in a stationary population: in
    /// proportion to survival to that age (rejection from the uniform law).
    pub fn draw_age_in(&self, rng: &mut impl rand::Rng, band: AgeBand) -> u8 {
        draw_age_by(rng, band, |age| self.survival(f64::from(age)))
    }
}

/// [`Mortality::survival`] at every whole age, worked out once: for drawing
/// many ages from one law (an outside alter each, in network formation),
/// where the law's two exponentials per try were a few percent of the set-up.
/// Draws exactly as [`Mortality::draw_age_in`] does.
#[derive(Debug, Clone)]
pub struct SurvivalByAge {
    at: Vec<f64>,
}

impl SurvivalByAge {
    pub fn new(mortality: &Mortality) -> SurvivalByAge {
        SurvivalByAge {
            at: (0..=OLDEST_AGE)
                .map(|age| mortality.survival(f64::from(age)))
                .collect(),
        }
    }

    /// As [`Mortality::draw_age_in`].
    pub fn draw_age_in(&self, rng: &mut impl rand::Rng, band: AgeBand) -> u8 {
        draw_age_by(rng, band, |age| self.at[usize::from(age)])
    }
}

/// An age in `band`, by rejection against `survival` (whole ages).
fn draw_age_by(rng: &mut impl rand::Rng, band: AgeBand, survival: impl Fn(u8) -> f64) -> u8 {
    let (low, high) = band.ages();
    let top = survival(low);
    loop {
        let age = rng.random_range(low..=high);
        if rng.random::<f64>() * top <= survival(age) {
            return age;
        }
    }
}

/// An age plus a number of years, kept within the model's ages.
pub fn age_plus(age: u8, years: f64) -> Option<u8> {
    let sum = f64::from(age) + years.round();
    (f64::from(ADULT_AGE)..=f64::from(OLDEST_AGE))
        .contains(&sum)
        .then_some(sum as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    #[test]
    fn default_mortality_matches_the_life_table_it_was_fitted_to() {
        let m = Mortality::default();
        let e65 = m.life_expectancy(65.0);
        assert!((e65 - 20.6).abs() < 0.3, "e65 = {e65}");
        let to_90 = m.survives(65.0, 90.0);
        assert!((to_90 - 0.36).abs() < 0.02, "{to_90}");
        assert!(m.survives(30.0, 40.0) > 0.98);
        assert_eq!(m.survives(60.0, 120.0), 0.0);
    }

    #[test]
    fn ages_in_the_open_band_thin_out_as_survival_does() {
        let m = Mortality::default();
        let mut rng = stream(1, Stream::Attributes, 0, 0);
        let ages: Vec<u8> = (0..40_000)
            .map(|_| m.draw_age_in(&mut rng, AgeBand::Age75Plus))
            .collect();
        assert!(ages.iter().all(|a| (75..=OLDEST_AGE).contains(a)));
        let share = |low: u8, high: u8| {
            ages.iter().filter(|a| (low..=high).contains(*a)).count() as f64 / ages.len() as f64
        };
        // Expected shares from the survival curve itself.
        let weight = |x: u8| m.survival(f64::from(x));
        let total: f64 = (75..=OLDEST_AGE).map(weight).sum();
        let expected = |low: u8, high: u8| (low..=high).map(weight).sum::<f64>() / total;
        for (low, high) in [(75, 79), (80, 84), (85, 89), (90, OLDEST_AGE)] {
            assert!(
                (share(low, high) - expected(low, high)).abs() < 0.01,
                "{low}-{high}: {} vs {}",
                share(low, high),
                expected(low, high)
            );
        }
        assert!(share(75, 79) > share(85, 89));
    }

    #[test]
    fn the_table_draws_the_ages_the_law_draws() {
        let m = Mortality::default();
        let table = SurvivalByAge::new(&m);
        for &band in AgeBand::ALL {
            let mut a = stream(2, Stream::Attributes, band.index() as u64, 0);
            let mut b = a.clone();
            for _ in 0..2_000 {
                assert_eq!(m.draw_age_in(&mut a, band), table.draw_age_in(&mut b, band));
            }
        }
    }

    #[test]
    fn ages_stay_adult_and_below_the_oldest() {
        assert_eq!(age_plus(40, 30.4), Some(70));
        assert_eq!(age_plus(90, 20.0), None);
        assert_eq!(age_plus(30, -14.0), None);
    }
}
