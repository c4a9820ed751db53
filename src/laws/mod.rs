//! The probability laws the model draws from: normal, log-normal,
//! exponential, gamma, beta and Poisson.
//!
//! They are rand_distr 0.6.0's algorithms, line for line (Marsaglia and
//! Tsang's gamma, Cheng's BB and BC for the beta, the ziggurat for the normal
//! and the exponential, Knuth's method and PTRS for the Poisson), so they take
//! the same uniforms from a stream as rand_distr did. What differs is where
//! their logarithms and exponentials come from: rand_distr calls the
//! platform's C library through `num-traits`, these call [`crate::math`], so a
//! trait drawn on Linux, on macOS, on Windows or in the browser has the same
//! bits (docs/ARCHITECTURE.md §5). The tests check each law against
//! rand_distr: the same number of uniforms taken, and values within a few
//! units in the last place.

mod ziggurat_tables;

use rand::distr::{Distribution, Open01};
use rand::{Rng, RngExt};

use crate::math::{exp, ln, pow};
use ziggurat_tables::{
    ZIG_EXP_F, ZIG_EXP_R, ZIG_EXP_X, ZIG_NORM_F, ZIG_NORM_R, ZIG_NORM_X, ZigTable,
};

/// A law's parameters are outside its domain (the callers fall back to the
/// law's mean or a default, as they did with rand_distr's errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadParameters;

/// `bits`' 52 lowest bits as the fraction of a float in [2^exponent, 2^(exponent + 1)).
fn float_with_exponent(bits: u64, exponent: i32) -> f64 {
    f64::from_bits((((1023 + exponent) as u64) << 52) | bits)
}

/// The ziggurat method of Marsaglia and Tsang, as rand_distr draws it: one
/// 64-bit word gives the layer (8 bits) and the point (52 bits).
#[inline(always)]
fn ziggurat<R: Rng + ?Sized>(
    rng: &mut R,
    symmetric: bool,
    x_tab: ZigTable,
    f_tab: ZigTable,
    pdf: impl Fn(f64) -> f64,
    zero_case: impl Fn(&mut R, f64) -> f64,
) -> f64 {
    loop {
        let bits = rng.next_u64();
        let i = bits as usize & 0xff;
        let u = if symmetric {
            float_with_exponent(bits >> 12, 1) - 3.0
        } else {
            float_with_exponent(bits >> 12, 0) - (1.0 - f64::EPSILON / 2.0)
        };
        let x = u * x_tab[i];
        let test_x = if symmetric { x.abs() } else { x };
        if test_x < x_tab[i + 1] {
            return x;
        }
        if i == 0 {
            return zero_case(rng, u);
        }
        if f_tab[i + 1] + (f_tab[i] - f_tab[i + 1]) * rng.random::<f64>() < pdf(x) {
            return x;
        }
    }
}

/// A standard normal variate.
fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let zero_case = |rng: &mut R, u: f64| {
        let mut x = 1.0f64;
        let mut y = 0.0f64;
        while -2.0 * y < x * x {
            let x_: f64 = rng.sample(Open01);
            let y_: f64 = rng.sample(Open01);
            x = ln(x_) / ZIG_NORM_R;
            y = ln(y_);
        }
        if u < 0.0 {
            x - ZIG_NORM_R
        } else {
            ZIG_NORM_R - x
        }
    };
    ziggurat(
        rng,
        true,
        &ZIG_NORM_X,
        &ZIG_NORM_F,
        |x| exp(-x * x / 2.0),
        zero_case,
    )
}

/// A standard exponential variate (rate 1).
fn standard_exponential<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let zero_case = |rng: &mut R, _u: f64| ZIG_EXP_R - ln(rng.random::<f64>());
    ziggurat(rng, false, &ZIG_EXP_X, &ZIG_EXP_F, |x| exp(-x), zero_case)
}

/// The normal law.
#[derive(Debug, Clone, Copy)]
pub struct Normal {
    mean: f64,
    sd: f64,
}

impl Normal {
    /// Refuses a standard deviation that is not finite (a negative one
    /// mirrors the law, as rand_distr's does).
    pub fn new(mean: f64, sd: f64) -> Result<Normal, BadParameters> {
        if !sd.is_finite() {
            return Err(BadParameters);
        }
        Ok(Normal { mean, sd })
    }
}

impl Distribution<f64> for Normal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.mean + self.sd * standard_normal(rng)
    }
}

