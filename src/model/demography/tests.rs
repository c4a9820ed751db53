//! The turn of the year keeps its accounts: every home taken again, no tie to
//! anyone who died or left, every per-person structure cleared for a newcomer;
//! deaths follow the life table within sampling error; a run of several years
//! keeps the need identity every week and is the same on 1 and 2 threads.

use super::*;
use crate::engine::Engine;
use crate::model::formal::step::teams_for;
use crate::model::needs::{NeedModel, step::initial_cases};
use crate::population::build_residents;
use crate::world::World;

/// A small area: two neighbourhoods of 900 adults, a help exchange in each
/// (so the volunteer pools are exercised), a short burn-in.
fn small_scenario(years: u32) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.neighbourhoods.truncate(2);
    for n in &mut scenario.neighbourhoods {
        n.adults = 900;
    }
    scenario.weeks = years * YEAR_WEEKS;
    scenario.burn_in_weeks = 8;
    scenario.help_exchange.enabled = true;
    scenario
}

/// The engine's per-person state outside the engine, for calling the turn
/// directly.
struct Parts {
    world: World,
    cases: Vec<Case>,
    teams: Vec<Team>,
    carers: Carers,
    ledger: CareLedger,
    offices: Vec<Office>,
}

impl Parts {
    fn new(scenario: &Scenario) -> Parts {
        let world = World::build(scenario);
        let needs = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        let mut cases = initial_cases(&needs, &world.people);
        for case in &mut cases {
            case.formal = crate::model::formal::FormalStatus::Waiting {
                since: 0,
                hours: Hours(100),
            };
        }
        let mut teams = teams_for(
            &scenario.formal,
            &world.people,
            scenario.neighbourhoods.len(),
        );
        for case in &cases {
            teams[case.neighbourhood.index()].enqueue(crate::model::formal::Waiting {
                person: case.person,
                since: 0,
                hours: Hours(100),
            });
        }
        let offices = crate::model::interventions::standing_offices(scenario)
            .into_iter()
            .map(|spec| Office::open(spec, &world.people))
            .collect();
        Parts {
            carers: Carers::new(&world.people, vec![0.5; world.people.len()]),
            ledger: {
                let mut ledger = CareLedger::new(world.people.area_residents());
                ledger.care_weeks.fill(3);
                ledger.received_weeks.fill(2);
                ledger
            },
            cases,
            teams,
            offices,
            world,
        }
    }

    fn turn(&mut self, year: u32) -> Turn {
        let scenario = self.world.scenario.clone();
        let state = DemographyState {
            people: &mut self.world.people,
            network: &mut self.world.network,
            cases: &mut self.cases,
            teams: &mut self.teams,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            offices: &mut self.offices,
        };
        turn_of_year(&scenario, year, state)
    }
}

/// Every row entry points at someone present over a live tie, and back;
/// nobody gone has a tie; partners are each other's and share a partner tie.
fn assert_graph_consistent(people: &People, network: &Network) {
    assert_eq!(network.people(), people.len());
    for (p, row) in network.rows() {
        if people.has_flag(p, flags::GONE) {
            assert!(row.is_empty(), "{p:?} is gone but has ties");
        }
        for entry in row {
            assert!(
                !people.has_flag(entry.other, flags::GONE),
                "{p:?} tied to gone"
            );
            assert!(!network.has_ended(entry.tie()), "ended tie in a row");
            assert!(
                network
                    .row(entry.other)
                    .iter()
                    .any(|e| e.other == p && e.tie() == entry.tie()),
                "{p:?}–{:?} is one-sided",
                entry.other
            );
        }
    }
    for r in 0..people.area_residents() as u32 {
        let me = PersonId(r);
        let partner_tie = network
            .row(me)
            .iter()
            .find(|e| e.kind() == TieKind::Partner)
            .map(|e| e.other);
        assert_eq!(people.partner(me), partner_tie, "household of {me:?}");
        if let Some(q) = people.partner(me) {
            assert_eq!(people.partner(q), Some(me));
        }
    }
}

