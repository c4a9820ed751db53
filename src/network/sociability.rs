//! Sociability: how many ties a resident keeps up, relative to the average.
//!
//! Each resident draws a sociability s from a gamma law with mean 1. It scales the
//! ties they propose (of every kind), and a resident proposed to accepts the tie
//! with chance min(1, s). Together these make a resident's expected number of ties
//! proportional to s + min(1, s) / E[min(1, s)], whose mean over residents is the
//! scenario's mean, so the per-kind means stay what the scenario says while
//! network sizes spread out and the least sociable end up without contacts (the
//! ~4% of adults without weekly contact, docs/ODD.md §1.3).

use super::spatial::Member;
use crate::ids::PersonId;
use crate::rng::{Stream, stream, stream_key};
use rand::distr::Distribution;

use crate::laws::Gamma;
use rayon::prelude::*;

pub struct Sociability {
    /// Per resident.
    values: Vec<f32>,
    seed: u64,
}

impl Sociability {
    pub fn draw(seed: u64, shape: f64, residents: usize) -> Sociability {
        let law = Gamma::new(shape, 1.0 / shape).ok();
        let values = (0..residents as u64)
            .into_par_iter()
            .map(|r| {
                let mut rng = stream(seed, Stream::Sociability, r, 0);
                law.map_or(1.0, |g| g.sample(&mut rng)) as f32
            })
            .collect();
        Sociability { values, seed }
    }

    /// A resident's sociability.
    pub fn of(&self, person: PersonId) -> f64 {
        f64::from(self.values[person.index()])
    }

    /// A proposer's mean number of proposals: the scenario's mean (half of it for
    /// ties to residents, whose other half comes from the other end), scaled by the
    /// proposer's sociability.
    pub fn scale(&self, ego: PersonId, mean: f64) -> f64 {
        mean * self.of(ego)
    }

    /// Whether `candidate` accepts a tie from `ego`: with chance min(1, s), drawn
    /// from the pair's own key so that the answer does not depend on sampling order.
    pub fn welcomes(&self, ego: PersonId, candidate: PersonId) -> bool {
        Self::welcomes_at(self.seed, ego, candidate, self.values[candidate.index()])
    }

    /// [`Sociability::welcomes`] for a grid member, whose sociability is copied
    /// next to them (the same value, so the same answer).
    pub fn welcomes_member(&self, ego: PersonId, candidate: &Member) -> bool {
        Self::welcomes_at(self.seed, ego, candidate.id, candidate.sociability)
    }

    /// Every resident's sociability, indexed by person.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    fn welcomes_at(seed: u64, ego: PersonId, candidate: PersonId, sociability: f32) -> bool {
        let key = stream_key(
            seed,
            Stream::Sociability,
            u64::from(ego.0),
            u64::from(candidate.0) + 1,
        );
        let uniform = (key >> 11) as f64 / (1u64 << 53) as f64;
        uniform < f64::from(sociability).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Gamma as GammaLaw};

    /// E[min(1, s)] for s ~ Gamma(shape, rate = shape): E[s; s < 1] + P(s ≥ 1),
    /// where E[s; s < 1] = E[s] · P(Gamma(shape + 1, rate) < 1).
    fn mean_welcome(shape: f64) -> f64 {
        let below = |k: f64| GammaLaw::new(k, shape).map_or(0.5, |g| g.cdf(1.0));
        below(shape + 1.0) + 1.0 - below(shape)
    }

    #[test]
    fn mean_welcome_matches_a_sample() {
        for shape in [0.5, 1.0, 3.0] {
            let s = Sociability::draw(3, shape, 200_000);
            let sample: f64 = s.values.iter().map(|v| f64::from(*v).min(1.0)).sum::<f64>()
                / s.values.len() as f64;
            let expected = mean_welcome(shape);
            assert!(
                (sample - expected).abs() < 0.005,
                "shape {shape}: sample {sample} vs {expected}"
            );
        }
        // Exponential sociability: E[min(1, s)] = 1 − e^−1.
        assert!((mean_welcome(1.0) - (1.0 - crate::math::exp(-1.0))).abs() < 1e-9);
    }

    #[test]
    fn acceptance_follows_sociability() {
        let s = Sociability::draw(5, 1.0, 20_000);
        let low: Vec<u32> = (0..20_000)
            .filter(|r| s.values[*r as usize] < 0.2)
            .collect();
        let high: Vec<u32> = (0..20_000)
            .filter(|r| s.values[*r as usize] > 1.0)
            .collect();
        let rate = |group: &[u32]| {
            group
                .iter()
                .filter(|c| s.welcomes(PersonId(7), PersonId(**c)))
                .count() as f64
                / group.len() as f64
        };
        assert!(rate(&low) < 0.15, "low {}", rate(&low));
        assert_eq!(rate(&high), 1.0);
    }
}
