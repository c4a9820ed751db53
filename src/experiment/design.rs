//! Experimental designs: which parameter settings to run.
//!
//! A design is a list of points, one value per factor, in the factors' own units.
//! Sampling designs are seeded and draw only from `Stream::Design`, so a design is
//! a pure function of its arguments.
//!
//! - [`full_grid`]: every combination of given levels.
//! - [`latin_hypercube`]: space-filling random sample (McKay, Beckman & Conover 1979).
//! - [`morris_trajectories`]: one-at-a-time screening design (Morris 1991), analysed
//!   by [`super::sensitivity::morris_indices`].
//! - [`saltelli_design`]: the sample behind Sobol indices (Saltelli et al. 2010),
//!   analysed by [`super::sensitivity::sobol_indices`].

use rand::RngExt;
use rand::seq::SliceRandom;

use crate::rng::{Stream, StreamRng, stream};

/// Sub-streams of `Stream::Design`, one per kind of design, so that two designs
/// with the same seed are still independent.
const LATIN: u64 = 1;
const MORRIS: u64 = 2;
const SALTELLI: u64 = 3;

/// A parameter varied by an experiment: its range, and whether it takes whole
/// numbers only (integer factors should have at least one whole number in range).
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub name: String,
    pub low: f64,
    pub high: f64,
    pub integer: bool,
}

impl Factor {
    /// A continuous factor on [low, high].
    pub fn new(name: &str, low: f64, high: f64) -> Factor {
        Factor {
            name: name.to_string(),
            low,
            high,
            integer: false,
        }
    }

    /// A factor taking the whole numbers in [low, high].
    pub fn whole(name: &str, low: f64, high: f64) -> Factor {
        Factor {
            integer: true,
            ..Factor::new(name, low, high)
        }
    }

    /// The width of the range, high − low.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// The point a fraction `u` of the way from low to high: a grid level.
    /// Integer factors round to the nearest whole number in range.
    pub fn scale(&self, u: f64) -> f64 {
        let x = self.low + u * self.width();
        if self.integer {
            x.round().max(self.low.ceil()).min(self.high.floor())
        } else {
            x
        }
    }

    /// The `u`-quantile of the factor's uniform distribution, for `u` in [0, 1):
    /// uniform on [low, high], or for integer factors each whole number in range
    /// equally likely (rounding [`Factor::scale`] would halve the end points).
    pub fn quantile(&self, u: f64) -> f64 {
        if !self.integer {
            return self.scale(u);
        }
        let (lo, hi) = (self.low.ceil(), self.high.floor());
        (lo + (u * (hi - lo + 1.0)).floor()).min(hi)
    }

    /// `count` evenly spaced levels from low to high (whole and without repeats
    /// for integer factors), for [`full_grid`].
    pub fn levels(&self, count: usize) -> Vec<f64> {
        let mut levels: Vec<f64> = match count {
            0 => Vec::new(),
            1 => vec![self.scale(0.5)],
            _ => (0..count)
                .map(|i| self.scale(i as f64 / (count - 1) as f64))
                .collect(),
        };
        levels.dedup();
        levels
    }
}

/// Maps a point of the unit cube to the factors' units with `map`.
fn to_factors(factors: &[Factor], unit: &[f64], map: fn(&Factor, f64) -> f64) -> Vec<f64> {
    factors.iter().zip(unit).map(|(f, &u)| map(f, u)).collect()
}

/// Every combination of the given levels (the cartesian product), the last
/// factor varying fastest. No factors give one empty point; a factor without
/// levels gives no points.
pub fn full_grid(levels: &[Vec<f64>]) -> Vec<Vec<f64>> {
    levels
        .iter()
        .fold(vec![Vec::new()], |points, factor_levels| {
            points
                .iter()
                .flat_map(|point| {
                    factor_levels.iter().map(move |&level| {
                        let mut next = point.clone();
                        next.push(level);
                        next
                    })
                })
                .collect()
        })
}