#[test]
fn every_turn_keeps_the_accounts() {
    let scenario = small_scenario(5);
    let mut parts = Parts::new(&scenario);
    assert_graph_consistent(&parts.world.people, &parts.world.network);
    let mut before = first_year(&parts.world.people);
    let (mut deaths, mut moves, mut young) = (0, 0, 0);
    for year in 2..=5 {
        let ties_before = parts.world.network.ties.len();
        let ages: Vec<u8> = parts.world.people.age.clone();
        let live_before: Vec<(PersonId, Vec<crate::ids::TieId>)> =
            (0..parts.world.people.area_residents() as u32)
                .map(|r| {
                    let row = parts.world.network.row(PersonId(r));
                    (PersonId(r), row.iter().map(|e| e.tie()).collect())
                })
                .collect();
        let turn = parts.turn(year);
        let s = &turn.start;
        let people = &parts.world.people;
        let network = &parts.world.network;
        // Population change = arrivals − departures − deaths + comings of age.
        assert_eq!(
            s.adults() as i64 - before.adults() as i64,
            s.arrivals as i64 - s.departures as i64 - s.deaths as i64 + s.comings_of_age as i64
        );
        assert_eq!(s.deaths + s.departures, turn.vacated.len() as u64);
        assert_eq!(s.arrivals + s.comings_of_age, turn.vacated.len() as u64);
        assert_eq!(s.adults(), people.area_residents() as u64);
        assert_eq!(s.outside_deaths, turn.outside_dead.len() as u64);
        assert_graph_consistent(people, network);
        let vacated: std::collections::HashSet<PersonId> = turn.vacated.iter().copied().collect();
        assert_homes_handed_over(&parts, &live_before, &vacated, &ages, ties_before);
        for alter in &turn.outside_dead {
            assert!(people.has_flag(*alter, flags::GONE));
        }
        assert_no_leaver_left(&parts, &vacated);
        for band in AgeBand::ALL {
            let count = people.age_band[..people.area_residents()]
                .iter()
                .filter(|b| *b == band)
                .count();
            assert_eq!(s.residents[band.index()], count as u64);
        }
        deaths += s.deaths;
        moves += s.departures;
        young += s.comings_of_age;
        before = turn.start;
        parts.ledger.care_weeks.fill(3);
        parts.ledger.received_weeks.fill(2);
    }
    // 1,800 adults for four years: about 1% die, 5% move and 1% come of age a year.
    assert!(
        deaths > 20 && moves > 150 && young > 30,
        "{deaths} {moves} {young}"
    );
}

/// A leaver's ties all ended, the newcomer's are all new and start afresh;
/// everyone who stayed is a year older and keeps their record.
fn assert_homes_handed_over(
    parts: &Parts,
    live_before: &[(PersonId, Vec<crate::ids::TieId>)],
    vacated: &std::collections::HashSet<PersonId>,
    ages: &[u8],
    ties_before: usize,
) {
    let people = &parts.world.people;
    let network = &parts.world.network;
    for (person, ties) in live_before {
        let i = person.index();
        if vacated.contains(person) {
            assert!(ties.iter().all(|t| network.has_ended(*t)));
            assert!(
                network
                    .row(*person)
                    .iter()
                    .all(|e| e.tie().index() >= ties_before)
            );
            assert_eq!(parts.ledger.care_weeks[i], 0);
            assert_eq!(parts.ledger.received_weeks[i], 0);
            assert_eq!(parts.carers.strain[i], 0.0);
            assert_eq!(parts.carers.burnt_out[i], 0);
        } else {
            assert_eq!(people.age[i], (ages[i] + 1).min(OLDEST_AGE));
            assert_eq!(parts.ledger.care_weeks[i], 3);
            assert_eq!(parts.ledger.received_weeks[i], 2);
        }
    }
}

