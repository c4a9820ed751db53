use super::*;
use crate::kinds::KinRelation;
use crate::model::interventions::policies;
use crate::model::testing::{case_in_need, kin_tie as kin, tiny_people, tiny_scenario};
use crate::network::NewTie;
use crate::population::People;
use crate::scenario::Scenario;

fn friend(a: u32, b: u32) -> NewTie {
    NewTie {
        ends: PersonId::ordered_pair(PersonId(a), PersonId(b)),
        kind: TieKind::Friend,
        trust: 0.9,
        distance_km: 0.5,
        flags: 0,
    }
}

/// Resident 0 has a long-term need of 10 hours of household tasks; resident 2
/// is 0's child 3 km away, resident 4 a child 1 km away, resident 5 a sibling
/// next door and resident 3 a friend. Asking and agreeing are certain.
struct World {
    scenario: Scenario,
    people: People,
    network: Network,
    carers: Carers,
    ledger: CareLedger,
    cases: Vec<Case>,
}

impl World {
    fn new(ties: &[NewTie]) -> World {
        let mut scenario = tiny_scenario(6);
        scenario.behaviour.asking.ask.base = 30.0;
        scenario.behaviour.asking.give.base = 30.0;
        scenario.main_carer.enabled = true;
        let people = tiny_people(6);
        let network = Network::from_ties(6, ties);
        let mut carers = Carers::new(&people, vec![0.0; 6]);
        let cases = vec![case_in_need(PersonId(0), 10.0)];
        carers.start_week(&cases, &crate::model::strain::StrainParams::keeping(1.0));
        World {
            scenario,
            people,
            network,
            carers,
            ledger: CareLedger::new(6),
            cases,
        }
    }

    fn family() -> World {
        World::new(&[
            kin(0, 2, KinRelation::Child, 3.0),
            kin(0, 4, KinRelation::Child, 1.0),
            kin(0, 5, KinRelation::Sibling, 0.1),
            friend(0, 3),
        ])
    }

    fn week(&mut self, number: u32) -> WeekTally {
        let policies = policies(&self.scenario, Some(0));
        let week = Week::new(&self.scenario, &self.people, number, &policies);
        let mut tally = WeekTally::new(i64::from(number), 1);
        let state = MainCarerState {
            cases: &mut self.cases,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            network: &mut self.network,
        };
        main_carers_give(&week, state, &mut tally);
        tally
    }

    fn carer(&self) -> Option<PersonId> {
        self.cases[0].main_carer.map(|m| m.helper)
    }
}

fn hours(h: f64) -> Hours {
    Hours::from_f64(h)
}

#[test]
fn the_nearest_child_is_the_main_carer_and_gives_the_share() {
    let mut world = World::family();
    let tally = world.week(0);
    assert_eq!(world.carer(), Some(PersonId(4)), "the nearer child");
    let case = &world.cases[0];
    assert_eq!(case.hours.informal, hours(7.0), "70% of 10 hours");
    assert_eq!(
        case.remaining_total(),
        hours(3.0),
        "the rest for the rounds"
    );
    assert_eq!(world.carers.given[4], hours(7.0));
    assert_eq!(tally.informal.0, 700);
    assert_eq!(tally.asked.0, 700, "the hours asked of the main carer");
    assert!(
        !case.asked_this_week.contains(&true),
        "the rounds name their own part of the rest"
    );
    assert_eq!(world.ledger.week.len(), 1);
}

#[test]
fn an_agreed_task_is_a_routine_not_asked_again() {
    let mut world = World::family();
    world.week(0);
    // Nobody would agree any more: the routine goes on all the same.
    world.scenario.behaviour.asking.give.base = -30.0;
    let case = &mut world.cases[0];
    case.demand[EpisodeKind::LongTerm.index()][Task::Household.index()] = hours(10.0);
    case.asked_this_week = [false; Task::COUNT];
    case.hours.informal = Hours::ZERO;
    world.carers.start_week(
        &world.cases,
        &crate::model::strain::StrainParams::keeping(1.0),
    );
    let tally = world.week(1);
    assert_eq!(world.cases[0].hours.informal, hours(7.0));
    assert_eq!(tally.asked.0, 0, "a routine is not an ask");
}

