//! Policy levers (docs/ODD.md §7.10.16) in the weekly engine: each works from its start
//! week, in its target neighbourhoods only, and moves what it should. Every week of
//! every run also passes the bookkeeping checks of `common::step_checked`.

use std::collections::HashMap;

use carenet::Scenario;
use carenet::engine::Engine;
use carenet::hours::{Hours, HoursTotal};
use carenet::ids::{NeighbourhoodId, PersonId};
use carenet::kinds::{Locality, TieKind};
use carenet::model::formal::FormalStatus;
use carenet::network::tie_flags;
use carenet::scenario::Catchment;
use carenet::tally::WeekTally;

use crate::common::*;

const CROSS: usize = Locality::CrossNeighbourhood.index();
const OUTSIDE: usize = Locality::Outside.index();

fn intervention(kind: &str, start_week: u32, target: Option<&str>, extra: &str) -> String {
    let target = target.map_or(String::new(), |n| format!("neighbourhoods = [\"{n}\"]\n"));
    format!("[[intervention]]\nkind = \"{kind}\"\nstart_week = {start_week}\n{target}{extra}\n")
}

fn unmet(tallies: &[WeekTally]) -> u64 {
    reported(tallies).map(|t| t.unmet.0).sum()
}

/// (4) The help-radius counterfactual: restricted to the own neighbourhood, no
/// informal hour crosses a neighbourhood border or comes from outside; restricted
/// to the area, none comes from outside. Both leave more need unmet than the
/// unrestricted run with the same seed, the neighbourhood radius most. The
/// counterfactual starts after the burn-in, which all three runs share.
#[test]
fn help_radius_keeps_help_inside_and_leaves_more_unmet() {
    let mut s = area(&[800, 700, 600], 8, 20);
    s.help_exchange.enabled = true;
    s.help_exchange.catchment = Catchment::Area;
    s.help_exchange.volunteer_share = 0.05;
    let radius = |r: &str| {
        with_interventions(
            s.clone(),
            &intervention("help_radius", 0, None, &format!("radius = \"{r}\"")),
        )
    };
    let (free, _) = run_checked(&checked(s.clone()));
    let (own, _) = run_checked(&radius("neighbourhood"));
    let (area_only, _) = run_checked(&radius("area"));

    for (a, b) in free.iter().zip(&own).filter(|(a, _)| a.week < 0) {
        assert_eq!(a, b, "burn-in week {} differs", a.week);
    }
    assert!(
        own.iter()
            .filter(|t| t.week < 0)
            .any(|t| t.by_locality[CROSS].0 > 0)
    );
    for t in reported(&own) {
        assert_eq!(t.by_locality[CROSS], HoursTotal(0), "week {}", t.week);
        assert_eq!(t.by_locality[OUTSIDE], HoursTotal(0), "week {}", t.week);
        for kind in t.flows.iter() {
            for task in kind {
                let away = task[CROSS].iter().chain(&task[OUTSIDE]);
                assert_eq!(away.map(|f| f.hours.0).sum::<u64>(), 0);
            }
        }
        for n in &t.neighbourhoods {
            assert_eq!(n.within, n.informal);
        }
    }
    for t in reported(&area_only) {
        assert_eq!(t.by_locality[OUTSIDE], HoursTotal(0), "week {}", t.week);
    }
    assert!(reported(&area_only).any(|t| t.by_locality[CROSS].0 > 0));
    assert!(reported(&free).any(|t| t.by_locality[OUTSIDE].0 > 0));

    let (u_free, u_area, u_own) = (unmet(&free), unmet(&area_only), unmet(&own));
    assert!(
        u_own > u_area && u_area > u_free,
        "unmet hours: neighbourhood {u_own}, area {u_area}, unrestricted {u_free}"
    );
}

/// Formal statuses after each week of a run, with its tallies.
fn run_with_statuses(s: &Scenario) -> (Vec<WeekTally>, Vec<HashMap<PersonId, FormalStatus>>) {
    let mut e = engine(s);
    let mut tallies = Vec::new();
    let mut statuses = Vec::new();
    for _ in 0..s.burn_in_weeks + s.weeks {
        tallies.push(step_checked(&mut e));
        statuses.push(e.cases().iter().map(|c| (c.person, c.formal)).collect());
    }
    (tallies, statuses)
}

