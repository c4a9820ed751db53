//! Structural invariants of the social graph, over random valid scenarios: small
//! areas of 1–4 neighbourhoods of 20–300 adults with random climates, radii,
//! network means, trust parameters and seeds.

use carenet::ids::PersonId;
use carenet::kinds::{KinRelation, TieKind};
use carenet::population::distance_km;
use carenet::scenario::{LocalityShares, Neighbourhood, Range, validate};
use carenet::{Scenario, World};
use proptest::prelude::*;

/// Shares that add up to 1, from positive weights.
fn normalised<const N: usize>(weights: [f64; N]) -> [f64; N] {
    let sum: f64 = weights.iter().sum();
    weights.map(|w| w / sum)
}

prop_compose! {
    fn neighbourhood()(
        adults in 20u32..=300,
        centre_km in [-3.0..3.0f64, -3.0..3.0f64],
        radius_km in 0.05..1.5f64,
        age_weights in [0.01..1.0f64, 0.01..1.0, 0.01..1.0, 0.01..1.0],
        living_alone in 0.0..=1.0f64,
        cohesion in 0.0..=1.0f64,
        institutional_trust in 0.0..=1.0f64,
        mutual_aid_tradition in 0.0..=1.0f64,
    ) -> Neighbourhood {
        Neighbourhood {
            name: String::new(),
            centre_km,
            radius_km,
            adults,
            age_mix: normalised(age_weights),
            living_alone,
            cohesion,
            institutional_trust,
            mutual_aid_tradition,
        }
    }
}

prop_compose! {
    fn network_means()(
        friends_mean in 0.0..8.0f64,
        friends_outside_share in 0.0..=1.0f64,
        friend_distance_decay_km in 0.2..10.0f64,
        friend_age_homophily in 0.0..=1.0f64,
        neighbours in (0.0..4.0f64, 0.0..4.0f64),
        neighbour_radius_km in 0.01..0.5f64,
        acquaintances_mean in 0.0..8.0f64,
        acquaintances_outside_share in 0.0..=1.0f64,
        acquaintance_distance_decay_km in 0.2..5.0f64,
        association_ties_per_membership in 0.0..4.0f64,
    ) -> carenet::scenario::NetworkParams {
        carenet::scenario::NetworkParams {
            friends_mean,
            friends_outside_share,
            friend_distance_decay_km,
            friend_age_homophily,
            neighbours_mean: Range::new(neighbours.0, neighbours.0 + neighbours.1),
            neighbour_radius_km,
            acquaintances_mean,
            acquaintances_outside_share,
            acquaintance_distance_decay_km,
            association_ties_per_membership,
            ..Default::default()
        }
    }
}

prop_compose! {
    fn kinship()(
        other_kin_mean in 0.0..8.0f64,
        kin_weights in [0.01..1.0f64, 0.01..1.0, 0.01..1.0],
        other_kin_distance_decay_km in 0.5..20.0f64,
        siblings_mean in 0.0..5.0f64,
        family_distance_median_km in 0.05..100.0f64,
        family_distance_spread in 0.0..3.0f64,
        estranged_share in 0.0..=1.0f64,
    ) -> carenet::network::KinshipParams {
        let [same_neighbourhood, elsewhere_in_area, outside] = normalised(kin_weights);
        carenet::network::KinshipParams {
            other_kin_mean,
            other_kin_locality: LocalityShares { same_neighbourhood, elsewhere_in_area, outside },
            other_kin_distance_decay_km,
            siblings_mean,
            family_distance_median_km,
            family_distance_spread,
            estranged_share,
            ..Default::default()
        }
    }
}

prop_compose! {
    fn scenario()(
        neighbourhoods in prop::collection::vec(neighbourhood(), 1..=4),
        network in network_means(),
        kinship in kinship(),
        trust in prop::array::uniform8(0.0..=1.0f64),
        neighbour_trust in (0.0..0.5f64, 0.0..0.5f64),
        trust_concentration in 0.5..50.0f64,
        outside_km in (0.5..50.0f64, 1.0..10.0f64),
        seed in any::<u64>(),
    ) -> Scenario {
        let mut scenario = Scenario {
            name: "property".into(),
            seed,
            network,
            kinship,
            ..Scenario::default()
        };
        scenario.neighbourhoods = neighbourhoods
            .into_iter()
            .enumerate()
            .map(|(i, n)| Neighbourhood { name: format!("n{i}"), ..n })
            .collect();
        scenario.network.initial_trust.0 = trust;
        scenario.network.initial_trust.0[TieKind::Neighbour.index()] = neighbour_trust.0;
        scenario.network.neighbour_trust_per_cohesion = neighbour_trust.1;
        scenario.network.trust_concentration = trust_concentration;
        scenario.outside.distance_km = Range::new(outside_km.0, outside_km.0 * outside_km.1);
        scenario
    }
}

