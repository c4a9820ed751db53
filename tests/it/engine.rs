//! The weekly engine on small areas: conservation of hours, capacity, burnout,
//! network edge cases, formal bookkeeping and determinism across thread counts.
//! Every week of every run here also passes the bookkeeping checks of
//! `common::step_checked` (conservation, capacity, the district teams' books).

use carenet::World;
use carenet::engine::Engine;
use carenet::hours::{Hours, HoursTotal};
use carenet::ids::PersonId;
use carenet::kinds::{CareRelation, KinRelation, Locality, TieKind};
use carenet::model::formal::FormalStatus;
use carenet::scenario::{Catchment, Range};
use carenet::tally::WeekTally;

use crate::common::*;

fn ties_of_kind(e: &Engine, kind: TieKind) -> usize {
    e.world()
        .network
        .ties
        .kind
        .iter()
        .filter(|k| **k == kind)
        .count()
}

/// (1) need = household + informal + formal + unmet every week, burn-in included,
/// for the area, each neighbourhood and each case; flows and localities add up to
/// the informal hours. The scenario switches on every path hours can take: partners,
/// the network, a help exchange with its volunteers, formal care with a waiting list,
/// network-first intake and new ties from cohesion events.
#[test]
fn hours_are_conserved_every_week_in_the_area_each_neighbourhood_and_each_case() {
    let mut s = area(&[700, 600, 500], 15, 25);
    s.help_exchange.enabled = true;
    s.help_exchange.catchment = Catchment::EachNeighbourhood;
    s.help_exchange.reciprocity_rule = true;
    s.help_exchange.volunteer_share = 0.05;
    s.formal.hours_per_1000_residents = 15.0;
    let s = with_interventions(
        s,
        r#"
        [[intervention]]
        kind = "network_first"
        start_week = 5
        neighbourhoods = ["Tuindorp"]
        [[intervention]]
        kind = "cohesion_events"
        start_week = 3
        "#,
    );
    let (tallies, _) = run_checked(&s);
    let labels: Vec<i64> = tallies.iter().map(|t| t.week).collect();
    assert_eq!(labels, (-15..25).collect::<Vec<_>>());
    // The run went through every path, so the checks above meant something.
    assert!(
        tallies
            .iter()
            .all(|t| t.informal.0 > 0 && t.household.0 > 0)
    );
    assert!(sum(&tallies, |t| t.formal) > 0);
    assert!(sum(&tallies, |t| t.unmet) > 0);
    assert!(sum(&tallies, |t| t.favours) > 0);
    assert!(tallies.iter().any(|t| t.waiting_list > 0));
    assert!(tallies.iter().map(|t| t.exchange_matches).sum::<u64>() > 0);
    assert!(sum(&tallies, |t| t.hours_by_kind(TieKind::Volunteer)) > 0);
    for locality in Locality::ALL {
        assert!(
            sum(&tallies, |t| t.by_locality[locality.index()]) > 0,
            "no {locality} hours"
        );
    }
}

/// (2) Nobody gives more than their available hours; `left + given + unused partner
/// extra == available` exactly, with favours booked from `left` to `given` (see
/// `common::check_capacity`). Capacity is scarce here so that it binds.
#[test]
fn nobody_gives_more_than_the_hours_they_have() {
    let mut s = area(&[800, 600], 10, 20);
    s.population.capacity_mean_hours = [1.5, 1.0, 2.0, 1.0];
    s.needs.long_term_per_year = [0.02, 0.05, 0.1, 0.3];
    s.behaviour.reciprocity.return_favour_chance = 1.0;
    s.behaviour.reciprocity.return_favour_hours = 0.5;
    s.help_exchange.enabled = true;
    s.help_exchange.volunteer_share = 0.1;
    let mut e = engine(&s);
    let mut exhausted = 0;
    let mut partly_used_extra = 0;
    let mut favours = HoursTotal::default();
    for _ in 0..s.burn_in_weeks + s.weeks {
        let t = step_checked(&mut e);
        favours += t.favours;
        exhausted += (0..e.carers().given.len())
            .filter(|p| !e.carers().available[*p].is_zero() && e.carers().left[*p].is_zero())
            .count();
        partly_used_extra += e
            .cases()
            .iter()
            .filter(|c| {
                !c.hours.household.is_zero()
                    && c.hours.household
                        < Hours::from_f64(s.behaviour.household.partner_extra_hours)
                    && c.remaining_total().is_zero()
            })
            .count();
    }
    assert!(exhausted > 1000, "capacity hardly binds: {exhausted}");
    assert!(partly_used_extra > 0);
    assert!(favours.0 > 0);
}