fn first_week(tallies: &[WeekTally], test: impl Fn(&WeekTally) -> bool) -> Option<i64> {
    tallies.iter().find(|t| test(t)).map(|t| t.week)
}

/// (5) Network-first intake delays professional hours. Both runs start without
/// burn-in and with nobody in formal care, and the teams have ample capacity, so
/// that the list never holds anyone up. The runs are identical up to the first
/// intake week W, which they share. Without network-first the first applicants are
/// assigned at W and get hours from W + 1; under network-first they are first
/// activated for `activation_weeks` and join the list no earlier than W + 6, so no
/// formal hour comes before W + 7, and the formal hours of the first half year
/// are lower. Intakes are still recorded at application, and every activation
/// lasts exactly `activation_weeks`.
#[test]
fn network_first_intake_delays_formal_hours() {
    let mut s = area(&[1500, 1500], 0, 26);
    for n in &mut s.neighbourhoods {
        n.age_mix = [0.15, 0.25, 0.3, 0.3];
    }
    s.formal.hours_per_1000_residents = 300.0;
    s.formal.activation_weeks = 6;
    // The team's hours alone: the Wlz's care at home (§7.10.23) is formal
    // care from the first week.
    s.long_term_care.enabled = false;
    let plain = checked(s.clone());
    s.formal.network_first = true;
    let first = checked(s);
    let (a, _) = run_with_statuses(&plain);
    let (b, statuses) = run_with_statuses(&first);

    let w = first_week(&a, |t| t.intakes > 0).expect("someone applies");
    assert_eq!(first_week(&b, |t| t.intakes > 0), Some(w));
    for (x, y) in a.iter().zip(&b).take_while(|(x, _)| x.week <= w) {
        assert_eq!(x.intakes, y.intakes);
        if x.week < w {
            assert_eq!(x, y, "week {} differs before any intake", x.week);
        }
    }
    assert_eq!(first_week(&a, |t| t.assignments > 0), Some(w));
    assert_eq!(first_week(&a, |t| t.formal.0 > 0), Some(w + 1));
    let b_assigned = first_week(&b, |t| t.assignments > 0).expect("served in the end");
    let b_formal = first_week(&b, |t| t.formal.0 > 0).expect("served in the end");
    assert!(
        b_assigned >= w + 6,
        "assigned in week {b_assigned}, first intake {w}"
    );
    assert!(
        b_formal >= w + 7,
        "formal hours in week {b_formal}, first intake {w}"
    );

    let (fa, fb) = (sum(&a, |t| t.formal), sum(&b, |t| t.formal));
    assert!(fb < fa, "network-first formal hours {fb} not below {fa}");
    assert!(b.iter().map(|t| t.intakes).sum::<u64>() > 10);

    // Every applicant is activated first, for exactly six weeks.
    let mut activated = 0;
    for (week, now) in statuses.iter().enumerate().skip(1) {
        let week = week as u32;
        for (person, status) in now {
            let before = statuses[week as usize - 1]
                .get(person)
                .copied()
                .unwrap_or(FormalStatus::None);
            match (before, *status) {
                (FormalStatus::None, FormalStatus::Activating { until }) => {
                    activated += 1;
                    assert_eq!(until, week + 6);
                }
                (FormalStatus::None, other) => {
                    assert!(
                        matches!(other, FormalStatus::None),
                        "week {week}: {person} skipped activation: {other:?}"
                    );
                }
                (FormalStatus::Activating { until }, FormalStatus::Activating { until: u }) => {
                    assert!(week < until && u == until);
                }
                (FormalStatus::Activating { until }, FormalStatus::Waiting { since, .. }) => {
                    assert_eq!(since, until);
                    assert_eq!(week, until);
                }
                (FormalStatus::Activating { until }, FormalStatus::Served { .. }) => {
                    assert_eq!(week, until);
                }
                _ => {}
            }
        }
    }
    assert!(activated > 10, "{activated}");
}

