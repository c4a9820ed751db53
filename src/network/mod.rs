//! The social graph (docs/ODD.md §2.3–§2.4, §7.3–§7.7).
//!
//! The weekly loop reads a compact adjacency: each person's row lists (other person,
//! tie) pairs in 8 bytes, ordered by tie kind in the strength order of [`TieKind`]
//! and then by the other person, so that asking along a help-seeking norm is a
//! linear scan. Tie attributes live once per undirected tie, in parallel arrays.
//! Rows keep a little spare room so that ties formed during a run (peers, volunteer
//! matches, cohesion events) are added in place; a full row moves to the end of the
//! adjacency with room to grow, and the rows are laid out afresh only when the holes
//! left behind make up half of it (docs/ARCHITECTURE.md §3, "Row growth").
//!
//! petgraph is used where a general graph is the right tool: analysis and export
//! ([`Network::to_petgraph`]).

mod balances;
mod formation;
mod kinship;
mod sociability;
pub mod spatial;
mod walk;

pub use balances::{TrustAndBalance, TrustAndBalances};
pub use formation::{FormationReport, build_network_unless};
pub(crate) use formation::{draw_trust_and_contact, in_law_tie, with_rare_contact};
pub use kinship::{DrawnParents, KinshipParams, MAX_CHILDREN, MeanSd};
pub use walk::RowWalk;

use petgraph::graph::{NodeIndex, UnGraph};
use rayon::prelude::*;

use crate::scatter;

use crate::ids::{PersonId, TieId};
use crate::kinds::TieKind;

/// Spare entries per row after a (re)build.
const ROW_SLACK: u32 = 2;
const KIND_SHIFT: u32 = 29;
const TIE_MASK: u32 = (1 << KIND_SHIFT) - 1;
/// More ties than this do not fit the packed adjacency entry.
pub const MAX_TIES: usize = TIE_MASK as usize;

/// One entry of a person's row: the person at the other end and the tie, with the
/// tie's kind packed into the tie id's top three bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjacent {
    pub other: PersonId,
    packed: u32,
}

impl Adjacent {
    /// Spare room in a row.
    const FILLER: Adjacent = Adjacent {
        other: PersonId(u32::MAX),
        packed: 0,
    };

    pub fn new(other: PersonId, tie: TieId, kind: TieKind) -> Self {
        Adjacent {
            other,
            packed: ((kind.index() as u32) << KIND_SHIFT) | tie.0,
        }
    }

    #[inline]
    pub fn tie(self) -> TieId {
        TieId(self.packed & TIE_MASK)
    }

    #[inline]
    pub fn kind(self) -> TieKind {
        TieKind::ALL[self.kind_index()]
    }

    /// The kind's `index()`, read from the packed bits.
    #[inline]
    pub fn kind_index(self) -> usize {
        (self.packed >> KIND_SHIFT) as usize
    }

    fn sort_key(self) -> (u32, u32) {
        (self.packed >> KIND_SHIFT, self.other.0)
    }
}

/// Bit flags of a tie.
pub mod tie_flags {
    use crate::kinds::KinRelation;

    /// The two also keep in touch online (blended contact).
    pub const BLENDED: u8 = 1;
    /// The tie ended (one end died or moved away): it is in no row any more,
    /// and [`super::Network::tie_ends`] gives it no ends (docs/ODD.md §7.2.1).
    pub const ENDED: u8 = 8;
    /// Bits 4–6 of a kin tie: what the higher-numbered end is to the lower-numbered
    /// one (see [`relation_bits`]).
    const RELATION_SHIFT: u8 = 4;
    const RELATION_MASK: u8 = 0b111 << RELATION_SHIFT;

    /// The flag bits that say what the higher-numbered end of a kin tie is to the
    /// lower-numbered end.
    pub const fn relation_bits(relation: KinRelation) -> u8 {
        (relation.index() as u8) << RELATION_SHIFT
    }

    /// What the higher-numbered end of a kin tie is to the lower-numbered end.
    pub const fn relation(flags: u8) -> KinRelation {
        KinRelation::ALL[((flags & RELATION_MASK) >> RELATION_SHIFT) as usize]
    }

    /// Whether a tie of this kind and these flags joins a parent and their
    /// adult child.
    pub fn between_generations(kind: crate::kinds::TieKind, flags: u8) -> bool {
        kind == crate::kinds::TieKind::Kin
            && matches!(relation(flags), KinRelation::Parent | KinRelation::Child)
    }
}