/// The log-normal law: e^X for X normal with mean `mu` and deviation `sigma`.
#[derive(Debug, Clone, Copy)]
pub struct LogNormal {
    normal: Normal,
}

impl LogNormal {
    pub fn new(mu: f64, sigma: f64) -> Result<LogNormal, BadParameters> {
        Ok(LogNormal {
            normal: Normal::new(mu, sigma)?,
        })
    }
}

impl Distribution<f64> for LogNormal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        exp(self.normal.sample(rng))
    }
}

/// The exponential law with rate `lambda`.
#[derive(Debug, Clone, Copy)]
pub struct Exp {
    lambda_inverse: f64,
}

impl Exp {
    /// Refuses a negative (including −0) or NaN rate; a rate of 0 gives
    /// infinity, as rand_distr's does.
    pub fn new(lambda: f64) -> Result<Exp, BadParameters> {
        if lambda.is_sign_negative() || lambda.is_nan() {
            return Err(BadParameters);
        }
        Ok(Exp {
            lambda_inverse: 1.0 / lambda,
        })
    }
}

impl Distribution<f64> for Exp {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        standard_exponential(rng) * self.lambda_inverse
    }
}

/// Marsaglia and Tsang's method for a shape of at least 1, unscaled.
#[derive(Debug, Clone, Copy)]
struct LargeShape {
    scale: f64,
    c: f64,
    d: f64,
}

impl LargeShape {
    fn new(shape: f64, scale: f64) -> LargeShape {
        let d = shape - 1. / 3.;
        LargeShape {
            scale,
            c: 1.0 / (9. * d).sqrt(),
            d,
        }
    }

