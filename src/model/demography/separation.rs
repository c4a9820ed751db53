//! Couples who separate at the turn of the year (docs/ODD.md §7.2.1,
//! "Couples separate"): one partner returns to the home they had before the
//! two moved in together, or, where both have lived in that home from the
//! start, one of them moves out of the area.

use rand::RngExt;

use super::{Draw, Fate, draw, measure_ties_from_home};
use crate::ids::PersonId;
use crate::kinds::AgeBand;
use crate::network::Network;
use crate::population::People;
use crate::scenario::Scenario;

/// The couples who separate this year, each as (who leaves the home, who
/// stays). A leaver with a home of their own in the area returns there; the
/// others move out of the area, marked so in `fates`.
pub(super) fn separate(
    scenario: &Scenario,
    year: u32,
    people: &People,
    fates: &mut [Fate],
) -> Vec<(PersonId, PersonId)> {
    let chances = &scenario.demography.separations_per_year;
    if chances.iter().all(|c| *c == 0.0) {
        return Vec::new();
    }
    let mut parted = Vec::new();
    for r in 0..people.area_residents() as u32 {
        let me = PersonId(r);
        let Some(partner) = people.partner(me).filter(|p| me < *p) else {
            continue;
        };
        if fates[me.index()] != Fate::Stays || fates[partner.index()] != Fate::Stays {
            continue;
        }
        let oldest = people.age[me.index()].max(people.age[partner.index()]);
        let chance = chances[AgeBand::of_age(oldest).index()];
        // Keys of their own: above the singles' draws and the movers' (pairing.rs).
        let mut rng = draw(scenario, year, Draw::PairUp, (2u64 << 32) + u64::from(r));
        if chance == 0.0 || rng.random::<f64>() >= chance {
            continue;
        }
        let first_leaves = rng.random::<f64>() < 0.5;
        let leaver = match (people.former_home(me), people.former_home(partner)) {
            (Some(_), None) => me,
            (None, Some(_)) => partner,
            _ if first_leaves => me,
            _ => partner,
        };
        let stayer = if leaver == me { partner } else { me };
        if people.former_home(leaver).is_none() {
            fates[leaver.index()] = Fate::MovesOut;
        }
        parted.push((leaver, stayer));
    }
    parted
}

/// The partners of a couple who separated and both stay in the area live
/// alone from now on, their partner tie ended; `leaver` returns to their
/// own home, and the distances of their ties follow.
pub(super) fn live_apart(
    people: &mut People,
    network: &mut Network,
    leaver: PersonId,
    stayer: PersonId,
) {
    network.end_tie(leaver, stayer);
    people.set_alone(leaver);
    people.set_alone(stayer);
    people.vacate_home(leaver);
    measure_ties_from_home(people, network, leaver);
}