/// (3) A resident burnt out at the start of a week gives nothing that week: no
/// household help, no answers, no volunteering, no favours; and whoever burns out
/// in a week gave help in it.
#[test]
fn burnt_out_residents_give_nothing() {
    let mut s = area(&[900, 700], 0, 30);
    s.behaviour.strain.strain_gain = 1.0;
    s.behaviour.strain.comfortable_share = 0.05;
    s.behaviour.strain.burnout_weeks = 3;
    s.help_exchange.enabled = true;
    s.help_exchange.volunteer_share = 0.1;
    let weeks = s.behaviour.strain.burnout_weeks as u8;
    let mut e = engine(&s);
    let mut burnt_person_weeks = 0;
    let mut burnt_partners = 0;
    for _ in 0..s.weeks {
        let before = e.carers().burnt_out.clone();
        let t = step_checked(&mut e);
        for (p, burnt) in before.iter().enumerate() {
            if *burnt > 0 {
                burnt_person_weeks += 1;
                assert!(
                    e.carers().given[p].is_zero() && e.carers().available[p].is_zero(),
                    "week {}: person {p}, burnt out, gave {}",
                    t.week,
                    e.carers().given[p]
                );
            }
        }
        for c in e.cases() {
            if let Some(partner) = e.world().people.partner(c.person)
                && before[partner.index()] > 0
            {
                burnt_partners += 1;
                assert!(c.hours.household.is_zero());
            }
        }
        let newly: Vec<usize> = (0..before.len())
            .filter(|p| before[*p] == 0 && e.carers().burnt_out[*p] > 0)
            .collect();
        assert_eq!(newly.len() as u64, t.burnouts, "week {}", t.week);
        for p in &newly {
            assert_eq!(e.carers().burnt_out[*p], weeks);
            assert!(!e.carers().given[*p].is_zero(), "burnt out without giving");
        }
        assert_eq!(
            e.carers().burnt_out.iter().filter(|b| **b > 0).count() as u64,
            t.burnt_out
        );
    }
    assert!(burnt_person_weeks > 500, "{burnt_person_weeks}");
    assert!(burnt_partners > 10, "{burnt_partners}");
}

/// (6a) Without neighbour ties there are no neighbour hours. Scope and norm still
/// allow asking neighbours, and the same area with neighbour ties does get
/// neighbour help, so the zero comes from the network alone.
#[test]
fn no_neighbour_ties_no_neighbour_hours() {
    let text = |neighbours: &str| {
        format!(
            r#"
            name = "no-neighbours"
            seed = 7
            weeks = 20
            burn_in_weeks = 5
            [[neighbourhood]]
            name = "A"
            adults = 900
            cohesion = 0.9
            [[neighbourhood]]
            name = "B"
            adults = 600
            centre_km = [1.5, 0.0]
            cohesion = 0.9
            [network]
            neighbours_mean = {neighbours}
            [scope.neighbour]
            emergency = 1.0
            household = 0.8
            "#
        )
    };
    let none = from_toml(&text("{ min = 0, max = 0 }"));
    assert!(
        none.behaviour
            .asking
            .help_seeking_norm
            .contains(&TieKind::Neighbour)
    );
    let e = engine(&none);
    assert_eq!(ties_of_kind(&e, TieKind::Neighbour), 0);
    let (tallies, e) = run_checked(&none);
    assert_eq!(ties_of_kind(&e, TieKind::Neighbour), 0);
    for t in &tallies {
        assert_eq!(t.hours_by_kind(TieKind::Neighbour), HoursTotal(0));
        for n in &t.neighbourhoods {
            assert!(n.neighbour_by_episode.iter().all(|h| h.0 == 0));
        }
    }
    let (control, _) = run_checked(&from_toml(&text("{ min = 3, max = 6 }")));
    assert!(sum(&control, |t| t.hours_by_kind(TieKind::Neighbour)) > 0);
}