/// `n` points of a Latin hypercube in [0, 1)^k: each column is an independent
/// random permutation of the n equal strata, with a uniform position inside each
/// stratum. Column j draws from its own stream (seed, Design, `tag`, j).
fn unit_latin_hypercube(k: usize, n: usize, seed: u64, tag: u64) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut rng = stream(seed, Stream::Design, tag, j as u64);
        let mut strata: Vec<usize> = (0..n).collect();
        strata.shuffle(&mut rng);
        for (point, stratum) in points.iter_mut().zip(strata) {
            point[j] = (stratum as f64 + rng.random::<f64>()) / n as f64;
        }
    }
    points
}

/// A Latin hypercube sample of `n` points (McKay, Beckman & Conover 1979,
/// Technometrics 21:239–245): each factor's range is cut into n equal strata and
/// every stratum holds exactly one point, at a random position inside it; the
/// strata are matched across factors by independent random permutations.
/// Integer factors take [`Factor::quantile`] of the stratified fraction.
pub fn latin_hypercube(factors: &[Factor], n: usize, seed: u64) -> Vec<Vec<f64>> {
    unit_latin_hypercube(factors.len(), n, seed, LATIN)
        .iter()
        .map(|unit| to_factors(factors, unit, Factor::quantile))
        .collect()
}

/// The Morris step Δ = p / (2(p − 1)) in unit space for a `levels`-level grid.
pub fn morris_delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// One Morris trajectory of k + 1 points in the unit cube, on the grid
/// {0, 1/(p−1), …, 1}. Each factor starts at a uniformly chosen grid level; from
/// the lower half it steps up by Δ (p/2 grid steps), from the upper half down.
/// The factors step one at a time in random order. This is Morris's
/// B* = (J x* + Δ/2 [(2B − J) D* + J]) P* with x*, D* and P* drawn at random.
fn unit_trajectory(k: usize, levels: usize, rng: &mut StreamRng) -> Vec<Vec<f64>> {
    let half = levels / 2;
    let top = (levels - 1) as f64;
    let mut index: Vec<usize> = (0..k).map(|_| rng.random_range(0..levels)).collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.shuffle(rng);
    let unit = |index: &[usize]| index.iter().map(|&i| i as f64 / top).collect();
    let mut points = vec![unit(&index)];
    for i in order {
        index[i] = if index[i] < half {
            index[i] + half
        } else {
            index[i] - half
        };
        points.push(unit(&index));
    }
    points
}

/// Morris's one-at-a-time screening design (Morris 1991, Technometrics 33:161–174;
/// with the μ* analysis of Campolongo, Cariboni & Saltelli 2007, Environ. Model.
/// Softw. 22:1509–1518): `trajectories` random trajectories of k + 1 points on a
/// `levels`-level grid, each step changing exactly one factor by ±Δ,
/// Δ = p / (2(p − 1)), in unit space, in an order randomised per trajectory.
/// Points are scaled to the factors' ranges with [`Factor::scale`]. Trajectory t
/// draws from the stream (seed, Design, 2, t). Campolongo's selection of the
/// most spread-out trajectories from a larger set is not done.
///
/// # Panics
/// If `levels` is odd or below 2: only an even p makes Δ a whole number of grid
/// steps and every level equally likely (Morris 1991).
pub fn morris_trajectories(
    factors: &[Factor],
    trajectories: usize,
    levels: usize,
    seed: u64,
) -> Vec<Vec<Vec<f64>>> {
    assert!(
        levels >= 2 && levels.is_multiple_of(2),
        "Morris designs need an even number of levels, at least 2 (got {levels})"
    );
    (0..trajectories)
        .map(|t| {
            let mut rng = stream(seed, Stream::Design, MORRIS, t as u64);
            unit_trajectory(factors.len(), levels, &mut rng)
                .iter()
                .map(|unit| to_factors(factors, unit, Factor::scale))
                .collect()
        })
        .collect()
}