/// No case, recent helper, waiting-list place or volunteer pool keeps a leaver,
/// and the per-person arrays cover everyone.
fn assert_no_leaver_left(parts: &Parts, vacated: &std::collections::HashSet<PersonId>) {
    let people = &parts.world.people;
    for case in &parts.cases {
        assert!(!vacated.contains(&case.person), "a leaver's case stayed");
        assert!(case.helpers.iter().all(|h| !vacated.contains(&h.helper)));
    }
    for team in &parts.teams {
        assert!(team.queue.iter().all(|w| !vacated.contains(&w.person)));
    }
    for office in &parts.offices {
        for v in &office.volunteers {
            assert!(people.has_flag(*v, flags::EXCHANGE_VOLUNTEER));
        }
        assert!(office.volunteers.windows(2).all(|w| w[0] < w[1]));
    }
    assert_eq!(parts.carers.strain.len(), people.len());
    assert_eq!(parts.carers.capacity.len(), people.len());
}

#[test]
fn newcomers_bring_relatives_elsewhere_and_few_local_ties() {
    let scenario = small_scenario(2);
    let mut parts = Parts::new(&scenario);
    let turn = parts.turn(2);
    let people = &parts.world.people;
    let network = &parts.world.network;
    let newcomers: Vec<PersonId> = turn
        .vacated
        .iter()
        .copied()
        .filter(|p| people.age[p.index()] > crate::demography::ADULT_AGE)
        .collect();
    assert!(newcomers.len() > 50);
    let count = |pred: &dyn Fn(&crate::network::Adjacent) -> bool| -> f64 {
        newcomers
            .iter()
            .map(|p| network.row(*p).iter().filter(|e| pred(e)).count())
            .sum::<usize>() as f64
            / newcomers.len() as f64
    };
    let kin_outside = count(&|e| e.kind() == TieKind::Kin && !people.is_resident(e.other));
    let local = count(&|e| people.is_resident(e.other) && e.kind() != TieKind::Partner);
    assert!(kin_outside > 1.0, "kin outside per newcomer {kin_outside}");
    assert!(local <= 1.0 + 1e-9, "local ties per newcomer {local}");
    // Newcomers have a sex as the residents of the start do (docs/ODD.md
    // §7.1): a couple is a woman and a man, and both sexes come.
    for p in &newcomers {
        if let Some(partner) = people.partner(*p) {
            assert_ne!(people.is_woman(*p), people.is_woman(partner));
        }
    }
    let women = newcomers.iter().filter(|p| people.is_woman(**p)).count();
    assert!(
        women > 0 && women < newcomers.len(),
        "{women} of {}",
        newcomers.len()
    );
    // Kin ties read the right way round: a newcomer's parent is older.
    for p in &newcomers {
        for e in network.row(*p) {
            if network.kin_relation(*p, *e) == Some(KinRelation::Parent) {
                assert!(people.age[e.other.index()] > people.age[p.index()]);
            }
        }
    }
}

/// One neighbourhood of `adults` with the age mix `age_mix`, nobody moving out:
/// every draw at a turn of the year is a death draw.
fn residents_who_stay(adults: u32, age_mix: [f64; 4]) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.neighbourhoods.truncate(1);
    scenario.neighbourhoods[0].adults = adults;
    scenario.neighbourhoods[0].age_mix = age_mix;
    scenario.demography.move_out_per_year = [0.0; 4];
    scenario
}

