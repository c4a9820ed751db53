//! A walk through a row in the order of a help-seeking norm (docs/ODD.md
//! §7.10.5), with the row's kind segments found once per walk.
//!
//! `asking::walk_entry` finds the segment of each kind of the norm by two binary
//! searches at every step of the walk; asking rounds took about a third of their
//! time there at the 1-million-adult rung. [`RowWalk`] counts the row's kinds in
//! one pass when a walk starts, and each step is then a few subtractions. It
//! gives the entry `walk_entry` gives, for every step (a test checks them on
//! random rows, norms and keys).

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

/// The kind segments of one row, in the order of a norm.
#[derive(Debug, Clone)]
pub struct RowWalk {
    segments: [Segment; TieKind::COUNT],
    kinds: usize,
}

impl RowWalk {
    /// The walk through `row` (sorted by kind, as every row is) along `norm`,
    /// each kind's walk starting at the offset drawn from `shuffle`. A norm names
    /// each kind at most once (scenario validation), so it has at most
    /// `TieKind::COUNT` kinds.
    pub fn new(row: &[Adjacent], norm: &[TieKind], shuffle: u64) -> RowWalk {
        assert!(
            norm.len() <= TieKind::COUNT,
            "a help-seeking norm names each tie kind at most once"
        );
        let mut count = [0u32; TieKind::COUNT];
        for entry in row {
            count[entry.kind_index()] += 1;
        }
        let mut first = [0u32; TieKind::COUNT];
        let mut at = 0;
        for (k, n) in count.iter().enumerate() {
            first[k] = at;
            at += n;
        }
        let mut segments = [Segment::default(); TieKind::COUNT];
        for (segment, kind) in segments.iter_mut().zip(norm) {
            let len = count[kind.index()];
            // As in `walk_entry`: the remainder in 64 bits, then narrowed.
            let offset = if len == 0 {
                0
            } else {
                (crate::rng::mix64(shuffle ^ kind.index() as u64) % u64::from(len)) as u32
            };
            *segment = Segment {
                start: first[kind.index()],
                len,
                offset,
            };
        }
        RowWalk {
            segments,
            kinds: norm.len(),
        }
    }

    /// The entry at step `at` of the walk through `row` (the row it was made
    /// for), or `None` past its end.
    #[inline]
    pub fn entry(&self, row: &[Adjacent], at: u32) -> Option<Adjacent> {
        let mut at = at;
        for segment in &self.segments[..self.kinds] {
            if at < segment.len {
                let within = (u64::from(at) + u64::from(segment.offset)) % u64::from(segment.len);
                return Some(row[segment.start as usize + within as usize]);
            }
            at -= segment.len;
        }
        None
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
            let walk = RowWalk::new(&row, &norm, shuffle);
            for at in 0..=len as u32 + 1 {
                assert_eq!(
                    walk.entry(&row, at),
                    walk_entry(&row, &norm, at, shuffle),
                    "row {row:?} norm {norm:?} step {at}"
                );
            }
        }
    }
}