    fn sample_unscaled<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let x = standard_normal(rng);
            let v_cbrt = 1.0 + self.c * x;
            if v_cbrt <= 0.0 {
                continue;
            }
            let v = v_cbrt * v_cbrt * v_cbrt;
            let u: f64 = rng.sample(Open01);
            let x_sqr = x * x;
            if u < 1.0 - 0.0331 * x_sqr * x_sqr || ln(u) < 0.5 * x_sqr + self.d * (1.0 - v + ln(v))
            {
                return v;
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum GammaMethod {
    Large(LargeShape),
    One(Exp),
    /// A shape below 1: a draw of shape + 1 times U^(1 / shape).
    Small {
        inverse_shape: f64,
        large: LargeShape,
    },
}

/// The gamma law with a shape and a scale.
#[derive(Debug, Clone, Copy)]
pub struct Gamma {
    method: GammaMethod,
}

impl Gamma {
    /// Refuses a shape or scale that is not positive.
    pub fn new(shape: f64, scale: f64) -> Result<Gamma, BadParameters> {
        if !(shape > 0.0 && scale > 0.0) {
            return Err(BadParameters);
        }
        let method = if shape == f64::INFINITY || scale == f64::INFINITY {
            GammaMethod::One(Exp::new(0.0)?)
        } else if shape == 1.0 {
            GammaMethod::One(Exp::new(1.0 / scale)?)
        } else if shape < 1.0 {
            GammaMethod::Small {
                inverse_shape: 1.0 / shape,
                large: LargeShape::new(shape + 1.0, scale),
            }
        } else {
            GammaMethod::Large(LargeShape::new(shape, scale))
        };
        Ok(Gamma { method })
    }
}

impl Distribution<f64> for Gamma {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.method {
            GammaMethod::Large(g) => g.sample_unscaled(rng) * (g.d * g.scale),
            GammaMethod::One(e) => e.sample(rng),
            GammaMethod::Small {
                inverse_shape,
                large,
            } => {
                let u: f64 = rng.sample(Open01);
                let a = large.sample_unscaled(rng);
                let b = pow(u, inverse_shape);
                (a * b * large.d) * large.scale
            }
        }
    }
}

/// ln 4 and ln 5, as [`crate::math::ln`] gives them (a test checks the bits):
/// Cheng's tests take them on every try, where they were a few percent of
/// the set-up's logarithms.
const LN_4: f64 = 1.386_294_361_119_890_6;
const LN_5: f64 = 1.609_437_912_434_100_3;

/// Cheng's algorithm BB (1978), for a beta law whose parameters both exceed 1.
#[derive(Debug, Clone, Copy)]
struct ChengBB {
    alpha: f64,
    beta: f64,
    gamma: f64,
}

impl ChengBB {
    /// Cheng's W for the smaller parameter `a` and the larger `b`.
    fn w<R: Rng + ?Sized>(&self, rng: &mut R, a: f64, b: f64) -> f64 {
        loop {
            let u1: f64 = rng.sample(Open01);
            let u2: f64 = rng.sample(Open01);
            let v = self.beta * ln(u1 / (1.0 - u1));
            let w = a * exp(v);
            let z = u1 * u1 * u2;
            let r = self.gamma * v - LN_4;
            let s = a + r - w;
            if s + 1.0 + LN_5 >= 5.0 * z {
                return w;
            }
            let t = ln(z);
            if s >= t {
                return w;
            }
            // Negated, as rand_distr's: a NaN accepts.
            #[allow(clippy::neg_cmp_op_on_partial_ord)]
            if !(r + self.alpha * ln(self.alpha / (b + w)) < t) {
                return w;
            }
        }
    }
}

/// Cheng's algorithm BC (1978), for a beta law with a parameter of at most 1.
#[derive(Debug, Clone, Copy)]
struct ChengBC {
    alpha: f64,
    beta: f64,
    kappa1: f64,
    kappa2: f64,
}

impl ChengBC {
    /// Cheng's W for the larger parameter `a` and the smaller `b`.
    fn w<R: Rng + ?Sized>(&self, rng: &mut R, a: f64, b: f64) -> f64 {
        loop {
            let z;
            let u1: f64 = rng.sample(Open01);
            let u2: f64 = rng.sample(Open01);
            if u1 < 0.5 {
                let y = u1 * u2;
                z = u1 * y;
                if 0.25 * u2 + z - y >= self.kappa1 {
                    continue;
                }
            } else {
                z = u1 * u1 * u2;
                if z <= 0.25 {
                    let v = self.beta * ln(u1 / (1.0 - u1));
                    return a * exp(v);
                }
                if z >= self.kappa2 {
                    continue;
                }
            }
            let v = self.beta * ln(u1 / (1.0 - u1));
            let w = a * exp(v);
            // Negated, as rand_distr's: a NaN accepts.
            #[allow(clippy::neg_cmp_op_on_partial_ord)]
            if !(self.alpha * (ln(self.alpha / (b + w)) + v) - LN_4 < ln(z)) {
                return w;
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum BetaMethod {
    BB(ChengBB),
    BC(ChengBC),
}

/// The beta law on (0, 1).
#[derive(Debug, Clone, Copy)]
pub struct Beta {
    a: f64,
    b: f64,
    switched: bool,
    method: BetaMethod,
}

impl Beta {
    /// Refuses parameters that are not positive.
    pub fn new(alpha: f64, beta: f64) -> Result<Beta, BadParameters> {
        if !(alpha > 0.0 && beta > 0.0) {
            return Err(BadParameters);
        }
        let (a, b, switched) = if alpha < beta {
            (alpha, beta, false)
        } else {
            (beta, alpha, true)
        };
        if a > 1.0 {
            let alpha = a + b;
            let beta = ((alpha - 2.0) / (2.0 * a * b - alpha)).sqrt();
            let gamma = a + 1.0 / beta;
            let method = BetaMethod::BB(ChengBB { alpha, beta, gamma });
            return Ok(Beta {
                a,
                b,
                switched,
                method,
            });
        }
        let (a, b, switched) = (b, a, !switched);
        let alpha = a + b;
        let beta = 1.0 / b;
        let delta = 1.0 + a - b;
        let kappa1 = delta * (1. / 18. / 4. + 3. / 18. / 4. * b) / (a * beta - 14. / 18.);
        let kappa2 = 0.25 + (0.5 + 0.25 / delta) * b;
        let method = BetaMethod::BC(ChengBC {
            alpha,
            beta,
            kappa1,
            kappa2,
        });
        Ok(Beta {
            a,
            b,
            switched,
            method,
        })
    }
}

impl Distribution<f64> for Beta {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let w = match self.method {
            BetaMethod::BB(bb) => bb.w(rng, self.a, self.b),
            BetaMethod::BC(bc) => bc.w(rng, self.a, self.b),
        };
        if self.switched {
            self.b / (self.b + w)
        } else if w == f64::INFINITY {
            1.0
        } else {
            w / (self.b + w)
        }
    }
}

mod poisson;
pub use poisson::Poisson;

#[cfg(test)]
mod tests;
