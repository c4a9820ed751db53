//! Reciprocity and favours (docs/ODD.md §7.10.10): helped residents may return a
//! small favour, and every tie's balance of help given minus received slowly
//! fades.

mod params;

pub use params::ReciprocityParams;

use rand::RngExt;
use rayon::prelude::*;

use super::Week;
use super::case::Case;
use super::strain::Carers;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::network::TrustAndBalances;
use crate::rng::{Stream, stream};
use crate::tally::WeekTally;

/// Ties per chunk when summing balances: fixed, so that sums do not depend on the
/// number of threads.
const BALANCE_CHUNK: usize = 1 << 14;

/// A resident helped this week who has hours to spare returns a favour (a visit,
/// a cake) to the tie that gave most, with the scenario's chance.
///
/// Each case decides from its own hours and stream, in parallel; the favours then
/// move balances in case order (two residents may return favours over the same
/// tie).
pub fn return_favours(
    week: &Week,
    cases: &[Case],
    carers: &mut Carers,
    balances: &mut TrustAndBalances,
    tally: &mut WeekTally,
) {
    let p = &week.scenario.behaviour.reciprocity;
    let favour = Hours::from_f64(p.return_favour_hours);
    if favour.is_zero() || p.return_favour_chance <= 0.0 {
        return;
    }
    let helped_in = week.week;
    let seed = week.scenario.seed;
    let carers_now: &Carers = carers;
    let favours: Vec<(usize, usize, bool)> = cases
        .par_iter()
        .filter_map(|case| {
            let p_index = case.person.index();
            if carers_now.left[p_index] < favour || carers_now.burnt_out[p_index] > 0 {
                return None;
            }
            let best = case
                .helpers
                .iter()
                .filter(|h| h.week == helped_in && h.tie.is_some())
                .max_by_key(|h| (h.hours, std::cmp::Reverse(h.helper)))?;
            let mut rng = stream(
                seed,
                Stream::Reciprocity,
                u64::from(helped_in),
                u64::from(case.person.0),
            );
            if rng.random::<f64>() >= p.return_favour_chance {
                return None;
            }
            let tie = best.tie?;
            Some((p_index, tie.index(), case.person < best.helper))
        })
        .collect();
    for (giver, t, lower_gives) in favours {
        balances.set(t, balance_after_gift(balances[t], favour, lower_gives));
        carers.spend(PersonId(giver as u32), favour);
        tally.favours += favour;
    }
}

/// Balances fade by the scenario's share each week. Returns the mean absolute
/// balance over the `live_ties` ties that have not ended, after fading (an
/// ended tie's balance is 0, so the sum over all is the sum over the live).
///
/// Only the ties with a balance are visited (a zero balance stays zero), in tie
/// order; the sum of absolute balances is made per fixed chunk of
/// `BALANCE_CHUNK` ties and the chunks' sums added in order, so it does not
/// depend on the number of threads, and adding no term for a zero balance
/// gives the very sum that adding 0.0 for it did.
pub fn fade_balances(
    p: &ReciprocityParams,
    balances: &mut TrustAndBalances,
    live_ties: usize,
) -> f64 {
    let keep = (1.0 - p.balance_fade) as f32;
    if balances.is_empty() || live_ties == 0 {
        return 0.0;
    }
    let chunk_sums = balances.update_nonzero_in_blocks(BALANCE_CHUNK, |_, b, sum: &mut f64| {
        *b *= keep;
        *sum += f64::from(b.abs());
    });
    let total: f64 = chunk_sums.iter().fold(0.0, |total, sum| total + sum);
    total / live_ties as f64
}

/// The balance of a tie is kept from its lower-numbered end: hours that end gave
/// minus hours it received. Moves it for `hours` given by `helper_is_lower`'s side.
pub fn balance_after_gift(balance: f32, hours: Hours, helper_is_lower: bool) -> f32 {
    let h = hours.as_f64() as f32;
    if helper_is_lower {
        balance + h
    } else {
        balance - h
    }
}

/// The balance seen from one end: positive when that end has given more.
pub fn balance_seen_by(balance: f32, viewer_is_lower: bool) -> f32 {
    if viewer_is_lower { balance } else { -balance }
}

