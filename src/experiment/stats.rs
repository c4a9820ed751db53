//! Summaries over replicates: mean, standard deviation and the 95% confidence
//! interval of the mean (Student's t, n − 1 degrees of freedom).

/// Mean, spread and 95% interval of the mean of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (n − 1); `None` for one value.
    pub sd: Option<f64>,
    /// 95% interval of the mean; `None` for fewer than two values.
    pub ci95: Option<(f64, f64)>,
}

impl Estimate {
    /// Summarises the finite values of a sample; `None` if there are none.
    pub fn of(values: &[f64]) -> Option<Estimate> {
        let xs: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = xs.len();
        if n == 0 {
            return None;
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Some(Estimate {
                n,
                mean,
                sd: None,
                ci95: None,
            });
        }
        let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let sd = variance.sqrt();
        let half = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
        Some(Estimate {
            n,
            mean,
            sd: Some(sd),
            ci95: Some((mean - half, mean + half)),
        })
    }

    /// Whether the 95% interval lies wholly above `value`.
    pub fn above(&self, value: f64) -> bool {
        self.ci95.is_some_and(|(low, _)| low > value)
    }

    /// Whether the 95% interval lies wholly below `value`.
    pub fn below(&self, value: f64) -> bool {
        self.ci95.is_some_and(|(_, high)| high < value)
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom: the `t`
/// with P(|T| ≤ t) = 0.95, by bisection on [`t_two_sided_mass`] to the last
/// bit. Computed here rather than by statrs, whose functions call the C
/// library, so that the intervals in the tables have the same bits on every
/// platform (src/math.rs). Without degrees of freedom, the normal law's.
pub fn t_quantile_975(df: usize) -> f64 {
    if df == 0 {
        return 1.959_963_984_540_054;
    }
    let (mut low, mut high) = (0.0, 1.0);
    while t_two_sided_mass(high, df) < 0.95 {
        (low, high) = (high, 2.0 * high);
    }
    loop {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            return high;
        }
        if t_two_sided_mass(middle, df) < 0.95 {
            low = middle;
        } else {
            high = middle;
        }
    }
}

/// P(|T| ≤ t) for Student's t with `df` degrees of freedom, by the finite
/// series for a whole number of degrees (Abramowitz and Stegun 26.7.3 and
/// 26.7.4), with θ = atan(t / √df).
pub fn t_two_sided_mass(t: f64, df: usize) -> f64 {
    let nu = df as f64;
    let cos2 = nu / (nu + t * t);
    let sin = t / (nu + t * t).sqrt();
    if df.is_multiple_of(2) {
        let (mut term, mut sum) = (1.0, 1.0);
        for k in 1..=(df - 2) / 2 {
            term *= cos2 * (2 * k - 1) as f64 / (2 * k) as f64;
            sum += term;
        }
        sin * sum
    } else {
        let theta = crate::math::atan(t / nu.sqrt());
        let cos = cos2.sqrt();
        let (mut term, mut sum) = (cos, if df == 1 { 0.0 } else { cos });
        for k in 1..=df.saturating_sub(3) / 2 {
            term *= cos2 * (2 * k) as f64 / (2 * k + 1) as f64;
            sum += term;
        }
        std::f64::consts::FRAC_2_PI * (theta + sin * sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// statrs's quantiles (the C library's logarithms, so equal to about
    /// 1e-12, not to the bit) for every count of replicates up to 2,000.
    #[test]
    fn t_quantiles_are_statrs_quantiles() {
        use statrs::distribution::{ContinuousCDF, StudentsT};
        for df in 1..2_000 {
            let theirs = StudentsT::new(0.0, 1.0, df as f64)
                .expect("a valid law")
                .inverse_cdf(0.975);
            let ours = t_quantile_975(df);
            assert!(
                (ours - theirs).abs() < 1e-11 * theirs,
                "{df}: {ours} against {theirs}"
            );
        }
        assert_eq!(t_quantile_975(0), 1.959_963_984_540_054);
    }

    #[test]
    fn the_two_sided_mass_is_a_probability_that_grows_with_t() {
        for df in [1, 2, 3, 4, 7, 30, 101] {
            assert_eq!(t_two_sided_mass(0.0, df), 0.0);
            assert!((t_two_sided_mass(1e9, df) - 1.0).abs() < 1e-9, "{df}");
            assert!(t_two_sided_mass(1.0, df) < t_two_sided_mass(2.0, df));
        }
        // Cauchy: P(|T| ≤ 1) = 1/2.
        assert!((t_two_sided_mass(1.0, 1) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        assert!((t_quantile_975(1) - 12.706).abs() < 1e-3);
        assert!((t_quantile_975(9) - 2.262).abs() < 1e-3);
        assert!((t_quantile_975(1000) - 1.962).abs() < 1e-3);
    }

    #[test]
    fn estimate_of_a_known_sample() {
        let e = Estimate::of(&[1.0, 2.0, 3.0, 4.0, f64::NAN]).expect("values");
        assert_eq!(e.n, 4);
        assert_eq!(e.mean, 2.5);
        let sd = e.sd.expect("several values");
        assert!((sd - 1.290_994).abs() < 1e-6);
        let (low, high) = e.ci95.expect("several values");
        let half = 3.182_446 * sd / 2.0;
        assert!((low - (2.5 - half)).abs() < 1e-5 && (high - (2.5 + half)).abs() < 1e-5);
        assert!(e.above(0.0) && e.below(10.0) && !e.above(2.0));
        assert_eq!(Estimate::of(&[]), None);
        assert_eq!(Estimate::of(&[3.0]).and_then(|e| e.ci95), None);
    }
}