/// Saltelli's sample for first-order and total Sobol indices (Saltelli et al.
/// 2010, Comput. Phys. Commun. 181:259–270), n(k + 2) points in blocks of n:
/// A, then B, then A_B^(1), …, A_B^(k), where A_B^(i) is A with column i taken
/// from B. A and B are the two halves of one seeded n × 2k Latin hypercube
/// (pseudo-random; Latin stratification never raises the estimators' variance
/// by more than a factor n/(n−1), Owen 1997). Values are [`Factor::quantile`]s.
pub fn saltelli_design(factors: &[Factor], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let k = factors.len();
    let base = unit_latin_hypercube(2 * k, n, seed, SALTELLI);
    let a = base.iter().map(|row| row[..k].to_vec());
    let b = base.iter().map(|row| row[k..].to_vec());
    let mixed = (0..k).flat_map(|i| {
        base.iter().map(move |row| {
            let mut point = row[..k].to_vec();
            point[i] = row[k + i];
            point
        })
    });
    a.chain(b)
        .chain(mixed)
        .map(|unit| to_factors(factors, &unit, Factor::quantile))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors() -> Vec<Factor> {
        vec![
            Factor::new("a", 0.0, 1.0),
            Factor::new("b", -5.0, 15.0),
            Factor::whole("c", 1.0, 4.0),
        ]
    }

    /// The stratum (0..n) of `x` among n equal strata of the factor's range.
    fn stratum(f: &Factor, x: f64, n: usize) -> usize {
        ((x - f.low) / f.width() * n as f64).floor() as usize
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_per_factor() {
        let fs = factors();
        for n in [1, 2, 7, 100] {
            let points = latin_hypercube(&fs, n, 11);
            assert_eq!(points.len(), n);
            for (j, f) in fs.iter().enumerate().filter(|(_, f)| !f.integer) {
                let mut strata: Vec<usize> = points.iter().map(|p| stratum(f, p[j], n)).collect();
                strata.sort_unstable();
                assert_eq!(
                    strata,
                    (0..n).collect::<Vec<_>>(),
                    "factor {}, n {n}",
                    f.name
                );
            }
        }
    }

    #[test]
    fn latin_hypercube_stays_in_range_and_integer_factors_are_balanced() {
        let fs = factors();
        // 4 whole numbers in 1..=4 and 40 strata: each number exactly 10 times.
        let points = latin_hypercube(&fs, 40, 3);
        for p in &points {
            assert_eq!(p.len(), fs.len());
            for (f, &x) in fs.iter().zip(p) {
                assert!(x >= f.low && x <= f.high, "{x} outside {}", f.name);
            }
            assert_eq!(p[2].fract(), 0.0, "integer factor not whole: {}", p[2]);
        }
        for value in 1..=4 {
            let count = points.iter().filter(|p| p[2] == value as f64).count();
            assert_eq!(count, 10, "whole number {value}");
        }
    }

    #[test]
    fn latin_hypercube_is_a_function_of_its_seed() {
        let fs = factors();
        assert_eq!(latin_hypercube(&fs, 20, 5), latin_hypercube(&fs, 20, 5));
        assert_ne!(latin_hypercube(&fs, 20, 5), latin_hypercube(&fs, 20, 6));
        // Columns are permuted independently, not in lockstep.
        let points = latin_hypercube(&fs[..2], 50, 5);
        let order =
            |j: usize| -> Vec<usize> { points.iter().map(|p| stratum(&fs[j], p[j], 50)).collect() };
        assert_ne!(order(0), order(1));
    }

    #[test]
    fn full_grid_size_and_order() {
        let grid = full_grid(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0]]);
        let expected = [
            [1.0, 10.0],
            [1.0, 20.0],
            [1.0, 30.0],
            [2.0, 10.0],
            [2.0, 20.0],
            [2.0, 30.0],
        ];
        assert_eq!(grid, expected.map(|p| p.to_vec()).to_vec());
        let big = full_grid(&[vec![0.0; 3], vec![0.0; 4], vec![0.0; 5]]);
        assert_eq!(big.len(), 60);
        assert!(big.iter().all(|p| p.len() == 3));
        assert_eq!(full_grid(&[]), vec![Vec::<f64>::new()]);
        assert!(full_grid(&[vec![1.0], vec![]]).is_empty());
    }

    #[test]
    fn factor_levels() {
        assert_eq!(Factor::new("x", 0.0, 1.0).levels(3), vec![0.0, 0.5, 1.0]);
        assert_eq!(Factor::whole("n", 1.0, 3.0).levels(5), vec![1.0, 2.0, 3.0]);
        assert_eq!(Factor::new("x", 2.0, 4.0).levels(1), vec![3.0]);
    }

    /// Morris trajectories in unit space, for checking the step structure.
    fn unit(fs: &[Factor], trajectory: &[Vec<f64>]) -> Vec<Vec<f64>> {
        trajectory
            .iter()
            .map(|p| {
                fs.iter()
                    .zip(p)
                    .map(|(f, x)| (x - f.low) / f.width())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn morris_steps_change_one_factor_by_delta() {
        let fs = vec![
            Factor::new("a", 0.0, 1.0),
            Factor::new("b", -5.0, 15.0),
            Factor::new("c", 100.0, 101.0),
            Factor::new("d", 0.0, 3.0),
        ];
        for levels in [2, 4, 6] {
            let delta = morris_delta(levels);
            let design = morris_trajectories(&fs, 30, levels, 9);
            assert_eq!(design.len(), 30);
            for trajectory in &design {
                let u = unit(&fs, trajectory);
                assert_eq!(u.len(), fs.len() + 1);
                let mut moved = Vec::new();
                for step in u.windows(2) {
                    let changed: Vec<usize> = (0..fs.len())
                        .filter(|&i| step[0][i] != step[1][i])
                        .collect();
                    assert_eq!(changed.len(), 1, "one factor per step: {step:?}");
                    let i = changed[0];
                    assert!(((step[1][i] - step[0][i]).abs() - delta).abs() < 1e-9);
                    moved.push(i);
                }
                moved.sort_unstable();
                assert_eq!(moved, (0..fs.len()).collect::<Vec<_>>(), "each factor once");
                for x in u.iter().flatten() {
                    let level = x * (levels - 1) as f64;
                    assert!((level - level.round()).abs() < 1e-9, "{x} off the grid");
                    assert!((-1e-12..=1.0 + 1e-12).contains(x));
                }
            }
        }
    }

    #[test]
    fn morris_randomises_levels_order_and_direction_by_seed() {
        let fs = factors()[..2].to_vec();
        let design = morris_trajectories(&fs, 200, 4, 1);
        assert_eq!(design, morris_trajectories(&fs, 200, 4, 1));
        assert_ne!(design, morris_trajectories(&fs, 200, 4, 2));
        let first_moved = |t: &Vec<Vec<f64>>| usize::from(t[0][0] == t[1][0]);
        let firsts: Vec<usize> = design.iter().map(first_moved).collect();
        assert!(
            firsts.contains(&0) && firsts.contains(&1),
            "factor order fixed"
        );
        // All four levels of factor a occur as starting points.
        for level in [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0] {
            assert!(
                design.iter().any(|t| (t[0][0] - level).abs() < 1e-12),
                "{level}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "even number of levels")]
    fn morris_rejects_odd_levels() {
        morris_trajectories(&factors(), 1, 3, 0);
    }

    #[test]
    fn saltelli_design_has_the_a_b_and_mixed_blocks() {
        let fs = factors();
        let (k, n) = (fs.len(), 16);
        let points = saltelli_design(&fs, n, 4);
        assert_eq!(points.len(), n * (k + 2));
        assert_eq!(points, saltelli_design(&fs, n, 4));
        assert_ne!(points, saltelli_design(&fs, n, 5));
        let (a, rest) = points.split_at(n);
        let (b, mixed) = rest.split_at(n);
        assert_ne!(a, b);
        for i in 0..k {
            for j in 0..n {
                let p = &mixed[i * n + j];
                for c in 0..k {
                    assert_eq!(p[c], if c == i { b[j][c] } else { a[j][c] });
                }
            }
        }
        for p in &points {
            for (f, &x) in fs.iter().zip(p) {
                assert!(x >= f.low && x <= f.high);
            }
        }
    }
}