#[test]
fn deaths_by_age_reproduce_the_life_table_within_sampling_error() {
    // 400,000 adults, most of them old, with the stationary ages of the start;
    // nobody moves, so every draw is a death draw. For each ten-year age group
    // the deaths are a sum of independent Bernoulli draws with the life table's
    // chances q(x): mean Σq, variance Σq(1−q). Four standard deviations (plus
    // one death for the smallest groups) fail a correct law about once in
    // 15,000 groups, and the total is checked the same way. A hazard 5% off
    // fails (checked: with 1.05 × q, ages 80–89 gave 5,524 deaths against
    // 5,231 ± 281).
    let scenario = residents_who_stay(400_000, [0.1, 0.15, 0.3, 0.45]);
    let people = build_residents(&scenario);
    let mortality = scenario.population.mortality;
    let fates = resident_fates(&scenario, 2, &people);
    let mut groups = [(0u64, 0.0f64, 0.0f64); 10];
    for (r, fate) in fates.iter().enumerate() {
        let age = people.age[r];
        let q = death_chance(&mortality, age);
        let g = &mut groups[(usize::from(age) / 10).min(9)];
        g.0 += u64::from(*fate == Fate::Dies);
        g.1 += q;
        g.2 += q * (1.0 - q);
        assert_ne!(*fate, Fate::MovesOut);
    }
    let mut checked = 0;
    for (g, (observed, expected, variance)) in groups.iter().enumerate() {
        if *expected < 5.0 {
            continue;
        }
        let tolerance = 4.0 * variance.sqrt() + 1.0;
        assert!(
            (*observed as f64 - expected).abs() <= tolerance,
            "ages {}–{}: {observed} deaths, life table {expected:.1} ± {tolerance:.1}",
            g * 10,
            g * 10 + 9
        );
        checked += 1;
    }
    assert!(checked >= 5, "too few age groups with deaths to test");
    let observed: u64 = groups.iter().map(|g| g.0).sum();
    let expected: f64 = groups.iter().map(|g| g.1).sum();
    let sd = groups.iter().map(|g| g.2).sum::<f64>().sqrt();
    assert!(
        (observed as f64 - expected).abs() <= 4.0 * sd,
        "all ages: {observed} deaths, life table {expected:.1} ± {:.1}",
        4.0 * sd
    );
    // The chances themselves are the life table's: a year's death chance at 80
    // is the Gompertz law's 1 − S(81)/S(80).
    let q80 = death_chance(&mortality, 80);
    assert!((q80 - (1.0 - mortality.survival(81.0) / mortality.survival(80.0))).abs() < 1e-12);
    assert!(death_chance(&mortality, OLDEST_AGE) == 1.0);
}

/// A falling mortality scales the year's hazard by (1 − decline)^(year − 1):
/// year 1 has the life table's chances exactly, later years fewer deaths, as
/// many fewer as the hazard says (the deaths of 60,000 old residents in year
/// 11 at a 3% decline against the scaled chances, within four standard
/// deviations).
#[test]
fn a_mortality_decline_lowers_deaths_by_its_power() {
    let mut scenario = residents_who_stay(60_000, [0.0, 0.0, 0.2, 0.8]);
    scenario.demography.mortality_decline_per_year = 0.03;
    let mortality = scenario.population.mortality;
    assert_eq!(mortality_factor(&scenario, 1), 1.0);
    assert!((mortality_factor(&scenario, 11) - 0.97f64.powi(10)).abs() < 1e-12);
    for age in [40, 70, 85, 99] {
        assert_eq!(
            death_chance_scaled(&mortality, age, 1.0),
            death_chance(&mortality, age)
        );
        assert!(death_chance_scaled(&mortality, age, 0.7) < death_chance(&mortality, age));
    }
    let people = build_residents(&scenario);
    let factor = mortality_factor(&scenario, 11);
    let chances: Vec<f64> = (0..people.area_residents())
        .map(|r| death_chance_scaled(&mortality, people.age[r], factor))
        .collect();
    let expected: f64 = chances.iter().sum();
    let sd = chances.iter().map(|q| q * (1.0 - q)).sum::<f64>().sqrt();
    let observed = resident_fates(&scenario, 11, &people)
        .iter()
        .filter(|f| **f == Fate::Dies)
        .count() as f64;
    assert!(
        (observed - expected).abs() <= 4.0 * sd,
        "year 11: {observed} deaths against {expected:.0} ± {:.0}",
        4.0 * sd
    );
    let unscaled: f64 = (0..people.area_residents())
        .map(|r| death_chance(&mortality, people.age[r]))
        .sum();
    assert!(
        expected < unscaled - 8.0 * sd,
        "{expected} against {unscaled}"
    );
}

