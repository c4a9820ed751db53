//! The first steps of each asking walk of the week, kept in one array in case
//! order (session 27).
//!
//! A walk's steps are the same in every round of a week (rows change only at
//! the week's end, and a resident's order within a kind is not keyed by week),
//! but each round found them again: the row's start and length (two arrays
//! of millions) and the row itself, each a cache miss at a random place, and
//! a binary search per kind, in `Round::touch_walks` and again in
//! `Round::propose`. [`WalksAhead::fill`] reads each walking case's row once,
//! before the first round, and keeps its first [`AHEAD`] steps per group of
//! tasks next to the other cases' (8 bytes a step); the rounds read them there
//! in case order. A walk that goes past its kept steps reads the row as
//! before, so every step is the one `RowWalk` gives.

use rayon::prelude::*;

use super::NormGroup;
use crate::ids::{PersonId, TieId};
use crate::kinds::TieKind;
use crate::model::TOUCH_BATCH;
use crate::model::case::Case;
use crate::network::{Adjacent, Network, RowWalk};
use crate::population::People;

/// Steps kept per walk: a walk moves at least one step in each of the
/// week's rounds (4 at the defaults) that it asks in; 8 steps of 8 bytes are
/// one cache line. How often a walk goes past them was not measured.
pub const AHEAD: usize = 8;

/// In [`WalksAhead::kept`]: the kept steps are the whole walk.
const WHOLE: u8 = 0x80;

/// What the kept steps say of a walk's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The step's entry of the row.
    Entry(Adjacent),
    /// The walk ends before this step.
    End,
    /// Not kept: the row tells.
    Beyond,
}

/// The first `AHEAD` steps of each walking case's walk along each group's
/// norm, this week. Empty (every step [`Step::Beyond`]) where nothing was
/// kept, as for a [`super::Round`] made outside [`super::ask_in_rounds`].
#[derive(Debug)]
pub struct WalksAhead {
    groups: usize,
    /// [`AHEAD`] entries per case and group, case by case.
    entries: Vec<Adjacent>,
    /// Steps kept per case and group, with [`WHOLE`] when they are the walk.
    kept: Vec<u8>,
    /// Each walking case's trust in the district team and reluctance to ask
    /// (traits, fixed within the week).
    traits: Vec<Option<AskerTraits>>,
}

/// What the rounds read of the asker's traits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AskerTraits {
    pub formal_trust: f32,
    pub ask_reluctance: f32,
}

/// Nothing kept: every walk reads its row.
pub static NOTHING_KEPT: WalksAhead = WalksAhead {
    groups: 0,
    entries: Vec::new(),
    kept: Vec::new(),
    traits: Vec::new(),
};

impl WalksAhead {
    /// Keeps the first steps of the walks of `cases` along the groups whose
    /// bits `walks(case)` sets: those it may walk (a case that may not walk
    /// now walks no more this week: its wanted tasks only shrink and its
    /// walks only end).
    pub fn fill(
        network: &Network,
        people: &People,
        groups: &[NormGroup],
        seed: u64,
        cases: &[Case],
        walks: impl Fn(&Case) -> u32 + Sync,
    ) -> WalksAhead {
        let g_count = groups.len();
        let filler = Adjacent::new(PersonId(u32::MAX), TieId(0), TieKind::ALL[0]);
        let mut entries = Vec::new();
        (0..cases.len() * g_count * AHEAD)
            .into_par_iter()
            .map(|_| filler)
            .collect_into_vec(&mut entries);
        let mut kept = vec![0u8; cases.len() * g_count];
        let mut traits = vec![None; cases.len()];
        if g_count > 0 {
            cases
                .par_chunks(TOUCH_BATCH)
                .zip(entries.par_chunks_mut(TOUCH_BATCH * g_count * AHEAD))
                .zip(kept.par_chunks_mut(TOUCH_BATCH * g_count))
                .zip(traits.par_chunks_mut(TOUCH_BATCH))
                .for_each(|(((batch, entries), kept), traits)| {
                    let mut walking = [0u32; TOUCH_BATCH];
                    for (w, case) in walking.iter_mut().zip(batch) {
                        *w = walks(case);
                    }
                    touch_rows(network, batch, &walking);
                    for (i, case) in batch.iter().enumerate() {
                        if walking[i] == 0 {
                            continue;
                        }
                        let p = case.person.index();
                        traits[i] = Some(AskerTraits {
                            formal_trust: people.formal_trust[p],
                            ask_reluctance: people.ask_reluctance[p],
                        });
                        let shuffle = super::go_to_order(seed, case.person);
                        let row = network.row(case.person);
                        for (g, group) in groups.iter().enumerate() {
                            if walking[i] & 1 << g == 0 {
                                continue;
                            }
                            let slot = i * g_count + g;
                            let out = &mut entries[slot * AHEAD..(slot + 1) * AHEAD];
                            let mut walk = RowWalk::new(row, &group.norm, shuffle);
                            let mut n = 0;
                            while n < AHEAD {
                                let Some(entry) = walk.entry(n as u32) else {
                                    break;
                                };
                                out[n] = entry;
                                n += 1;
                            }
                            let whole = n < AHEAD || walk.entry(AHEAD as u32).is_none();
                            kept[slot] = n as u8 | if whole { WHOLE } else { 0 };
                        }
                    }
                });
        }
        WalksAhead {
            groups: g_count,
            entries,
            kept,
            traits,
        }
    }

