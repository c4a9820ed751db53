//! Singles who pair up at the turn of the year (docs/ODD.md §7.2.1, "Singles
//! pair up"): two residents of a neighbourhood who live alone start living
//! together, one moving into the other's home.

use rand::RngExt;

use super::{Draw, Newcomers, draw, measure_ties_from_home};
use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{KinRelation, TieKind};
use crate::network::Network;
use crate::population::{People, flags};
use crate::scenario::Scenario;

/// Pairs up this year's singles in every neighbourhood; returns the number of
/// couples formed. Their partner ties are made with the newcomers' ties, and
/// each partner's tie to the other's parents after them. `unavailable`: who
/// left a home or separated at this turn, and does not look for a partner
/// until the next (a couple that parted would otherwise pair up again at once,
/// counted both as a separation and as a couple formed).
pub(super) fn pair_up(
    scenario: &Scenario,
    year: u32,
    people: &mut People,
    network: &mut Network,
    unavailable: &[bool],
    newcomers: &mut Newcomers,
) -> u64 {
    let chances = &scenario.demography.singles_pair_up_per_year;
    if chances.iter().all(|c| *c == 0.0) {
        return 0;
    }
    let mut formed = 0;
    for n in 0..scenario.neighbourhoods.len() {
        let home = NeighbourhoodId(n as u16);
        for (woman, man) in couples_of(scenario, year, people, network, unavailable, home) {
            live_together(scenario, year, people, network, [woman, man]);
            newcomers
                .local
                .push(([woman, man], TieKind::Partner, KinRelation::OtherKin));
            newcomers.paired.push((woman, man));
            formed += 1;
        }
    }
    formed
}

/// The couples formed in neighbourhood `home`: each resident living alone
/// looks for a partner with the chance of their age band; women, youngest
/// first, pair with the man of nearest age among those looking (within
/// `demography.pair_up_max_age_gap_years`, and not already tied to them).
fn couples_of(
    scenario: &Scenario,
    year: u32,
    people: &People,
    network: &Network,
    unavailable: &[bool],
    home: NeighbourhoodId,
) -> Vec<(PersonId, PersonId)> {
    let d = &scenario.demography;
    let (mut women, mut men): (Vec<PersonId>, Vec<PersonId>) = people
        .neighbourhood_members(home)
        .map(PersonId)
        .filter(|p| !unavailable[p.index()] && people.has_flag(*p, flags::LIVES_ALONE))
        .filter(|p| {
            let chance = d.singles_pair_up_per_year[people.age_band[p.index()].index()];
            chance > 0.0
                && draw(scenario, year, Draw::PairUp, u64::from(p.0)).random::<f64>() < chance
        })
        .partition(|p| people.is_woman(*p));
    let age = |p: &PersonId| i32::from(people.age[p.index()]);
    women.sort_by_key(|p| (age(p), *p));
    men.sort_by_key(|p| (age(p), *p));
    let mut taken = vec![false; men.len()];
    let mut couples = Vec::new();
    for woman in women {
        let nearest = men
            .iter()
            .enumerate()
            .filter(|(i, man)| {
                !taken[*i]
                    && (age(man) - age(&woman)).abs() <= i32::from(d.pair_up_max_age_gap_years)
                    && network.tie_between(woman, **man).is_none()
            })
            .min_by_key(|(_, man)| ((age(man) - age(&woman)).abs(), **man));
        if let Some((i, man)) = nearest {
            taken[i] = true;
            couples.push((woman, *man));
        }
    }
    couples
}

/// The two live together from now on: one of them, drawn, moves into the
/// other's home, and the distances of the mover's ties follow the move.
fn live_together(
    scenario: &Scenario,
    year: u32,
    people: &mut People,
    network: &mut Network,
    pair: [PersonId; 2],
) {
    people.set_partners(pair[0], pair[1]);
    // A key of its own: the lower id, above the range of the singles' draws.
    let key = (1u64 << 32) + u64::from(pair[0].0.min(pair[1].0));
    let first_moves = draw(scenario, year, Draw::PairUp, key).random::<f64>() < 0.5;
    let (mover, stayer) = if first_moves {
        (pair[0], pair[1])
    } else {
        (pair[1], pair[0])
    };
    people.move_in_with(mover, stayer);
    measure_ties_from_home(people, network, mover);
}
