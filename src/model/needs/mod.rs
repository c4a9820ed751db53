//! Needs and episodes (docs/ODD.md §7.10.1, §7.10.9): when episodes start, how
//! long they last and how many hours of which tasks they ask for each week; the
//! weekly steps that open the week's demand ([`step`]) and count what stays unmet.
//!
//! Onsets are events on a calendar, not a draw per resident per week: each resident's
//! next onset of each kind is drawn once as a waiting time, so the cost of a week
//! follows the number of episodes that start in it.

mod params;
pub mod step;

pub use params::{LongTermAtStart, NeedParams, TaskMixes};

use rand::RngExt;
use rand::distr::Distribution;
use rayon::prelude::*;

use crate::demography::{Mortality, OLDEST_AGE};
use crate::hours::{Hours, TaskHours};
use crate::ids::PersonId;
use crate::kinds::{AgeBand, EpisodeKind, Task};
use crate::laws::Exp;
use crate::math::exp;
use crate::population::People;
use crate::rng::{Stream, StreamRng, stream};
use crate::scenario::TaskMix;

/// Weeks in a year, to turn yearly hazards into weekly rates.
pub const WEEKS_PER_YEAR: f64 = 52.0;

/// Long-term episodes last at least this many weeks (a quarter of a year).
pub const MIN_LONG_TERM_WEEKS: u32 = 13;

/// One need episode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Episode {
    pub kind: EpisodeKind,
    /// Hours needed each week.
    pub weekly: Hours,
    /// First week of need (simulation week, burn-in included).
    pub start_week: u32,
    /// First week without this need.
    pub end_week: u32,
}

impl Episode {
    /// Weeks the episode has lasted at `week` (1 in its first week).
    pub fn age_weeks(&self, week: u32) -> u32 {
        week.saturating_sub(self.start_week) + 1
    }

    pub fn is_active(&self, week: u32) -> bool {
        self.start_week <= week && week < self.end_week
    }
}

/// The episodes a resident has at once: at most one of each kind.
pub type Episodes = [Option<Episode>; EpisodeKind::COUNT];

/// Demand left this week, by episode kind and task.
pub type Demand = [TaskHours; EpisodeKind::COUNT];

/// Whom an onset or an episode is drawn for: the age band, which picks the
/// entries of the per-band tables; the age in years, which places a long-term
/// hazard of the open band on its age gradient; and whether they live with a
/// partner, without whom a heavy long-term need is not met at home
/// (docs/ODD.md §7.10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedProfile {
    pub band: usize,
    pub age: u8,
    pub with_partner: bool,
    pub woman: bool,
}

impl NeedProfile {
    pub fn of(people: &People, person: PersonId) -> NeedProfile {
        NeedProfile {
            band: people.age_band[person.index()].index(),
            age: people.age[person.index()],
            with_partner: people.partner(person).is_some(),
            woman: people.is_woman(person),
        }
    }
}

/// Draws episodes and their onsets.
#[derive(Debug, Clone)]
pub struct NeedModel {
    params: NeedParams,
    seed: u64,
    /// Multiplier of the open band's long-term hazard by age in years (1 below
    /// the band and without a gradient).
    long_term_by_age: Vec<f64>,
    /// The share in a long-term need at the start, by sex (man, woman) and age
    /// in years, under [`LongTermAtStart::AgeStructured`].
    long_term_at_start: [Vec<f64>; 2],
}

impl NeedModel {
    /// The need model of a scenario: its `[needs]` and, for the age gradient of
    /// long-term needs, the mortality that spreads ages within the open band.
    pub fn new(params: &NeedParams, mortality: &Mortality, seed: u64) -> Self {
        let mut model = NeedModel {
            params: params.clone(),
            seed,
            long_term_by_age: long_term_age_factors(params.long_term_age_gradient, mortality),
            long_term_at_start: [Vec::new(), Vec::new()],
        };
        model.long_term_at_start = [false, true].map(|woman| model.prevalence_along_ages(woman));
        model
    }

    /// The share of residents of each age (in years, up to [`OLDEST_AGE`]) in
    /// a long-term need, followed from age 18 along the hazards and lengths of
    /// the ages lived through: between ages `a` and `a + 1` the share `P`
    /// moves towards the age's stationary share `P* = hD / (1 + hD)` as
    /// `P* + (P − P*) e^(−(h + 1/D))` (a two-state process, onsets at the
    /// yearly hazard `h`, ends after a mean of `D` years). An age's entry is
    /// the share half way through that year of age; at 18 it starts from the
    /// stationary share of age 18 (docs/ODD.md §7.10.1).
    fn prevalence_along_ages(&self, woman: bool) -> Vec<f64> {
        let youngest = AgeBand::Age18To34.ages().0;
        let rates = |age: u8| {
            let who = NeedProfile {
                band: AgeBand::of_age(age).index(),
                age,
                with_partner: false,
                woman,
            };
            let hazard = self.weekly_rate(EpisodeKind::LongTerm, who) * WEEKS_PER_YEAR;
            let years = self.params.long_term_mean_weeks[who.band] / WEEKS_PER_YEAR;
            (self.stationary_share(who), hazard + 1.0 / years)
        };
        let mut shares = vec![0.0; usize::from(OLDEST_AGE) + 1];
        let mut share = rates(youngest).0;
        for age in youngest..=OLDEST_AGE {
            let (stationary, speed) = rates(age);
            let after = |years: f64| stationary + (share - stationary) * exp(-speed * years);
            shares[usize::from(age)] = after(0.5);
            share = after(1.0);
        }
        shares
    }

