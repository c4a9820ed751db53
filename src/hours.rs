//! Hours of help, counted in whole hundredths of an hour.
//!
//! Every hour of need ends up in exactly one place (household, informal, formal or
//! unmet). Integer hundredths make that bookkeeping exact, so the outputs balance to
//! the last digit, and print as exact two-decimal numbers.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub, SubAssign};

/// The hours of a week: the most anyone can need, give or be granted in one.
pub const HOURS_IN_A_WEEK: f64 = 168.0;

/// A number of hours, in hundredths (`Hours(150)` is 1.5 h).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(pub u32);

impl Hours {
    pub const ZERO: Hours = Hours(0);

    /// Rounds a number of hours to the nearest hundredth; negatives give zero.
    pub fn from_f64(hours: f64) -> Hours {
        Hours((hours.max(0.0) * 100.0).round().min(f64::from(u32::MAX)) as u32)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self − other`, or zero if other is larger.
    pub fn saturating_sub(self, other: Hours) -> Hours {
        Hours(self.0.saturating_sub(other.0))
    }

    /// A share of these hours, rounded down so that shares never add up to more.
    pub fn scaled(self, share: f64) -> Hours {
        Hours((f64::from(self.0) * share.clamp(0.0, 1.0)).floor() as u32)
    }
}

impl Add for Hours {
    type Output = Hours;
    fn add(self, other: Hours) -> Hours {
        Hours(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Hours {
    fn add_assign(&mut self, other: Hours) {
        *self = *self + other;
    }
}

impl Sub for Hours {
    type Output = Hours;
    /// Panics in debug builds on underflow: taking more hours than there are is a
    /// bookkeeping fault, never a modelling choice.
    fn sub(self, other: Hours) -> Hours {
        Hours(self.0 - other.0)
    }
}

impl SubAssign for Hours {
    fn sub_assign(&mut self, other: Hours) {
        *self = *self - other;
    }
}

impl Sum for Hours {
    fn sum<I: Iterator<Item = Hours>>(iter: I) -> Hours {
        iter.fold(Hours::ZERO, Add::add)
    }
}

/// A running total of hours over many residents or weeks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct HoursTotal(pub u64);

impl HoursTotal {
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl From<Hours> for HoursTotal {
    fn from(hours: Hours) -> HoursTotal {
        HoursTotal(u64::from(hours.0))
    }
}

impl AddAssign<Hours> for HoursTotal {
    fn add_assign(&mut self, hours: Hours) {
        self.0 += u64::from(hours.0);
    }
}

impl AddAssign for HoursTotal {
    fn add_assign(&mut self, other: HoursTotal) {
        self.0 += other.0;
    }
}

impl Add for HoursTotal {
    type Output = HoursTotal;
    fn add(self, other: HoursTotal) -> HoursTotal {
        HoursTotal(self.0 + other.0)
    }
}

impl Sum for HoursTotal {
    fn sum<I: Iterator<Item = HoursTotal>>(iter: I) -> HoursTotal {
        iter.fold(HoursTotal::default(), Add::add)
    }
}

/// Exact decimal text: `12345` hundredths print as `123.45`.
impl fmt::Display for HoursTotal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        HoursTotal(u64::from(self.0)).fmt(f)
    }
}

/// Hours per task, the shape of a week's demand or help.
pub type TaskHours = crate::kinds::PerTask<Hours>;

/// Sum over tasks.
pub fn total(hours: &TaskHours) -> Hours {
    hours.iter().copied().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_exact_decimals() {
        assert_eq!(HoursTotal(12345).to_string(), "123.45");
        assert_eq!(HoursTotal(5).to_string(), "0.05");
        assert_eq!(Hours(100).to_string(), "1.00");
    }

    #[test]
    fn rounds_and_clamps() {
        assert_eq!(Hours::from_f64(1.234), Hours(123));
        assert_eq!(Hours::from_f64(1.235), Hours(124));
        assert_eq!(Hours::from_f64(-3.0), Hours::ZERO);
    }

    #[test]
    fn scaled_shares_never_exceed_the_whole() {
        let whole = Hours(101);
        let parts: Hours = [0.3, 0.3, 0.4].iter().map(|s| whole.scaled(*s)).sum();
        assert!(parts <= whole);
        assert_eq!(whole.scaled(2.0), whole);
    }
}