/// (6b) Without outside alters there are no outside hours. With two neighbourhoods
/// kin "elsewhere in the area" live in the area (with one neighbourhood the
/// engine sends them outside, see `ties_to_outside_with_one_neighbourhood`).
#[test]
fn no_outside_alters_no_outside_hours() {
    let mut s = area(&[900, 600], 5, 20);
    s.kinship.other_kin_locality.same_neighbourhood = 0.2;
    s.kinship.other_kin_locality.elsewhere_in_area = 0.8;
    s.kinship.other_kin_locality.outside = 0.0;
    // Parents, children and siblings live wherever the family distance puts them.
    s.kinship.estranged_share = 1.0;
    s.kinship.siblings_mean = 0.0;
    s.network.friends_outside_share = 0.0;
    s.network.acquaintances_outside_share = 0.0;
    let e = engine(&s);
    assert_eq!(e.world().people.len(), e.world().people.area_residents());
    let (tallies, _) = run_checked(&s);
    for t in &tallies {
        assert_eq!(t.by_locality[Locality::Outside.index()], HoursTotal(0));
    }
    assert!(
        sum(&tallies, |t| t.by_locality
            [Locality::CrossNeighbourhood.index()])
            > 0
    );
    let (control, _) = run_checked(&area(&[900, 600], 5, 20));
    assert!(sum(&control, |t| t.by_locality[Locality::Outside.index()]) > 0);
}

/// With a single neighbourhood, kin "elsewhere in the area" are placed outside
/// (documented in network formation): `kin_locality.outside = 0` alone does not
/// remove outside alters there.
#[test]
fn ties_to_outside_with_one_neighbourhood() {
    let mut s = area(&[600], 0, 1);
    s.kinship.other_kin_locality.same_neighbourhood = 0.2;
    s.kinship.other_kin_locality.elsewhere_in_area = 0.8;
    s.kinship.other_kin_locality.outside = 0.0;
    // Parents, children and siblings live wherever the family distance puts them.
    s.kinship.estranged_share = 1.0;
    s.kinship.siblings_mean = 0.0;
    s.network.friends_outside_share = 0.0;
    s.network.acquaintances_outside_share = 0.0;
    let world = World::build(&checked(s.clone()));
    assert!(world.people.len() > world.people.area_residents());
    s.kinship.other_kin_locality.same_neighbourhood = 1.0;
    s.kinship.other_kin_locality.elsewhere_in_area = 0.0;
    let world = World::build(&checked(s));
    assert_eq!(world.people.len(), world.people.area_residents());
}

/// Everything a run leaves that the thread count must not change.
#[derive(Debug, PartialEq)]
struct RunTrace {
    weeks: Vec<WeekTally>,
    trust: Vec<u32>,
    balance: Vec<u32>,
    strain: Vec<u32>,
    given: Vec<Hours>,
    cases: Vec<(PersonId, FormalStatus, Hours)>,
}