/// Checks every structural invariant of a world's graph.
fn check_graph(world: &World) -> Result<(), TestCaseError> {
    let network = &world.network;
    let people = &world.people;
    let ties = &network.ties;
    prop_assert_eq!(network.people(), people.len());
    let mut appearances = vec![0u32; ties.len()];
    let mut pairs = Vec::with_capacity(ties.len());
    for (p, row) in network.rows() {
        // Sorted as documented: by kind in strength order, then by the other person.
        prop_assert!(
            row.windows(2)
                .all(|w| (w[0].kind(), w[0].other) < (w[1].kind(), w[1].other)),
            "row of {} is not sorted by (kind, other): {:?}",
            p,
            row
        );
        for entry in row {
            prop_assert_ne!(entry.other, p, "self-loop at {}", p);
            prop_assert!(entry.other.index() < people.len());
            let t = entry.tie().index();
            prop_assert!(t < ties.len(), "tie {} out of range", t);
            appearances[t] += 1;
            prop_assert_eq!(ties.kind[t], entry.kind(), "kind of tie {}", t);
            // Symmetric: the other end lists this person with the same tie and kind.
            let back: Vec<_> = network
                .row(entry.other)
                .iter()
                .filter(|e| e.other == p)
                .collect();
            prop_assert_eq!(back.len(), 1, "{} -> {} not mirrored once", p, entry.other);
            prop_assert_eq!(back[0].tie(), entry.tie());
            prop_assert_eq!(back[0].kind(), entry.kind());
            if p < entry.other {
                pairs.push((p, entry.other));
            }
            // The tie's distance is that of the two homes.
            let d = distance_km(
                people.position[p.index()],
                people.position[entry.other.index()],
            );
            let stored = ties.distance_km[t];
            prop_assert!(
                (stored - d).abs() <= 1e-5 * d.max(1.0),
                "tie {} stores {} km, the homes are {} km apart",
                t,
                stored,
                d
            );
            let trust = ties.trust(t);
            prop_assert!((0.0..=1.0).contains(&trust), "trust {} of tie {}", trust, t);
        }
    }
    // Every tie id appears in exactly two rows.
    for (t, count) in appearances.iter().enumerate() {
        prop_assert_eq!(*count, 2, "tie {} appears in {} rows", t, count);
    }
    // No pair of persons is tied twice, whatever the kinds.
    pairs.sort_unstable();
    let distinct = pairs.len();
    pairs.dedup();
    prop_assert_eq!(pairs.len(), distinct, "a pair is tied more than once");
    prop_assert_eq!(pairs.len(), ties.len());
    // Outside alters are tied only to the resident they were drawn for, and
    // a parent also to that resident's partner, as a child-in-law.
    for p in people.area_residents()..people.len() {
        let alter = PersonId(p as u32);
        let row = network.row(alter);
        prop_assert!(
            row.iter().all(|e| people.is_resident(e.other)),
            "outside alter {} is tied to another outside alter",
            p
        );
        let relation = |i: usize| network.kin_relation(alter, row[i]);
        match row.len() {
            1 => prop_assert!(relation(0) != Some(KinRelation::ChildInLaw)),
            2 => {
                let in_law = (0..2).find(|i| relation(*i) == Some(KinRelation::ChildInLaw));
                prop_assert!(in_law.is_some(), "outside alter {} has 2 ties", p);
                let (in_law, child) =
                    (row[in_law.unwrap_or(0)].other, row[1 - in_law.unwrap_or(0)]);
                prop_assert_eq!(network.kin_relation(alter, child), Some(KinRelation::Child));
                prop_assert_eq!(people.partner(child.other), Some(in_law));
            }
            n => prop_assert!(false, "outside alter {} has {} ties", p, n),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_valid_scenario_gives_a_well_formed_graph(scenario in scenario()) {
        let problems = validate(&scenario);
        prop_assert!(problems.is_empty(), "generated an invalid scenario: {:?}", problems);
        let world = World::build(&scenario);
        prop_assert_eq!(world.people.area_residents() as u64, scenario.area_adults());
        check_graph(&world)?;
    }
}
