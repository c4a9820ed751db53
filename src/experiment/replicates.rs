//! Replicates with common random numbers: the one fan-out behind `run
//! --replicates`, `compare`, `validate`, `bench --consistency` ([`map_runs`])
//! and the Python package. Replicate r of every variant runs with the seed
//! [`replicate_seed`]`(base, r)`, `base` being the first variant's seed, so
//! variants are compared on the same draws (docs/ODD.md §7.9) and any run can
//! be repeated alone with `carenet run --seed`.

use rayon::prelude::*;

use super::replicate_seed;
use crate::scenario::Scenario;

/// Areas of up to this many adults run their replicates in parallel; larger
/// ones one after another: each run already uses every core, and memory, not
/// time, is then the limit (a million-adult run takes about 1 GB).
pub const PARALLEL_UP_TO_ADULTS: u64 = 200_000;

/// Whether replicates of areas of `adults` adults run in parallel.
pub fn in_parallel(adults: u64) -> bool {
    adults <= PARALLEL_UP_TO_ADULTS
}

/// How many of `runs` runs whose largest area has `adults` adults are in
/// memory at once (as [`map_runs`] runs them): one per worker thread of
/// rayon's pool when they run in parallel, else one (for the memory check
/// before a run or an experiment, [`crate::scenario::limits::check_memory`]).
pub fn at_once(adults: u64, runs: u64) -> u64 {
    if in_parallel(adults) {
        runs.min(rayon::current_num_threads() as u64)
    } else {
        1
    }
}

/// `each(variant, replicate, scenario)` for every variant and replicate
/// 1..=`replicates`, where `scenario` is the variant with that replicate's
/// seed. The results come in (variant, replicate) order on any number of
/// threads; the first error stops the rest.
pub fn map_replicates<T, E>(
    variants: &[&Scenario],
    replicates: u32,
    each: impl Fn(usize, u32, &Scenario) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    T: Send,
    E: Send,
{
    let Some(base) = variants.first().map(|s| s.seed) else {
        return Ok(Vec::new());
    };
    let jobs: Vec<(usize, u32)> = (0..variants.len())
        .flat_map(|v| (1..=replicates).map(move |r| (v, r)))
        .collect();
    let run = |&(v, r): &(usize, u32)| {
        let seeded = Scenario {
            seed: replicate_seed(base, r),
            ..variants[v].clone()
        };
        each(v, r, &seeded)
    };
    let largest = variants.iter().map(|s| s.area_adults()).max().unwrap_or(0);
    map_runs(&jobs, largest, run)
}

/// `run(job)` for every job, the results in the jobs' order: in parallel for
/// areas of up to [`PARALLEL_UP_TO_ADULTS`] (`largest`, the largest area the
/// jobs run), otherwise one after another. The first error stops the rest.
/// [`map_replicates`] runs through it, and so do the replicates of `bench
/// --consistency`, whose every replicate lays out an area of its own.
pub fn map_runs<J, T, E>(
    jobs: &[J],
    largest: u64,
    run: impl Fn(&J) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    J: Sync,
    T: Send,
    E: Send,
{
    if in_parallel(largest) {
        jobs.par_iter().map(&run).collect()
    } else {
        jobs.iter().map(run).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicates_share_seeds_across_variants_and_keep_their_order() {
        let a = Scenario {
            seed: 7,
            ..Scenario::default()
        };
        let b = Scenario {
            seed: 99,
            name: "b".into(),
            ..Scenario::default()
        };
        let seen: Vec<(usize, u32, u64)> =
            map_replicates(&[&a, &b], 3, |v, r, s| Ok::<_, ()>((v, r, s.seed))).expect("no error");
        let seeds: Vec<u64> = (1..=3).map(|r| replicate_seed(7, r)).collect();
        let expected: Vec<(usize, u32, u64)> = (0..2)
            .flat_map(|v| (1..=3).map(move |r| (v, r)))
            .map(|(v, r)| (v, r, seeds[r as usize - 1]))
            .collect();
        assert_eq!(seen, expected, "variant b runs on a's seeds");
        let failed = map_replicates(&[&a], 3, |_, r, _| if r == 2 { Err(r) } else { Ok(r) });
        assert_eq!(failed, Err(2));
        assert!(in_parallel(6_000) && !in_parallel(1_000_000));
    }
}