fn trace(s: &carenet::Scenario) -> RunTrace {
    let mut e = Engine::new(World::build(s));
    let mut weeks = Vec::new();
    e.run(&mut |t| weeks.push(t.clone()));
    let ties = &e.world().network.ties;
    RunTrace {
        weeks,
        trust: ties.trusts().map(|x| x.to_bits()).collect(),
        balance: ties.balances().map(|x| x.to_bits()).collect(),
        strain: e.carers().strain.iter().map(|x| x.to_bits()).collect(),
        given: e.carers().given.clone(),
        cases: e
            .cases()
            .iter()
            .map(|c| (c.person, c.formal, c.remaining_total()))
            .collect(),
    }
}

/// (7) The same scenario gives bit-identical weeks, trust, balances and strain on
/// 1, 2 and 4 threads; another seed gives other results.
#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let mut s = area(&[700, 500], 8, 16);
    s.help_exchange.enabled = true;
    s.help_exchange.reciprocity_rule = true;
    let s = with_interventions(
        s,
        r#"
        [[intervention]]
        kind = "cohesion_events"
        start_week = 2
        extra_neighbour_ties = 3.0
        [[intervention]]
        kind = "blended_contact"
        start_week = 4
        [[intervention]]
        kind = "network_first"
        start_week = 1
        "#,
    );
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| trace(&s))
    };
    let one = on(1);
    assert_eq!(one.weeks.len(), 24);
    assert!(
        one.weeks
            .iter()
            .any(|t| t.burnouts > 0 || t.new_peer_ties > 0)
    );
    for threads in [2, 4] {
        let other = on(threads);
        for (a, b) in one.weeks.iter().zip(&other.weeks) {
            assert_eq!(a, b, "week {} differs on {threads} threads", a.week);
        }
        assert!(one == other, "end state differs on {threads} threads");
    }
    let mut other_seed = s.clone();
    other_seed.seed += 1;
    let reseeded = trace(&other_seed);
    assert_ne!(reseeded.weeks, one.weeks);
    assert_ne!(reseeded.trust, one.trust);
}

/// (9) Residents without ties and without a partner get no informal and no
/// household help; their need is met by the district team or not at all.
#[test]
fn isolated_residents_get_no_informal_help() {
    let s = from_toml(
        r#"
        name = "isolated"
        seed = 3
        weeks = 30
        burn_in_weeks = 5
        [[neighbourhood]]
        name = "Alone"
        adults = 1200
        living_alone = 1.0
        age_mix = [0.1, 0.2, 0.3, 0.4]
        [kinship]
        other_kin_mean = 0.0
        siblings_mean = 0.0
        estranged_share = 1.0
        [network]
        friends_mean = 0.0
        neighbours_mean = { min = 0, max = 0 }
        acquaintances_mean = 0.0
        association_ties_per_membership = 0.0
        [behaviour]
        peer_tie_per_year = 0.0
        "#,
    );
    let e = engine(&s);
    assert_eq!(e.world().network.ties.len(), 0);
    let (tallies, e) = run_checked(&s);
    assert_eq!(e.world().network.ties.len(), 0);
    for t in &tallies {
        assert_eq!(t.informal, HoursTotal(0), "week {}", t.week);
        assert_eq!(t.household, HoursTotal(0), "week {}", t.week);
        assert_eq!(t.need, t.formal + t.unmet);
        assert_eq!(t.isolated_in_need, t.residents_in_need);
        assert_eq!(t.isolated_need, t.need);
        assert_eq!(t.isolated_unmet, t.unmet);
        assert_eq!(t.favours, HoursTotal(0));
    }
    assert!(sum(&tallies, |t| t.formal) > 0);
}