/// Runs the scenario and checks, after every turn of the year, that the
/// engine's own state agrees: outside parents are present and tied to their
/// child, cases belong to residents, and every week's hours balance.
fn run_checked(scenario: &Scenario) -> crate::tally::RunRecord {
    let mut engine = Engine::new(World::build(scenario));
    let record = engine.run_observed(&mut |engine, tally| {
        assert!(
            tally.balances(),
            "hours do not balance in week {}",
            tally.week
        );
        if tally.week >= 0 && (tally.week as u32).is_multiple_of(YEAR_WEEKS) {
            let world = engine.world();
            assert_graph_consistent(&world.people, &world.network);
            for parent in engine.outside_parents().parents() {
                assert!(!world.people.has_flag(parent.parent, flags::GONE));
                assert!(!world.network.has_ended(parent.tie));
                assert!(world.people.is_resident(parent.child));
            }
            assert!(engine.cases().windows(2).all(|w| w[0].person < w[1].person));
            for case in engine.cases() {
                assert!(world.people.is_resident(case.person));
                assert!(case.episodes.iter().any(Option::is_some));
            }
        }
    });
    engine.finish_record(record)
}

#[test]
fn a_run_of_years_balances_every_week_and_is_the_same_on_any_threads() {
    let scenario = small_scenario(3);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(|| run_checked(&scenario))
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one.years.len(), 3);
    assert_eq!(one.years, two.years);
    assert_eq!(one.weeks, two.weeks);
    assert!(one.years[1].deaths + one.years[1].departures > 0);
}

#[test]
fn without_demography_the_residents_stay_the_same() {
    let mut scenario = small_scenario(2);
    scenario.demography.enabled = false;
    let record = run_checked(&scenario);
    assert_eq!(record.years.len(), 2);
    assert_eq!(record.years[0].residents, record.years[1].residents);
    assert_eq!(record.years[1].deaths + record.years[1].arrivals, 0);
}

/// With `partner_moves_in` at 1, the newcomer who takes the half of a
/// couple's home beside a resident living alone is that resident's partner
/// (a partner tie, the other sex, ties to each other's parents); at 0 the
/// resident goes on living alone (docs/ODD.md §7.2.1).
#[test]
fn a_newcomer_beside_a_resident_living_alone_moves_in_as_their_partner() {
    for chance in [0.0, 1.0] {
        let mut scenario = small_scenario(2);
        scenario.demography.partner_moves_in = [chance; AgeBand::COUNT];
        // Nobody living alone pairs up with another resident here.
        scenario.demography.singles_pair_up_per_year = [0.0; AgeBand::COUNT];
        let mut parts = Parts::new(&scenario);
        let turn = parts.turn(2);
        let vacated: std::collections::HashSet<PersonId> = turn.vacated.iter().copied().collect();
        let people = &parts.world.people;
        let network = &parts.world.network;
        let mut beside_a_single = 0;
        let mut partners = 0;
        for slot in &turn.vacated {
            let n = people.neighbourhood[slot.index()];
            let first = people.neighbourhood_members(n).start;
            let local = slot.0 - first;
            if local >= 2 * couples_in(&scenario.neighbourhoods[n.index()]) {
                continue;
            }
            // Beside someone who stays: a resident living alone, or one
            // whose partner died.
            let other = PersonId(first + (local ^ 1));
            if vacated.contains(&other) {
                continue;
            }
            beside_a_single += 1;
            if chance == 0.0 || came_of_age(people, network, *slot) {
                assert_eq!(people.partner(other), None, "{other:?} lives alone");
                continue;
            }
            partners += 1;
            assert_eq!(people.partner(other), Some(*slot));
            assert_ne!(people.is_woman(other), people.is_woman(*slot));
            let parents_of = |p: PersonId| -> Vec<PersonId> {
                network
                    .row(p)
                    .iter()
                    .filter(|e| network.kin_relation(p, **e) == Some(KinRelation::Parent))
                    .map(|e| e.other)
                    .collect()
            };
            let in_laws_of = |p: PersonId| -> Vec<PersonId> {
                network
                    .row(p)
                    .iter()
                    .filter(|e| network.kin_relation(p, **e) == Some(KinRelation::ParentInLaw))
                    .map(|e| e.other)
                    .collect()
            };
            // (A widow or widower keeps the late partner's parents too.)
            for (child, in_law) in [(other, *slot), (*slot, other)] {
                let in_laws = in_laws_of(in_law);
                for parent in parents_of(child) {
                    assert!(in_laws.contains(&parent), "{in_law:?}'s parent-in-law");
                }
            }
        }
        assert_eq!(turn.start.partners_moving_in, partners);
        assert!(
            beside_a_single > 10,
            "{beside_a_single} halves beside a single"
        );
        assert_eq!(
            partners > 0,
            chance > 0.0,
            "{partners} partners at {chance}"
        );
    }
}

