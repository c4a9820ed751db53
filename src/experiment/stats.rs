//! Summaries over replicates: mean, standard deviation and the 95% confidence
//! interval of the mean (Student's t, n − 1 degrees of freedom).

use statrs::distribution::{ContinuousCDF, StudentsT};

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

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

#[cfg(test)]
mod tests {
    use super::*;

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
