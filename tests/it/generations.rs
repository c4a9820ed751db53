//! Generations in the built world (docs/ODD.md §7.5): parents are a generation
//! older than their children, a kin tie reads the same from both ends, about half
//! of residents' parents live within 5 km, and old residents have adult children.

use carenet::World;
use carenet::ids::PersonId;
use carenet::kinds::{KinRelation, TieKind};
use carenet::scenario::{Scenario, validate};

/// A town of `k × k` neighbourhoods of `adults` each, 1.2 km apart, with the
/// baseline's neighbourhoods as templates.
fn town(k: usize, adults: u32) -> Scenario {
    let base = Scenario::default();
    let mut scenario = Scenario {
        seed: 99,
        ..Scenario::default()
    };
    scenario.neighbourhoods = (0..k * k)
        .map(|i| {
            let mut n = base.neighbourhoods[i % base.neighbourhoods.len()].clone();
            n.name = format!("n{i}");
            n.centre_km = [(i % k) as f64 * 1.2, (i / k) as f64 * 1.2];
            n.adults = adults;
            n
        })
        .collect();
    assert!(validate(&scenario).is_empty());
    scenario
}

/// Every kin tie at a resident: (resident, other, relation of other to resident,
/// distance km).
fn kin_ties(world: &World) -> Vec<(PersonId, PersonId, KinRelation, f32)> {
    let mut out = Vec::new();
    for r in 0..world.people.area_residents() as u32 {
        let me = PersonId(r);
        for entry in world.network.row(me) {
            if let Some(relation) = world.network.kin_relation(me, *entry) {
                let distance = world.network.ties.distance_km[entry.tie().index()];
                out.push((me, entry.other, relation, distance));
            }
        }
    }
    out
}

#[test]
fn parents_are_a_generation_older_and_ties_read_the_same_from_both_ends() {
    let world = World::build(&Scenario::default());
    let age = |p: PersonId| i32::from(world.people.age[p.index()]);
    let ties = kin_ties(&world);
    let parents: Vec<_> = ties.iter().filter(|t| t.2 == KinRelation::Parent).collect();
    assert!(parents.len() > 1000, "{} parent ties", parents.len());
    for (me, parent, _, _) in &parents {
        // Mother 16–50 at the birth, father 3 years older, matched within 5 years.
        let gap = age(*parent) - age(*me);
        assert!((11..=58).contains(&gap), "parent {gap} years older");
    }
    let mean_gap = parents
        .iter()
        .map(|(me, parent, _, _)| f64::from(age(*parent) - age(*me)))
        .sum::<f64>()
        / parents.len() as f64;
    assert!((27.0..34.0).contains(&mean_gap), "mean gap {mean_gap}");
    // Between two residents the other end sees the inverse relation.
    for (me, other, relation, _) in ties.iter().filter(|t| world.people.is_resident(t.1)) {
        let back = world
            .network
            .row(*other)
            .iter()
            .find(|e| e.other == *me)
            .and_then(|e| world.network.kin_relation(*other, *e));
        assert_eq!(back, Some(relation.inverse()));
    }
}

#[test]
fn about_half_of_parents_live_within_five_km() {
    let world = World::build(&town(5, 1500));
    let parents: Vec<f32> = kin_ties(&world)
        .into_iter()
        .filter(|t| t.2 == KinRelation::Parent)
        .map(|t| t.3)
        .collect();
    let near = parents.iter().filter(|d| **d < 5.0).count() as f64 / parents.len() as f64;
    // CBS 2016: about half of adults with a living mother live within 5 km.
    assert!(
        (0.42..0.60).contains(&near),
        "{near} of parent ties within 5 km"
    );
}

#[test]
fn old_residents_have_adult_children_and_young_ones_have_parents() {
    let world = World::build(&town(3, 2000));
    let ties = kin_ties(&world);
    let count = |band: std::ops::RangeInclusive<u8>, relation: KinRelation| {
        let members: Vec<PersonId> = (0..world.people.area_residents() as u32)
            .map(PersonId)
            .filter(|p| band.contains(&world.people.age[p.index()]))
            .collect();
        let ties = ties
            .iter()
            .filter(|t| t.2 == relation && band.contains(&world.people.age[t.0.index()]))
            .count();
        ties as f64 / members.len() as f64
    };
    let children_of_old = count(80..=105, KinRelation::Child);
    let parents_of_old = count(75..=105, KinRelation::Parent);
    let parents_of_young = count(18..=30, KinRelation::Parent);
    // About 1.8 children each, nearly all adults and alive, most in contact.
    assert!(
        (1.0..2.2).contains(&children_of_old),
        "{children_of_old} child ties per resident of 80+"
    );
    assert!(parents_of_old < 0.05, "{parents_of_old}");
    assert!(parents_of_young > 1.4, "{parents_of_young}");
    // Generational kin come on top of the other relatives.
    let kin = ties.len() as f64 / world.people.area_residents() as f64;
    let other = world.scenario.kinship.other_kin_mean;
    assert!(kin > other + 1.5, "{kin} kin ties per resident");
    assert!(
        world
            .network
            .ties
            .kind
            .iter()
            .filter(|k| **k == TieKind::Kin)
            .count()
            > 0
    );
}

/// A membership is the person's, not the home's (docs/ODD.md §7.8, §7.2.1):
/// with an association only the 75+ join, after three turns of the year
/// every member is still 75+, though many of their homes were taken by
/// younger newcomers (who kept the leaver's memberships until session 40).
#[test]
fn newcomers_draw_their_own_memberships() {
    use carenet::ids::AssociationId;
    use carenet::kinds::AgeBand;
    let mut s = Scenario::default();
    s.associations.truncate(1);
    s.associations[0].membership = [0.0, 0.0, 0.0, 1.0];
    s.burn_in_weeks = 0;
    s.weeks = 4 * 52;
    let world = World::build(&s);
    let start_members = world.associations.members(AssociationId(0)).len();
    let (_, engine) = carenet::engine::simulate(world, &mut |_| {});
    let world = engine.world();
    let members = world.associations.members(AssociationId(0));
    let old = |p: &PersonId| world.people.age_band[p.index()] == AgeBand::Age75Plus;
    assert!(members.iter().all(old), "a member younger than 75");
    assert!(
        members.len() < start_members,
        "members died and no newcomer of their homes joined: {} of {start_members}",
        members.len()
    );
}