/// Young adults coming of age take single homes before the half of a couple's
/// home beside a resident, where a partner may move in.
#[test]
fn young_adults_take_single_homes_first() {
    let scenario = small_scenario(2);
    let mut parts = Parts::new(&scenario);
    let turn = parts.turn(2);
    let people = &parts.world.people;
    let young = |p: &PersonId| came_of_age(people, &parts.world.network, *p);
    let in_couples_home = |p: PersonId| {
        let n = people.neighbourhood[p.index()];
        let first = people.neighbourhood_members(n).start;
        p.0 - first < 2 * couples_in(&scenario.neighbourhoods[n.index()])
    };
    for n in 0..scenario.neighbourhoods.len() {
        let members = people.neighbourhood_members(NeighbourhoodId(n as u16));
        let here: Vec<PersonId> = turn
            .vacated
            .iter()
            .copied()
            .filter(|p| members.contains(&p.0))
            .collect();
        let young_in_halves = here.iter().any(|p| in_couples_home(*p) && young(p));
        let single_homes_to_newcomers = here.iter().any(|p| !in_couples_home(*p) && !young(p));
        assert!(
            here.iter().any(young),
            "neighbourhood {n}: nobody came of age"
        );
        assert!(
            !(young_in_halves && single_homes_to_newcomers),
            "neighbourhood {n}: the young took halves while newcomers got single homes"
        );
    }
}

/// The place of a leaver who had paired up from a single home and lived with
/// their partner elsewhere is the half beside that partner, not a single home
/// for a young adult coming of age (session 34's audit found 3 of 970).
#[test]
fn the_place_of_a_leaver_who_lived_with_a_partner_is_the_half_beside_them() {
    let scenario = small_scenario(2);
    let parts = Parts::new(&scenario);
    let people = &parts.world.people;
    let home = NeighbourhoodId(0);
    let members = people.neighbourhood_members(home);
    let couples = couples_in(&scenario.neighbourhoods[0]);
    let mut singles = (members.start + 2 * couples..members.end)
        .filter(|p| people.has_flag(PersonId(*p), flags::LIVES_ALONE));
    let (leaver, partner) = (singles.next().unwrap(), singles.next().unwrap());
    let mut vacant = vec![false; people.area_residents()];
    vacant[leaver as usize] = true;
    let left_behind = [(PersonId(leaver), PersonId(partner))];
    let homes = |left_behind| HomesToFill {
        scenario: &scenario,
        year: 2,
        home,
        first: members.start,
        couples,
        vacant: &vacant,
        left_behind,
    };
    assert_eq!(homes(&left_behind).kind_of_vacancy(people, leaver), 1);
    assert_eq!(
        homes(&[]).kind_of_vacancy(people, leaver),
        0,
        "a single home"
    );
}