    /// The asker's traits, if its case was walking when the steps were kept.
    #[inline]
    pub fn traits(&self, case: u32) -> Option<AskerTraits> {
        self.traits.get(case as usize).copied().flatten()
    }

    /// Step `at` of case `case`'s walk along group `g`'s norm, as far as kept.
    #[inline]
    pub fn step(&self, case: u32, g: usize, at: u32) -> Step {
        let slot = case as usize * self.groups + g;
        let Some(&kept) = self.kept.get(slot) else {
            return Step::Beyond;
        };
        let n = u32::from(kept & !WHOLE);
        if at < n {
            Step::Entry(self.entries[slot * AHEAD + at as usize])
        } else if kept & WHOLE != 0 {
            Step::End
        } else {
            Step::Beyond
        }
    }
}

/// Reads, for a batch of cases before their steps are kept, each walking
/// case's row (an entry per cache line), so that the batch's misses overlap
/// (as `Round::touch_walks` does). It only reads.
fn touch_rows(network: &Network, cases: &[Case], walking: &[u32; TOUCH_BATCH]) {
    let mut seen = 0u32;
    for (case, walking) in cases.iter().zip(walking) {
        if *walking == 0 {
            continue;
        }
        let row = network.row(case.person);
        for entry in row.iter().step_by(8).chain(row.last()) {
            seen ^= entry.other.0;
        }
    }
    std::hint::black_box(seen);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PersonId;
    use crate::model::asking::{TaskSet, walk_entry};
    use crate::model::testing::{case_in_need, tiny_network, tiny_people};

    /// Every step of every kept walk is the one `walk_entry` gives, and a
    /// walk kept whole ends where it does.
    #[test]
    fn kept_steps_are_the_walk() {
        let n = 40u32;
        let ties: Vec<(u32, u32, TieKind)> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .filter(|(a, b)| (a * 7 + b * 13) % 3 == 0)
            .map(|(a, b)| (a, b, TieKind::ALL[((a + b) as usize) % TieKind::COUNT]))
            .collect();
        let network = tiny_network(n as usize, &ties);
        let norm = vec![TieKind::Kin, TieKind::Friend, TieKind::Neighbour];
        let groups = [NormGroup {
            tasks: TaskSet::default().with(crate::kinds::Task::Household),
            norm: norm.clone(),
        }];
        let cases: Vec<Case> = (0..n).map(|p| case_in_need(PersonId(p), 5.0)).collect();
        let people = tiny_people(n);
        let walks = |case: &Case| u32::from(case.person.0 != 3);
        let ahead = WalksAhead::fill(&network, &people, &groups, 7, &cases, walks);
        let mut beyond = 0;
        for (c, case) in cases.iter().enumerate() {
            let row = network.row(case.person);
            let shuffle = super::super::go_to_order(7, case.person);
            for at in 0..=row.len() as u32 + 1 {
                match ahead.step(c as u32, 0, at) {
                    Step::Entry(e) => assert_eq!(Some(e), walk_entry(row, &norm, at, shuffle)),
                    Step::End => assert_eq!(None, walk_entry(row, &norm, at, shuffle)),
                    Step::Beyond => {
                        assert!(at >= AHEAD as u32 || case.person.0 == 3);
                        beyond += 1;
                    }
                }
            }
        }
        assert!(beyond > 0, "some walks are longer than kept");
        assert_eq!(ahead.traits(3), None);
        assert_eq!(
            ahead.traits(4).map(|t| t.ask_reluctance),
            Some(people.ask_reluctance[4])
        );
        assert_eq!(NOTHING_KEPT.step(0, 0, 0), Step::Beyond);
    }
}