/// Every lever leaves the weeks before its start week exactly as they were without
/// it (the world, the needs and every random stream are shared), and changes
/// something from its start on.
#[test]
fn levers_change_nothing_before_their_start_week() {
    let mut s = area(&[700, 600], 3, 12);
    s.neighbourhoods[1].institutional_trust = 0.2;
    let start = 4;
    let (base, _) = run_checked(&checked(s.clone()));
    let levers = [
        ("cohesion_events", ""),
        (
            "association_support",
            "extra_membership = 3.0\nextra_volunteer_capacity = 1.0",
        ),
        ("help_exchange", "matches_per_week = 20"),
        ("network_first", ""),
        ("formal_capacity", "hours_per_1000_residents = 0.0"),
        ("informal_guides", "delay_reduction = 0.9"),
        ("blended_contact", "blended_share = 1.0"),
        ("help_radius", "radius = \"neighbourhood\""),
    ];
    for (kind, extra) in levers {
        let with = with_interventions(
            s.clone(),
            &intervention(kind, start, Some("Tuindorp"), extra),
        );
        let (tallies, _) = run_checked(&with);
        for (a, b) in base.iter().zip(&tallies) {
            if a.week < i64::from(start) {
                assert_eq!(a, b, "{kind}: week {} differs before the start", a.week);
            }
        }
        assert!(
            base.iter().zip(&tallies).any(|(a, b)| a != b),
            "{kind} changed nothing"
        );
    }
}

fn neighbour_ties_by_neighbourhood(e: &Engine) -> Vec<usize> {
    let people = &e.world().people;
    let mut counts = vec![0; e.world().scenario.neighbourhoods.len()];
    for (p, row) in e.world().network.rows() {
        for entry in row.iter().filter(|x| x.kind() == TieKind::Neighbour) {
            let (a, b) = (
                people.neighbourhood[p.index()],
                people.neighbourhood[entry.other.index()],
            );
            assert_eq!(a, b, "a neighbour tie across neighbourhoods");
            if p < entry.other {
                counts[a.index()] += 1;
            }
        }
    }
    counts
}

fn neighbour_trust(e: &Engine, n: usize, ties: usize) -> f64 {
    let people = &e.world().people;
    let network = &e.world().network;
    let mut total = 0.0;
    let mut count = 0;
    for (p, row) in network.rows() {
        if people.neighbourhood[p.index()].index() != n {
            continue;
        }
        for entry in row {
            let t = entry.tie().index();
            if entry.kind() == TieKind::Neighbour && p < entry.other && t < ties {
                total += f64::from(network.ties.trust(t));
                count += 1;
            }
        }
    }
    total / f64::from(count)
}