/// A young adult who came of age in the area: a parent among the residents
/// (a newcomer's parents live elsewhere).
fn came_of_age(people: &People, network: &Network, p: PersonId) -> bool {
    network.row(p).iter().any(|e| {
        people.is_resident(e.other) && network.kin_relation(p, *e) == Some(KinRelation::Parent)
    })
}

/// [`small_scenario`] where every resident living alone looks for a partner
/// at each turn and no newcomer moves in as one.
fn everyone_alone_pairs_up(years: u32) -> Scenario {
    let mut scenario = small_scenario(years);
    scenario.demography.partner_moves_in = [0.0; AgeBand::COUNT];
    scenario.demography.singles_pair_up_per_year = [1.0; AgeBand::COUNT];
    scenario
}

/// Every tie of `person` is as long as from where they live now.
fn assert_ties_measured_from_home(people: &People, network: &Network, person: PersonId) {
    for entry in network.row(person) {
        let d = distance_km(
            people.position[person.index()],
            people.position[entry.other.index()],
        );
        assert_eq!(
            network.ties.distance_km[entry.tie().index()],
            d,
            "{person:?}"
        );
    }
}

/// Singles pair up (docs/ODD.md §7.2.1): with every resident living alone
/// looking, couples form between a woman and a man of one neighbourhood,
/// within the age gap, who had no tie; each is the other's partner with a
/// partner tie, both live in one of their homes, the mover's ties measure
/// their distances from there, and each has a tie to the other's parents.
#[test]
fn residents_living_alone_pair_up_and_share_a_home() {
    let mut parts = Parts::new(&everyone_alone_pairs_up(2));
    let alone_before: Vec<PersonId> = (0..parts.world.people.area_residents() as u32)
        .map(PersonId)
        .filter(|p| parts.world.people.has_flag(*p, flags::LIVES_ALONE))
        .collect();
    let homes_before = parts.world.people.position.clone();
    let partners_before: Vec<Option<PersonId>> = (0..parts.world.people.area_residents() as u32)
        .map(|p| parts.world.people.partner(PersonId(p)))
        .collect();
    let turn = parts.turn(2);
    let vacated: std::collections::HashSet<PersonId> = turn.vacated.iter().copied().collect();
    let people = &parts.world.people;
    let network = &parts.world.network;
    // Alone when the singles looked: alone before, or widowed at this turn.
    let alone_at_turn = |p: PersonId| {
        !vacated.contains(&p)
            && (alone_before.contains(&p)
                || partners_before[p.index()].is_some_and(|q| vacated.contains(&q)))
    };
    let mut couples = 0;
    for me in (0..people.area_residents() as u32).map(PersonId) {
        let Some(partner) = people.partner(me).filter(|_| alone_at_turn(me)) else {
            continue;
        };
        assert!(alone_at_turn(partner), "{me:?} paired with a newcomer");
        assert_eq!(people.partner(partner), Some(me));
        assert_ne!(people.is_woman(me), people.is_woman(partner));
        assert_eq!(
            people.neighbourhood[me.index()],
            people.neighbourhood[partner.index()]
        );
        let gap = i32::from(people.age[me.index()]) - i32::from(people.age[partner.index()]);
        assert!(gap.abs() <= 8, "ages {gap} apart");
        assert_eq!(
            network.tie_between(me, partner).map(|e| e.kind()),
            Some(TieKind::Partner)
        );
        assert_eq!(
            people.position[me.index()],
            people.position[partner.index()]
        );
        let stayed = [me, partner]
            .iter()
            .filter(|p| people.position[p.index()] == homes_before[p.index()])
            .count();
        assert_eq!(stayed, 1, "one of {me:?} and {partner:?} moved");
        assert_ties_measured_from_home(people, network, me);
        for entry in network.row(partner) {
            if network.kin_relation(partner, *entry) == Some(KinRelation::Parent) {
                assert!(
                    network.tie_between(me, entry.other).is_some(),
                    "parent-in-law"
                );
            }
        }
        if me < partner {
            couples += 1;
        }
    }
    assert_eq!(couples, turn.start.couples_formed);
    assert!(couples > 100, "{couples} couples formed");
    assert_graph_consistent(people, network);
}

