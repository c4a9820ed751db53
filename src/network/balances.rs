//! The trust (docs/ODD.md §7.7) and the balance of help (§7.10.10) of each
//! tie, side by side, with the list of ties whose balance is not zero, so that
//! the weekly fading costs the ties that carried help, not the whole graph (at
//! the 1-million-adult rung 12 million ties, most of which never carry help).
//!
//! Trust and balance share one 8-byte record because the asking walk reads both
//! for every tie it passes, at random places among millions of ties: in two
//! arrays that was two cache misses per tie, in one it is one (session 24).
//!
//! A bit per tie says whether its trust reaches the usable trust
//! (`behaviour.usable_tie_trust`), once the engine asks for it with
//! [`TrustAndBalances::keep_usable_at`]: each week every case counts its
//! usable ties, and the bits (1.6 MB at the 1-million-adult rung) mostly stay
//! in cache where the trust of 12 million ties (100 MB) does not (session 25).

use std::ops::Index;

use rayon::prelude::*;

use crate::scatter;

/// One tie's trust and balance.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TrustAndBalance {
    /// Trust, 0–1.
    pub trust: f32,
    /// Hours given by the lower-numbered end minus hours received.
    pub balance: f32,
}

/// Each tie's trust and balance (hours given by the lower-numbered end minus
/// hours received), indexed by [`crate::ids::TieId`]'s index. Read the balance
/// with `balances[t]`; it is written only through [`TrustAndBalances::set`],
/// which keeps the list of ties whose balance may be non-zero. Trust is read
/// and written with [`TrustAndBalances::trust`] and
/// [`TrustAndBalances::set_trust`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustAndBalances {
    values: Vec<TrustAndBalance>,
    /// Ties whose balance may be non-zero as of the last update, in id order.
    listed: Vec<u32>,
    /// Ties set to a non-zero balance since then and not in `listed`.
    fresh: Vec<u32>,
    /// One bit per tie: whether it is in `listed` or `fresh`.
    is_listed: Vec<u64>,
    /// One bit per tie: whether its trust is at least `usable_at`; kept as
    /// long as `usable_at` is set (all clear otherwise). As long as
    /// `is_listed`, so that [`TrustAndBalances::parts`] cuts both alike.
    usable: Vec<u64>,
    /// The trust the `usable` bits are kept for, if any.
    usable_at: Option<f32>,
}