/// (8a) Cohesion events add neighbour ties, within the neighbour radius, to the
/// residents of the target neighbourhood only, once, at the start week; and the
/// existing neighbour ties there gain the trust boost.
#[test]
fn cohesion_events_add_neighbour_ties_in_the_target_only() {
    let s = with_interventions(
        area(&[700, 600, 500], 2, 10),
        &intervention(
            "cohesion_events",
            5,
            Some("Tuindorp"),
            "extra_neighbour_ties = 2.0\ntrust_boost = 0.2",
        ),
    );
    let target = s.neighbourhood_index("Tuindorp").expect("baseline name");
    let adults = s.neighbourhoods[target].adults as usize;
    let mut e = engine(&s);
    let initial = neighbour_ties_by_neighbourhood(&e);
    let mut counts = Vec::new();
    let mut trust_jump = None;
    let mut new_trust = Vec::new();
    for _ in 0..s.burn_in_weeks + s.weeks {
        let ties = e.world().network.ties.len();
        let before: Vec<f64> = (0..3).map(|n| neighbour_trust(&e, n, ties)).collect();
        let t = step_checked(&mut e);
        if t.week == 5 {
            let after: Vec<f64> = (0..3).map(|n| neighbour_trust(&e, n, ties)).collect();
            trust_jump = Some((before, after));
            // The new ties (ids after the old ones): within the neighbour
            // radius, not blended, at the trust of docs/ODD.md §7.10.14.
            let network = &e.world().network;
            for t in
                (ties..network.ties.len()).filter(|t| network.ties.kind[*t] == TieKind::Neighbour)
            {
                let km = network.ties.distance_km[t];
                assert!(
                    f64::from(km) <= s.network.neighbour_radius_km + 1e-6,
                    "tie {t}: {km} km"
                );
                assert_eq!(network.ties.flags[t] & tie_flags::BLENDED, 0, "tie {t}");
                new_trust.push(f64::from(network.ties.trust(t)));
            }
        }
        counts.push((t.week, neighbour_ties_by_neighbourhood(&e)));
    }
    for (week, c) in &counts {
        if *week < 5 {
            assert_eq!(c, &initial, "week {week}");
        } else {
            for n in 0..3 {
                if n == target {
                    // About `extra_neighbour_ties` per resident, each tie shared by two.
                    assert!(c[n] > initial[n] + adults / 2, "{} → {}", initial[n], c[n]);
                } else {
                    assert_eq!(c[n], initial[n], "week {week}: neighbourhood {n}");
                }
            }
        }
    }
    let at_start = &counts.iter().find(|(w, _)| *w == 5).expect("week 5 ran").1;
    assert_eq!(at_start, &counts.last().unwrap().1, "ties added once only");
    let (before, after) = trust_jump.expect("week 5 ran");
    for n in 0..3 {
        let rise = after[n] - before[n];
        if n == target {
            assert!(rise > 0.15, "target trust rose by {rise}");
        } else {
            assert!(rise.abs() < 0.02, "neighbourhood {n} trust moved by {rise}");
        }
    }
    // New ties start at initial + per cohesion × cohesion + the boost; a
    // week of answers moves a few of them by `trust_gain` or `trust_loss`.
    let expected = s.network.initial_trust.get(TieKind::Neighbour)
        + s.network.neighbour_trust_per_cohesion * s.neighbourhoods[target].cohesion
        + 0.2;
    assert!(
        expected < 0.9,
        "{expected}: the clamp at 1 would hide the boost"
    );
    assert!(new_trust.len() > adults / 2, "{} new ties", new_trust.len());
    let mean = new_trust.iter().sum::<f64>() / new_trust.len() as f64;
    assert!(
        (mean - expected).abs() < 0.01,
        "new ties' mean trust {mean}, expected {expected}"
    );
    assert!(
        new_trust.iter().all(|t| (t - expected).abs() < 0.1),
        "{new_trust:?}"
    );
}

fn blended_share(
    e: &Engine,
    ties: usize,
    touches_target: impl Fn(PersonId, PersonId) -> bool,
) -> (usize, usize) {
    let network = &e.world().network;
    let (mut blended, mut all) = (0, 0);
    for (p, row) in network.rows() {
        for entry in row {
            let t = entry.tie().index();
            if p < entry.other
                && t < ties
                && entry.kind() != TieKind::Partner
                && touches_target(p, entry.other)
            {
                all += 1;
                blended += usize::from(network.ties.flags[t] & tie_flags::BLENDED != 0);
            }
        }
    }
    (blended, all)
}