/// (9b) In an ordinary but sparse network, each resident who starts a week with no
/// tie at all (and so no partner) gets no household and no informal help in it.
#[test]
fn residents_without_ties_in_a_sparse_network_get_no_informal_help() {
    let mut s = area(&[1000, 500], 0, 25);
    s.neighbourhoods[0].living_alone = 0.6;
    s.kinship.other_kin_mean = 0.5;
    s.kinship.siblings_mean = 0.3;
    s.network.friends_mean = 0.5;
    s.network.neighbours_mean = Range::new(0.2, 0.5);
    s.network.acquaintances_mean = 0.5;
    s.network.association_ties_per_membership = 0.2;
    let mut e = engine(&s);
    let mut seen = 0;
    let mut helped_others = 0;
    for _ in 0..s.weeks {
        let without: Vec<bool> = (0..e.world().people.area_residents())
            .map(|p| e.world().network.row(PersonId(p as u32)).is_empty())
            .collect();
        step_checked(&mut e);
        for c in e.cases() {
            if without[c.person.index()] {
                seen += 1;
                assert!(c.isolated);
                assert!(c.hours.informal.is_zero() && c.hours.household.is_zero());
            } else if !c.hours.informal.is_zero() {
                helped_others += 1;
            }
        }
    }
    assert!(seen > 20, "only {seen} case-weeks without ties");
    assert!(helped_others > 20);
}

/// (10) With no capacity anywhere, nobody gives informal help and the household
/// rule leaves only the partner's extra hours:
/// household = min(need, partner_extra_hours × (capacity_in_need_share if the
/// partner is in need)), unless the partner was burnt out.
#[test]
fn zero_capacity_leaves_only_the_partners_extra_hours() {
    let mut s = area(&[800, 600], 5, 20);
    s.population.capacity_mean_hours = [0.0; 4];
    s.outside.capacity_factor = 0.0;
    s.help_exchange.enabled = true;
    s.help_exchange.volunteer_share = 0.2;
    let mut e = engine(&s);
    assert!(e.carers().capacity.iter().all(|c| c.is_zero()));
    let b = s.behaviour.clone();
    let mut household = 0;
    for _ in 0..s.burn_in_weeks + s.weeks {
        let before = e.carers().burnt_out.clone();
        let t = step_checked(&mut e);
        assert_eq!(t.informal, HoursTotal(0), "week {}", t.week);
        assert_eq!(t.favours, HoursTotal(0));
        assert_eq!(t.exchange_matches, 0);
        for c in e.cases() {
            let expected = match e.world().people.partner(c.person) {
                Some(p) if before[p.index()] == 0 => {
                    let in_need = case_of(e.cases(), p).is_some_and(|x| x.limits_capacity());
                    let share = if in_need {
                        b.strain.capacity_in_need_share
                    } else {
                        1.0
                    };
                    c.hours
                        .need
                        .min(Hours::from_f64(b.household.partner_extra_hours * share))
                }
                _ => Hours::ZERO,
            };
            assert_eq!(c.hours.household, expected, "week {}", t.week);
        }
        household += t.household.0;
    }
    assert!(household > 0);
}

/// The district teams' books stay consistent over a long run in which episodes
/// often end in a week with another onset (many emergencies) and the waiting
/// list is long: promised hours are held by clients with a long-term need, the
/// list counts each waiting resident once, and waits are measured from their own
/// application.
#[test]
fn the_district_teams_keep_their_books() {
    let mut s = area(&[900, 700], 0, 160);
    for n in &mut s.neighbourhoods {
        n.age_mix = [0.1, 0.2, 0.3, 0.4];
    }
    s.needs.emergency_per_year = [6.0; 4];
    s.needs.short_term_per_year = [2.0; 4];
    s.needs.long_term_per_year = [1.0; 4];
    s.needs.long_term_mean_weeks = [20.0; 4];
    s.formal.hours_per_1000_residents = 20.0;
    s.formal.assignment_weeks = 8;
    // 160 weeks span three years; step_checked's capacity books compare each
    // week with the one before, which a turn of the year changes (people come
    // and go: docs/ODD.md §7.2.1, tested in src/model/demography/tests.rs).
    s.demography.enabled = false;
    let mut e = engine(&s);
    let mut served = 0;
    for _ in 0..s.weeks {
        let t = step_checked(&mut e);
        for team in e.teams() {
            assert!(team.committed <= team.capacity);
        }
        served += t.assignments;
    }
    assert!(served > 20, "{served}");
}

