//! Unit tests of the engine's phases on a tiny world: each phase of
//! [`SCHEDULE`] called on its own with a hand-set state, for what the engine
//! adds to the submodels' steps (their own tests are in their folders): the
//! order of the phases, the teams' budgets from the week's levers, the week's
//! burnouts counted, balances faded and their mean reported, new ties joining
//! at the end of the week, the strain at the start, and a year begun.

use super::*;
use crate::hours::Hours;
use crate::ids::PersonId;
use crate::kinds::TieKind;
use crate::model::formal::team_capacity;
use crate::model::testing::tiny_scenario;
use crate::network::NewTie;

fn tiny_engine(adults: u32) -> Engine {
    Engine::new(World::build(&tiny_scenario(adults)))
}

/// Runs one phase of the week on the engine as it stands, with `policies`.
fn run_phase(
    engine: &mut Engine,
    policies: &[interventions::Policy],
    step: PhaseStep,
) -> WeekTally {
    let mut tally = WeekTally::new(0, engine.world.scenario.neighbourhoods.len());
    let world = &mut engine.world;
    let context = Context {
        week: Week::new(&world.scenario, &world.people, engine.week, policies),
        associations: &world.associations,
        rules: &engine.rules,
        reported: Some(0),
    };
    step(&context, &mut world.network, &mut engine.live, &mut tally);
    tally
}

fn baseline_policies(engine: &Engine) -> Vec<interventions::Policy> {
    interventions::policies(&engine.world.scenario, Some(0))
}

#[test]
fn the_schedule_runs_and_times_every_phase_once_in_order() {
    let phases: Vec<Phase> = SCHEDULE.iter().map(|(phase, _)| *phase).collect();
    assert_eq!(phases, Phase::ALL);
    let mut engine = tiny_engine(40);
    let tally = engine.step();
    assert!(tally.balances());
    assert_eq!(engine.week(), 1);
}

#[test]
fn the_needs_phase_sets_each_teams_budget_from_its_lever() {
    let mut engine = tiny_engine(40);
    let mut policies = baseline_policies(&engine);
    policies[0].formal_hours_per_1000 = 500.0;
    run_phase(&mut engine, &policies, needs_and_onsets);
    let residents = engine.world.people.area_residents();
    assert_eq!(engine.teams()[0].capacity, team_capacity(500.0, residents));
    policies[0].formal_hours_per_1000 = 0.0;
    run_phase(&mut engine, &policies, needs_and_onsets);
    assert_eq!(engine.teams()[0].capacity, Hours::ZERO);
}

#[test]
fn the_strain_phase_counts_who_burns_out_by_neighbourhood() {
    let mut engine = tiny_engine(40);
    let policies = baseline_policies(&engine);
    let threshold = engine.world.scenario.behaviour.strain.burnout_threshold;
    let carer = PersonId(3);
    let carers = &mut engine.live.carers;
    carers.start_week(&[], &crate::model::strain::StrainParams::keeping(0.5));
    carers.strain[carer.index()] = threshold as f32;
    let everything = carers.left[carer.index()];
    carers.spend(carer, everything);
    let tally = run_phase(&mut engine, &policies, strain_and_burnout);
    assert_eq!(tally.burnouts, 1);
    assert_eq!(tally.burnout_residents, vec![carer]);
    assert_eq!(tally.neighbourhoods[0].burnouts, 1);
    assert!(engine.carers().is_burnt_out(carer));
}

#[test]
fn the_balance_phase_fades_balances_and_reports_their_mean() {
    let mut engine = tiny_engine(40);
    let policies = baseline_policies(&engine);
    assert!(
        !engine.world.network.ties.is_empty(),
        "the tiny world has ties"
    );
    engine.world.network.ties.set_balance(0, 10.0);
    let tally = run_phase(&mut engine, &policies, fade_balances);
    let faded = engine.world.network.ties.balance(0);
    assert!(faded > 0.0 && faded < 10.0, "{faded}");
    assert!(tally.mean_abs_balance > 0.0);
    let nothing = run_phase(&mut tiny_engine(40), &policies, fade_balances);
    assert_eq!(nothing.mean_abs_balance, 0.0);
}

#[test]
fn the_last_phase_joins_the_weeks_new_ties() {
    let mut engine = tiny_engine(40);
    let policies = baseline_policies(&engine);
    let network = &engine.world.network;
    let (a, b) = (0..40u32)
        .flat_map(|a| (a + 1..40).map(move |b| (PersonId(a), PersonId(b))))
        .find(|(a, b)| network.tie_between(*a, *b).is_none())
        .expect("two residents without a tie");
    let tie = NewTie {
        ends: PersonId::ordered_pair(a, b),
        kind: TieKind::Acquaintance,
        trust: 0.5,
        distance_km: 1.0,
        flags: 0,
    };
    let ties = network.ties.len();
    assert!(engine.live.new_ties.queue(network, tie, 0.0));
    run_phase(&mut engine, &policies, end_week);
    assert_eq!(engine.world.network.ties.len(), ties + 1);
    assert!(engine.world.network.tie_between(a, b).is_some());
    assert!(engine.live.new_ties.is_empty());
}

#[test]
fn only_partners_of_residents_in_long_term_need_start_strained_below_burnout() {
    let engine = tiny_engine(400);
    let threshold = engine.world.scenario.behaviour.strain.burnout_threshold;
    let people = &engine.world.people;
    let partners: Vec<usize> = engine
        .cases()
        .iter()
        .filter_map(|c| people.partner(c.person))
        .map(|p| p.index())
        .collect();
    assert!(
        !partners.is_empty(),
        "some residents start in long-term need"
    );
    for (p, strain) in engine.carers().strain.iter().enumerate() {
        if partners.contains(&p) {
            assert!(f64::from(*strain) < threshold, "{p}: {strain}");
        } else {
            assert_eq!(*strain, 0.0, "{p}");
        }
    }
    assert!(partners.iter().any(|p| engine.carers().strain[*p] > 0.0));
}

#[test]
fn a_year_without_demography_keeps_its_residents_and_is_recorded() {
    let mut engine = tiny_engine(40);
    let residents = engine.world.people.area_residents();
    engine.start_year(1);
    engine.start_year(2);
    assert_eq!(engine.years().len(), 2);
    assert_eq!(engine.years()[1].year, 2);
    assert_eq!(engine.world.people.area_residents(), residents);
}

#[test]
fn parents_in_a_nursing_home_keep_no_hours_for_others_from_the_start() {
    let mut scenario = tiny_scenario(600);
    scenario.outbound.nursing_home_share_80_89 = 1.0;
    scenario.outbound.nursing_home_share_90_plus = 1.0;
    let engine = Engine::new(World::build(&scenario));
    let in_homes: Vec<PersonId> = engine.outside_parents().in_nursing_homes().collect();
    assert!(!in_homes.is_empty(), "some parents are 80 or older");
    for parent in &in_homes {
        assert!(engine.world.people.age[parent.index()] >= 80);
        assert_eq!(engine.carers().capacity[parent.index()], Hours::ZERO);
    }
    let at_home = engine
        .outside_parents()
        .parents()
        .iter()
        .filter(|p| !p.in_nursing_home)
        .map(|p| p.parent);
    assert!(
        at_home
            .into_iter()
            .all(|p| engine.world.people.age[p.index()] < 80)
    );
}