impl TrustAndBalances {
    /// `n` ties with trust 0 and no balance.
    pub fn zeros(n: usize) -> TrustAndBalances {
        TrustAndBalances {
            values: crate::scatter::filled(n, TrustAndBalance::default()),
            is_listed: vec![0; n.div_ceil(64)],
            usable: vec![0; n.div_ceil(64)],
            ..TrustAndBalances::default()
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every tie's trust and balance, by tie.
    pub fn as_slice(&self) -> &[TrustAndBalance] {
        &self.values
    }

    /// Every tie's trust, by tie, in parallel, to be set in place. The usable
    /// bits are no longer kept (they would not follow these writes); the next
    /// [`TrustAndBalances::keep_usable_at`] sets them afresh.
    pub(crate) fn trust_mut(&mut self) -> impl IndexedParallelIterator<Item = &mut f32> {
        self.usable_at = None;
        self.usable.iter_mut().for_each(|word| *word = 0);
        self.values.par_iter_mut().map(|v| &mut v.trust)
    }

    /// Keeps from now on, for every tie, whether its trust is at least
    /// `trust` ([`TrustAndBalances::is_usable`]). Sets every bit afresh unless
    /// they are already kept for `trust`.
    pub fn keep_usable_at(&mut self, trust: f32) {
        if self.usable_at == Some(trust) {
            return;
        }
        self.usable = self
            .values
            .par_chunks(64)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.trust >= trust)
                    .fold(0u64, |word, (i, _)| word | (1 << i))
            })
            .collect();
        self.usable_at = Some(trust);
    }

    /// The trust the usable bits are kept for, if any.
    pub fn usable_at(&self) -> Option<f32> {
        self.usable_at
    }

    /// Whether tie `t`'s trust is at least [`TrustAndBalances::usable_at`]
    /// (false for every tie while that is `None`).
    #[inline]
    pub fn is_usable(&self, t: usize) -> bool {
        self.usable[t / 64] & (1 << (t % 64)) != 0
    }

    /// Tie `t`'s trust and balance.
    #[inline]
    pub fn get(&self, t: usize) -> TrustAndBalance {
        self.values[t]
    }

    /// Tie `t`'s trust.
    #[inline]
    pub fn trust(&self, t: usize) -> f32 {
        self.values[t].trust
    }

    /// Sets tie `t`'s trust.
    pub fn set_trust(&mut self, t: usize, trust: f32) {
        self.values[t].trust = trust;
        if let Some(at) = self.usable_at {
            mark(&mut self.usable, t, trust >= at);
        }
    }

    /// A new tie's trust and balance.
    pub fn push(&mut self, trust: f32, balance: f32) {
        let t = self.values.len();
        self.values.push(TrustAndBalance {
            trust,
            balance: 0.0,
        });
        if self.is_listed.len() * 64 <= t {
            self.is_listed.push(0);
        }
        if self.usable.len() * 64 <= t {
            self.usable.push(0);
        }
        self.set_trust(t, trust);
        self.set(t, balance);
    }

    /// Sets tie `t`'s balance.
    pub fn set(&mut self, t: usize, balance: f32) {
        self.values[t].balance = balance;
        let (word, bit) = (t / 64, 1u64 << (t % 64));
        if balance != 0.0 && self.is_listed[word] & bit == 0 {
            self.is_listed[word] |= bit;
            self.fresh.push(t as u32);
        }
    }

    /// The balances cut into parts at the cuts' starts (multiples of 64), for
    /// [`BalancePart::set`] in parallel; the ties each part lists afresh go
    /// back with [`TrustAndBalances::note_fresh`].
    pub(crate) fn parts(&mut self, cuts: &[scatter::Cut]) -> Vec<BalancePart<'_>> {
        debug_assert!(cuts.iter().all(|c| c.start.is_multiple_of(64)));
        let TrustAndBalances {
            values,
            is_listed,
            usable,
            usable_at,
            ..
        } = self;
        scatter::split(values, cuts, 1)
            .into_iter()
            .zip(scatter::split(is_listed, cuts, 64))
            .zip(scatter::split(usable, cuts, 64))
            .zip(cuts)
            .map(|(((values, bits), usable), cut)| BalancePart {
                first: cut.start,
                values,
                bits,
                usable,
                usable_at: *usable_at,
                fresh: Vec::new(),
            })
            .collect()
    }

    /// Takes back the ties that parts listed afresh.
    pub(crate) fn note_fresh(&mut self, fresh: &[u32]) {
        self.fresh.extend_from_slice(fresh);
    }

    /// Calls `update(t, &mut balance)` for each tie whose balance is not zero,
    /// in tie order (and perhaps for some whose balance is zero, which any
    /// update that keeps 0 at 0 may ignore); ties whose balance is zero after
    /// the call leave the list. The new ties are merged into the list in place
    /// (from the back), so the list is held once. The run fades balances with
    /// [`TrustAndBalances::update_nonzero_in_blocks`]; this serial form is the tests'
    /// reference for it.
    #[cfg(test)]
    pub fn update_nonzero(&mut self, mut update: impl FnMut(usize, &mut f32)) {
        self.merge_fresh();
        let TrustAndBalances {
            values,
            listed,
            is_listed,
            ..
        } = self;
        let kept = keep_nonzero(listed, values, is_listed, 0, |t, b| update(t, b));
        listed.truncate(kept);
    }

    /// Calls `update(t, &mut balance, &mut r)` for each tie whose balance is not
    /// zero, as the serial `update_nonzero` of the tests does, in parallel over
    /// blocks of `block` tie ids (a multiple of 64): within a block the ties come in tie order, each
    /// with the block's `R` (from `R::default()`), and the blocks' `R`s are
    /// returned in block order, one per block, so a sum made per block and
    /// added up in order does not depend on the number of threads.
    pub fn update_nonzero_in_blocks<R: Default + Send>(
        &mut self,
        block: usize,
        update: impl Fn(usize, &mut f32, &mut R) + Sync,
    ) -> Vec<R> {
        assert!(block > 0 && block.is_multiple_of(64), "block {block}");
        self.merge_fresh();
        let TrustAndBalances {
            values,
            listed,
            is_listed,
            ..
        } = self;
        debug_assert_eq!(is_listed.len(), values.len().div_ceil(64));
        // Each block's part of the list, cut where its ids begin.
        let mut parts: Vec<&mut [u32]> = Vec::with_capacity(values.len().div_ceil(block));
        let mut rest: &mut [u32] = listed;
        let mut start = 0;
        while start < values.len() {
            let end = start + block;
            let cut = rest.partition_point(|&t| (t as usize) < end);
            let (part, after) = rest.split_at_mut(cut);
            parts.push(part);
            rest = after;
            start = end;
        }
        let lengths: Vec<usize> = parts.iter().map(|part| part.len()).collect();
        let done: Vec<(R, usize)> = values
            .par_chunks_mut(block)
            .zip(is_listed.par_chunks_mut(block / 64))
            .zip(parts)
            .enumerate()
            .map(|(b, ((values, bits), part))| {
                let mut r = R::default();
                let kept = keep_nonzero(part, values, bits, b * block, |t, v| update(t, v, &mut r));
                (r, kept)
            })
            .collect();
        // Each block kept the first `kept` ids of its part: close the gaps.
        let (mut read, mut write) = (0, 0);
        let mut results = Vec::with_capacity(done.len());
        for ((r, kept), length) in done.into_iter().zip(lengths) {
            listed.copy_within(read..read + kept, write);
            read += length;
            write += kept;
            results.push(r);
        }
        listed.truncate(write);
        results
    }

    /// Merges the ties set since the last update into the list, in place from
    /// the back.
    fn merge_fresh(&mut self) {
        let TrustAndBalances { listed, fresh, .. } = self;
        fresh.sort_unstable();
        let (mut i, mut j) = (listed.len(), fresh.len());
        listed.resize(i + j, 0);
        while j > 0 {
            let k = i + j - 1;
            if i > 0 && listed[i - 1] > fresh[j - 1] {
                listed[k] = listed[i - 1];
                i -= 1;
            } else {
                listed[k] = fresh[j - 1];
                j -= 1;
            }
        }
        fresh.clear();
    }
}

