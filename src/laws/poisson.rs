//! The Poisson law: Knuth's method below a mean of 12, above it Hörmann's
//! transformed rejection with squeeze (PTRS), as rand_distr 0.6.0 draws them.

use rand::distr::Distribution;
use rand::{Rng, RngExt};

use super::{BadParameters, Normal, standard_exponential};
use crate::math::{exp, ln, pow};

/// The Poisson law with mean `lambda` (a count, as a whole `f64`).
#[derive(Debug, Clone, Copy)]
pub struct Poisson {
    method: Method,
}

#[derive(Debug, Clone, Copy)]
enum Method {
    /// e^−λ: multiply uniforms until the product falls below it.
    Knuth {
        exp_lambda: f64,
    },
    Rejection(Rejection),
}

#[derive(Debug, Clone, Copy)]
struct Rejection {
    lambda: f64,
    s: f64,
    d: f64,
    l: f64,
    c: f64,
    c0: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    omega: f64,
}

/// rand_distr's bound: beyond it the counts no longer fit its method.
const MAX_LAMBDA: f64 = 1.844e19;

impl Poisson {
    /// Refuses a mean that is not positive and finite, or beyond 1.844e19.
    pub fn new(lambda: f64) -> Result<Poisson, BadParameters> {
        if !lambda.is_finite() || lambda <= 0.0 || lambda > MAX_LAMBDA {
            return Err(BadParameters);
        }
        let method = if lambda < 12.0 {
            Method::Knuth {
                exp_lambda: exp(-lambda),
            }
        } else {
            Method::Rejection(Rejection::new(lambda))
        };
        Ok(Poisson { method })
    }
}

impl Rejection {
    fn new(lambda: f64) -> Rejection {
        let b1 = (1.0 / 24.0) / lambda;
        let b2 = 0.3 * b1 * b1;
        let c3 = (1.0 / 7.0) * b1 * b2;
        let c2 = b2 - 15.0 * c3;
        let c1 = b1 - 6.0 * b2 + 45.0 * c3;
        let c0 = 1.0 - b1 + 3.0 * b2 - 15.0 * c3;
        Rejection {
            lambda,
            s: lambda.sqrt(),
            d: 6.0 * lambda.powi(2),
            l: (lambda - 1.1484).floor(),
            c: 0.1069 / lambda,
            c0,
            c1,
            c2,
            c3,
            omega: 1.0 / (2.0 * std::f64::consts::PI).sqrt() / lambda.sqrt(),
        }
    }

    /// The terms of the acceptance test at count `k` (PTRS's Table 1).
    fn terms(&self, k: f64) -> (f64, f64, f64, f64) {
        const FACTORIAL: [f64; 10] = [
            1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0,
        ];
        const A: [f64; 10] = [
            -0.5000000002,
            0.3333333343,
            -0.2499998565,
            0.1999997049,
            -0.1666848753,
            0.1428833286,
            -0.1241963125,
            0.1101687109,
            -0.1142650302,
            0.1055093006,
        ];
        let (px, py) = if k < 10.0 {
            (-self.lambda, pow(self.lambda, k) / FACTORIAL[k as usize])
        } else {
            let delta = (12.0 * k).recip();
            let delta = delta - 4.8 * delta.powi(3);
            let v = (self.lambda - k) / k;
            let px = if v.abs() <= 0.25 {
                k * v.powi(2) * A.iter().rev().fold(0.0, |acc, &a| acc * v + a) - delta
            } else {
                k * ln(1.0 + v) - (self.lambda - k) - delta
            };
            (px, 1.0 / (2.0 * std::f64::consts::PI).sqrt() / k.sqrt())
        };
        let x = (k - self.lambda + 0.5) / self.s;
        let fx = -0.5 * x * x;
        let fy = self.omega * (((self.c3 * x * x + self.c2) * x * x + self.c1) * x * x + self.c0);
        (px, py, fx, fy)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let normal = Normal {
            mean: self.lambda,
            sd: self.s,
        };
        let g = normal.sample(rng);
        if g >= 0.0 {
            let k1 = g.floor();
            if k1 >= self.l {
                return k1;
            }
            let u: f64 = rng.random();
            if self.d * u >= (self.lambda - k1).powi(3) {
                return k1;
            }
            let (px, py, fx, fy) = self.terms(k1);
            if fy * (1.0 - u) <= py * exp(px - fx) {
                return k1;
            }
        }
        loop {
            let e = standard_exponential(rng);
            let u: f64 = rng.random::<f64>() * 2.0 - 1.0;
            let t = 1.8 + e * u.signum();
            if t > -0.6744 {
                let k2 = (self.lambda + self.s * t).floor();
                let (px, py, fx, fy) = self.terms(k2);
                if self.c * u.abs() <= py * exp(px + e) - fy * exp(fx + e) {
                    return k2;
                }
            }
        }
    }
}

impl Distribution<f64> for Poisson {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.method {
            Method::Knuth { exp_lambda } => {
                let mut result = 1.0;
                let mut p: f64 = rng.random();
                while p > exp_lambda {
                    p *= rng.random::<f64>();
                    result += 1.0;
                }
                result - 1.0
            }
            Method::Rejection(r) => r.sample(rng),
        }
    }
}