#[test]
fn without_children_a_sibling_and_a_friend_only_without_kin() {
    let mut world = World::new(&[kin(0, 5, KinRelation::Sibling, 9.0), friend(0, 3)]);
    world.week(0);
    assert_eq!(
        world.carer(),
        Some(PersonId(5)),
        "a sibling, though the friend is nearer"
    );
    let mut alone = World::new(&[friend(0, 3)]);
    alone.week(0);
    assert_eq!(
        alone.carer(),
        Some(PersonId(3)),
        "friends come last by default"
    );
    let mut kin_only = World::new(&[friend(0, 3)]);
    kin_only.scenario.main_carer.relations.pop();
    kin_only.week(0);
    assert_eq!(
        kin_only.carer(),
        None,
        "unless the scenario leaves them out"
    );
    assert_eq!(kin_only.cases[0].hours.informal, Hours::ZERO);
}

#[test]
fn a_main_carer_gives_within_their_hours_and_beyond_only_by_the_extra_hours() {
    let mut world = World::family();
    world.carers.left[4] = hours(2.0);
    world.week(0);
    assert_eq!(world.cases[0].hours.informal, hours(2.0));
    assert_eq!(world.carers.left[4], Hours::ZERO);

    let mut extra = World::family();
    extra.scenario.main_carer.extra_hours = 4.0;
    extra.carers.left[4] = hours(2.0);
    extra.carers.available[4] = hours(2.0);
    extra.week(0);
    assert_eq!(extra.cases[0].hours.informal, hours(6.0));
    assert_eq!(extra.carers.given[4], hours(6.0));
    assert!(
        extra.carers.given[4] > extra.carers.available[4],
        "the load goes above 1, so strain rises faster"
    );
}

#[test]
fn a_burnt_out_or_departed_main_carer_is_replaced_and_an_ended_need_lets_go() {
    let mut world = World::family();
    world.week(0);
    assert_eq!(world.carer(), Some(PersonId(4)));
    world.carers.burnt_out[4] = 3;
    world.week(1);
    assert_eq!(world.carer(), Some(PersonId(2)), "the other child");
    world.network.end_ties_of(PersonId(2));
    world.week(2);
    assert_eq!(world.carer(), Some(PersonId(5)), "then the sibling");
    world.cases[0].episodes[EpisodeKind::LongTerm.index()] = None;
    world.week(3);
    assert_eq!(world.carer(), None);
}

#[test]
fn a_burnt_out_main_carer_who_carries_on_keeps_their_tasks_within_the_extra_hours() {
    let mut world = World::family();
    world.scenario.main_carer.extra_hours = 3.0;
    world.scenario.behaviour.strain.burnout_keeps_main_care = true;
    world.week(0);
    assert_eq!(world.carer(), Some(PersonId(4)));
    // A new week of the same need; the main carer is burnt out, with no hours
    // for others.
    let carer = world.cases[0].main_carer;
    world.cases[0] = case_in_need(PersonId(0), 10.0);
    world.cases[0].main_carer = carer;
    world.carers.burnt_out[4] = 3;
    world.carers.left[4] = Hours::ZERO;
    world.carers.available[4] = Hours::ZERO;
    world.carers.given[4] = Hours::ZERO;
    world.week(1);
    assert_eq!(world.carer(), Some(PersonId(4)), "kept");
    assert_eq!(world.cases[0].hours.informal, hours(3.0), "the extra hours");
    assert_eq!(world.carers.given[4], hours(3.0));

    // Without extra hours there is nothing to carry on with.
    world.scenario.main_carer.extra_hours = 0.0;
    world.cases[0] = case_in_need(PersonId(0), 10.0);
    world.cases[0].main_carer = carer;
    world.week(2);
    assert_eq!(world.carer(), Some(PersonId(2)), "replaced");

    // Burnt out having agreed to no task, there is nothing to carry on with.
    world.scenario.main_carer.extra_hours = 3.0;
    let mut agreed_nothing = carer.expect("a main carer");
    agreed_nothing.agreed = [false; Task::COUNT];
    world.cases[0] = case_in_need(PersonId(0), 10.0);
    world.cases[0].main_carer = Some(agreed_nothing);
    world.week(3);
    assert_eq!(world.carer(), Some(PersonId(2)), "replaced");
}

/// The main carer's tie must hold `main_carer.min_trust` (docs/ODD.md
/// §7.10.21): a nearest child trusted less is passed over for the other.
#[test]
fn a_child_trusted_below_min_trust_is_passed_over() {
    for (trust, carer) in [(0.5, 4), (0.49, 2)] {
        let mut world = World::family();
        assert_eq!(world.scenario.main_carer.min_trust, 0.5);
        let tie = world.network.tie_between(PersonId(0), PersonId(4));
        let tie = tie.expect("the nearest child").tie().index();
        world.network.ties.set_trust(tie, trust);
        world.week(0);
        assert_eq!(world.carer(), Some(PersonId(carer)), "trust {trust}");
    }
}