/// Couples separate (docs/ODD.md §7.2.1): at chance 1 every couple of whom
/// both stay parts. One who moved in with a partner returns to their own
/// home, their ties measured from there, and lives alone beside the other;
/// of a couple who lived in one home from the start, one moves out.
#[test]
fn couples_separate_and_whoever_moved_in_returns_home() {
    let mut parts = Parts::new(&everyone_alone_pairs_up(3));
    let homes = parts.world.people.position.clone();
    parts.turn(2);
    let couples = couples_of_residents(&parts.world.people);
    let moved = |p: PersonId, people: &People| people.position[p.index()] != homes[p.index()];
    let across_homes = couples
        .iter()
        .filter(|(p, q)| moved(*p, &parts.world.people) || moved(*q, &parts.world.people))
        .count();
    assert!(across_homes > 50, "{across_homes} couples across homes");
    parts.world.scenario.demography.singles_pair_up_per_year = [0.0; AgeBand::COUNT];
    parts.world.scenario.demography.separations_per_year = [1.0; AgeBand::COUNT];
    let turn = parts.turn(3);
    let vacated: std::collections::HashSet<PersonId> = turn.vacated.iter().copied().collect();
    let people = &parts.world.people;
    let network = &parts.world.network;
    let mut parted = 0;
    for &(a, b) in couples
        .iter()
        .filter(|(a, b)| !vacated.contains(a) && !vacated.contains(b))
    {
        assert_eq!(people.partner(a), None, "{a:?} and {b:?} parted");
        assert_eq!(people.partner(b), None);
        assert!(network.tie_between(a, b).is_none());
        for p in [a, b] {
            assert_eq!(
                people.position[p.index()],
                homes[p.index()],
                "{p:?} at home"
            );
            assert_ties_measured_from_home(people, network, p);
        }
        parted += 1;
    }
    assert!(parted > 50, "{parted} couples parted and stayed");
    assert!(turn.start.separations > parted);
    assert_graph_consistent(people, network);
}

/// A couple that parts at a turn does not pair up again at that turn (nor
/// with anyone else): with every couple separating and every single looking
/// for a partner, each resident who parted is still alone after the turn, so
/// no turn counts one couple both as a separation and as a couple formed.
#[test]
fn who_separates_at_a_turn_looks_for_a_partner_from_the_next_on() {
    let mut parts = Parts::new(&everyone_alone_pairs_up(3));
    parts.turn(2);
    let couples = couples_of_residents(&parts.world.people);
    parts.world.scenario.demography.singles_pair_up_per_year = [1.0; AgeBand::COUNT];
    parts.world.scenario.demography.separations_per_year = [1.0; AgeBand::COUNT];
    let turn = parts.turn(3);
    let vacated: std::collections::HashSet<PersonId> = turn.vacated.iter().copied().collect();
    let people = &parts.world.people;
    let stayed: Vec<&(PersonId, PersonId)> = couples
        .iter()
        .filter(|(a, b)| !vacated.contains(a) && !vacated.contains(b))
        .collect();
    assert!(
        stayed.len() > 50,
        "{} couples parted and stayed",
        stayed.len()
    );
    for &&(a, b) in &stayed {
        assert_eq!(people.partner(a), None, "{a:?} paired up again");
        assert_eq!(people.partner(b), None, "{b:?} paired up again");
    }
    assert_graph_consistent(people, &parts.world.network);
}

/// Every couple of residents, the lower id first.
fn couples_of_residents(people: &People) -> Vec<(PersonId, PersonId)> {
    (0..people.area_residents() as u32)
        .map(PersonId)
        .filter_map(|p| people.partner(p).map(|q| (p, q)))
        .filter(|(p, q)| p < q)
        .collect()
}
