//! Stable sorts by a small integer key (a person's or a tie's index): a
//! counting sort, digit by digit from the lowest (LSD radix), in place of
//! comparison sorts of the week's lists of changes (session 28).
//!
//! The order is that of any stable sort by the key: items of equal key keep
//! their order. So a list built in position order and sorted here by tie is in
//! `(tie, position)` order, as a comparison sort of those pairs would give.

use rayon::prelude::*;

/// Lists this short are sorted by the standard library's stable sort: the
/// counts of a digit cost more than comparing a few items.
const SHORT: usize = 256;

/// The widest digit: 2^12 counts (16 KB) stay in the first-level cache.
const MAX_DIGIT_BITS: u32 = 12;

/// Lists at least this long are sorted on several threads by
/// [`sort_by_key`].
const LONG: usize = 1 << 15;

/// Parts of the keys' range a long list is cut into, each sorted on a thread
/// of its own (a fixed number: the order does not depend on the threads).
const PARTS: usize = 4;

/// Sorts `items` by `key`, stably; every key must be below `bound`.
///
/// A long list is cut by the top digit of its keys into [`PARTS`] parts of
/// about equal length (each part a range of top digits, whose items it picks
/// out of the whole list in order), and the parts are sorted side by side as
/// [`sort_by_key_on_one_thread`] sorts a shorter list.
pub fn sort_by_key<T: Copy + Send + Sync>(
    items: &mut [T],
    bound: usize,
    key: impl Fn(&T) -> usize + Sync,
) {
    let n = items.len();
    let bits = usize::BITS - bound.saturating_sub(1).leading_zeros();
    if n < LONG || bits <= MAX_DIGIT_BITS {
        sort_by_key_on_one_thread(items, bound, key);
        return;
    }
    let shift = bits - MAX_DIGIT_BITS;
    let top = |item: &T| key(item) >> shift;
    // The top digits' counts and the copy of the list are made in parallel
    // pieces too: on the engine's thread they were the sort's serial part
    // (session 30). Counts are sums, the copy a copy: the same on any threads.
    let counts = items
        .par_chunks(LONG)
        .fold(
            || vec![0usize; 1 << MAX_DIGIT_BITS],
            |mut counts, piece| {
                piece.iter().for_each(|item| counts[top(item)] += 1);
                counts
            },
        )
        .reduce(
            || vec![0usize; 1 << MAX_DIGIT_BITS],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    // Part k takes the top digits from `firsts[k]` up to `firsts[k + 1]`.
    let mut firsts = vec![0usize];
    let mut before = 0;
    for (digit, &count) in counts.iter().enumerate() {
        if before >= n * firsts.len() / PARTS && firsts.len() < PARTS && digit > 0 {
            firsts.push(digit);
        }
        before += count;
    }
    firsts.push(counts.len());
    let source: Vec<T> = items.par_iter().copied().collect();
    let mut regions = Vec::with_capacity(PARTS);
    let mut rest = items;
    for range in firsts.windows(2) {
        let len: usize = counts[range[0]..range[1]].iter().sum();
        let (region, after) = rest.split_at_mut(len);
        regions.push((range[0]..range[1], region));
        rest = after;
    }
    regions.into_par_iter().for_each(|(digits, region)| {
        // The part's items in list order, then sorted stably by the whole
        // key: the parts, in order, are the list in key order.
        let mine = source.iter().filter(|item| digits.contains(&top(item)));
        for (slot, item) in region.iter_mut().zip(mine) {
            *slot = *item;
        }
        sort_by_key_on_one_thread(region, bound, &key);
    });
}

/// [`sort_by_key`] on the calling thread.
///
/// Reads the list once to count every digit, then moves it once per digit
/// (two moves for keys below 2^24, such as the 1m area's 12.6 M ties), and
/// skips a digit that all items share.
pub fn sort_by_key_on_one_thread<T: Copy>(
    items: &mut [T],
    bound: usize,
    key: impl Fn(&T) -> usize,
) {
    let n = items.len();
    if n <= SHORT {
        items.sort_by_key(|t| key(t));
        return;
    }
    let bits = usize::BITS - bound.saturating_sub(1).leading_zeros();
    if bits == 0 {
        return;
    }
    let digits = bits.div_ceil(MAX_DIGIT_BITS);
    let width = bits.div_ceil(digits);
    let size = 1usize << width;
    let mask = size - 1;
    let mut counts = vec![0usize; size * digits as usize];
    for item in items.iter() {
        let k = key(item);
        debug_assert!(k < bound, "key {k} not below {bound}");
        for d in 0..digits as usize {
            counts[d * size + ((k >> (d as u32 * width)) & mask)] += 1;
        }
    }
    let mut scratch: Vec<T> = items.to_vec();
    // Which of the two holds the list now: `items` (false) or `scratch`.
    let mut in_scratch = false;
    for d in 0..digits as usize {
        let counts = &mut counts[d * size..(d + 1) * size];
        if counts.contains(&n) {
            continue;
        }
        let mut at = 0;
        for c in counts.iter_mut() {
            let here = *c;
            *c = at;
            at += here;
        }
        let shift = d as u32 * width;
        let (from, to): (&[T], &mut [T]) = if in_scratch {
            (&scratch, items)
        } else {
            (items, &mut scratch)
        };
        for item in from {
            let slot = &mut counts[(key(item) >> shift) & mask];
            to[*slot] = *item;
            *slot += 1;
        }
        in_scratch = !in_scratch;
    }
    if in_scratch {
        items.copy_from_slice(&scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of pseudo-random keys below `bound`, each with its position.
    fn list(n: usize, bound: usize, seed: u64) -> Vec<(u32, u32)> {
        let mut x = seed | 1;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ((x % bound as u64) as u32, i as u32)
            })
            .collect()
    }

    #[test]
    fn sorts_as_a_stable_sort_does() {
        for (n, bound) in [
            (0, 1),
            (10, 3),
            (300, 1),
            (300, 2),
            (1000, 7),
            (5000, 4096),
            (5000, 4097),
            (20_000, 1 << 24),
            (20_000, (1 << 24) + 5),
            (100_000, 1 << 13),
            (100_000, 5_000_001),
            (100_000, (1 << 25) + 3),
            (40_000, 1 << 30),
            (3000, u32::MAX as usize),
        ] {
            let items = list(n, bound, n as u64 + bound as u64);
            let mut mine = items.clone();
            sort_by_key(&mut mine, bound, |&(k, _)| k as usize);
            let mut stable = items.clone();
            stable.sort_by_key(|&(k, _)| k);
            assert_eq!(mine, stable, "{n} items below {bound}");
            let mut pairs = items;
            pairs.sort_unstable();
            assert_eq!(mine, pairs, "(key, position) order");
        }
    }

    #[test]
    fn a_bound_of_zero_or_one_leaves_the_order() {
        let items: Vec<(u32, u32)> = (0..1000).map(|i| (0, 999 - i)).collect();
        for bound in [0, 1] {
            let mut mine = items.clone();
            sort_by_key(&mut mine, bound, |&(k, _)| k as usize);
            assert_eq!(mine, items);
        }
    }
}