    /// The share of residents like `who` in a long-term need at the start of
    /// a run (docs/ODD.md §7.10.1).
    fn long_term_share_at_start(&self, who: NeedProfile) -> f64 {
        match self.params.long_term_at_start {
            LongTermAtStart::AgeStructured => {
                self.long_term_at_start[usize::from(who.woman)]
                    [usize::from(who.age.min(OLDEST_AGE))]
            }
            LongTermAtStart::BandStationary => self.stationary_share(who),
        }
    }

    /// The share in a long-term need that the hazard and length at `who`'s
    /// age would leave if they had held all their life: `hD / (1 + hD)`.
    fn stationary_share(&self, who: NeedProfile) -> f64 {
        let rate = self.weekly_rate(EpisodeKind::LongTerm, who);
        let mean = self.params.long_term_mean_weeks[who.band];
        rate * mean / (1.0 + rate * mean)
    }

    fn weekly_rate(&self, kind: EpisodeKind, who: NeedProfile) -> f64 {
        let hazard = self.params.hazard_per_year(kind, who.band);
        let on_gradient = kind == EpisodeKind::LongTerm && who.band == AgeBand::Age75Plus.index();
        let factor = if on_gradient {
            self.long_term_by_age[usize::from(who.age.min(OLDEST_AGE))]
        } else {
            1.0
        };
        let by_sex = if kind == EpisodeKind::LongTerm {
            sex_factor(self.params.long_term_women_ratio, who.woman)
        } else {
            1.0
        };
        hazard * factor * by_sex / WEEKS_PER_YEAR
    }

    /// The first week after `after` in which a new episode of `kind` starts, as a
    /// waiting time of a Poisson process; `None` if the hazard is zero.
    pub fn next_onset(
        &self,
        person: PersonId,
        kind: EpisodeKind,
        who: NeedProfile,
        after: u32,
    ) -> Option<u32> {
        let rate = self.weekly_rate(kind, who);
        if rate <= 0.0 {
            return None;
        }
        let key = u64::from(after) * EpisodeKind::COUNT as u64 + kind.index() as u64;
        let mut rng = stream(self.seed, Stream::NeedOnset, u64::from(person.0), key);
        let wait = Exp::new(rate).ok()?.sample(&mut rng);
        let week = f64::from(after) + 1.0 + wait.floor();
        (week < f64::from(u32::MAX)).then_some(week as u32)
    }

    /// The week of the first onset of `kind`, counted from week 0, from a stream
    /// of its own (not that of any later onset).
    pub fn first_onset(
        &self,
        person: PersonId,
        kind: EpisodeKind,
        who: NeedProfile,
    ) -> Option<u32> {
        let rate = self.weekly_rate(kind, who);
        if rate <= 0.0 {
            return None;
        }
        let key = u64::MAX - kind.index() as u64;
        let mut rng = stream(self.seed, Stream::NeedOnset, u64::from(person.0), key);
        let wait = Exp::new(rate).ok()?.sample(&mut rng);
        (wait < f64::from(u32::MAX)).then_some(wait.floor() as u32)
    }

    /// The episode of `kind` that starts for `person` in `week`.
    pub fn draw_episode(
        &self,
        person: PersonId,
        kind: EpisodeKind,
        who: NeedProfile,
        week: u32,
    ) -> Episode {
        let key = u64::from(week) * EpisodeKind::COUNT as u64 + kind.index() as u64;
        let mut rng = stream(self.seed, Stream::NeedEpisode, u64::from(person.0), key);
        let weeks = self.draw_length(&mut rng, kind, who.band);
        Episode {
            kind,
            weekly: self.draw_weekly_hours(&mut rng, kind, who),
            start_week: week,
            end_week: week.saturating_add(weeks),
        }
    }

    fn draw_length(&self, rng: &mut StreamRng, kind: EpisodeKind, band: usize) -> u32 {
        let p = &self.params;
        match kind {
            EpisodeKind::Emergency => 1,
            EpisodeKind::ShortTerm => {
                let weeks = p.short_term_weeks.lerp(rng.random::<f64>()).round();
                weeks.max(1.0) as u32
            }
            EpisodeKind::LongTerm => {
                let mean = p.long_term_mean_weeks[band];
                let weeks = Exp::new(1.0 / mean).map_or(mean, |d| d.sample(rng));
                (weeks.round() as u32).max(MIN_LONG_TERM_WEEKS)
            }
        }
    }

    fn draw_weekly_hours(&self, rng: &mut StreamRng, kind: EpisodeKind, who: NeedProfile) -> Hours {
        let p = &self.params;
        let u = rng.random::<f64>();
        Hours::from_f64(match kind {
            EpisodeKind::Emergency => p.emergency_hours.lerp(u),
            EpisodeKind::ShortTerm => p.short_term_hours.lerp(u),
            EpisodeKind::LongTerm if self.is_heavy(rng, who) => p.long_term_heavy_hours.lerp(u),
            EpisodeKind::LongTerm => {
                let band = who.band;
                let (low, high) = (p.long_term_hours_min[band], p.long_term_hours_max[band]);
                low + (high - low) * u
            }
        })
    }

    /// Whether a long-term episode is a heavy one (docs/ODD.md §7.10.1): only
    /// for someone living with a partner, with chance `long_term_heavy_share`
    /// of their band. The draw comes after the hours' uniform and only where
    /// the chance is above 0, so without heavy needs no stream shifts.
    fn is_heavy(&self, rng: &mut StreamRng, who: NeedProfile) -> bool {
        let share = self.params.long_term_heavy_share[who.band];
        who.with_partner && share > 0.0 && rng.random::<f64>() < share
    }