/// Hours per CBS carer by main receiver, and by heavily burdened or not
/// (docs/ODD.md §9): each split averages back to `cbs_carer_mean_hours`.
#[test]
fn hours_per_carer_by_relation_add_up_to_hours_per_carer() {
    let s = area(&[900, 600], 5, 40);
    let (_, e) = run_checked(&s);
    let c = e.calibration();
    let mut weighted = 0.0;
    for (share, hours) in c
        .cbs_carers_by_relation
        .iter()
        .zip(c.cbs_carer_mean_hours_by_relation)
    {
        let share = share.expect("CBS carers with a main receiver");
        assert_eq!(share > 0.0, hours.is_some(), "{share} {hours:?}");
        weighted += share * hours.unwrap_or(0.0);
    }
    let all = c.cbs_carer_mean_hours.expect("CBS carers");
    assert!((weighted - all).abs() < 1e-9, "{weighted} vs {all}");
    // A partner's care beyond usual help against a neighbour's capped look-ins.
    let of = |relation: CareRelation| c.cbs_carer_mean_hours_by_relation[relation.index()];
    let (partner, neighbour) = (of(CareRelation::Partner), of(CareRelation::Neighbour));
    assert!(partner.expect("partners") > neighbour.expect("neighbours"));
    let burdened = c.heavily_burdened_share_of_cbs_carers.expect("CBS carers");
    let (heavy, light) = (
        c.cbs_carer_mean_hours_heavily_burdened
            .expect("burdened carers"),
        c.cbs_carer_mean_hours_not_heavily_burdened.expect("others"),
    );
    let mixed = burdened * heavy + (1.0 - burdened) * light;
    assert!((mixed - all).abs() < 1e-9, "{mixed} vs {all}");
    // Strain follows the hours given (docs/ODD.md §7.10.11).
    assert!(heavy > light, "{heavy} vs {light}");
}

/// Children of parents aged 80+ (docs/ODD.md §9): who cared for such a parent is
/// a CBS carer, so that share is at most CBS 2024's measure (CBS carers of
/// anyone, over the same residents); without care for parents outside the area
/// and with every parent outside, nobody cares for one, while some residents
/// with such a parent are still CBS carers of someone else.
#[test]
fn children_of_parents_aged_80_plus_care_for_them_or_for_anyone() {
    let s = area(&[900, 600], 5, 40);
    let (_, e) = run_checked(&s);
    let c = e.calibration();
    let caring = c.children_of_80plus_caring_share.expect("children of 80+");
    let carers = c
        .children_of_80plus_cbs_carers_share
        .expect("children of 80+");
    assert!(
        caring > 0.0 && caring <= carers && carers < 1.0,
        "{caring} {carers}"
    );
    // The four shares recounted as docs/ODD.md §9.9 defines them, from each
    // resident's ties, carer status and ledger: residents with a parent aged
    // 80+ they keep a tie with; those of them who are CBS carers and cared for
    // such a parent in some week, and of those who gave one 8+ hours a week
    // over those weeks; those who are CBS carers (of anyone), and of those
    // the intensive carers (8+ hours a week over their caring weeks).
    let (world, mut children, mut cbs, mut intensive) = (e.world(), 0u32, 0u32, 0u32);
    let (mut for_parent, mut intensive_for_parent) = (0u32, 0u32);
    for r in 0..world.people.area_residents() {
        let me = PersonId(r as u32);
        let old_parents: Vec<_> = world
            .network
            .row(me)
            .iter()
            .filter(|entry| {
                world.network.kin_relation(me, **entry) == Some(KinRelation::Parent)
                    && world.people.age[entry.other.index()] >= 80
            })
            .collect();
        if old_parents.is_empty() {
            continue;
        }
        let status = e.carer_status(r);
        children += 1;
        cbs += u32::from(status.cbs);
        intensive += u32::from(status.intensive());
        let given = old_parents.iter().filter_map(|entry| {
            let giving_end = usize::from(r > entry.other.index());
            e.ledger().direction(entry.tie(), giving_end)
        });
        let weekly: Vec<f64> = given
            .filter(|care| care.weeks > 0 && status.cbs)
            .map(|care| care.hours as f64 / 100.0 / f64::from(care.weeks))
            .collect();
        for_parent += u32::from(!weekly.is_empty());
        intensive_for_parent += u32::from(weekly.iter().any(|h| *h >= 8.0));
    }
    assert_eq!(caring, f64::from(for_parent) / f64::from(children));
    assert_eq!(
        c.children_of_80plus_intensive_share,
        Some(f64::from(intensive_for_parent) / f64::from(for_parent))
    );
    assert!(intensive_for_parent > 0 && intensive_for_parent < for_parent);
    assert_eq!(carers, f64::from(cbs) / f64::from(children));
    let intensive_share = f64::from(intensive) / f64::from(cbs);
    assert_eq!(
        c.children_of_80plus_cbs_intensive_share,
        Some(intensive_share)
    );
    assert!(intensive > 0 && intensive < cbs, "{intensive} of {cbs}");

    let mut apart = area(&[900, 600], 5, 40);
    apart.outbound.enabled = false;
    apart.kinship.family_distance_median_km = 300.0;
    apart.kinship.family_distance_spread = 0.01;
    let (_, e) = run_checked(&apart);
    let c = e.calibration();
    assert_eq!(c.children_of_80plus_caring_share, Some(0.0));
    assert!(
        c.children_of_80plus_cbs_carers_share
            .expect("children of 80+")
            > 0.0
    );
}

