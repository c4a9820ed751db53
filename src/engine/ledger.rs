//! Who cared for whom over the reported weeks, for the survey definitions of
//! TARGETS.md: carers in the broad (SCP) and the CBS sense, intensive and heavily
//! burdened carers, and the relationship of carer to receiver.
//!
//! Every gift of the week (household, informal, exchange; favours are not care) is
//! noted as it happens; at the end of a reported week the notes become counters per
//! resident and per tie direction.

use crate::hours::Hours;
use crate::ids::{PersonId, TieId};

/// One help given this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gift {
    pub helper: PersonId,
    pub receiver: PersonId,
    /// The tie it went over (the partner tie for household help); `None` for a
    /// volunteer tie made this week.
    pub tie: Option<TieId>,
    pub hours: Hours,
    /// Household help to a partner (not care "outside the household").
    pub household: bool,
}

/// Counters over the reported weeks.
#[derive(Debug, Clone, Default)]
pub struct CareLedger {
    /// Per resident: weeks with any household or informal care given.
    pub care_weeks: Vec<u16>,
    /// Per resident: hundredths of hours of care given.
    pub care_hours: Vec<u64>,
    /// Per resident: weeks with informal care to someone outside the household.
    pub outside_household_weeks: Vec<u16>,
    /// Per resident: caring weeks that ended with strain at or above the burden
    /// threshold.
    pub burdened_weeks: Vec<u16>,
    /// Per tie: weeks its lower and its higher end gave care over it.
    pub tie_weeks: Vec<[u16; 2]>,
    /// Per tie: hundredths of hours its lower and its higher end gave over it.
    pub tie_hours: Vec<[u64; 2]>,
    /// This week's gifts.
    pub week: Vec<Gift>,
    /// Whether `close_week` keeps a copy of the week's gifts in `last_week`.
    keep_week_gifts: bool,
    /// The gifts of the week last closed (burn-in weeks too), when kept.
    last_week: Vec<Gift>,
}

impl CareLedger {
    pub fn new(residents: usize) -> CareLedger {
        CareLedger {
            care_weeks: vec![0; residents],
            care_hours: vec![0; residents],
            outside_household_weeks: vec![0; residents],
            burdened_weeks: vec![0; residents],
            ..CareLedger::default()
        }
    }

    /// From now on, keep each closed week's gifts for [`CareLedger::last_week_gifts`]
    /// (`carenet serve` draws them). A copy: the counters do not change.
    pub fn keep_week_gifts(&mut self) {
        self.keep_week_gifts = true;
    }

    /// The gifts of the week last closed, in the order they were given; empty
    /// unless [`CareLedger::keep_week_gifts`] was called. A gift over a volunteer
    /// tie made that week has `tie: None`.
    pub fn last_week_gifts(&self) -> &[Gift] {
        &self.last_week
    }

    pub fn note(&mut self, gift: Gift) {
        if !gift.hours.is_zero() {
            self.week.push(gift);
        }
    }

    /// Turns the week's gifts into counters (in a reported week) and forgets them.
    /// `strain` is everyone's strain after the week's update; `tie_of` finds the
    /// tie of a gift made over a tie that did not exist yet when it was given.
    pub fn close_week(
        &mut self,
        reported: bool,
        ties: usize,
        strain: &[f32],
        burden: f64,
        tie_of: impl Fn(PersonId, PersonId) -> Option<TieId>,
    ) {
        let mut gifts = std::mem::take(&mut self.week);
        if self.keep_week_gifts {
            self.last_week.clone_from(&gifts);
        }
        if !reported {
            return;
        }
        if self.tie_weeks.len() < ties {
            self.tie_weeks.resize(ties, [0, 0]);
            self.tie_hours.resize(ties, [0, 0]);
        }
        for gift in gifts.iter_mut().filter(|g| g.tie.is_none()) {
            gift.tie = tie_of(gift.helper, gift.receiver);
        }
        for gift in &gifts {
            if let Some(hours) = gift.tie.and_then(|t| self.tie_hours.get_mut(t.index())) {
                hours[usize::from(gift.helper > gift.receiver)] += u64::from(gift.hours.0);
            }
        }
        let residents = self.care_weeks.len();
        gifts.sort_unstable_by_key(|g| (g.helper, g.household));
        let mut i = 0;
        while i < gifts.len() {
            let helper = gifts[i].helper;
            let end = i + gifts[i..].iter().take_while(|g| g.helper == helper).count();
            let mine = &gifts[i..end];
            let h = helper.index();
            if h < residents {
                self.care_weeks[h] += 1;
                self.care_hours[h] += mine.iter().map(|g| u64::from(g.hours.0)).sum::<u64>();
                if mine.iter().any(|g| !g.household) {
                    self.outside_household_weeks[h] += 1;
                }
                if f64::from(strain[h]) >= burden {
                    self.burdened_weeks[h] += 1;
                }
            }
            i = end;
        }
        let mut directions: Vec<(TieId, usize)> = gifts
            .iter()
            .filter_map(|g| Some((g.tie?, usize::from(g.helper > g.receiver))))
            .collect();
        directions.sort_unstable();
        directions.dedup();
        for (tie, end) in directions {
            if let Some(weeks) = self.tie_weeks.get_mut(tie.index()) {
                weeks[end] = weeks[end].saturating_add(1);
            }
        }
    }