    /// Long-term episodes already running when the simulation starts, drawn from the
    /// stationary state of the onset/length process: a resident is in an episode with
    /// probability h·D / (1 + h·D) (weekly hazard h, mean length D), and, lengths
    /// being memoryless, the remaining length is drawn afresh.
    pub fn initial_episode(&self, person: PersonId, who: NeedProfile) -> Option<Episode> {
        let mut rng = stream(
            self.seed,
            Stream::NeedEpisode,
            u64::from(person.0),
            u64::MAX,
        );
        self.initial_episode_with(&mut rng, who)
    }

    /// [`NeedModel::initial_episode`] drawn from `rng` (for newcomers, who
    /// arrive with the needs of their age: docs/ODD.md §7.2.1).
    pub fn initial_episode_with(&self, rng: &mut StreamRng, who: NeedProfile) -> Option<Episode> {
        let mean = self.params.long_term_mean_weeks[who.band];
        if rng.random::<f64>() >= self.long_term_share_at_start(who) {
            return None;
        }
        let remaining = Exp::new(1.0 / mean).map_or(mean, |d| d.sample(rng));
        Some(Episode {
            kind: EpisodeKind::LongTerm,
            weekly: self.draw_weekly_hours(rng, EpisodeKind::LongTerm, who),
            start_week: 0,
            end_week: (remaining.round() as u32).max(1),
        })
    }

    /// Splits an episode's weekly hours over tasks by its task mix. The parts add up
    /// exactly to the whole: the rounding remainder goes to the task with the
    /// largest share.
    pub fn weekly_demand(&self, episode: &Episode) -> TaskHours {
        split_by_mix(episode.weekly, self.params.task_mix.get(episode.kind))
    }
}

/// Splits `weekly` hours over tasks by `mix`; what rounding leaves goes to
/// the task with the largest share, so the parts add up to `weekly` exactly.
pub fn split_by_mix(weekly: Hours, mix: &TaskMix) -> TaskHours {
    let mut demand: TaskHours = [Hours::ZERO; Task::COUNT];
    for task in Task::ALL {
        demand[task.index()] = weekly.scaled(mix.get(*task));
    }
    let given: Hours = demand.iter().copied().sum();
    let largest = Task::ALL
        .iter()
        .max_by(|a, b| mix.get(**a).total_cmp(&mix.get(**b)))
        .map_or(0, |t| t.index());
    demand[largest] += weekly.saturating_sub(given);
    demand
}

/// The factor of a woman's or a man's long-term hazard when a woman's is
/// `ratio` times a man's, their mean 1 (exactly 1 for both at a ratio of 1).
fn sex_factor(ratio: f64, woman: bool) -> f64 {
    if woman {
        2.0 * ratio / (1.0 + ratio)
    } else {
        2.0 / (1.0 + ratio)
    }
}

/// Multipliers of the open band's long-term hazard by age in years: with
/// gradient `g`, `e^(g (age − 75))` divided by its mean over the band's ages in
/// a stationary population (weights: survival to each age, as ages are drawn,
/// docs/ODD.md §7.2), so the band's mean hazard stays `long_term_per_year[3]`
/// and the gradient only moves onsets from the younger old to the older.
fn long_term_age_factors(gradient: f64, mortality: &Mortality) -> Vec<f64> {
    let mut factors = vec![1.0; usize::from(OLDEST_AGE) + 1];
    if gradient == 0.0 {
        return factors;
    }
    let (youngest, oldest) = AgeBand::Age75Plus.ages();
    let rise = |age: u8| exp(gradient * f64::from(age - youngest));
    let (mut weighted, mut weights) = (0.0, 0.0);
    for age in youngest..=oldest {
        let weight = mortality.survival(f64::from(age));
        weighted += weight * rise(age);
        weights += weight;
    }
    let mean = weighted / weights;
    for age in youngest..=oldest {
        factors[usize::from(age)] = rise(age) / mean;
    }
    factors
}

/// Future onsets, bucketed by week.
pub struct OnsetCalendar {
    buckets: Vec<Vec<(PersonId, EpisodeKind)>>,
}

impl OnsetCalendar {
    /// Draws every resident's first onset of every kind within `horizon` weeks.
    pub fn new(model: &NeedModel, people: &People, horizon: u32) -> OnsetCalendar {
        let residents = people.area_residents() as u32;
        OnsetCalendar::of(
            model,
            people,
            horizon,
            (0..residents).into_par_iter().map(PersonId),
        )
    }

    /// A calendar with no onsets.
    pub fn empty() -> OnsetCalendar {
        OnsetCalendar {
            buckets: Vec::new(),
        }
    }

    /// The same for `persons` (in ascending order), e.g. parents outside the area.
    pub fn for_persons(
        model: &NeedModel,
        people: &People,
        horizon: u32,
        persons: &[PersonId],
    ) -> OnsetCalendar {
        OnsetCalendar::of(model, people, horizon, persons.par_iter().copied())
    }

    fn of(
        model: &NeedModel,
        people: &People,
        horizon: u32,
        persons: impl IndexedParallelIterator<Item = PersonId>,
    ) -> OnsetCalendar {
        let firsts: Vec<(PersonId, [Option<u32>; EpisodeKind::COUNT])> = persons
            .map(|person| {
                let who = NeedProfile::of(people, person);
                let mut next = [None; EpisodeKind::COUNT];
                for kind in EpisodeKind::ALL {
                    next[kind.index()] = model.first_onset(person, *kind, who);
                }
                (person, next)
            })
            .collect();
        let mut calendar = OnsetCalendar {
            buckets: vec![Vec::new(); horizon as usize],
        };
        for (person, next) in &firsts {
            for kind in EpisodeKind::ALL {
                if let Some(week) = next[kind.index()] {
                    calendar.schedule(*person, *kind, week);
                }
            }
        }
        calendar
    }