/// Attributes of undirected ties, indexed by [`TieId`]'s index.
#[derive(Debug, Clone, Default)]
pub struct Ties {
    pub kind: Vec<TieKind>,
    /// Distance between the two homes, km.
    pub distance_km: Vec<f32>,
    /// Trust (0–1) and the help hours given by the lower-numbered end minus
    /// hours received from the other, side by side (the asking walk reads both
    /// for every tie it passes), with the list of ties whose balance is not
    /// zero. Read and written through [`Ties::trust`], [`Ties::balance`] and
    /// their setters.
    trust_and_balance: TrustAndBalances,
    /// See [`tie_flags`].
    pub flags: Vec<u8>,
}

impl Ties {
    /// Ties from their columns, all of one length.
    pub(crate) fn from_columns(
        kind: Vec<TieKind>,
        distance_km: Vec<f32>,
        trust_and_balance: TrustAndBalances,
        flags: Vec<u8>,
    ) -> Ties {
        let n = kind.len();
        assert!(distance_km.len() == n && trust_and_balance.len() == n && flags.len() == n);
        Ties {
            kind,
            distance_km,
            trust_and_balance,
            flags,
        }
    }

    pub fn len(&self) -> usize {
        self.kind.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// A new tie with no balance.
    pub fn push(&mut self, kind: TieKind, trust: f32, distance_km: f32, flags: u8) {
        self.kind.push(kind);
        self.trust_and_balance.push(trust, 0.0);
        self.distance_km.push(distance_km);
        self.flags.push(flags);
    }

    /// Tie `t`'s trust, 0–1.
    #[inline]
    pub fn trust(&self, t: usize) -> f32 {
        self.trust_and_balance.trust(t)
    }

    /// Sets tie `t`'s trust.
    pub fn set_trust(&mut self, t: usize, trust: f32) {
        self.trust_and_balance.set_trust(t, trust);
    }

    /// Keeps a bit per tie for whether its trust is at least `trust`, read
    /// with [`Ties::is_usable`] (see [`TrustAndBalances::keep_usable_at`]).
    pub fn keep_usable_at(&mut self, trust: f32) {
        self.trust_and_balance.keep_usable_at(trust);
    }

    /// The trust [`Ties::is_usable`] answers for, if its bits are kept.
    pub fn usable_at(&self) -> Option<f32> {
        self.trust_and_balance.usable_at()
    }

    /// Whether tie `t`'s trust is at least [`Ties::usable_at`], from a bit
    /// per tie (a small array that stays in cache).
    #[inline]
    pub fn is_usable(&self, t: usize) -> bool {
        self.trust_and_balance.is_usable(t)
    }

    /// Tie `t`'s balance: hours given by the lower-numbered end minus hours
    /// received.
    #[inline]
    pub fn balance(&self, t: usize) -> f32 {
        self.trust_and_balance[t]
    }

    /// Sets tie `t`'s balance.
    pub fn set_balance(&mut self, t: usize, balance: f32) {
        self.trust_and_balance.set(t, balance);
    }

    /// Tie `t`'s trust and balance, read together (one cache line).
    #[inline]
    pub fn trust_and_balance(&self, t: usize) -> TrustAndBalance {
        self.trust_and_balance.get(t)
    }

    /// Every tie's trust, by tie.
    pub fn trusts(&self) -> impl ExactSizeIterator<Item = f32> + '_ {
        self.trust_and_balance.as_slice().iter().map(|v| v.trust)
    }