/// The balance of a new tie after `hours` from `helper` to `receiver`.
pub fn first_balance(helper: PersonId, receiver: PersonId, hours: Hours) -> f32 {
    balance_after_gift(0.0, hours, helper < receiver)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::TieKind;
    use crate::model::case::RecentHelp;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    #[test]
    fn balances_move_with_gifts_and_read_from_either_end() {
        let b = balance_after_gift(0.0, Hours(200), false);
        assert_eq!(b, -2.0);
        assert_eq!(balance_seen_by(b, false), 2.0);
        assert_eq!(balance_seen_by(b, true), -2.0);
        assert_eq!(first_balance(PersonId(3), PersonId(1), Hours(100)), -1.0);
    }

    /// Ended ties (balance 0) do not count in the mean: in a run of several
    /// years they would dilute it year by year.
    #[test]
    fn the_mean_balance_is_over_the_ties_that_have_not_ended() {
        let p = ReciprocityParams {
            balance_fade: 0.5,
            ..ReciprocityParams::default()
        };
        let mut balances = TrustAndBalances::from(vec![4.0, 0.0, -2.0, 0.0]);
        assert_eq!(fade_balances(&p, &mut balances, 2), 1.5);
        assert_eq!(fade_balances(&p, &mut balances, 0), 0.0, "no live tie");
    }

    #[test]
    fn balances_fade_by_their_share() {
        let p = ReciprocityParams {
            balance_fade: 0.5,
            ..ReciprocityParams::default()
        };
        let mut balances = TrustAndBalances::from(vec![4.0, 0.0, -2.0]);
        let mean = fade_balances(&p, &mut balances, 3);
        let faded: Vec<f32> = balances.as_slice().iter().map(|v| v.balance).collect();
        assert_eq!(faded, [2.0, 0.0, -1.0]);
        assert_eq!(mean, 1.0);
    }

    /// Resident 0 was helped by 2 (3 hours) and 3 (1 hour) this week, and by
    /// 1 (5 hours) last week: with a certain chance the favour goes to 2, the
    /// tie that gave most this week, and costs 0 an hour of their own. On
    /// equal gifts it goes to the helper with the lower id (docs/ODD.md
    /// §7.10.10).
    #[test]
    fn a_helped_resident_returns_a_favour_to_the_tie_that_gave_most() {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.reciprocity.return_favour_chance = 1.0;
        let people = tiny_people(4);
        let network = tiny_network(
            4,
            &[
                (0, 1, TieKind::Friend),
                (0, 2, TieKind::Friend),
                (0, 3, TieKind::Friend),
            ],
        );
        let tie_to = |other: u32| {
            network
                .tie_between(PersonId(0), PersonId(other))
                .unwrap()
                .tie()
        };
        let favour = |gifts: &[(u32, u32, u32)]| {
            let mut case = case_in_need(PersonId(0), 4.0);
            for &(helper, week, hours) in gifts {
                case.helpers.push(RecentHelp {
                    helper: PersonId(helper),
                    tie: Some(tie_to(helper)),
                    week,
                    hours: Hours(hours),
                });
            }
            let mut carers = Carers::new(&people, vec![0.0; 4]);
            carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            let mut balances = network.ties.trust_and_balances().clone();
            let mut tally = WeekTally::new(0, 1);
            let week = Week::new(&scenario, &people, 5, &[]);
            return_favours(&week, &[case], &mut carers, &mut balances, &mut tally);
            let moved: Vec<f32> = (1..4).map(|h| balances[tie_to(h).index()]).collect();
            (moved, carers, tally)
        };
        let (moved, carers, tally) = favour(&[(1, 4, 500), (2, 5, 300), (3, 5, 100)]);
        assert_eq!(moved, [0.0, 1.0, 0.0], "0 is the lower end and gave to 2");
        assert_eq!(carers.given[0], Hours(100));
        assert_eq!(carers.left[0], carers.available[0] - Hours(100));
        assert_eq!(tally.favours.0, 100);
        let (moved, _, _) = favour(&[(3, 5, 300), (2, 5, 300)]);
        assert_eq!(moved, [0.0, 1.0, 0.0], "equal gifts: the lower id");
        let (moved, _, tally) = favour(&[(1, 4, 500)]);
        assert_eq!(moved, [0.0; 3], "not helped this week");
        assert_eq!(tally.favours.0, 0);
    }
}
