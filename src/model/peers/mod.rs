//! Fellow sufferers ("lotgenoten", MODEL.md §3): residents with a long-term need
//! meet another resident with one, at the scenario's yearly rate, and a peer tie
//! forms.

use rand::RngExt;
use rayon::prelude::*;

use super::Engine;
use crate::kinds::{EpisodeKind, TieKind};
use crate::needs::WEEKS_PER_YEAR;
use crate::network::NewTie;
use crate::population::distance_km;
use crate::rng::{Stream, stream};

impl Engine {
    /// Returns the number of peer ties formed this week.
    pub(super) fn meet_peers(&mut self) -> u64 {
        let scenario = &self.world.scenario;
        let chance = scenario.behaviour.peer_tie_per_year / WEEKS_PER_YEAR;
        if chance <= 0.0 {
            return 0;
        }
        let sufferers: Vec<usize> = (0..self.cases.len())
            .filter(|i| self.cases[*i].has_episode(EpisodeKind::LongTerm))
            .collect();
        if sufferers.len() < 2 {
            return 0;
        }
        let trust = scenario.network.initial_trust.get(TieKind::Peer) as f32;
        let week = self.week;
        let cases = &self.cases;
        let meetings: Vec<_> = sufferers
            .par_iter()
            .filter_map(|i| {
                let person = cases[*i].person;
                let mut rng = stream(
                    scenario.seed,
                    Stream::Peers,
                    u64::from(week),
                    u64::from(person.0),
                );
                if rng.random::<f64>() >= chance {
                    return None;
                }
                let other = cases[sufferers[rng.random_range(0..sufferers.len())]].person;
                Some((person, other))
            })
            .collect();
        let mut formed = 0;
        for (a, b) in meetings {
            let ends = if a < b { [a, b] } else { [b, a] };
            let position = &self.world.people.position;
            let tie = NewTie {
                ends,
                kind: TieKind::Peer,
                trust,
                distance_km: distance_km(position[a.index()], position[b.index()]),
                flags: 0,
            };
            if self.queue_tie(tie, 0.0) {
                formed += 1;
            }
        }
        formed
    }
}