#[test]
fn a_refusal_costs_trust_and_leaves_the_need_to_the_rounds() {
    let mut world = World::family();
    world.scenario.behaviour.asking.give.base = -30.0;
    let tie = world
        .network
        .tie_between(PersonId(0), PersonId(4))
        .unwrap()
        .tie();
    world.week(0);
    assert_eq!(world.carer(), None);
    assert!(world.network.ties.trust(tie.index()) < 0.8);
    assert_eq!(world.cases[0].remaining_total(), hours(10.0));
}

#[test]
fn switched_off_nothing_happens() {
    let mut world = World::family();
    world.scenario.main_carer.enabled = false;
    let tally = world.week(0);
    assert_eq!(world.carer(), None);
    assert_eq!(world.cases[0].remaining_total(), hours(10.0));
    assert_eq!(tally.asked.0, 0);
}

#[test]
fn the_check_names_partners_neighbours_and_repeats() {
    let mut scenario = Scenario::default();
    scenario.main_carer.relations = vec![
        CareRelation::Child,
        CareRelation::Partner,
        CareRelation::Child,
    ];
    let problems = crate::scenario::validate(&scenario);
    let text = format!("{problems:?}");
    assert!(text.contains("main_carer.relations"), "{text}");
    assert!(text.contains("household rule"), "{text}");
    assert!(text.contains("listed twice"), "{text}");
}

#[test]
fn a_reluctant_resident_asks_their_main_carer_for_less() {
    let mut world = World::family();
    // Everyone's reluctance is 0.5: three quarters of the 7 hours are named.
    world
        .scenario
        .behaviour
        .asking
        .ask
        .named_share_when_reluctant = 0.5;
    let tally = world.week(0);
    assert_eq!(world.cases[0].hours.informal, hours(5.25));
    assert_eq!(tally.asked.0, 525);
}

/// A parent who owes their child 1,000 hours does not ask them, unless what
/// parents and children owe each other does not weigh (docs/ODD.md §7.10.5).
#[test]
fn a_parent_in_debt_asks_their_child_only_when_the_debt_between_generations_does_not_weigh() {
    for (weight, asked) in [(1.0, false), (0.0, true)] {
        let mut world = World::family();
        world.scenario.behaviour.asking.ask.debt_between_generations = weight;
        let tie = world
            .network
            .tie_between(PersonId(0), PersonId(4))
            .unwrap()
            .tie();
        // The child (4) gave the parent (0, the lower end) 1,000 hours more:
        // a debt term of -100 against the fixture's base of 30.
        world.network.ties.set_balance(tie.index(), -1000.0);
        let tally = world.week(0);
        assert_eq!(tally.asked.0 > 0, asked, "weight {weight}");
        assert_eq!(world.cases[0].hours.informal > Hours::ZERO, asked);
    }
}

/// While a network-first intake activates the resident's network, they ask
/// their main carer as the asking rounds ask everyone: with the reluctance
/// lowered by `formal.reluctance_lift` (docs/ODD.md §7.10.5, §7.10.8,
/// §7.10.21), so they name the whole share, not three quarters of it.
#[test]
fn network_first_lowers_the_reluctance_of_asks_to_the_main_carer_too() {
    for (activating, asked) in [(false, 525u32), (true, 700u32)] {
        let mut world = World::family();
        world
            .scenario
            .behaviour
            .asking
            .ask
            .named_share_when_reluctant = 0.5;
        world.scenario.formal.reluctance_lift = 1.0;
        if activating {
            world.cases[0].formal = crate::model::formal::FormalStatus::Activating { until: 10 };
        }
        let tally = world.week(0);
        assert_eq!(tally.asked.0, u64::from(asked), "activating {activating}");
        assert_eq!(world.cases[0].hours.informal.0, asked);
    }
}

/// A relative without hours for others (a parent in a nursing home, capacity
/// 0) is never chosen as the main carer, and a main carer who comes to have
/// none is let go and another chosen: such a carer would agree and give
/// nothing, and never be let go.
#[test]
fn a_relative_without_hours_for_others_is_not_the_main_carer() {
    let mut world = World::family();
    world.carers.set_capacity(PersonId(4), Hours::ZERO);
    world.week(0);
    assert_eq!(world.carer(), Some(PersonId(2)), "the other child");

    let mut kept = World::family();
    kept.week(0);
    assert_eq!(kept.carer(), Some(PersonId(4)));
    kept.carers.set_capacity(PersonId(4), Hours::ZERO);
    kept.week(1);
    assert_eq!(kept.carer(), Some(PersonId(2)), "let go, the other chosen");
}