/// (8b) Blended contact raises the share of target residents' ties with online
/// contact to about the lever's share at its start week; ties between other
/// residents keep their flags, partners never become "blended".
#[test]
fn blended_contact_raises_the_blended_share_of_target_ties_only() {
    let s = with_interventions(
        area(&[700, 600], 2, 8),
        &intervention("blended_contact", 3, Some("Centrum"), "blended_share = 0.8"),
    );
    let target = NeighbourhoodId(s.neighbourhood_index("Centrum").expect("name") as u16);
    let mut e = engine(&s);
    for _ in 0..s.burn_in_weeks + 3 {
        step_checked(&mut e);
    }
    let ties = e.world().network.ties.len();
    let flags_before = e.world().network.ties.flags.clone();
    let share = |e: &Engine, x: bool| {
        let people = &e.world().people;
        let (b, a) = blended_share(e, ties, |p, q| {
            let hit = people.neighbourhood[p.index()] == target
                || people.neighbourhood[q.index()] == target;
            hit == x
        });
        b as f64 / a as f64
    };
    let (target_before, other_before) = (share(&e, true), share(&e, false));
    assert_eq!(step_checked(&mut e).week, 3);
    let (target_after, other_after) = (share(&e, true), share(&e, false));
    let base = s.network.blended_share;
    assert!(
        (target_before - base).abs() < 0.05,
        "{target_before} vs {base}"
    );
    assert!((target_after - 0.8).abs() < 0.05, "{target_after}");
    assert_eq!(other_before, other_after);
    let people = &e.world().people;
    let ends = e.world().network.tie_ends();
    for t in 0..ties {
        let [a, b] = ends[t];
        let touches =
            people.neighbourhood[a.index()] == target || people.neighbourhood[b.index()] == target;
        let now = e.world().network.ties.flags[t];
        if !touches {
            assert_eq!(now, flags_before[t], "tie {t} outside the target changed");
        } else {
            assert!(now & tie_flags::BLENDED >= flags_before[t] & tie_flags::BLENDED);
        }
        if e.world().network.ties.kind[t] == TieKind::Partner {
            assert_eq!(now & tie_flags::BLENDED, 0);
        }
    }
}

/// (8c) A help exchange opened by a lever matches nobody before its start week and
/// only residents of its neighbourhood with volunteers of it afterwards.
#[test]
fn a_help_exchange_lever_matches_only_from_its_start_week_in_its_neighbourhood() {
    let mut s = area(&[700, 700], 4, 12);
    s.help_exchange.volunteer_share = 0.06;
    assert!(!s.help_exchange.enabled);
    let s = with_interventions(
        s,
        &intervention(
            "help_exchange",
            5,
            Some("Tuindorp"),
            "matches_per_week = 15",
        ),
    );
    let target = NeighbourhoodId(s.neighbourhood_index("Tuindorp").expect("name") as u16);
    let (tallies, e) = run_checked(&s);
    for t in &tallies {
        if t.week < 5 {
            assert_eq!(
                (t.exchange_requests, t.exchange_matches),
                (0, 0),
                "week {}",
                t.week
            );
            assert_eq!(t.hours_by_kind(TieKind::Volunteer), HoursTotal(0));
        } else {
            assert!(t.exchange_matches <= 15);
        }
    }
    let matches: u64 = tallies.iter().map(|t| t.exchange_matches).sum();
    assert!(matches > 10, "{matches}");
    let people = &e.world().people;
    let ends = e.world().network.tie_ends();
    let mut volunteer_ties = 0;
    for (t, [a, b]) in ends.iter().enumerate() {
        if e.world().network.ties.kind[t] == TieKind::Volunteer {
            volunteer_ties += 1;
            assert_eq!(people.neighbourhood[a.index()], target);
            assert_eq!(people.neighbourhood[b.index()], target);
        }
    }
    assert!(volunteer_ties > 10);
}