    /// Every tie's balance, by tie.
    pub fn balances(&self) -> impl ExactSizeIterator<Item = f32> + '_ {
        self.trust_and_balance.as_slice().iter().map(|v| v.balance)
    }

    /// Every tie's trust and balance.
    pub fn trust_and_balances(&self) -> &TrustAndBalances {
        &self.trust_and_balance
    }

    /// The balances, for the passes that set many (favours, fading).
    pub fn balances_mut(&mut self) -> &mut TrustAndBalances {
        &mut self.trust_and_balance
    }

    /// Changes the trust and balance of many ties, in parallel over parts of
    /// the ties: `changes` lists `(tie, change)` in the order they happened,
    /// and `apply(trust, balance, change)` gives the tie's trust and, if it
    /// changes, balance after it. Each tie's changes are applied in their
    /// order in `changes`, so the result is that of applying them one after
    /// another (floating-point updates of one tie in another order would give
    /// other bits).
    pub fn change_in_parallel<C: Sync>(
        &mut self,
        changes: &[(TieId, C)],
        apply: impl Fn(f32, f32, &C) -> (f32, Option<f32>) + Sync,
    ) {
        // In (tie, position) order: listed in position order, then sorted
        // stably by tie (a counting sort: session 28).
        let mut order: Vec<(u32, u32)> = changes
            .iter()
            .enumerate()
            .map(|(i, (tie, _))| (tie.0, i as u32))
            .collect();
        crate::radix::sort_by_key(&mut order, self.len(), |&(tie, _)| tie as usize);
        // Parts start at multiples of 64, where the balances' words of bits start.
        let cuts = scatter::cuts(order.len(), |i| order[i].0 as usize, scatter::PIECE, 64);
        let fresh: Vec<Vec<u32>> = scatter::pieces(&order, &cuts)
            .into_par_iter()
            .zip(self.trust_and_balance.parts(&cuts))
            .map(|(order, mut part)| {
                for (tie, position) in order {
                    let t = *tie as usize;
                    let change = &changes[*position as usize].1;
                    let before = part.get(t);
                    let (after, balance_after) = apply(before.trust, before.balance, change);
                    part.set_trust(t, after);
                    if let Some(b) = balance_after {
                        part.set(t, b);
                    }
                }
                part.fresh
            })
            .collect();
        for part in fresh {
            self.trust_and_balance.note_fresh(&part);
        }
    }

    /// Bytes held per undirected tie.
    pub const BYTES_PER_TIE: usize = std::mem::size_of::<TieKind>()
        + std::mem::size_of::<f32>()
        + std::mem::size_of::<TrustAndBalance>()
        + 1;
}

/// A new tie, before it has an id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewTie {
    pub ends: [PersonId; 2],
    pub kind: TieKind,
    pub trust: f32,
    pub distance_km: f32,
    pub flags: u8,
}

/// The social graph.
#[derive(Debug, Clone, Default)]
pub struct Network {
    /// Where each person's row starts in `adjacent`.
    row_start: Vec<u32>,
    /// Entries in use in each row (the rest of the row is spare room).
    row_len: Vec<u16>,
    /// Room of each row. A row that outgrows its room moves to the end of
    /// `adjacent` with more room, leaving a hole; holes are reclaimed when they
    /// make up half of `adjacent`.
    row_cap: Vec<u16>,
    adjacent: Vec<Adjacent>,
    /// Entries of `adjacent` left behind by rows that moved.
    abandoned: usize,
    /// Rows below this index get spare room when laid out; the others (outside
    /// alters, whose ties never change) get none.
    slack_rows: usize,
    /// Ties that ended (flagged [`tie_flags::ENDED`]), so that the live ones
    /// are counted without a pass over the flags.
    ended: usize,
    pub ties: Ties,
}

impl Network {
    /// A graph of `people` persons and the given ties (which must be distinct pairs),
    /// every row with spare room.
    pub fn from_ties(people: usize, ties: &[NewTie]) -> Network {
        Self::with_slack_rows(people, people, ties)
    }

    /// A graph whose first `slack_rows` rows get spare room for ties added later.
    pub fn with_slack_rows(people: usize, slack_rows: usize, ties: &[NewTie]) -> Network {
        let mut attributes = Ties::default();
        for tie in ties {
            attributes.push(tie.kind, tie.trust, tie.distance_km, tie.flags);
        }
        let ends: Vec<[PersonId; 2]> = ties.iter().map(|t| t.ends).collect();
        Self::from_parts(people, slack_rows, attributes, &ends)
    }

    /// A graph from tie attributes and the ends of each tie (distinct pairs, both
    /// indexed by tie id); the first `slack_rows` rows get spare room.
    pub fn from_parts(
        people: usize,
        slack_rows: usize,
        ties: Ties,
        ends: &[[PersonId; 2]],
    ) -> Network {
        assert!(
            ties.len() <= MAX_TIES,
            "more ties than the packed adjacency holds"
        );
        assert_eq!(ties.len(), ends.len(), "one pair of ends per tie");
        let mut network = Network {
            slack_rows,
            row_start: vec![0; people],
            row_len: vec![0; people],
            row_cap: vec![0; people],
            ties,
            ..Network::default()
        };
        network.lay_out_rows(ends);
        network
    }

