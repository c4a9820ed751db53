//! Peers and new ties (docs/ODD.md §7.10.13, §7.10.14): residents with a
//! long-term need meet another resident with one ("lotgenoten"), at the
//! scenario's yearly rate, and a peer tie forms; every tie made during a week
//! joins the network at its end ([`NewTies`]).

mod new_ties;
mod params;

pub use new_ties::{NewTies, tie_between};
pub use params::PeerParams;

use rand::RngExt;
use rayon::prelude::*;

use super::Week;
use super::case::Case;
use super::needs::WEEKS_PER_YEAR;
use crate::kinds::{EpisodeKind, TieKind};
use crate::network::Network;
use crate::rng::{Stream, stream};

/// The week's peer meetings; returns the number of peer ties queued.
pub fn meet_peers(week: &Week, cases: &[Case], network: &Network, new_ties: &mut NewTies) -> u64 {
    let scenario = week.scenario;
    let chance = scenario.behaviour.peers.peer_tie_per_year / WEEKS_PER_YEAR;
    if chance <= 0.0 {
        return 0;
    }
    // In parallel, in case order (a collect keeps it): a serial scan of the
    // week's 192-byte cases was about 30 samples of the engine's thread in
    // 20 weeks at the 1m rung on 2 threads (session 29).
    let sufferers: Vec<usize> = (0..cases.len())
        .into_par_iter()
        .filter(|i| cases[*i].has_episode(EpisodeKind::LongTerm))
        .collect();
    if sufferers.len() < 2 {
        return 0;
    }
    let trust = scenario.network.initial_trust.get(TieKind::Peer);
    let meetings: Vec<_> = sufferers
        .par_iter()
        .filter_map(|i| {
            let person = cases[*i].person;
            let mut rng = stream(
                scenario.seed,
                Stream::Peers,
                u64::from(week.week),
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
        let tie = tie_between(week.people, a, b, TieKind::Peer, trust);
        if new_ties.queue(network, tie, 0.0) {
            formed += 1;
        }
    }
    formed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PersonId;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    #[test]
    fn sufferers_who_meet_get_a_peer_tie_at_the_end_of_the_week() {
        let mut scenario = tiny_scenario(4);
        // Every week, certainly: each of the two meets one of the two.
        scenario.behaviour.peers.peer_tie_per_year = WEEKS_PER_YEAR;
        let people = tiny_people(4);
        let mut network = tiny_network(4, &[]);
        // Resident 3's need is short: not a fellow sufferer's.
        let mut short = case_in_need(PersonId(3), 2.0);
        let mut episode = short.episodes[EpisodeKind::LongTerm.index()]
            .take()
            .expect("a long-term episode");
        episode.kind = EpisodeKind::ShortTerm;
        short.episodes[EpisodeKind::ShortTerm.index()] = Some(episode);
        let cases = [
            case_in_need(PersonId(0), 2.0),
            case_in_need(PersonId(2), 2.0),
            short,
        ];
        let mut new_ties = NewTies::default();
        let mut formed = 0;
        for w in 0..20 {
            let week = Week::new(&scenario, &people, w, &[]);
            formed += meet_peers(&week, &cases, &network, &mut new_ties);
            assert!(network.tie_between(PersonId(0), PersonId(2)).is_none() || formed == 1);
            new_ties.join(&mut network);
        }
        assert_eq!(formed, 1, "one tie, however often they meet");
        let tie = network
            .tie_between(PersonId(0), PersonId(2))
            .expect("a peer tie");
        assert_eq!(tie.kind(), TieKind::Peer);
        let trust = scenario.network.initial_trust.get(TieKind::Peer) as f32;
        assert_eq!(
            network.ties.trust(tie.tie().index()),
            trust,
            "the kind's mean"
        );
    }

    #[test]
    fn a_tie_is_queued_once_and_never_to_oneself() {
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let mut new_ties = NewTies::default();
        let tie = |a, b| tie_between(&people, PersonId(a), PersonId(b), TieKind::Peer, 0.5);
        assert!(new_ties.queue(&network, tie(2, 3), 0.0));
        assert!(!new_ties.queue(&network, tie(3, 2), 0.0), "queued already");
        assert!(!new_ties.queue(&network, tie(1, 0), 0.0), "tied already");
        assert!(!new_ties.queue(&network, tie(2, 2), 0.0));
        assert_eq!(new_ties.len(), 1);
    }
}
