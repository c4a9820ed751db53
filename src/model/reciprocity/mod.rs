//! Reciprocity (rule §5.7): helped residents may return a small favour, and every
//! tie's balance slowly fades.

use rand::RngExt;
use rayon::prelude::*;

use super::Engine;
use crate::behaviour::balance_after_gift;
use crate::hours::Hours;
use crate::outcomes::WeekTally;
use crate::rng::{Stream, stream};

/// Ties per chunk when summing balances: fixed, so that sums do not depend on the
/// number of threads.
const BALANCE_CHUNK: usize = 1 << 14;

impl Engine {
    /// A resident helped this week who has hours to spare returns a favour (a
    /// visit, a cake) to the tie that gave most, with the scenario's chance.
    ///
    /// Each case decides from its own hours and stream, in parallel; the favours
    /// then move balances in case order (two residents may return favours over
    /// the same tie).
    pub(super) fn return_favours(&mut self, tally: &mut WeekTally) {
        let b = &self.world.scenario.behaviour;
        let favour = Hours::from_f64(b.return_favour_hours);
        if favour.is_zero() || b.return_favour_chance <= 0.0 {
            return;
        }
        let week = self.week;
        let seed = self.world.scenario.seed;
        let carers = &self.carers;
        let favours: Vec<(usize, usize, bool)> = self
            .cases
            .par_iter()
            .filter_map(|case| {
                let p = case.person.index();
                if carers.left[p] < favour || carers.burnt_out[p] > 0 {
                    return None;
                }
                let best = case
                    .helpers
                    .iter()
                    .filter(|h| h.week == week && h.tie.is_some())
                    .max_by_key(|h| (h.hours, std::cmp::Reverse(h.helper)))?;
                let mut rng = stream(
                    seed,
                    Stream::Reciprocity,
                    u64::from(week),
                    u64::from(case.person.0),
                );
                if rng.random::<f64>() >= b.return_favour_chance {
                    return None;
                }
                let tie = best.tie?;
                Some((p, tie.index(), case.person < best.helper))
            })
            .collect();
        for (p, t, lower_gives) in favours {
            let balance = &mut self.world.network.ties.balance[t];
            *balance = balance_after_gift(*balance, favour, lower_gives);
            self.carers.left[p] -= favour;
            self.carers.given[p] += favour;
            tally.favours += favour;
        }
    }

    /// Balances fade by the scenario's share each week. Returns the mean absolute
    /// balance over all ties after fading.
    pub(super) fn fade_balances(&mut self) -> f64 {
        let keep = (1.0 - self.world.scenario.behaviour.balance_fade) as f32;
        let balances = &mut self.world.network.ties.balance;
        if balances.is_empty() {
            return 0.0;
        }
        let partial: Vec<f64> = balances
            .par_chunks_mut(BALANCE_CHUNK)
            .map(|chunk| {
                chunk
                    .iter_mut()
                    .map(|b| {
                        *b *= keep;
                        f64::from(b.abs())
                    })
                    .sum::<f64>()
            })
            .collect();
        partial.iter().sum::<f64>() / balances.len() as f64
    }
}