/// (8c') Association support (docs/ODD.md §7.10.16), at its start week: the
/// target's volunteers of care-oriented associations get twice their capacity
/// (`extra_volunteer_capacity = 1`), nobody else's changes; and every new
/// association tie joins a targeted resident to a member of a care-oriented
/// association working in their neighbourhood that they were not a member of.
/// It had no test but that it changes something from its start week.
#[test]
fn association_support_reaches_care_oriented_associations_of_the_target_only() {
    let s = with_interventions(
        area(&[700, 600], 2, 6),
        &intervention(
            "association_support",
            3,
            Some("Tuindorp"),
            "extra_membership = 3.0\nextra_volunteer_capacity = 1.0",
        ),
    );
    let target = NeighbourhoodId(s.neighbourhood_index("Tuindorp").expect("name") as u16);
    let mut e = engine(&s);
    for _ in 0..s.burn_in_weeks + 3 {
        step_checked(&mut e);
    }
    let (capacity, ties) = (e.carers().capacity.clone(), e.world().network.ties.len());
    assert_eq!(step_checked(&mut e).week, 3);
    let world = e.world();
    let (people, associations) = (&world.people, &world.associations);
    let care_oriented =
        |a: carenet::ids::AssociationId| associations.instances[a.index()].care_oriented;
    let mut raised = 0;
    let now = &e.carers().capacity;
    let residents = people.area_residents();
    for (p, (&before, &after)) in capacity.iter().zip(now).enumerate().take(residents) {
        let person = PersonId(p as u32);
        let volunteers = associations
            .of_person(person)
            .iter()
            .any(|m| m.volunteer && care_oriented(m.association));
        if volunteers && people.neighbourhood[p] == target && !before.is_zero() {
            raised += 1;
            assert_eq!(
                after,
                Hours::from_f64(before.as_f64() * 2.0),
                "resident {p}"
            );
        } else {
            assert_eq!(after, before, "resident {p}");
        }
    }
    assert!(raised > 5, "{raised} volunteers raised");
    let ends = world.network.tie_ends();
    let joined = |ego: PersonId, other: PersonId| {
        let home = people.neighbourhood[ego.index()];
        people.neighbourhood[ego.index()] == target
            && (0..associations.instances.len()).any(|a| {
                let id = carenet::ids::AssociationId(a as u32);
                let instance = &associations.instances[a];
                instance.care_oriented
                    && instance.neighbourhood.is_none_or(|n| n == home)
                    && associations.members(id).contains(&other)
                    && !associations
                        .of_person(ego)
                        .iter()
                        .any(|m| m.association == id)
            })
    };
    let new: Vec<usize> = (ties..world.network.ties.len())
        .filter(|t| world.network.ties.kind[*t] == TieKind::Association)
        .collect();
    assert!(new.len() > 20, "{} new association ties", new.len());
    for t in new {
        let [a, b] = ends[t];
        assert!(joined(a, b) || joined(b, a), "tie {t}: {a:?}–{b:?}");
    }
}

/// (8d) A cut of formal capacity to zero stops assignments from its start week
/// S; current clients keep their hours until their review, which then ends them
/// (the team has no free hours). So the hours the team has promised never rise
/// after the cut and are zero once the last review is past (clients assigned in
/// week S - 1 are reviewed in S - 1 + assignment_weeks), and no formal hour is
/// given in the target from S + assignment_weeks on; residents still apply, and
/// the other neighbourhood keeps its district team.
#[test]
fn formal_capacity_zero_ends_formal_care_at_the_reviews() {
    let mut s = area(&[900, 900], 30, 20);
    for n in &mut s.neighbourhoods {
        n.age_mix = [0.15, 0.25, 0.3, 0.3];
    }
    s.formal.hours_per_1000_residents = 100.0;
    s.formal.assignment_weeks = 6;
    // The team's hours alone: the Wlz's care at home (§7.10.23) goes on
    // whatever the team's budget.
    s.long_term_care.enabled = false;
    let start = 3;
    let s = with_interventions(
        s,
        &intervention(
            "formal_capacity",
            start,
            Some("Centrum"),
            "hours_per_1000_residents = 0.0",
        ),
    );
    let weeks = s.formal.assignment_weeks;
    let target = s.neighbourhood_index("Centrum").expect("name");
    let mut e = engine(&s);
    let mut promised = Vec::new();
    let mut target_formal = Vec::new();
    let mut intakes_after = 0;
    let mut other_formal = 0;
    for _ in 0..s.burn_in_weeks + s.weeks {
        let before: HashMap<PersonId, FormalStatus> =
            e.cases().iter().map(|c| (c.person, c.formal)).collect();
        let t = step_checked(&mut e);
        if t.week == i64::from(start) - 1 {
            promised.push((t.week, e.teams()[target].committed.0));
        }
        if t.week < i64::from(start) {
            continue;
        }
        assert_eq!(e.teams()[target].capacity.0, 0);
        assert!(e.teams()[1 - target].capacity.0 > 0);
        for c in e
            .cases()
            .iter()
            .filter(|c| c.neighbourhood.index() == target)
        {
            let was_served = matches!(before.get(&c.person), Some(FormalStatus::Served { .. }));
            if matches!(c.formal, FormalStatus::Served { .. }) {
                assert!(
                    was_served,
                    "week {}: {} assigned after the cut",
                    t.week, c.person
                );
            }
        }
        // (t.assignments counts both teams; the check above covers the target's.)
        intakes_after += t.intakes;
        other_formal += t.neighbourhoods[1 - target].formal.0;
        promised.push((t.week, e.teams()[target].committed.0));
        target_formal.push((t.week, t.neighbourhoods[target].formal.0));
    }
    // Several clients, reviewed in different weeks: care ends step by step.
    assert!(target_formal[0].1 > 0, "no client to see the cut through");
    let steps = promised.windows(2).filter(|p| p[1].1 < p[0].1).count();
    assert!(steps >= 2, "{promised:?}");
    for pair in promised.windows(2) {
        assert!(pair[1].1 <= pair[0].1, "promised hours rose: {pair:?}");
    }
    for (week, hours) in &promised {
        if *week >= i64::from(start + weeks) - 1 {
            assert_eq!(*hours, 0, "week {week}: hours still promised");
        }
    }
    for (week, hours) in &target_formal {
        if *week >= i64::from(start + weeks) {
            assert_eq!(*hours, 0, "week {week}: formal hours after the reviews");
        }
    }
    assert!(intakes_after > 0);
    assert!(other_formal > 0);
}

