//! The help exchange in the week: after the asking rounds, residents with need
//! left in the exchange's tasks may turn to its coordinator, who matches them with
//! volunteers while the week's matches last. A match becomes a volunteer tie.

use rand::RngExt;

use super::{Office, turn_to_exchange_chance};
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::kinds::TieKind;
use crate::model::Week;
use crate::model::asking::{help_reachable, locality_between};
use crate::model::case::Case;
use crate::model::gift;
use crate::model::ledger::{CareLedger, Gift};
use crate::model::peers::{NewTies, tie_between};
use crate::model::reciprocity::first_balance;
use crate::model::strain::Carers;
use crate::network::Network;
use crate::rng::{Stream, StreamRng, stream, stream_key};
use crate::tally::WeekTally;

/// Offices per week in the keys of the exchange's random streams: a key is
/// `week * OFFICE_SLOTS + office`, unique while there are fewer offices.
const OFFICE_SLOTS: u64 = 1024;

/// The key of one office's draws in one week.
fn office_week_key(week: u32, office: usize) -> u64 {
    debug_assert!((office as u64) < OFFICE_SLOTS);
    u64::from(week) * OFFICE_SLOTS + office as u64
}

/// What the exchange changes: the offices' volunteer pools, the cases' demand,
/// the volunteers' hours, the ledger and the week's new volunteer ties.
pub struct ExchangeState<'a> {
    pub offices: &'a mut [Office],
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
    pub new_ties: &'a mut NewTies,
}

/// The week's exchange step: each office in turn.
pub fn help_exchange(
    week: &Week,
    network: &Network,
    mut state: ExchangeState,
    tally: &mut WeekTally,
) {
    for office in 0..state.offices.len() {
        run_office(week, network, office, &mut state, tally);
    }
}

/// Residents with need left in the exchange's tasks, in a seeded order so that
/// low ids have no advantage when matches run out.
fn candidates(week: &Week, office: &Office, cases: &[Case], key: u64) -> Vec<usize> {
    let tasks = &week.scenario.help_exchange.tasks;
    let mut candidates: Vec<usize> = (0..cases.len())
        .filter(|i| {
            let case = &cases[*i];
            office.covers(case.neighbourhood) && tasks.iter().any(|t| !case.remaining(*t).is_zero())
        })
        .collect();
    candidates.sort_by_key(|i| {
        stream_key(
            week.scenario.seed,
            Stream::Exchange,
            key,
            u64::from(cases[*i].person.0),
        )
    });
    candidates
}

fn run_office(
    week: &Week,
    network: &Network,
    office: usize,
    state: &mut ExchangeState,
    tally: &mut WeekTally,
) {
    let key = office_week_key(week.week, office);
    let spec = state.offices[office].spec.clone();
    let mut matches = 0;
    for i in candidates(week, &state.offices[office], state.cases, key) {
        let person = state.cases[i].person;
        if spec.reciprocity_rule && !can_offer(state.carers, person) {
            continue;
        }
        let mut rng = stream(
            week.scenario.seed,
            Stream::Exchange,
            key,
            u64::from(person.0),
        );
        let reluctance = f64::from(week.people.ask_reluctance[person.index()]);
        let chance = turn_to_exchange_chance(
            &week.scenario.help_exchange,
            reluctance,
            spec.reciprocity_rule,
        );
        if rng.random::<f64>() >= chance {
            continue;
        }
        tally.exchange_requests += 1;
        if spec.reciprocity_rule {
            state.offices[office].register(person);
        }
        if matches >= spec.matches_per_week {
            continue;
        }
        if let Some(volunteer) =
            find_volunteer(week, network, &state.offices[office], state, i, &mut rng)
        {
            matches += 1;
            tally.exchange_matches += 1;
            volunteer_helps(week, network, i, volunteer, state, tally);
        }
    }
}