    fn append_ties(&mut self, ties: &[NewTie]) {
        assert!(
            self.ties.len() + ties.len() <= MAX_TIES,
            "more ties than the packed adjacency holds"
        );
        for tie in ties {
            self.ties
                .push(tie.kind, tie.trust, tie.distance_km, tie.flags);
        }
    }

    /// Lays out every row again, with spare room; `ends` are indexed by tie id.
    ///
    /// Persons are split into one block per thread, holding about as many row
    /// entries each (`entry_blocks`); each block's thread scans all ends, fills
    /// only its own persons' rows, so no two threads write the same memory.
    /// Rows are sorted after filling (`sort_rows`), so the order of filling does
    /// not matter. Every pass over all persons or entries runs in parallel: at
    /// set-up (5.2 million persons, 25 million entries at the 1m rung) the
    /// serial ones, and the blocks cut by persons (the residents' block held
    /// most entries), left one thread waiting (session 30).
    fn lay_out_rows(&mut self, ends: &[[PersonId; 2]]) {
        let people = self.row_len.len();
        let blocks = entry_blocks(ends, people);
        let degree = degrees(ends, people, &blocks);
        let slack_rows = self.slack_rows;
        self.row_cap = degree
            .par_iter()
            .enumerate()
            .map(|(p, &d)| {
                let slack = if p < slack_rows { ROW_SLACK } else { 0 };
                u16::try_from(d + slack).expect("fewer than 65,535 ties per person")
            })
            .collect();
        drop(degree);
        let (row_start, at) = row_starts(&self.row_cap);
        self.row_start = row_start;
        self.abandoned = 0;
        self.adjacent = Vec::new();
        self.adjacent = scatter::filled(at, Adjacent::FILLER);
        self.row_len = vec![0; people];
        self.fill_rows(ends, &blocks);
        self.sort_rows();
    }

    /// Writes both ends of every tie into the rows (laid out, still empty).
    fn fill_rows(&mut self, ends: &[[PersonId; 2]], blocks: &[std::ops::Range<usize>]) {
        let kinds = &self.ties.kind;
        let row_start = &self.row_start;
        let total = self.adjacent.len();
        let offset = |p: usize| row_start.get(p).map_or(total, |s| *s as usize);
        let mut parts = Vec::with_capacity(blocks.len());
        let mut adjacent: &mut [Adjacent] = &mut self.adjacent;
        let mut row_len: &mut [u16] = &mut self.row_len;
        for block in blocks {
            let first = offset(block.start);
            let (mine, rest) = adjacent.split_at_mut(offset(block.end) - first);
            let (lens, rest_lens) = row_len.split_at_mut(block.len());
            parts.push((block.clone(), first, mine, lens));
            adjacent = rest;
            row_len = rest_lens;
        }
        parts
            .into_par_iter()
            .for_each(|(block, first, mine, lens)| {
                let mut put = |p: PersonId, entry: Adjacent| {
                    if block.contains(&p.index()) {
                        let local = p.index() - block.start;
                        let slot = row_start[p.index()] as usize - first + lens[local] as usize;
                        mine[slot] = entry;
                        lens[local] += 1;
                    }
                };
                for (t, [a, b]) in ends.iter().enumerate() {
                    let kind = kinds[t];
                    put(*a, Adjacent::new(*b, TieId(t as u32), kind));
                    put(*b, Adjacent::new(*a, TieId(t as u32), kind));
                }
            });
    }

    /// Sorts every row, in pieces of persons holding about as many entries
    /// each; more pieces than threads, as a long row costs more per entry to
    /// sort than a short one and the residents' long rows lie together.
    fn sort_rows(&mut self) {
        const SORT_PIECES: usize = 64;
        let total = self.adjacent.len();
        let (row_start, row_len) = (&self.row_start, &self.row_len);
        let people = row_start.len();
        let offset = |p: usize| row_start.get(p).map_or(total, |s| *s as usize);
        let mut parts = Vec::with_capacity(SORT_PIECES);
        let mut rest: &mut [Adjacent] = &mut self.adjacent;
        let mut start = 0;
        for k in 1..=SORT_PIECES {
            let end = row_start.partition_point(|&s| (s as usize) < total * k / SORT_PIECES);
            let end = if k == SORT_PIECES {
                people
            } else {
                end.max(start)
            };
            let (mine, tail) = rest.split_at_mut(offset(end) - offset(start));
            parts.push((start..end, mine));
            rest = tail;
            start = end;
        }
        parts.into_par_iter().for_each(|(persons, mine)| {
            let first = offset(persons.start);
            for p in persons {
                let at = row_start[p] as usize - first;
                mine[at..at + row_len[p] as usize].sort_unstable_by_key(|a| a.sort_key());
            }
        });
    }