    /// Mean weekly hours while caring, for a resident who cared.
    pub fn hours_per_caring_week(&self, resident: usize) -> Option<f64> {
        let weeks = self.care_weeks[resident];
        (weeks > 0).then(|| self.care_hours[resident] as f64 / 100.0 / f64::from(weeks))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gift(helper: u32, receiver: u32, tie: u32, hours: u32, household: bool) -> Gift {
        Gift {
            helper: PersonId(helper),
            receiver: PersonId(receiver),
            tie: Some(TieId(tie)),
            hours: Hours(hours),
            household,
        }
    }

    #[test]
    fn a_week_counts_once_per_resident_and_tie_direction() {
        let mut ledger = CareLedger::new(4);
        ledger.note(gift(0, 1, 0, 300, true));
        ledger.note(gift(0, 2, 1, 100, false));
        ledger.note(gift(0, 2, 1, 100, false));
        ledger.note(gift(2, 0, 1, 50, false));
        ledger.note(gift(3, 1, 2, 0, false));
        ledger.close_week(true, 3, &[0.7, 0.0, 0.1, 0.0], 0.6, |_, _| None);
        assert_eq!(ledger.care_weeks, vec![1, 0, 1, 0]);
        assert_eq!(ledger.care_hours[0], 500);
        assert_eq!(ledger.outside_household_weeks, vec![1, 0, 1, 0]);
        assert_eq!(ledger.burdened_weeks, vec![1, 0, 0, 0]);
        assert_eq!(ledger.tie_weeks[1], [1, 1], "both directions of tie 1");
        assert_eq!(ledger.tie_weeks[0], [1, 0]);
        assert_eq!(ledger.tie_hours[1], [200, 50]);
        assert_eq!(ledger.hours_per_caring_week(0), Some(5.0));
        assert!(ledger.week.is_empty());
        ledger.note(gift(1, 0, 0, 100, true));
        ledger.close_week(false, 3, &[0.0; 4], 0.6, |_, _| None);
        assert_eq!(ledger.care_weeks[1], 0, "burn-in weeks are not counted");
        assert!(ledger.last_week_gifts().is_empty(), "not kept unless asked");
    }

    #[test]
    fn kept_gifts_are_the_last_closed_week_and_change_no_counter() {
        let mut watched = CareLedger::new(3);
        watched.keep_week_gifts();
        let mut plain = CareLedger::new(3);
        for ledger in [&mut watched, &mut plain] {
            ledger.note(gift(0, 1, 0, 300, true));
            ledger.note(gift(2, 1, 1, 100, false));
            ledger.close_week(true, 2, &[0.0; 3], 0.6, |_, _| None);
        }
        assert_eq!(
            watched.last_week_gifts(),
            &[gift(0, 1, 0, 300, true), gift(2, 1, 1, 100, false)]
        );
        assert_eq!(watched.care_hours, plain.care_hours);
        assert_eq!(watched.tie_hours, plain.tie_hours);
        watched.note(gift(1, 2, 1, 50, false));
        watched.close_week(true, 2, &[0.0; 3], 0.6, |_, _| None);
        assert_eq!(watched.last_week_gifts(), &[gift(1, 2, 1, 50, false)]);
    }
}