/// A volunteer with hours left, not burnt out, within the help radius and not yet
/// tied to the resident.
fn find_volunteer(
    week: &Week,
    network: &Network,
    office: &Office,
    state: &ExchangeState,
    i: usize,
    rng: &mut StreamRng,
) -> Option<PersonId> {
    let case = &state.cases[i];
    let person = case.person;
    let radius = week.policies[case.neighbourhood.index()].help_radius;
    let carers = &*state.carers;
    office.pick_volunteer(rng, |v| {
        v != person
            && !carers.left[v.index()].is_zero()
            && carers.burnt_out[v.index()] == 0
            && help_reachable(radius, week.people, case, v)
            && !state.new_ties.tied_or_queued(network, person, v)
    })
}

/// Someone offers something when they have hours for others and are not burnt out.
fn can_offer(carers: &Carers, person: PersonId) -> bool {
    let p = person.index();
    !carers.capacity[p].is_zero() && carers.burnt_out[p] == 0
}

/// A matched volunteer helps with what they can this week; the match becomes a
/// volunteer tie.
fn volunteer_helps(
    week: &Week,
    network: &Network,
    i: usize,
    volunteer: PersonId,
    state: &mut ExchangeState,
    tally: &mut WeekTally,
) {
    let people = week.people;
    let v = volunteer.index();
    let locality = locality_between(people, &state.cases[i], volunteer);
    let case = &mut state.cases[i];
    let n = case.neighbourhood.index();
    let trust = week.scenario.network.initial_trust.get(TieKind::Volunteer);
    let tie = tie_between(people, case.person, volunteer, TieKind::Volunteer, trust);
    let mut total = Hours::ZERO;
    for task in &week.scenario.help_exchange.tasks {
        let hours = case.remaining(*task).min(state.carers.left[v] - total);
        if hours.is_zero() {
            continue;
        }
        case.take(*task, hours);
        tally.add_informal(
            (TieKind::Volunteer, *task, locality),
            tie.distance_km,
            hours,
            n,
        );
        total += hours;
    }
    let person = case.person;
    gift::receive_informal(case, volunteer, None, week.week, total);
    let given = Gift {
        helper: volunteer,
        receiver: person,
        tie: None,
        hours: total,
        household: false,
    };
    gift::give(given, state.carers, state.ledger);
    gift::count_for_receiver(tally, people, person, TieKind::Volunteer, total);
    let queued = state
        .new_ties
        .queue(network, tie, first_balance(volunteer, person, total));
    debug_assert!(queued, "the coordinator matched a pair already tied");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::interventions::{OfficeSpec, policies};
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    /// Resident 0 needs 4 hours of household help; 2 and 3 volunteer. With a
    /// certain turn to the exchange, one volunteer gives all 4 hours and a
    /// volunteer tie is queued with the balance of that gift.
    #[test]
    fn a_matched_volunteer_helps_and_becomes_a_tie() {
        let mut scenario = tiny_scenario(4);
        scenario.help_exchange.ask_base = 50.0;
        // Not 0.5, which any placeholder trust would also be.
        scenario.network.initial_trust.0[TieKind::Volunteer.index()] = 0.35;
        let mut people = tiny_people(4);
        for v in [2, 3] {
            people.flags[v] |= crate::population::flags::EXCHANGE_VOLUNTEER;
        }
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let spec = OfficeSpec {
            neighbourhood: None,
            matches_per_week: 5,
            reciprocity_rule: false,
        };
        let mut offices = [Office::open(spec, &people)];
        assert_eq!(offices[0].volunteers, vec![PersonId(2), PersonId(3)]);
        let mut cases = [case_in_need(PersonId(0), 4.0)];
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let mut ledger = CareLedger::new(4);
        let mut new_ties = NewTies::default();
        let mut tally = WeekTally::new(0, 1);
        let policies = policies(&scenario, None);
        let week = Week::new(&scenario, &people, 3, &policies);
        let state = ExchangeState {
            offices: &mut offices,
            cases: &mut cases,
            carers: &mut carers,
            ledger: &mut ledger,
            new_ties: &mut new_ties,
        };
        help_exchange(&week, &network, state, &mut tally);
        assert_eq!(tally.exchange_requests, 1);
        assert_eq!(tally.exchange_matches, 1);
        assert!(cases[0].remaining_total().is_zero());
        assert_eq!(cases[0].hours.informal, Hours::from_f64(4.0));
        let volunteer = cases[0].helpers[0].helper;
        assert!(volunteer == PersonId(2) || volunteer == PersonId(3));
        assert_eq!(carers.given[volunteer.index()], Hours::from_f64(4.0));
        assert_eq!(ledger.week.len(), 1);
        assert_eq!(new_ties.len(), 1);
        assert!(new_ties.tied_or_queued(&network, PersonId(0), volunteer));
        // A volunteer tie at its kind's mean trust, its balance that of the gift.
        let mut network = network;
        new_ties.join(&mut network);
        let tie = network.tie_between(PersonId(0), volunteer).expect("joined");
        let t = tie.tie().index();
        assert_eq!(tie.kind(), TieKind::Volunteer);
        let trust = scenario.network.initial_trust.get(TieKind::Volunteer) as f32;
        assert_eq!(network.ties.trust(t), trust);
        assert_eq!(
            network.ties.balance(t),
            -4.0,
            "0, the lower end, received 4 hours"
        );
    }

    /// Under the reciprocity rule (docs/ODD.md §7.10.7, steps 1 and 3) a
    /// resident who cannot offer anything (capacity 0, or burnt out) is
    /// skipped, and one who turns to the exchange is registered as a
    /// volunteer of the office; without the rule neither happens.
    #[test]
    fn the_reciprocity_rule_skips_who_cannot_offer_and_registers_who_asks() {
        #[derive(Debug, Clone, Copy)]
        enum CannotOffer {
            NoCapacity,
            BurntOut,
        }
        let run = |rule: bool, cannot_offer: Option<CannotOffer>| {
            let mut scenario = tiny_scenario(4);
            scenario.help_exchange.ask_base = 50.0;
            let mut people = tiny_people(4);
            people.flags[2] |= crate::population::flags::EXCHANGE_VOLUNTEER;
            let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
            let spec = OfficeSpec {
                neighbourhood: None,
                matches_per_week: 5,
                reciprocity_rule: rule,
            };
            let mut offices = [Office::open(spec, &people)];
            let mut cases = [case_in_need(PersonId(0), 4.0)];
            let mut carers = Carers::new(&people, vec![0.0; 4]);
            carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
            match cannot_offer {
                Some(CannotOffer::NoCapacity) => carers.set_capacity(PersonId(0), Hours::ZERO),
                Some(CannotOffer::BurntOut) => carers.burnt_out[0] = 2,
                None => {}
            }
            let (mut ledger, mut new_ties) = (CareLedger::new(4), NewTies::default());
            let mut tally = WeekTally::new(0, 1);
            let policies = policies(&scenario, None);
            let week = Week::new(&scenario, &people, 3, &policies);
            let state = ExchangeState {
                offices: &mut offices,
                cases: &mut cases,
                carers: &mut carers,
                ledger: &mut ledger,
                new_ties: &mut new_ties,
            };
            help_exchange(&week, &network, state, &mut tally);
            let [office] = offices;
            (
                tally.exchange_requests,
                tally.exchange_matches,
                office.volunteers,
            )
        };
        assert_eq!(run(true, None), (1, 1, vec![PersonId(0), PersonId(2)]));
        for reason in [CannotOffer::NoCapacity, CannotOffer::BurntOut] {
            assert_eq!(
                run(true, Some(reason)),
                (0, 0, vec![PersonId(2)]),
                "{reason:?}"
            );
            assert_eq!(
                run(false, Some(reason)),
                (1, 1, vec![PersonId(2)]),
                "{reason:?}"
            );
        }
        assert_eq!(run(false, None), (1, 1, vec![PersonId(2)]));
    }

    #[test]
    fn office_keys_do_not_collide_across_weeks_and_offices() {
        let keys: std::collections::HashSet<u64> = (0..50)
            .flat_map(|w| (0..20).map(move |o| office_week_key(w, o)))
            .collect();
        assert_eq!(keys.len(), 50 * 20);
    }
}