    /// The two ends of every tie, lower id first, indexed by tie id; an ended
    /// tie (see [`tie_flags::ENDED`]) has [`Network::NO_ENDS`].
    pub fn tie_ends(&self) -> Vec<[PersonId; 2]> {
        let mut ends = vec![[PersonId(u32::MAX); 2]; self.ties.len()];
        for (p, row) in self.rows() {
            for entry in row {
                if p < entry.other {
                    ends[entry.tie().index()] = [p, entry.other];
                }
            }
        }
        ends
    }

    /// The ends of a tie that is in no row (an ended tie).
    pub const NO_ENDS: [PersonId; 2] = [PersonId(u32::MAX); 2];

    /// Whether a tie joins a parent and their adult child.
    pub fn is_between_generations(&self, tie: TieId) -> bool {
        let t = tie.index();
        tie_flags::between_generations(self.ties.kind[t], self.ties.flags[t])
    }

    /// Whether a tie has ended (one of its ends died or moved away).
    pub fn has_ended(&self, tie: TieId) -> bool {
        self.ties.flags[tie.index()] & tie_flags::ENDED != 0
    }

    /// Ends every tie of `person`: each leaves both rows, is flagged
    /// [`tie_flags::ENDED`] and its balance is cleared. Returns the persons who
    /// were at the other ends, in row order. Costs the rows it touches.
    pub fn end_ties_of(&mut self, person: PersonId) -> Vec<PersonId> {
        let entries = self.row(person).to_vec();
        for entry in &entries {
            self.leave_row(entry.other, entry.tie());
            self.mark_ended(entry.tie());
        }
        let p = person.index();
        let start = self.row_start[p] as usize;
        self.adjacent[start..start + self.row_len[p] as usize].fill(Adjacent::FILLER);
        self.row_len[p] = 0;
        entries.iter().map(|e| e.other).collect()
    }

    /// Ends the tie between `a` and `b`, if any, as [`Network::end_ties_of`]
    /// ends each of a person's ties.
    pub fn end_tie(&mut self, a: PersonId, b: PersonId) {
        let Some(entry) = self.tie_between(a, b) else {
            return;
        };
        self.leave_row(a, entry.tie());
        self.leave_row(b, entry.tie());
        self.mark_ended(entry.tie());
    }

    /// Flags an ended tie [`tie_flags::ENDED`] and clears its balance.
    fn mark_ended(&mut self, tie: TieId) {
        let t = tie.index();
        if self.ties.flags[t] & tie_flags::ENDED == 0 {
            self.ended += 1;
        }
        self.ties.flags[t] |= tie_flags::ENDED;
        self.ties.set_balance(t, 0.0);
    }

    /// Takes `tie` out of `person`'s row, keeping the row's order.
    fn leave_row(&mut self, person: PersonId, tie: TieId) {
        let o = person.index();
        let start = self.row_start[o] as usize;
        let len = self.row_len[o] as usize;
        let row = &mut self.adjacent[start..start + len];
        if let Some(at) = row.iter().position(|e| e.tie() == tie) {
            row.copy_within(at + 1..len, at);
            row[len - 1] = Adjacent::FILLER;
            self.row_len[o] -= 1;
        }
    }

    /// Adds `count` persons with empty rows (outside alters who join during a
    /// run: their rows grow as ties are added).
    pub fn add_people(&mut self, count: usize) {
        let people = self.people() + count;
        self.row_start.resize(people, self.adjacent.len() as u32);
        self.row_len.resize(people, 0);
        self.row_cap.resize(people, 0);
    }

    /// Ties that have not ended.
    pub fn live_ties(&self) -> usize {
        self.ties.len() - self.ended
    }

    /// Number of persons (rows).
    pub fn people(&self) -> usize {
        self.row_len.len()
    }

    /// A person's ties, strongest kind first.
    #[inline]
    pub fn row(&self, person: PersonId) -> &[Adjacent] {
        let start = self.row_start[person.index()] as usize;
        &self.adjacent[start..start + self.row_len[person.index()] as usize]
    }