/// The carers of people aged 55+ outside their household by who those are to
/// them (scored targets of docs/ODD.md §1.3, Egging et al.): the shares
/// recounted from each resident's carer status (CBS carers whose main
/// receiver, not their partner, is 55+), with friends and neighbours among them.
#[test]
fn carers_of_people_aged_55_plus_are_counted_by_their_main_receiver() {
    let s = area(&[900, 600], 5, 40);
    let (_, e) = run_checked(&s);
    let c = e.calibration();
    let people = &e.world().people;
    let mut by_relation = [0u32; CareRelation::COUNT];
    for r in 0..people.area_residents() {
        let status = e.carer_status(r);
        if let Some((receiver, relation)) = status.main_receiver
            && status.cbs
            && relation != CareRelation::Partner
            && people.age[receiver.index()] >= 55
        {
            by_relation[relation.index()] += 1;
        }
    }
    let of = |relation: CareRelation| by_relation[relation.index()];
    assert!(
        of(CareRelation::Friend) > 0 && of(CareRelation::Neighbour) > 0,
        "{by_relation:?}"
    );
    let all: u32 = by_relation.iter().sum();
    let share = |relation| Some(f64::from(of(relation)) / f64::from(all));
    assert_eq!(
        c.friends_share_of_carers_of_55plus,
        share(CareRelation::Friend)
    );
    assert_eq!(
        c.neighbours_share_of_carers_of_55plus,
        share(CareRelation::Neighbour)
    );
}

/// The calibration figures of an area larger than one block of the receivers'
/// sums (16,384 residents) are bit-identical on 1 and 2 threads, and the
/// receivers' hours are there to compare.
#[test]
fn calibration_figures_of_a_large_area_do_not_depend_on_the_threads() {
    let s = area(&[9000, 9000], 2, 14);
    let figures = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let mut engine = Engine::new(World::build(&s));
                engine.run(&mut |_| {});
                engine.calibration()
            })
    };
    let one = figures(1);
    assert!(one.receivers_55plus_mean_hours.is_some_and(|h| h > 0.0));
    assert!(one.receivers_55plus_mean_hours_alone.is_some());
    assert_eq!(one, figures(2));
}
