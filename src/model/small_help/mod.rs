//! Neighbours' small help (docs/ODD.md §7.10.20): neighbours look in on a
//! resident with a long-term need whom they know, keep them company, run a small
//! errand, an hour or two a week; never more, however cohesive the street.
//!
//! Field research puts neighbours in emergencies and small favours, not in
//! long-term care (Jager-Vreugdenhil), light and short (Egging, De Boer &
//! Stevens: about 9% of the help to people aged 55+), a safety net rather than
//! carers (Linders). Asked help from neighbours shies away from long episodes
//! (§7.10.6); this rule is the other half: help that is offered, not asked for,
//! and capped per resident whatever the trust.
//!
//! The draws are made in parallel over cases (keyed by seed, week and the
//! resident); the hours move in case order, within each neighbour's hours left.

mod params;

pub use params::SmallHelpParams;

use rand::RngExt;
use rayon::prelude::*;

use super::Week;
use super::asking::{locality_between, logistic};
use super::case::Case;
use super::gift;
use super::ledger::{CareLedger, Gift};
use super::reciprocity::balance_after_gift;
use super::strain::Carers;
use super::trust::trust_after_help;
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::{EpisodeKind, TieKind};
use crate::network::Network;
use crate::outcomes::WeekTally;
use crate::rng::{Stream, stream};

/// A neighbour who looks in on the resident of a case this week.
struct Visit {
    case: usize,
    neighbour: PersonId,
    tie: TieId,
}

/// What neighbours' small help changes.
pub struct SmallHelpState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub network: &'a mut Network,
}

/// The week's small help: who looks in (in parallel), then the hours (in case
/// order).
pub fn neighbours_look_in(week: &Week, state: SmallHelpState, tally: &mut WeekTally) {
    let params = &week.scenario.small_help;
    if params.hours_per_week <= 0.0 || params.tasks.is_empty() {
        return;
    }
    let visits: Vec<Visit> = state
        .cases
        .par_iter()
        .enumerate()
        .filter(|(_, case)| case.has_episode(EpisodeKind::LongTerm))
        .flat_map_iter(|(i, case)| visits_to(week, state.network, state.carers, i, case))
        .collect();
    let cap = Hours::from_f64(params.hours_per_week);
    let mut received = vec![Hours::ZERO; state.cases.len()];
    let SmallHelpState {
        cases,
        carers,
        ledger,
        network,
    } = state;
    for visit in visits {
        let room = cap.saturating_sub(received[visit.case]);
        let given = look_in(
            week,
            &visit,
            room,
            &mut cases[visit.case],
            carers,
            network,
            tally,
        );
        received[visit.case] += given;
        if !given.is_zero() {
            gift::give(
                Gift {
                    helper: visit.neighbour,
                    receiver: cases[visit.case].person,
                    tie: Some(visit.tie),
                    hours: given,
                    household: false,
                },
                carers,
                ledger,
            );
        }
    }
}

/// The neighbours who look in on one resident this week, in row order: those
/// they know well enough, not burnt out, who draw to come.
fn visits_to(
    week: &Week,
    network: &Network,
    carers: &Carers,
    index: usize,
    case: &Case,
) -> Vec<Visit> {
    let scenario = week.scenario;
    let params = &scenario.small_help;
    let give = &scenario.behaviour.asking.give;
    let mut rng = stream(
        scenario.seed,
        Stream::SmallHelp,
        u64::from(week.week),
        u64::from(case.person.0),
    );
    let ties = &network.ties;
    network
        .row(case.person)
        .iter()
        .filter(|e| e.kind() == TieKind::Neighbour)
        .filter_map(|e| {
            let draw = rng.random::<f64>();
            let (t, n) = (e.tie().index(), e.other.index());
            let trust = f64::from(ties.trust[t]);
            if trust < params.min_trust || carers.burnt_out[n] > 0 {
                return None;
            }
            let chance = logistic(
                params.base
                    + give.helpfulness * (f64::from(week.people.helpfulness[n]) - 0.5)
                    + give.trust * (trust - 0.5)
                    + give.strain * f64::from(carers.strain[n]),
            );
            (draw < chance).then_some(Visit {
                case: index,
                neighbour: e.other,
                tie: e.tie(),
            })
        })
        .collect()
}

/// One neighbour's visit: up to `room` hours of the open small-help tasks, in
/// the order the scenario lists them, within the neighbour's hours left. The
/// receiver's side, the tally and the tie move here; the caller books the
/// helper's side.
fn look_in(
    week: &Week,
    visit: &Visit,
    room: Hours,
    case: &mut Case,
    carers: &Carers,
    network: &mut Network,
    tally: &mut WeekTally,
) -> Hours {
    let left = carers.left[visit.neighbour.index()];
    let mut can = room.min(left);
    let locality = locality_between(week.people, case, visit.neighbour);
    let t = visit.tie.index();
    let distance_km = network.ties.distance_km[t];
    let n = case.neighbourhood.index();
    let mut total = Hours::ZERO;
    for task in &week.scenario.small_help.tasks {
        let part = case.remaining(*task).min(can);
        if part.is_zero() {
            continue;
        }
        for (slot, met) in tally.neighbourhoods[n]
            .neighbour_by_episode
            .iter_mut()
            .zip(case.take(*task, part))
        {
            *slot += met;
        }
        tally.add_informal((TieKind::Neighbour, *task, locality), distance_km, part, n);
        can -= part;
        total += part;
    }
    if total.is_zero() {
        return total;
    }
    gift::receive_informal(case, visit.neighbour, Some(visit.tie), week.week, total);
    gift::count_for_receiver(tally, week.people, case.person, TieKind::Neighbour, total);
    let ties = &mut network.ties;
    ties.trust[t] = trust_after_help(&week.scenario.behaviour.trust, ties.trust[t]);
    ties.balance[t] = balance_after_gift(ties.balance[t], total, visit.neighbour < case.person);
    total
}
