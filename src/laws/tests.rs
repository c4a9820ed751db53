//! Each law against rand_distr's, from the same stream: the same number of
//! uniforms taken (the streams stay in step, so a model drawing from these
//! laws makes the decisions it made with rand_distr's) and the same value
//! within a few units in the last place (the C library's logarithms and
//! exponentials against `libm`'s).

use rand::Rng;
use rand::SeedableRng;
use rand::distr::Distribution;

use super::*;
use crate::rng::StreamRng;

const DRAWS: u64 = 20_000;

/// Whether `ours` and `theirs` agree to a relative 1e-12 (or both are 0).
fn close(ours: f64, theirs: f64) -> bool {
    ours == theirs || (ours - theirs).abs() <= 1e-12 * theirs.abs().max(1e-300)
}

/// Draws `DRAWS` values from both laws on twin streams and checks that they
/// agree and that the streams end in the same state.
fn agrees(name: &str, ours: impl Distribution<f64>, theirs: impl rand_distr::Distribution<f64>) {
    for seed in 0..4u64 {
        let mut a = StreamRng::seed_from_u64(seed);
        let mut b = StreamRng::seed_from_u64(seed);
        for draw in 0..DRAWS / 4 {
            let (x, y) = (ours.sample(&mut a), theirs.sample(&mut b));
            assert!(
                close(x, y),
                "{name}, seed {seed}, draw {draw}: {x} against {y}"
            );
            assert_eq!(
                a.next_u64(),
                b.next_u64(),
                "{name}: the streams parted at draw {draw}"
            );
        }
    }
}

#[test]
fn the_normal_and_log_normal_laws_draw_as_rand_distrs() {
    for (mean, sd) in [(0.0, 1.0), (28.0, 5.0), (0.0, 1e-9), (-3.0, 0.3)] {
        agrees(
            "normal",
            Normal::new(mean, sd).expect("valid"),
            rand_distr::Normal::new(mean, sd).expect("valid"),
        );
    }
    for (mu, sigma) in [(0.0, 0.35), (ln(40.0), 1.1), (1.0, 0.0)] {
        agrees(
            "log-normal",
            LogNormal::new(mu, sigma).expect("valid"),
            rand_distr::LogNormal::new(mu, sigma).expect("valid"),
        );
    }
}

#[test]
fn the_exponential_law_draws_as_rand_distrs() {
    for rate in [1.0, 0.02, 3.5, 1.0 / 52.0] {
        agrees(
            "exponential",
            Exp::new(rate).expect("valid"),
            rand_distr::Exp::new(rate).expect("valid"),
        );
    }
}

#[test]
fn the_gamma_law_draws_as_rand_distrs_for_every_shape() {
    for (shape, scale) in [
        (0.4, 2.5),
        (1.0, 3.0),
        (2.0, 0.5),
        (4.5, 10.0 / 4.5),
        (30.0, 0.1),
    ] {
        agrees(
            "gamma",
            Gamma::new(shape, scale).expect("valid"),
            rand_distr::Gamma::new(shape, scale).expect("valid"),
        );
    }
}

#[test]
fn the_beta_law_draws_as_rand_distrs_by_both_of_chengs_methods() {
    // BB (both above 1), BC (one at most 1), and switched parameters.
    for (a, b) in [
        (6.0, 4.0),
        (2.0, 18.0),
        (0.5, 0.5),
        (0.2, 9.8),
        (9.8, 0.2),
        (1.0, 3.0),
    ] {
        agrees(
            "beta",
            Beta::new(a, b).expect("valid"),
            rand_distr::Beta::new(a, b).expect("valid"),
        );
    }
}

#[test]
fn the_poisson_law_draws_as_rand_distrs_by_both_methods() {
    for mean in [0.3, 2.0, 11.9, 12.0, 40.0, 1234.5] {
        agrees(
            "poisson",
            Poisson::new(mean).expect("valid"),
            rand_distr::Poisson::new(mean).expect("valid"),
        );
    }
}

#[test]
fn chengs_constants_are_the_logarithms_math_gives() {
    assert_eq!(LN_4.to_bits(), ln(4.0).to_bits());
    assert_eq!(LN_5.to_bits(), ln(5.0).to_bits());
}

#[test]
fn bad_parameters_are_refused_as_rand_distr_refuses_them() {
    assert!(Normal::new(0.0, f64::NAN).is_err());
    assert!(Exp::new(-1.0).is_err() && Exp::new(-0.0).is_err() && Exp::new(f64::NAN).is_err());
    assert!(Gamma::new(0.0, 1.0).is_err() && Gamma::new(1.0, 0.0).is_err());
    assert!(Beta::new(0.0, 1.0).is_err() && Beta::new(1.0, -1.0).is_err());
    assert!(Poisson::new(0.0).is_err() && Poisson::new(f64::INFINITY).is_err());
    assert!(Poisson::new(2e19).is_err());
    let mut rng = StreamRng::seed_from_u64(1);
    assert_eq!(
        Exp::new(0.0).expect("valid").sample(&mut rng),
        f64::INFINITY
    );
}