    /// What `entry.other` is to `me`, for a kin tie in `me`'s row (`None` for
    /// other kinds). A kin tie's flags say what its higher-numbered end is to
    /// its lower-numbered one, wherever it was made (at the start, for a
    /// newcomer, to a parent-in-law).
    pub fn kin_relation(&self, me: PersonId, entry: Adjacent) -> Option<crate::kinds::KinRelation> {
        if entry.kind() != TieKind::Kin {
            return None;
        }
        let stored = tie_flags::relation(self.ties.flags[entry.tie().index()]);
        Some(if me < entry.other {
            stored
        } else {
            stored.inverse()
        })
    }

    /// Every person with their row.
    pub fn rows(&self) -> impl Iterator<Item = (PersonId, &[Adjacent])> + '_ {
        (0..self.people()).map(|p| (PersonId(p as u32), self.row(PersonId(p as u32))))
    }

    pub fn degree(&self, person: PersonId) -> usize {
        self.row_len[person.index()] as usize
    }

    /// Adds ties (distinct pairs not yet tied) and returns the id of the first.
    /// Rows with room take them in place; a full row moves to the end with half
    /// as much room again, so that adding ties costs in proportion to the rows it
    /// touches, not to the whole graph.
    pub fn add_ties(&mut self, ties: &[NewTie]) -> TieId {
        let first = TieId(self.ties.len() as u32);
        let start = self.ties.len();
        self.append_ties(ties);
        for (offset, tie) in ties.iter().enumerate() {
            let id = TieId((start + offset) as u32);
            let [a, b] = tie.ends;
            self.insert_sorted(a, Adjacent::new(b, id, tie.kind));
            self.insert_sorted(b, Adjacent::new(a, id, tie.kind));
        }
        if self.abandoned > self.adjacent.len() / 2 {
            let ends = self.tie_ends();
            self.lay_out_rows(&ends);
        }
        first
    }

    /// Moves a full row to the end of `adjacent` with more room.
    fn grow_row(&mut self, p: usize) {
        let start = self.row_start[p] as usize;
        let len = self.row_len[p] as usize;
        let cap = (len + len / 2).max(len + ROW_SLACK as usize);
        let cap = u16::try_from(cap).expect("fewer than 65,535 ties per person");
        let new_start = self.adjacent.len();
        self.adjacent.extend_from_within(start..start + len);
        self.adjacent
            .resize(new_start + cap as usize, Adjacent::FILLER);
        self.abandoned += self.row_cap[p] as usize;
        self.row_start[p] = u32::try_from(new_start).expect("adjacency fits in u32 offsets");
        self.row_cap[p] = cap;
    }

    fn insert_sorted(&mut self, person: PersonId, entry: Adjacent) {
        let p = person.index();
        if self.row_len[p] >= self.row_cap[p] {
            self.grow_row(p);
        }
        let start = self.row_start[p] as usize;
        let len = self.row_len[p] as usize;
        let row = &mut self.adjacent[start..=start + len];
        let at = row[..len].partition_point(|e| e.sort_key() < entry.sort_key());
        row.copy_within(at..len, at + 1);
        row[at] = entry;
        self.row_len[p] += 1;
    }

    /// The tie between two persons, if any.
    pub fn tie_between(&self, a: PersonId, b: PersonId) -> Option<Adjacent> {
        self.row(a).iter().copied().find(|entry| entry.other == b)
    }

    /// Bytes of the structures the weekly loop reads, per tie direction.
    pub fn bytes_per_direction(&self) -> f64 {
        let directions = (2 * self.ties.len()).max(1) as f64;
        let adjacency = self.adjacent.len() * std::mem::size_of::<Adjacent>()
            + self.row_start.len() * 4
            + self.row_len.len() * 2
            + self.row_cap.len() * 2;
        (adjacency + self.ties.len() * Ties::BYTES_PER_TIE) as f64 / directions
    }

    /// The graph as a petgraph graph (node weight: person, edge weight: tie), for
    /// analysis and export.
    pub fn to_petgraph(&self) -> UnGraph<PersonId, TieId> {
        let mut graph = UnGraph::with_capacity(self.people(), self.ties.len());
        for p in 0..self.people() {
            graph.add_node(PersonId(p as u32));
        }
        for (t, [a, b]) in self.tie_ends().iter().enumerate() {
            if [*a, *b] == Self::NO_ENDS {
                continue;
            }
            graph.add_edge(
                NodeIndex::new(a.index()),
                NodeIndex::new(b.index()),
                TieId(t as u32),
            );
        }
        graph
    }
}

