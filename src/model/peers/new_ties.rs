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
            network.ties.balance[first.index() + offset] = p.balance;
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