/// The trust and balances of the ties from `first` on, up to the next part:
/// what [`TrustAndBalances::set`] does, for one part of the ties while other
/// threads set the others'.
pub(crate) struct BalancePart<'a> {
    first: usize,
    values: &'a mut [TrustAndBalance],
    bits: &'a mut [u64],
    /// This part's usable bits ([`TrustAndBalances::is_usable`]).
    usable: &'a mut [u64],
    usable_at: Option<f32>,
    /// Ties of this part set to a non-zero balance and not listed before.
    pub(crate) fresh: Vec<u32>,
}

impl BalancePart<'_> {
    pub(crate) fn get(&self, t: usize) -> TrustAndBalance {
        self.values[t - self.first]
    }

    /// [`TrustAndBalances::set_trust`].
    pub(crate) fn set_trust(&mut self, t: usize, trust: f32) {
        let i = t - self.first;
        self.values[i].trust = trust;
        if let Some(at) = self.usable_at {
            // The part starts at a multiple of 64, so `i`'s bit is `t`'s.
            mark(self.usable, i, trust >= at);
        }
    }

    /// [`TrustAndBalances::set`].
    pub(crate) fn set(&mut self, t: usize, balance: f32) {
        let i = t - self.first;
        self.values[i].balance = balance;
        let (word, bit) = (i / 64, 1u64 << (t % 64));
        if balance != 0.0 && self.bits[word] & bit == 0 {
            self.bits[word] |= bit;
            self.fresh.push(t as u32);
        }
    }
}

/// Sets or clears bit `i` of `bits`.
fn mark(bits: &mut [u64], i: usize, on: bool) {
    let (word, bit) = (i / 64, 1u64 << (i % 64));
    if on {
        bits[word] |= bit;
    } else {
        bits[word] &= !bit;
    }
}

/// Updates the balances of the listed ties `ids` (tie `t` at `values[t -
/// first]` and its bit in `bits`, which start at tie `first`), keeps the ids
/// of those still non-zero at the front of `ids` and returns how many; the
/// others' bits are cleared.
fn keep_nonzero(
    ids: &mut [u32],
    values: &mut [TrustAndBalance],
    bits: &mut [u64],
    first: usize,
    mut update: impl FnMut(usize, &mut f32),
) -> usize {
    let mut kept = 0;
    for read in 0..ids.len() {
        let t = ids[read] as usize;
        let b = &mut values[t - first].balance;
        update(t, b);
        if *b == 0.0 {
            bits[(t - first) / 64] &= !(1u64 << (t % 64));
        } else {
            ids[kept] = t as u32;
            kept += 1;
        }
    }
    kept
}

impl Index<usize> for TrustAndBalances {
    type Output = f32;

    /// Tie `t`'s balance.
    #[inline]
    fn index(&self, t: usize) -> &f32 {
        &self.values[t].balance
    }
}

