//! Ties made during a week (peer meetings, exchange matches, interventions) wait
//! here and join the network at the end of the week (docs/ODD.md §7.10.14), so
//! that nobody's row changes while the week's rules read it.

use std::collections::HashSet;

use crate::ids::PersonId;
use crate::network::{Network, NewTie};
use crate::population::{People, distance_km};

/// A tie made during the week, joining the network at its end.
#[derive(Debug, Clone, Copy)]
struct PendingTie {
    tie: NewTie,
    /// Initial balance, from the lower id's side.
    balance: f32,
}

/// The week's new ties, waiting to join the network.
#[derive(Debug, Clone, Default)]
pub struct NewTies {
    pending: Vec<PendingTie>,
    /// The pairs in `pending`, lower id first.
    pairs: HashSet<[PersonId; 2]>,
}

impl NewTies {
    /// Whether two persons are tied already or about to be.
    pub fn tied_or_queued(&self, network: &Network, a: PersonId, b: PersonId) -> bool {
        self.pairs.contains(&PersonId::ordered_pair(a, b)) || network.tie_between(a, b).is_some()
    }

    /// Queues a tie between two persons not yet tied (nor queued); returns whether
    /// it was queued.
    pub fn queue(&mut self, network: &Network, tie: NewTie, balance: f32) -> bool {
        let [a, b] = tie.ends;
        if a == b || self.tied_or_queued(network, a, b) {
            return false;
        }
        self.pairs.insert(PersonId::ordered_pair(a, b));
        self.pending.push(PendingTie { tie, balance });
        true
    }

    /// Adds the queued ties to the network, in the order they were queued, with
    /// their balances.
    pub fn join(&mut self, network: &mut Network) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.pairs.clear();
        let ties: Vec<NewTie> = pending.iter().map(|p| p.tie).collect();
        let first = network.add_ties(&ties);
        for (offset, p) in pending.iter().enumerate() {
            network.ties.set_balance(first.index() + offset, p.balance);
        }
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

/// A new tie between two persons, with its distance from their homes and trust
/// clamped to 0–1.
pub fn tie_between(
    people: &People,
    a: PersonId,
    b: PersonId,
    kind: crate::kinds::TieKind,
    trust: f64,
) -> NewTie {
    NewTie {
        ends: PersonId::ordered_pair(a, b),
        kind,
        trust: trust.clamp(0.0, 1.0) as f32,
        distance_km: distance_km(people.position[a.index()], people.position[b.index()]),
        flags: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::TieKind;
    use crate::model::testing::{tiny_network, tiny_people};

    fn p(i: u32) -> PersonId {
        PersonId(i)
    }

    fn new_tie(a: u32, b: u32) -> NewTie {
        NewTie {
            ends: PersonId::ordered_pair(p(a), p(b)),
            kind: TieKind::Peer,
            trust: 0.5,
            distance_km: 2.0,
            flags: 0,
        }
    }

    #[test]
    fn a_pair_is_queued_once_and_never_over_a_tie_or_to_oneself() {
        let network = tiny_network(6, &[(0, 1, TieKind::Partner), (0, 2, TieKind::Friend)]);
        let mut ties = NewTies::default();
        assert!(ties.is_empty());
        assert!(!ties.queue(&network, new_tie(0, 2), 0.0), "tied already");
        assert!(!ties.queue(&network, new_tie(3, 3), 0.0), "oneself");
        assert!(ties.queue(&network, new_tie(4, 3), 0.0));
        assert!(!ties.queue(&network, new_tie(3, 4), 0.0), "queued already");
        assert!(ties.tied_or_queued(&network, p(3), p(4)));
        assert!(ties.tied_or_queued(&network, p(2), p(0)));
        assert!(!ties.tied_or_queued(&network, p(1), p(5)));
        assert_eq!(ties.len(), 1);
    }

    #[test]
    fn queued_ties_join_at_the_end_in_order_with_their_balances() {
        let mut network = tiny_network(6, &[(0, 1, TieKind::Partner)]);
        let mut ties = NewTies::default();
        assert!(ties.queue(&network, new_tie(2, 5), 1.5));
        assert!(ties.queue(&network, new_tie(0, 4), -0.5));
        assert!(
            network.tie_between(p(2), p(5)).is_none(),
            "not before the join"
        );
        ties.join(&mut network);
        assert!(ties.is_empty());
        let first = network.tie_between(p(5), p(2)).expect("joined").tie();
        let second = network.tie_between(p(4), p(0)).expect("joined").tie();
        assert_eq!(second.index(), first.index() + 1, "in the order queued");
        assert_eq!(network.ties.balance(first.index()), 1.5);
        assert_eq!(network.ties.balance(second.index()), -0.5);
        assert_eq!(network.ties.kind[first.index()], TieKind::Peer);
        // Joined pairs are ties now, no longer queued: queuing them again fails
        // on the tie, and a fresh pair can be queued.
        assert!(!ties.queue(&network, new_tie(2, 5), 0.0));
        assert!(ties.queue(&network, new_tie(1, 3), 0.0));
    }

    #[test]
    fn joining_nothing_leaves_the_network_as_it_was() {
        let mut network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        NewTies::default().join(&mut network);
        assert_eq!(network.ties.len(), 1);
    }

    #[test]
    fn a_new_tie_orders_its_ends_measures_the_distance_and_clamps_trust() {
        let mut people = tiny_people(4);
        people.position[3] = [3.0, 4.0];
        let tie = tie_between(&people, p(3), p(0), TieKind::Volunteer, 1.7);
        assert_eq!(tie.ends, [p(0), p(3)]);
        assert_eq!(tie.trust, 1.0);
        assert!(
            (f64::from(tie.distance_km) - 5.0).abs() < 1e-4,
            "{}",
            tie.distance_km
        );
        assert_eq!(
            tie_between(&people, p(1), p(2), TieKind::Peer, -0.2).trust,
            0.0
        );
    }
}
