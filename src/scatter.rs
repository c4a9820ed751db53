//! Parallel writes at sorted places: a list of changes sorted by the index
//! they write (a person, a tie) is cut into pieces, and every array they write
//! is cut at the same indices, so each piece owns its own part of every array
//! and the pieces can run in parallel without locks or `unsafe`.
//!
//! The pieces have a fixed number of entries (not a number per thread), so
//! whatever a piece collects comes out the same on any number of threads when
//! the pieces' results are joined in order.

/// Entries per piece: large enough that a piece's work outweighs handing it to
/// a thread, small enough to share out a round's few thousand changes.
pub const PIECE: usize = 2048;

/// Where to cut a list of `n` entries whose indices `index(0) ≤ index(1) ≤ …`
/// ascend into pieces of at least `piece` entries, such that no `align`-sized
/// block of indices (0..align, align..2·align, …) spans two pieces. Returns each
/// piece's first entry and the first index its part of the arrays starts at
/// (the first piece's at 0, so the pieces' parts cover every array whole).
pub fn cuts(n: usize, index: impl Fn(usize) -> usize, piece: usize, align: usize) -> Vec<Cut> {
    assert!(piece > 0 && align > 0);
    let mut cuts = vec![Cut { entry: 0, start: 0 }];
    let mut at = piece;
    while at < n {
        let block = index(at - 1) / align;
        while at < n && index(at) / align == block {
            at += 1;
        }
        if at == n {
            break;
        }
        cuts.push(Cut {
            entry: at,
            start: index(at) / align * align,
        });
        at += piece;
    }
    cuts
}

/// The start of a piece: its first entry in the list of changes, and the
/// first index of its part of the arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    pub entry: usize,
    pub start: usize,
}

/// `data` cut into one part per piece: part k holds the indices from
/// `cuts[k].start` (divided by `per`, for arrays with one element per `per`
/// indices, such as bit sets in words of 64) up to the next piece's start.
pub fn split<'a, T>(data: &'a mut [T], cuts: &[Cut], per: usize) -> Vec<&'a mut [T]> {
    let mut parts = Vec::with_capacity(cuts.len());
    let mut rest = data;
    let mut at = 0;
    for next in cuts.iter().skip(1) {
        let (part, after) = rest.split_at_mut(next.start / per - at);
        parts.push(part);
        rest = after;
        at = next.start / per;
    }
    parts.push(rest);
    parts
}

/// The entries of each piece.
pub fn pieces<'a, T>(entries: &'a [T], cuts: &[Cut]) -> Vec<&'a [T]> {
    let mut parts = Vec::with_capacity(cuts.len());
    for (k, cut) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).map_or(entries.len(), |c| c.entry);
        parts.push(&entries[cut.entry..end]);
    }
    parts
}

/// `n` copies of `value`, written in parallel. A large array's pages are
/// zeroed by the kernel on first touch; `vec![value; n]` touches them all on
/// the calling thread (unless `value` is all zero bits of a primitive, which
/// `calloc` leaves untouched), so at set-up's sizes the page faults of a few
/// hundred megabytes ran on one thread while the others waited.
pub fn filled<T: Copy + Send + Sync>(n: usize, value: T) -> Vec<T> {
    use rayon::prelude::*;
    let mut out = Vec::with_capacity(n);
    (0..n)
        .into_par_iter()
        .map(|_| value)
        .collect_into_vec(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_list_and_never_share_a_block() {
        let ids: Vec<usize> = vec![0, 1, 1, 5, 63, 64, 64, 65, 130, 200, 200, 200, 260];
        for piece in 1..6 {
            for align in [1, 2, 64] {
                let cuts = cuts(ids.len(), |i| ids[i], piece, align);
                let parts = pieces(&ids, &cuts);
                assert_eq!(parts.concat(), ids, "piece {piece}, align {align}");
                let mut data: Vec<usize> = (0..300).collect();
                let split = split(&mut data, &cuts, 1);
                assert_eq!(split.len(), parts.len());
                for ((part, slice), cut) in parts.iter().zip(&split).zip(&cuts) {
                    assert!(!part.is_empty());
                    assert_eq!(cut.start % align, 0);
                    for id in *part {
                        assert_eq!(slice[id - cut.start], *id, "the id's own element");
                    }
                }
                for pair in parts.windows(2) {
                    let (last, first) = (pair[0][pair[0].len() - 1], pair[1][0]);
                    assert!(last / align < first / align, "a block spans two pieces");
                }
            }
        }
    }

    #[test]
    fn words_of_bits_are_cut_with_the_blocks() {
        let ids: Vec<usize> = vec![3, 70, 140, 300];
        let cuts = cuts(ids.len(), |i| ids[i], 1, 64);
        let mut words = vec![0u64; 5];
        let parts = split(&mut words, &cuts, 64);
        let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        assert_eq!(lengths, vec![1, 1, 2, 1]);
    }

    #[test]
    fn filled_is_vec_of_copies() {
        for n in [0, 1, 7, 100_000] {
            assert_eq!(filled(n, (3u32, 1.5f32)), vec![(3u32, 1.5f32); n]);
        }
    }

    #[test]
    fn an_empty_list_is_one_empty_piece_over_the_whole_array() {
        let cuts = cuts(0, |_| 0, PIECE, 64);
        assert_eq!(cuts, vec![Cut { entry: 0, start: 0 }]);
        let mut data = [1, 2, 3];
        assert_eq!(split(&mut data, &cuts, 1)[0].len(), 3);
        assert!(pieces::<u32>(&[], &cuts)[0].is_empty());
    }
}