/// Persons cut into one block per thread, each holding about as many row
/// entries (ends of ties) as the others: the ends are counted per range of
/// `people / ENTRY_BUCKETS` persons in parallel, and the blocks cut at those
/// ranges. Which blocks does not change the rows, only who fills them.
fn entry_blocks(ends: &[[PersonId; 2]], people: usize) -> Vec<std::ops::Range<usize>> {
    const ENTRY_BUCKETS: usize = 1024;
    let parts = rayon::current_num_threads().max(1);
    let width = people.div_ceil(ENTRY_BUCKETS).max(1);
    let count = |mut counts: Vec<u64>, chunk: &[[PersonId; 2]]| {
        for p in chunk.iter().flatten() {
            if let Some(c) = counts.get_mut(p.index() / width) {
                *c += 1;
            }
        }
        counts
    };
    let counts = ends
        .par_chunks(1 << 16)
        .fold(|| vec![0u64; ENTRY_BUCKETS], count)
        .reduce(
            || vec![0u64; ENTRY_BUCKETS],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let total: u64 = counts.iter().sum();
    let mut blocks = Vec::with_capacity(parts);
    let (mut start, mut seen) = (0, 0);
    for (bucket, c) in counts.iter().enumerate() {
        seen += c;
        if blocks.len() + 1 < parts && seen * parts as u64 >= total * (blocks.len() as u64 + 1) {
            let end = ((bucket + 1) * width).min(people);
            blocks.push(start..end);
            start = end;
        }
    }
    blocks.push(start..people);
    blocks
}

/// Each row's first entry (the caps summed before it) and the entries in all,
/// summed in pieces in parallel.
fn row_starts(caps: &[u16]) -> (Vec<u32>, usize) {
    const PIECE: usize = 1 << 16;
    let sums: Vec<u64> = caps
        .par_chunks(PIECE)
        .map(|piece| piece.iter().map(|&c| u64::from(c)).sum())
        .collect();
    let mut firsts = Vec::with_capacity(sums.len());
    let mut at = 0u64;
    for sum in sums {
        firsts.push(at);
        at += sum;
    }
    let total = u32::try_from(at).expect("adjacency fits in u32 offsets");
    let mut starts = vec![0u32; caps.len()];
    starts
        .par_chunks_mut(PIECE)
        .zip(caps.par_chunks(PIECE))
        .zip(firsts)
        .for_each(|((out, piece), first)| {
            // Every partial sum is at most `total`, which fits.
            let mut at = first as u32;
            for (start, &cap) in out.iter_mut().zip(piece) {
                *start = at;
                at += u32::from(cap);
            }
        });
    (starts, total as usize)
}

/// Each person's number of ties, counted per block of persons in parallel.
fn degrees(ends: &[[PersonId; 2]], people: usize, blocks: &[std::ops::Range<usize>]) -> Vec<u32> {
    use rayon::prelude::*;
    let mut degree = vec![0u32; people];
    let mut parts = Vec::with_capacity(blocks.len());
    let mut rest: &mut [u32] = &mut degree;
    for block in blocks {
        let (mine, tail) = rest.split_at_mut(block.len());
        parts.push((block.start, mine));
        rest = tail;
    }
    parts.into_par_iter().for_each(|(start, mine)| {
        for p in ends.iter().flatten() {
            if let Some(d) = p.index().checked_sub(start).and_then(|i| mine.get_mut(i)) {
                *d += 1;
            }
        }
    });
    degree
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parent and child ties, seen from either end, are between generations;
    /// siblings, other kin and friends are not.
    #[test]
    fn parent_and_child_ties_are_between_generations() {
        use crate::kinds::KinRelation;
        use crate::model::testing::kin_tie;
        let network = Network::from_ties(
            6,
            &[
                kin_tie(0, 1, KinRelation::Parent, 1.0),
                kin_tie(3, 2, KinRelation::Child, 1.0),
                kin_tie(0, 4, KinRelation::Sibling, 1.0),
                kin_tie(0, 5, KinRelation::OtherKin, 1.0),
                tie(1, 2, TieKind::Friend),
            ],
        );
        let between = |a: u32, b: u32| {
            let entry = network.tie_between(PersonId(a), PersonId(b)).unwrap();
            network.is_between_generations(entry.tie())
        };
        assert!(between(0, 1) && between(1, 0));
        assert!(between(2, 3));
        assert!(!between(0, 4) && !between(0, 5) && !between(1, 2));
    }

    fn tie(a: u32, b: u32, kind: TieKind) -> NewTie {
        NewTie {
            ends: [PersonId(a), PersonId(b)],
            kind,
            trust: 0.5,
            distance_km: 1.0,
            flags: 0,
        }
    }

    /// Ended ties leave the count of live ties once each, whichever end ends
    /// them and however often.
    #[test]
    fn ended_ties_leave_the_live_count_once() {
        let mut network = Network::from_ties(
            4,
            &[
                tie(0, 1, TieKind::Friend),
                tie(0, 2, TieKind::Friend),
                tie(2, 3, TieKind::Friend),
            ],
        );
        assert_eq!(network.live_ties(), 3);
        network.end_ties_of(PersonId(0));
        assert_eq!(network.live_ties(), 1);
        network.end_tie(PersonId(0), PersonId(1));
        network.end_ties_of(PersonId(1));
        assert_eq!(network.live_ties(), 1, "already ended");
        network.end_tie(PersonId(3), PersonId(2));
        assert_eq!(network.live_ties(), 0);
    }

    #[test]
    fn rows_are_symmetric_and_ordered_by_kind() {
        let network = Network::from_ties(
            4,
            &[
                tie(0, 1, TieKind::Neighbour),
                tie(0, 2, TieKind::Partner),
                tie(0, 3, TieKind::Kin),
            ],
        );
        let kinds: Vec<TieKind> = network.row(PersonId(0)).iter().map(|a| a.kind()).collect();
        assert_eq!(
            kinds,
            vec![TieKind::Partner, TieKind::Kin, TieKind::Neighbour]
        );
        assert_eq!(network.row(PersonId(3))[0].other, PersonId(0));
        assert_eq!(
            network
                .tie_between(PersonId(1), PersonId(0))
                .map(|a| a.tie()),
            Some(TieId(0))
        );
        assert_eq!(network.tie_ends()[1], [PersonId(0), PersonId(2)]);
    }

    #[test]
    fn added_ties_fit_in_place_or_move_their_row() {
        let mut network = Network::from_ties(5, &[tie(0, 1, TieKind::Friend)]);
        network.add_ties(&[tie(0, 2, TieKind::Kin)]);
        assert_eq!(network.row(PersonId(0))[0].kind(), TieKind::Kin);
        // Person 0 has two spare places; three more move its row.
        network.add_ties(&[
            tie(0, 3, TieKind::Peer),
            tie(0, 4, TieKind::Volunteer),
            tie(1, 2, TieKind::Neighbour),
        ]);
        network.add_ties(&[tie(2, 3, TieKind::Acquaintance)]);
        let kinds: Vec<TieKind> = network.row(PersonId(0)).iter().map(|a| a.kind()).collect();
        assert_eq!(
            kinds,
            vec![
                TieKind::Kin,
                TieKind::Friend,
                TieKind::Peer,
                TieKind::Volunteer
            ]
        );
        assert_eq!(network.ties.len(), 6);
        for (p, row) in network.rows() {
            for entry in row {
                assert!(
                    network
                        .row(entry.other)
                        .iter()
                        .any(|e| e.other == p && e.tie() == entry.tie())
                );
            }
        }
    }

    #[test]
    fn growing_rows_give_the_same_graph_as_building_it_at_once() {
        // A star and a ring added one tie at a time: rows move, holes pile up and
        // get reclaimed, and the rows stay what one build of all ties gives.
        let people = 40u32;
        let mut all = Vec::new();
        for p in 1..people {
            all.push(tie(0, p, TieKind::ALL[(p % 8) as usize]));
        }
        for p in 1..people - 1 {
            all.push(tie(p, p + 1, TieKind::Friend));
        }
        let mut grown = Network::from_ties(people as usize, &all[..1]);
        for t in &all[1..] {
            grown.add_ties(std::slice::from_ref(t));
        }
        let built = Network::from_ties(people as usize, &all);
        for p in 0..people {
            assert_eq!(grown.row(PersonId(p)), built.row(PersonId(p)), "row {p}");
        }
        assert!(grown.abandoned <= grown.adjacent.len() / 2);
    }

    #[test]
    fn packed_entry_keeps_kind_and_tie() {
        let entry = Adjacent::new(
            PersonId(9),
            TieId(MAX_TIES as u32 - 1),
            TieKind::Acquaintance,
        );
        assert_eq!(entry.kind(), TieKind::Acquaintance);
        assert_eq!(entry.tie(), TieId(MAX_TIES as u32 - 1));
        assert_eq!(std::mem::size_of::<Adjacent>(), 8);
    }
}