/// Intakes in a run, per neighbourhood, and the weeks of unmet need each
/// applicant had when they applied (the clock of applying).
fn intakes(s: &Scenario) -> (Vec<u64>, Vec<Vec<u32>>) {
    let mut e = engine(s);
    let k = s.neighbourhoods.len();
    let (mut count, mut waits) = (vec![0; k], vec![Vec::new(); k]);
    for _ in 0..s.burn_in_weeks + s.weeks {
        let before = Before::of(&e);
        let t = step_checked(&mut e);
        if t.week < 0 {
            continue;
        }
        for c in e.cases() {
            let was = before
                .formal
                .get(&c.person)
                .copied()
                .unwrap_or(FormalStatus::None);
            if was == FormalStatus::None && c.formal != FormalStatus::None {
                count[c.neighbourhood.index()] += 1;
                waits[c.neighbourhood.index()].push(c.unmet_weeks);
            }
        }
    }
    (count, waits)
}

fn mean(v: &[u32]) -> f64 {
    v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64
}

/// (8e) Informal guides in a low-trust neighbourhood shorten the weeks of unmet
/// need before residents apply there, and so bring more intakes in the same
/// weeks; a high-trust neighbourhood without guides applies as before.
#[test]
fn informal_guides_bring_earlier_intakes_in_their_neighbourhood() {
    let mut s = area(&[1200, 1200], 20, 20);
    for n in &mut s.neighbourhoods {
        n.age_mix = [0.15, 0.25, 0.3, 0.3];
    }
    s.neighbourhoods[0].institutional_trust = 0.8;
    s.neighbourhoods[1].institutional_trust = 0.15;
    // Guides shorten the delay of those who apply on their own; referred needs
    // have none to shorten.
    s.formal.referred_share = 0.0;
    let low = s.neighbourhoods[1].name.clone();
    let guided = with_interventions(
        s.clone(),
        &intervention("informal_guides", 0, Some(&low), "delay_reduction = 0.6"),
    );
    let (n0, w0) = intakes(&checked(s));
    let (n1, w1) = intakes(&guided);
    assert!(
        n1[1] as f64 > 1.3 * n0[1] as f64,
        "intakes in the guided neighbourhood: {} → {}",
        n0[1],
        n1[1]
    );
    assert!(
        mean(&w1[1]) < 0.7 * mean(&w0[1]),
        "weeks before applying: {} → {}",
        mean(&w0[1]),
        mean(&w1[1])
    );
    let (a, b) = (mean(&w0[0]), mean(&w1[0]));
    assert!((a - b).abs() < 0.2 * a, "unguided neighbourhood: {a} → {b}");
}