    /// Drops every onset still to come and draws the next onsets of `persons`
    /// (in ascending order) afresh from `week` on, at their present ages: after
    /// a turn of the year (docs/ODD.md §7.2.1) ages and residents have changed.
    /// Waiting times are memoryless, so a fresh draw is as good as the old one.
    pub fn restart(&mut self, model: &NeedModel, people: &People, week: u32, persons: &[PersonId]) {
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        let after = week.saturating_sub(1);
        let next: Vec<[Option<u32>; EpisodeKind::COUNT]> = persons
            .par_iter()
            .map(|person| {
                let who = NeedProfile::of(people, *person);
                let mut next = [None; EpisodeKind::COUNT];
                for kind in EpisodeKind::ALL {
                    next[kind.index()] = model.next_onset(*person, *kind, who, after);
                }
                next
            })
            .collect();
        for (person, next) in persons.iter().zip(&next) {
            for kind in EpisodeKind::ALL {
                if let Some(week) = next[kind.index()] {
                    self.schedule(*person, *kind, week);
                }
            }
        }
    }

    /// Adds an onset; ignored beyond the horizon.
    pub fn schedule(&mut self, person: PersonId, kind: EpisodeKind, week: u32) {
        if let Some(bucket) = self.buckets.get_mut(week as usize) {
            bucket.push((person, kind));
        }
    }