/// Ties with these balances and trust 0 (for tests).
impl From<Vec<f32>> for TrustAndBalances {
    fn from(values: Vec<f32>) -> TrustAndBalances {
        let mut balances = TrustAndBalances::default();
        for b in values {
            balances.push(0.0, b);
        }
        balances
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visited(balances: &mut TrustAndBalances) -> Vec<usize> {
        let mut seen = Vec::new();
        balances.update_nonzero(|t, _| seen.push(t));
        seen
    }

    #[test]
    fn only_non_zero_balances_are_visited_in_tie_order() {
        let mut balances = TrustAndBalances::from(vec![0.0, 2.0, 0.0, -1.0]);
        assert_eq!(visited(&mut balances), vec![1, 3]);
        balances.set(2, 0.5);
        balances.set(0, 0.25);
        assert_eq!(visited(&mut balances), vec![0, 1, 2, 3]);
        balances.update_nonzero(|t, b| {
            if t % 2 == 1 {
                *b = 0.0;
            }
        });
        assert_eq!(visited(&mut balances), vec![0, 2]);
        balances.set(3, -4.0);
        balances.set(3, -3.0);
        assert_eq!(visited(&mut balances), vec![0, 2, 3]);
        assert_eq!(balances[3], -3.0);
        let values: Vec<f32> = balances.as_slice().iter().map(|v| v.balance).collect();
        assert_eq!(values, [0.25, 0.0, 0.5, -3.0]);
    }

    /// The update in blocks visits the same ties with the same balances as
    /// the update in one pass, leaves the same list behind, and gives each
    /// block its own result in block order.
    #[test]
    fn the_update_in_blocks_is_the_update_in_one_pass() {
        let n = 64 * 40 + 17;
        let start: Vec<f32> = (0..n)
            .map(|t: usize| {
                if t.is_multiple_of(7) || t % 11 == 3 {
                    t as f32 * 0.5 - 300.0
                } else {
                    0.0
                }
            })
            .collect();
        let mut one = TrustAndBalances::from(start.clone());
        let mut blocks = TrustAndBalances::from(start);
        for week in 0..6 {
            // New balances, some on listed ties, and some ties brought to 0.
            for t in (week * 13..n).step_by(97) {
                one.set(t, 1.5);
                blocks.set(t, 1.5);
            }
            let zero = |t: usize| (t + week).is_multiple_of(5);
            let mut seen = Vec::new();
            one.update_nonzero(|t, b| {
                seen.push((t, *b));
                if zero(t) {
                    *b = 0.0;
                }
            });
            let per_block =
                blocks.update_nonzero_in_blocks(128, |t, b, r: &mut Vec<(usize, f32)>| {
                    r.push((t, *b));
                    if zero(t) {
                        *b = 0.0;
                    }
                });
            assert_eq!(per_block.len(), n.div_ceil(128));
            for (i, r) in per_block.iter().enumerate() {
                assert!(r.iter().all(|(t, _)| t / 128 == i), "block {i}");
            }
            let flat: Vec<(usize, f32)> = per_block.into_iter().flatten().collect();
            assert_eq!(flat, seen, "week {week}");
            assert!(!seen.is_empty());
            assert_eq!(one, blocks, "week {week}");
        }
    }

    /// The usable bits answer as the trust does, after single writes, new
    /// ties and writes in parallel parts, and are dropped by `trust_mut`.
    #[test]
    fn the_usable_bits_follow_every_write_of_trust() {
        let n = 64 * 5 + 9;
        let mut ties = TrustAndBalances::zeros(n);
        ties.trust_mut()
            .enumerate()
            .for_each(|(t, trust)| *trust = (t % 10) as f32 / 10.0);
        assert_eq!(ties.usable_at(), None);
        ties.keep_usable_at(0.5);
        let agrees = |ties: &TrustAndBalances| {
            (0..ties.len()).all(|t| ties.is_usable(t) == (ties.trust(t) >= 0.5))
        };
        assert!(agrees(&ties));
        ties.set_trust(3, 0.9);
        ties.set_trust(5, 0.1);
        ties.push(0.7, 1.0);
        ties.push(0.2, 0.0);
        assert!(agrees(&ties) && ties.is_usable(n) && !ties.is_usable(n + 1));
        let cuts: Vec<scatter::Cut> = [0, 128, 256]
            .iter()
            .map(|&start| scatter::Cut { start, entry: 0 })
            .collect();
        for (k, mut part) in ties.parts(&cuts).into_iter().enumerate() {
            for t in (k * 128..(k * 128 + 128).min(n)).step_by(3) {
                let flipped = 1.0 - part.get(t).trust;
                part.set_trust(t, flipped);
            }
        }
        assert!(agrees(&ties));
        ties.keep_usable_at(0.25);
        assert_eq!(ties.usable_at(), Some(0.25));
        assert!((0..ties.len()).all(|t| ties.is_usable(t) == (ties.trust(t) >= 0.25)));
        ties.trust_mut().for_each(|_| {});
        assert_eq!(ties.usable_at(), None);
        assert!((0..ties.len()).all(|t| !ties.is_usable(t)));
    }

    #[test]
    fn a_tie_whose_balance_returns_to_zero_stays_listed_until_the_next_update() {
        let mut balances = TrustAndBalances::from(vec![0.0; 70]);
        balances.set(65, 1.0);
        balances.set(65, 0.0);
        assert_eq!(visited(&mut balances), vec![65]);
        assert_eq!(visited(&mut balances), Vec::<usize>::new());
    }
}
