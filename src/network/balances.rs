//! The balances of help along ties (docs/ODD.md §7.10.10), with the list of
//! ties whose balance is not zero, so that the weekly fading costs the ties that
//! carried help, not the whole graph (at the 1-million-adult rung 12 million
//! ties, most of which never carry help).

use std::ops::Index;

/// Each tie's balance (hours given by the lower-numbered end minus hours
/// received), indexed by [`crate::ids::TieId`]'s index. Read with `balances[t]`;
/// written only through [`Balances::set`], which keeps the list of ties whose
/// balance may be non-zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Balances {
    values: Vec<f32>,
    /// Ties whose balance may be non-zero as of the last
    /// [`Balances::update_nonzero`], in id order.
    listed: Vec<u32>,
    /// Ties set to a non-zero balance since then and not in `listed`.
    fresh: Vec<u32>,
    /// One bit per tie: whether it is in `listed` or `fresh`.
    is_listed: Vec<u64>,
}

impl Balances {
    /// `n` ties without a balance.
    pub fn zeros(n: usize) -> Balances {
        Balances {
            values: vec![0.0; n],
            is_listed: vec![0; n.div_ceil(64)],
            ..Balances::default()
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every balance, by tie.
    pub fn as_slice(&self) -> &[f32] {
        &self.values
    }

    /// A new tie's balance.
    pub fn push(&mut self, balance: f32) {
        let t = self.values.len();
        self.values.push(0.0);
        if self.is_listed.len() * 64 <= t {
            self.is_listed.push(0);
        }
        self.set(t, balance);
    }

    /// Sets tie `t`'s balance.
    pub fn set(&mut self, t: usize, balance: f32) {
        self.values[t] = balance;
        let (word, bit) = (t / 64, 1u64 << (t % 64));
        if balance != 0.0 && self.is_listed[word] & bit == 0 {
            self.is_listed[word] |= bit;
            self.fresh.push(t as u32);
        }
    }

    /// Calls `update(t, &mut balance)` for each tie whose balance is not zero,
    /// in tie order (and perhaps for some whose balance is zero, which any
    /// update that keeps 0 at 0 may ignore); ties whose balance is zero after
    /// the call leave the list. The new ties are merged into the list in place
    /// (from the back), so the list is held once.
    pub fn update_nonzero(&mut self, mut update: impl FnMut(usize, &mut f32)) {
        let Balances {
            values,
            listed,
            fresh,
            is_listed,
        } = self;
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
        let mut kept = 0;
        for read in 0..listed.len() {
            let t = listed[read];
            let b = &mut values[t as usize];
            update(t as usize, b);
            if *b == 0.0 {
                is_listed[t as usize / 64] &= !(1u64 << (t % 64));
            } else {
                listed[kept] = t;
                kept += 1;
            }
        }
        listed.truncate(kept);
    }
}

impl Index<usize> for Balances {
    type Output = f32;

    fn index(&self, t: usize) -> &f32 {
        &self.values[t]
    }
}

impl From<Vec<f32>> for Balances {
    fn from(values: Vec<f32>) -> Balances {
        let mut balances = Balances::default();
        for b in values {
            balances.push(b);
        }
        balances
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visited(balances: &mut Balances) -> Vec<usize> {
        let mut seen = Vec::new();
        balances.update_nonzero(|t, _| seen.push(t));
        seen
    }

    #[test]
    fn only_non_zero_balances_are_visited_in_tie_order() {
        let mut balances = Balances::from(vec![0.0, 2.0, 0.0, -1.0]);
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
        assert_eq!(balances.as_slice(), &[0.25, 0.0, 0.5, -3.0]);
    }

    #[test]
    fn a_tie_whose_balance_returns_to_zero_stays_listed_until_the_next_update() {
        let mut balances = Balances::from(vec![0.0; 70]);
        balances.set(65, 1.0);
        balances.set(65, 0.0);
        assert_eq!(visited(&mut balances), vec![65]);
        assert_eq!(visited(&mut balances), Vec::<usize>::new());
    }
}