    /// The onsets of a week, in the order they were scheduled.
    pub fn take(&mut self, week: u32) -> Vec<(PersonId, EpisodeKind)> {
        self.buckets
            .get_mut(week as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The episodes that start in `week`, in the calendar's order, each with its
    /// person; their next onsets are scheduled. The draws are keyed by person,
    /// kind and week, so they are made in parallel.
    pub fn episodes_starting(
        &mut self,
        model: &NeedModel,
        people: &People,
        week: u32,
    ) -> Vec<(PersonId, Episode)> {
        let onsets = self.take(week);
        let drawn: Vec<_> = onsets
            .par_iter()
            .map(|&(person, kind)| {
                let who = NeedProfile::of(people, person);
                (
                    model.draw_episode(person, kind, who, week),
                    model.next_onset(person, kind, who, week),
                )
            })
            .collect();
        onsets
            .iter()
            .zip(drawn)
            .map(|(&(person, kind), (episode, next))| {
                if let Some(next) = next {
                    self.schedule(person, kind, next);
                }
                (person, episode)
            })
            .collect()
    }

    /// Onsets still to come.
    pub fn pending(&self) -> usize {
        self.buckets.iter().map(Vec::len).sum()
    }
}

/// Starts an episode in a resident's set: a new emergency adds its hours to one
/// already this week; a short- or long-term onset during an episode of the same
/// kind is absorbed (the resident already has that need).
pub fn start_episode(episodes: &mut Episodes, episode: Episode) {
    let slot = &mut episodes[episode.kind.index()];
    match slot {
        Some(current) if current.kind == EpisodeKind::Emergency => {
            current.weekly += episode.weekly;
        }
        Some(_) => {}
        None => *slot = Some(episode),
    }
}

/// Ends the episodes that are over by `week`.
pub fn end_episodes(episodes: &mut Episodes, week: u32) {
    for slot in episodes.iter_mut() {
        if slot.is_some_and(|e| e.end_week <= week) {
            *slot = None;
        }
    }
}

/// Old items per piece of [`merge_sorted_in_parallel`]: a fixed number, so
/// that the cut does not depend on the threads (and the merge has one
/// result whatever the cut).
pub const MERGE_PIECE: usize = 4096;

/// Merges `joining` into `kept`, both sorted by `key` and no key in both, and
/// drops the items `keep` refuses, in parallel: the old items are cut into pieces of
/// [`MERGE_PIECE`], each piece takes the joining items that come before the
/// next piece's first old item, and each piece moves its items into its own
/// part of a new list; `hole` makes the stand-ins left where items were
/// taken. For the week's cases (about 15 MB at the 1-million-adult rung)
/// the same merge within the list's own room (a `retain`, then a merge from
/// the back) moved every case two or three times on the engine's thread
/// while the other threads waited (about 150 samples of the engine's thread
/// in 20 weeks on 2 threads, with the frees of the dropped cases' lists);
/// here both the moves and those frees run in the pieces (session 29).
pub fn merge_sorted_in_parallel<T: Send + Sync, K: Ord>(
    kept: &mut Vec<T>,
    joining: Vec<T>,
    key: impl Fn(&T) -> K + Sync,
    keep: impl Fn(&T) -> bool + Sync,
    hole: impl Fn() -> T + Sync,
) {
    merge_in_pieces(kept, joining, MERGE_PIECE, (key, keep, hole));
}

/// [`merge_sorted_in_parallel`] with `piece` old items per piece (small in
/// tests, to check the cuts).
fn merge_in_pieces<T: Send + Sync, K: Ord>(
    kept: &mut Vec<T>,
    mut joining: Vec<T>,
    piece: usize,
    (key, keep, hole): (
        impl Fn(&T) -> K + Sync,
        impl Fn(&T) -> bool + Sync,
        impl Fn() -> T + Sync,
    ),
) {
    let mut old = std::mem::take(kept);
    let pieces = old.len().div_ceil(piece).max(1);
    // Piece c takes the joining items before piece c + 1's first old item
    // (keys are distinct, so each joining item has one place).
    let bounds: Vec<usize> = (0..=pieces)
        .map(|c| match c {
            0 => 0,
            c if c == pieces => joining.len(),
            c => {
                let first = key(&old[c * piece]);
                joining.partition_point(|new| key(new) < first)
            }
        })
        .collect();
    let mut old_parts: Vec<&mut [T]> = old.chunks_mut(piece).collect();
    if old_parts.is_empty() {
        old_parts.push(&mut []);
    }
    let mut join_parts: Vec<&mut [T]> = Vec::with_capacity(pieces);
    let mut rest = joining.as_mut_slice();
    for c in 0..pieces {
        let (part, after) = rest.split_at_mut(bounds[c + 1] - bounds[c]);
        join_parts.push(part);
        rest = after;
    }
    let counts: Vec<usize> = old_parts
        .par_iter()
        .zip(&join_parts)
        .map(|(o, j)| o.iter().chain(j.iter()).filter(|item| keep(item)).count())
        .collect();
    let total = counts.iter().sum();
    let mut merged: Vec<T> = Vec::with_capacity(total);
    merged.par_extend((0..total).into_par_iter().map(|_| hole()));
    let mut out_parts: Vec<&mut [T]> = Vec::with_capacity(pieces);
    let mut rest = merged.as_mut_slice();
    for count in &counts {
        let (part, after) = rest.split_at_mut(*count);
        out_parts.push(part);
        rest = after;
    }
    old_parts
        .into_par_iter()
        .zip(join_parts)
        .zip(out_parts)
        .for_each(|((old, new), out)| {
            let (mut old, mut new) = (old.iter_mut().peekable(), new.iter_mut().peekable());
            let mut out = out.iter_mut();
            loop {
                let from = match (old.peek(), new.peek()) {
                    (Some(o), Some(n)) if key(n) < key(o) => new.next(),
                    (Some(_), _) => old.next(),
                    (None, _) => new.next(),
                };
                let Some(from) = from else { break };
                let item = std::mem::replace(from, hole());
                // An item not kept is dropped here, its lists freed in the piece.
                if keep(&item)
                    && let Some(slot) = out.next()
                {
                    *slot = item;
                }
            }
        });
    *kept = merged;
    // The stand-ins left behind are dropped in parallel too: a drop reads
    // each (its lists' room), a pass over 15 MB on the engine's thread.
    old.into_par_iter().for_each(drop);
    joining.into_par_iter().for_each(drop);
}

/// The week's demand of a resident's episodes.
pub fn demand_of(model: &NeedModel, episodes: &Episodes) -> Demand {
    let mut demand: Demand = [[Hours::ZERO; Task::COUNT]; EpisodeKind::COUNT];
    for episode in episodes.iter().flatten() {
        demand[episode.kind.index()] = model.weekly_demand(episode);
    }
    demand
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demography::Mortality;
    use crate::hours::total;
    use crate::scenario::Scenario;

    /// The merge [`merge_sorted_in_parallel`] makes, item by item: `joining`
    /// into `kept`, both sorted by `key` and no key in both, dropping the items
    /// `keep` refuses.
    fn merge_sorted<T, K: Ord>(
        kept: &mut Vec<T>,
        joining: Vec<T>,
        key: impl Fn(&T) -> K,
        keep: impl Fn(&T) -> bool,
    ) {
        let old = std::mem::take(kept);
        let mut merged = Vec::with_capacity(old.len() + joining.len());
        let mut joining = joining.into_iter().peekable();
        for item in old {
            while let Some(new) = joining.next_if(|new| key(new) < key(&item)) {
                if keep(&new) {
                    merged.push(new);
                }
            }
            if keep(&item) {
                merged.push(item);
            }
        }
        merged.extend(joining.filter(|new| keep(new)));
        *kept = merged;
    }

    fn model(params: &NeedParams) -> NeedModel {
        NeedModel::new(params, &Mortality::default(), 11)
    }

    /// The youngest age of a band, living alone.
    fn aged(band: usize) -> NeedProfile {
        NeedProfile {
            band,
            age: AgeBand::ALL[band].ages().0,
            with_partner: false,
            woman: false,
        }
    }

    #[test]
    fn demand_splits_exactly_by_task_mix() {
        let params = NeedParams::default();
        let m = model(&params);
        for weekly in [0, 1, 7, 333, 1999] {
            let e = Episode {
                kind: EpisodeKind::LongTerm,
                weekly: Hours(weekly),
                start_week: 0,
                end_week: 10,
            };
            let demand = m.weekly_demand(&e);
            assert_eq!(total(&demand), Hours(weekly));
            assert_eq!(demand[Task::Emergency.index()], Hours::ZERO);
        }
    }

    #[test]
    fn onset_rate_matches_the_hazard() {
        let params = NeedParams {
            emergency_per_year: [5.2; 4], // 0.1 per week
            ..NeedParams::default()
        };
        let m = model(&params);
        let draws = 20_000;
        let mean_wait: f64 = (0..draws)
            .map(|i| {
                let w = m
                    .next_onset(PersonId(i), EpisodeKind::Emergency, aged(0), 100)
                    .expect("positive hazard");
                f64::from(w - 100)
            })
            .sum::<f64>()
            / f64::from(draws);
        // Geometric waiting time with p = 1 − e^(−0.1): mean 1 / p ≈ 10.51 weeks,
        // standard deviation ≈ 10, standard error ≈ 0.07.
        let expected = 1.0 / (1.0 - exp(-0.1));
        assert!(
            (mean_wait - expected).abs() < 0.35,
            "{mean_wait} vs {expected}"
        );
    }

    #[test]
    fn a_first_onset_in_week_0_is_not_followed_by_one_in_week_1() {
        // The first onset and the next one must come from different streams, or
        // everyone with an onset in week 0 would have another in week 1.
        let params = NeedParams {
            emergency_per_year: [5.2; 4], // 0.1 per week
            ..NeedParams::default()
        };
        let m = model(&params);
        let at_zero: Vec<PersonId> = (0..20_000)
            .map(PersonId)
            .filter(|p| m.first_onset(*p, EpisodeKind::Emergency, aged(0)) == Some(0))
            .collect();
        assert!(at_zero.len() > 1000);
        let again = at_zero
            .iter()
            .filter(|p| m.next_onset(**p, EpisodeKind::Emergency, aged(0), 0) == Some(1))
            .count();
        let share = again as f64 / at_zero.len() as f64;
        assert!((share - (1.0 - exp(-0.1))).abs() < 0.03, "{share}");
    }

    #[test]
    fn zero_hazard_never_starts() {
        let params = NeedParams {
            long_term_per_year: [0.0; 4],
            ..NeedParams::default()
        };
        let m = model(&params);
        assert_eq!(
            m.next_onset(PersonId(1), EpisodeKind::LongTerm, aged(2), 0),
            None
        );
        assert_eq!(m.initial_episode(PersonId(1), aged(2)), None);
    }

    #[test]
    fn episodes_respect_their_ranges() {
        // Light episodes only: heavy ones have a test of their own.
        let params = NeedParams {
            long_term_heavy_share: [0.0; 4],
            ..NeedParams::default()
        };
        let m = model(&params);
        for i in 0..2000 {
            let band = (i % 4) as usize;
            let with_partner = i % 3 == 0;
            let who = NeedProfile {
                with_partner,
                ..aged(band)
            };
            let e = m.draw_episode(PersonId(i), EpisodeKind::ShortTerm, who, 5);
            let weeks = e.end_week - e.start_week;
            assert!((1..=6).contains(&weeks));
            assert!((300..=800).contains(&e.weekly.0));
            let l = m.draw_episode(PersonId(i), EpisodeKind::LongTerm, who, 5);
            assert!(l.end_week - l.start_week >= MIN_LONG_TERM_WEEKS);
            let low = Hours::from_f64(params.long_term_hours_min[band]);
            let high = Hours::from_f64(params.long_term_hours_max[band]);
            assert!(low <= l.weekly && l.weekly <= high);
            let x = m.draw_episode(PersonId(i), EpisodeKind::Emergency, who, 5);
            assert_eq!(x.end_week, 6);
        }
    }

    /// Heavy long-term needs (docs/ODD.md §7.10.1): drawn only for someone
    /// living with a partner, at their band's share, in the heavy range; the
    /// hours' uniform is the one a light episode would have used, so without
    /// heavy needs nothing changes.
    #[test]
    fn heavy_long_term_needs_fall_only_on_those_living_with_a_partner() {
        let light = NeedParams {
            long_term_heavy_share: [0.0; 4],
            ..NeedParams::default()
        };
        let mut params = light.clone();
        params.long_term_heavy_share = [0.0, 0.0, 0.5, 1.0];
        let (m, before) = (model(&params), model(&light));
        let heavy = Hours::from_f64(params.long_term_heavy_hours.min);
        let heaviest = Hours::from_f64(params.long_term_heavy_hours.max);
        let mut heavy_at_55 = 0;
        for i in 0..4000 {
            let band = 2 + (i % 2) as usize;
            for with_partner in [false, true] {
                let who = NeedProfile {
                    with_partner,
                    ..aged(band)
                };
                let l = m.draw_episode(PersonId(i), EpisodeKind::LongTerm, who, 5);
                let was = before.draw_episode(PersonId(i), EpisodeKind::LongTerm, who, 5);
                assert_eq!(l.end_week, was.end_week, "the length's draws do not shift");
                if !with_partner {
                    assert_eq!(l, was, "alone: as without heavy needs");
                } else if band == 3 {
                    assert!(heavy <= l.weekly && l.weekly <= heaviest);
                } else {
                    heavy_at_55 += usize::from(l != was);
                }
            }
        }
        // Half of the 2,000 episodes at 55-74 with a partner.
        assert!((900..=1100).contains(&heavy_at_55), "{heavy_at_55}");
        // Nothing heavy in the younger bands, whose share is 0.
        let young = NeedProfile {
            with_partner: true,
            ..aged(1)
        };
        for i in 0..500 {
            let l = m.draw_episode(PersonId(i), EpisodeKind::LongTerm, young, 5);
            assert_eq!(
                l,
                before.draw_episode(PersonId(i), EpisodeKind::LongTerm, young, 5)
            );
        }
    }

    #[test]
    fn older_residents_are_more_often_in_long_term_need_at_the_start() {
        let params = NeedParams::default();
        let m = model(&params);
        let count = |band| {
            (0..20_000)
                .filter(|i| m.initial_episode(PersonId(*i), aged(band)).is_some())
                .count()
        };
        assert!(count(3) > 4 * count(1));
    }

    #[test]
    fn without_a_gradient_the_open_band_has_one_long_term_hazard() {
        let factors = long_term_age_factors(0.0, &Mortality::default());
        assert!(factors.iter().all(|f| *f == 1.0));
    }

    #[test]
    fn the_age_gradient_moves_long_term_onsets_to_the_oldest_and_keeps_the_band_mean() {
        let mortality = Mortality::default();
        let factors = long_term_age_factors(0.11, &mortality);
        let (youngest, oldest) = AgeBand::Age75Plus.ages();
        assert!(factors[..usize::from(youngest)].iter().all(|f| *f == 1.0));
        let band = &factors[usize::from(youngest)..=usize::from(oldest)];
        assert!(band.windows(2).all(|w| w[0] < w[1]));
        assert!(band[0] < 1.0 && band[band.len() - 1] > 1.0);
        // Survival-weighted, as ages are drawn: the band's mean hazard is kept.
        let (mut weighted, mut weights) = (0.0, 0.0);
        for age in youngest..=oldest {
            let w = mortality.survival(f64::from(age));
            weighted += w * factors[usize::from(age)];
            weights += w;
        }
        assert!((weighted / weights - 1.0).abs() < 1e-12);
        // Each year of age multiplies the hazard by e^0.11.
        let ratio = factors[90] / factors[80];
        assert!((ratio - exp(1.1)).abs() < 1e-9, "{ratio}");
    }

    #[test]
    fn with_the_gradient_the_oldest_are_more_often_in_long_term_need_at_the_start() {
        let params = NeedParams {
            long_term_age_gradient: 0.11,
            long_term_at_start: LongTermAtStart::BandStationary,
            ..NeedParams::default()
        };
        let m = model(&params);
        let in_need = |age: u8| {
            let who = NeedProfile {
                band: 3,
                age,
                with_partner: false,
                woman: false,
            };
            (0..20_000)
                .filter(|i| m.initial_episode(PersonId(*i), who).is_some())
                .count() as f64
                / 20_000.0
        };
        // Stationary prevalence λD / (1 + λD) at each age, λ the age's hazard.
        let expected = |age: usize| {
            let rate_times_length = 0.10 / 52.0 * m.long_term_by_age[age] * 156.0;
            rate_times_length / (1.0 + rate_times_length)
        };
        for age in [76, 90] {
            let (seen, want) = (in_need(age), expected(usize::from(age)));
            assert!((seen - want).abs() < 0.015, "age {age}: {seen} vs {want}");
        }
        assert!(in_need(90) > 2.0 * in_need(76));
    }

    /// Session 37: the start gave every resident of 75+ the band's lifelong
    /// share in need (23%), three times what the process leaves at 75–77, and
    /// projections lost the surplus over their first years.
    #[test]
    fn the_start_follows_the_ages_lived_through() {
        let params = NeedParams::default();
        let m = model(&params);
        let shares = &m.long_term_at_start[0];
        let lifelong = |band: usize| {
            let h = params.long_term_per_year[band];
            let d = params.long_term_mean_weeks[band] / WEEKS_PER_YEAR;
            h * d / (1.0 + h * d)
        };
        // One hazard since 18: the band's lifelong share.
        for (age, share) in shares.iter().enumerate().take(35).skip(18) {
            assert!((share - lifelong(0)).abs() < 1e-12, "{age}");
        }
        // Above the rise at 75 the share climbs from the 55–74 level to the
        // band's over the years lived in it.
        assert!(shares[75] > lifelong(2) && shares[75] < 0.4 * lifelong(3));
        assert!(shares[75..=95].windows(2).all(|w| w[0] < w[1]));
        assert!((shares[usize::from(OLDEST_AGE)] - lifelong(3)).abs() < 1e-3);
        // The same process simulated week by week, from half way through age
        // 70 (the table's share there) to half way through 77 (4.5 years at
        // the 55–74 hazard, 2.5 at the 75+ one), lands on the table's share.
        let people = 6_000;
        let mut rng = stream(5, Stream::NeedOnset, 0, 0);
        let mut in_need: Vec<bool> = (0..people)
            .map(|_| rng.random::<f64>() < shares[70])
            .collect();
        for week in 0..7 * 52 {
            let band = if week < 4 * 52 + 26 { 2 } else { 3 };
            let onset = params.long_term_per_year[band] / WEEKS_PER_YEAR;
            let end = 1.0 / params.long_term_mean_weeks[band];
            for state in &mut in_need {
                let u = rng.random::<f64>();
                *state = if *state { u >= end } else { u < onset };
            }
        }
        let simulated = in_need.iter().filter(|s| **s).count() as f64 / people as f64;
        assert!(
            (simulated - shares[77]).abs() < 0.02,
            "{simulated} simulated against {}",
            shares[77]
        );
        // The draws at the start follow the table; the old rule gives the band's.
        let drawn = |m: &NeedModel| {
            let who = NeedProfile {
                band: 3,
                age: 76,
                with_partner: false,
                woman: false,
            };
            (0..40_000)
                .filter(|i| m.initial_episode(PersonId(*i), who).is_some())
                .count() as f64
                / 40_000.0
        };
        assert!((drawn(&m) - shares[76]).abs() < 0.01, "{}", drawn(&m));
        let old = model(&NeedParams {
            long_term_at_start: LongTermAtStart::BandStationary,
            ..NeedParams::default()
        });
        assert!((drawn(&old) - lifelong(3)).abs() < 0.01, "{}", drawn(&old));
    }

    #[test]
    fn emergencies_in_one_week_add_up_and_long_needs_do_not_double() {
        let mut episodes: Episodes = [None; 3];
        let e = |kind, weekly| Episode {
            kind,
            weekly: Hours(weekly),
            start_week: 3,
            end_week: 4,
        };
        start_episode(&mut episodes, e(EpisodeKind::Emergency, 100));
        start_episode(&mut episodes, e(EpisodeKind::Emergency, 150));
        start_episode(&mut episodes, e(EpisodeKind::LongTerm, 900));
        start_episode(&mut episodes, e(EpisodeKind::LongTerm, 500));
        assert_eq!(episodes[0].map(|x| x.weekly), Some(Hours(250)));
        assert_eq!(episodes[2].map(|x| x.weekly), Some(Hours(900)));
        end_episodes(&mut episodes, 4);
        assert!(episodes.iter().all(Option::is_none));
    }

    #[test]
    fn merging_sorted_lists_keeps_the_order_and_drops_the_refused() {
        let mut kept = vec![2, 4, 5, 9, 12];
        merge_sorted(
            &mut kept,
            vec![1, 3, 10, 20, 21],
            |x| *x,
            |x| *x != 5 && *x != 20,
        );
        assert_eq!(kept, [1, 2, 3, 4, 9, 10, 12, 21]);
        let mut empty: Vec<u32> = Vec::new();
        merge_sorted(&mut empty, vec![7, 8], |x| *x, |_| true);
        assert_eq!(empty, [7, 8]);
        let mut kept = vec![7, 8];
        merge_sorted(&mut kept, Vec::new(), |x| *x, |x| *x > 7);
        assert_eq!(kept, [8]);
        let mut kept = vec![2, 4, 5, 9, 12];
        let keep = |x: &u32| *x != 5 && *x != 20;
        merge_sorted_in_parallel(&mut kept, vec![1, 3, 10, 20, 21], |x| *x, keep, || 0);
        assert_eq!(kept, [1, 2, 3, 4, 9, 10, 12, 21]);
        let mut empty: Vec<u32> = Vec::new();
        merge_sorted_in_parallel(&mut empty, vec![7, 8], |x| *x, |_| true, || 0);
        assert_eq!(empty, [7, 8]);
        let mut kept = vec![7, 8];
        merge_sorted_in_parallel(&mut kept, Vec::new(), |x| *x, |x| *x > 7, || 0);
        assert_eq!(kept, [8]);
        let mut kept = vec![5, 6];
        merge_sorted_in_parallel(&mut kept, vec![1, 2, 9], |x| *x, |_| true, || 0);
        assert_eq!(kept, [1, 2, 5, 6, 9]);
    }

    /// The merge in pieces gives the serial merge's list for any piece size,
    /// with items dropped anywhere and joining items before, between and after
    /// the pieces (items carry a list, as cases do, so moves and drops are seen).
    #[test]
    fn merge_in_pieces_equals_the_serial_merge() {
        let mut rng = stream(29, Stream::Attributes, 0, 0);
        for round in 0..200 {
            let mut keys: Vec<u32> = (0..rng.random_range(0..300u32)).collect();
            // A random split of distinct keys into old and joining items.
            let (mut old, mut joining) = (Vec::new(), Vec::new());
            for k in keys.drain(..) {
                let item = (k, vec![k; (k % 3) as usize]);
                if rng.random::<f64>() < 0.7 {
                    old.push(item);
                } else {
                    joining.push(item);
                }
            }
            let gone: u32 = rng.random_range(1..6);
            let keep = move |x: &(u32, Vec<u32>)| x.0 % 7 != gone;
            let mut serial = old.clone();
            merge_sorted(&mut serial, joining.clone(), |x| x.0, keep);
            let piece = 1 + round % 9;
            let stand_in = || (u32::MAX, Vec::new());
            merge_in_pieces(
                &mut old,
                joining,
                piece,
                (|x: &(u32, Vec<u32>)| x.0, keep, stand_in),
            );
            assert_eq!(old, serial, "piece {piece}");
        }
    }

    #[test]
    fn calendar_holds_onsets_within_the_horizon() {
        let scenario = Scenario::default();
        let people = crate::population::build_residents(&scenario);
        let m = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        let mut calendar = OnsetCalendar::new(&m, &people, 10);
        let first = calendar.take(0);
        // About 6000 × (0.4 + 0.17 + 0.02) / 52 ≈ 70 onsets a week.
        assert!((30..150).contains(&first.len()), "{}", first.len());
        assert!(calendar.take(0).is_empty());
        assert!(calendar.take(99).is_empty());
    }

    /// docs/ODD.md §7.10.1: a woman's long-term hazard is `ratio` times a
    /// man's and the two average the band's; other needs do not depend on sex.
    #[test]
    fn a_womans_long_term_hazard_is_the_ratio_times_a_mans_around_the_band() {
        for ratio in [0.5, 1.0, 2.5] {
            let (woman, man) = (sex_factor(ratio, true), sex_factor(ratio, false));
            assert!((woman / man - ratio).abs() < 1e-12);
            assert!(((woman + man) / 2.0 - 1.0).abs() < 1e-12);
        }
        assert_eq!(sex_factor(1.0, true), 1.0);
        let params = NeedParams {
            long_term_women_ratio: 3.0,
            ..NeedParams::default()
        };
        let m = model(&params);
        let who = |woman| NeedProfile { woman, ..aged(2) };
        let long = |woman| m.weekly_rate(EpisodeKind::LongTerm, who(woman));
        assert!((long(true) / long(false) - 3.0).abs() < 1e-12);
        let short = |woman| m.weekly_rate(EpisodeKind::ShortTerm, who(woman));
        assert_eq!(short(true), short(false));
    }
}
