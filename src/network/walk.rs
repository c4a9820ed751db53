//! A walk through a row in the order of a help-seeking norm (docs/ODD.md
//! §7.10.5), each kind's segment of the row found once per walk.
//!
//! `asking::walk_entry` finds the segment of each kind of the norm by two binary
//! searches at every step of the walk, for every kind before the one the step
//! lands in; asking rounds took about a third of their time there at the
//! 1-million-adult rung. [`RowWalk`] finds a kind's segment (by the same binary
//! searches) the first time the walk reaches that kind and keeps it, so a step
//! is a few subtractions. It gives the entry `walk_entry` gives, for every step
//! (a test checks them on random rows, norms and keys).

use super::Adjacent;
use crate::kinds::TieKind;

/// One kind's part of a walk: where its segment starts in the row, its length
/// and the offset its walk starts at.
#[derive(Debug, Clone, Copy, Default)]
struct Segment {
    start: u32,
    len: u32,
    offset: u32,
}

/// The walk through one row along a norm, with the segments of the kinds
/// reached so far.
#[derive(Debug, Clone)]
pub struct RowWalk<'a> {
    row: &'a [Adjacent],
    norm: &'a [TieKind],
    shuffle: u64,
    segments: [Segment; TieKind::COUNT],
    /// The first `known` kinds of the norm have their segment in `segments`.
    known: usize,
}

impl<'a> RowWalk<'a> {
    /// The walk through `row` (sorted by kind, as every row is) along `norm`,
    /// each kind's walk starting at the offset drawn from `shuffle`. A norm names
    /// each kind at most once (scenario validation), so it has at most
    /// `TieKind::COUNT` kinds.
    pub fn new(row: &'a [Adjacent], norm: &'a [TieKind], shuffle: u64) -> RowWalk<'a> {
        assert!(
            norm.len() <= TieKind::COUNT,
            "a help-seeking norm names each tie kind at most once"
        );
        RowWalk {
            row,
            norm,
            shuffle,
            segments: [Segment::default(); TieKind::COUNT],
            known: 0,
        }
    }

    /// The entry at step `at` of the walk, or `None` past its end.
    #[inline]
    pub fn entry(&mut self, at: u32) -> Option<Adjacent> {
        let mut at = at;
        for i in 0..self.norm.len() {
            if i == self.known {
                self.segments[i] = self.segment(self.norm[i]);
                self.known += 1;
            }
            let segment = self.segments[i];
            if at < segment.len {
                let within = (u64::from(at) + u64::from(segment.offset)) % u64::from(segment.len);
                return Some(self.row[segment.start as usize + within as usize]);
            }
            at -= segment.len;
        }
        None
    }

    /// `kind`'s segment of the row, as `walk_entry` finds it.
    fn segment(&self, kind: TieKind) -> Segment {
        let k = kind.index();
        let start = self.row.partition_point(|e| e.kind_index() < k);
        let len = self.row[start..].partition_point(|e| e.kind_index() <= k);
        // As in `walk_entry`: the remainder in 64 bits, then narrowed.
        let offset = if len == 0 {
            0
        } else {
            (crate::rng::mix64(self.shuffle ^ k as u64) % len as u64) as u32
        };
        Segment {
            start: start as u32,
            len: len as u32,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{PersonId, TieId};
    use crate::model::asking::walk_entry;
    use crate::rng::{Stream, stream};
    use rand::RngExt;
    use rand::seq::SliceRandom;

    /// On random rows (sorted by kind, as rows are, some kinds missing), norms
    /// (random orders of random subsets of kinds) and keys, every step of the
    /// walk gives `walk_entry`'s entry, and both end at the same step.
    #[test]
    fn the_kept_segments_walk_as_the_binary_searches_do() {
        let mut rng = stream(11, Stream::Friends, 0, 0);
        for case in 0..2_000 {
            let len = rng.random_range(0..40usize);
            let mut row: Vec<Adjacent> = (0..len)
                .map(|i| {
                    let kind = TieKind::ALL[rng.random_range(0..TieKind::COUNT)];
                    Adjacent::new(PersonId(rng.random_range(0..1000)), TieId(i as u32), kind)
                })
                .collect();
            row.sort_by_key(|a| a.sort_key());
            let mut norm: Vec<TieKind> = TieKind::ALL.to_vec();
            norm.shuffle(&mut rng);
            norm.truncate(rng.random_range(0..=TieKind::COUNT));
            let shuffle = if case % 3 == 0 { case } else { rng.random() };
            let mut walk = RowWalk::new(&row, &norm, shuffle);
            for at in 0..=len as u32 + 1 {
                assert_eq!(
                    walk.entry(at),
                    walk_entry(&row, &norm, at, shuffle),
                    "row {row:?} norm {norm:?} step {at}"
                );
            }
            let at = rng.random_range(0..=len as u32 + 1);
            assert_eq!(
                RowWalk::new(&row, &norm, shuffle).entry(at),
                walk_entry(&row, &norm, at, shuffle),
                "a walk asked first at step {at}"
            );
        }
    }
}
