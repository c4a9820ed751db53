//! A gift of help, booked once for every way help is given (household first,
//! asking and giving, the help exchange): the receiver's side on their [`Case`],
//! the helper's side in [`Carers`] and the [`CareLedger`], and the receiver's
//! groups in the week's tally.
//!
//! The two sides are separate functions because asking and giving books the
//! receivers' side in parallel over cases and the helpers' side in answer order.

use super::case::{Case, RecentHelp};
use super::ledger::{CareLedger, Gift};
use super::reciprocity::balance_after_gift;
use super::strain::Carers;
use super::trust::{TrustParams, trust_after_help, trust_after_refusal};
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::{AgeBand, TieKind};
use crate::network::Ties;
use crate::population::People;
use crate::tally::{RELUCTANT, WeekTally};

/// The tie's side of help given over it: its trust rises, and the receiver
/// owes the helper the hours (docs/ODD.md §7.10.10, §7.10.12).
pub fn tie_after_help(
    ties: &mut Ties,
    trust: &TrustParams,
    tie: TieId,
    [helper, receiver]: [PersonId; 2],
    hours: Hours,
) {
    let t = tie.index();
    let (after, balance) = tie_after_help_of(
        trust,
        (ties.trust(t), ties.balance(t)),
        hours,
        helper < receiver,
    );
    ties.set_trust(t, after);
    if let Some(balance) = balance {
        ties.set_balance(t, balance);
    }
}

/// [`tie_after_help`] as values: the tie's trust and balance after help of
/// `hours` from the end that is (or is not) the lower-numbered one.
pub fn tie_after_help_of(
    trust: &TrustParams,
    (before, balance): (f32, f32),
    hours: Hours,
    helper_is_lower: bool,
) -> (f32, Option<f32>) {
    (
        trust_after_help(trust, before),
        Some(balance_after_gift(balance, hours, helper_is_lower)),
    )
}

/// What an ask does to its tie, for [`crate::network::Ties::change_in_parallel`].
#[derive(Debug, Clone, Copy)]
pub enum TieChange {
    /// Trust falls.
    Refused,
    /// Trust rises, and the receiver owes the helper the hours.
    Helped { helper_is_lower: bool, hours: Hours },
}

impl TieChange {
    /// The tie's trust and, if it changes, balance after this change.
    pub fn apply(self, trust: &TrustParams, (before, balance): (f32, f32)) -> (f32, Option<f32>) {
        match self {
            TieChange::Refused => (trust_after_refusal(trust, before), None),
            TieChange::Helped {
                helper_is_lower,
                hours,
            } => tie_after_help_of(trust, (before, balance), hours, helper_is_lower),
        }
    }
}

/// The receiver's side of informal help: the hours count as informal this week,
/// and the helper joins the recent helpers (involvement at intake, favours).
pub fn receive_informal(
    case: &mut Case,
    helper: PersonId,
    tie: Option<TieId>,
    week: u32,
    hours: Hours,
) {
    case.hours.informal += hours;
    case.helpers.push(RecentHelp {
        helper,
        tie,
        week,
        hours,
    });
}

/// The helper's side: the hours leave what the helper has left this week, count
/// as given (for strain), and go into the ledger of who cared for whom.
pub fn give(gift: Gift, carers: &mut Carers, ledger: &mut CareLedger) {
    carers.spend(gift.helper, gift.hours);
    ledger.note(gift);
}

/// Whether an age band counts as "55 and older" (the Egging et al. target of
/// docs/ODD.md §1.3).
pub fn aged_55_plus(band: AgeBand) -> bool {
    band.index() >= AgeBand::Age55To74.index()
}

/// What the receiver's groups get: informal hours to residents aged 55 and over
/// by tie kind, and to reluctant askers.
pub fn count_for_receiver(
    tally: &mut WeekTally,
    people: &People,
    receiver: PersonId,
    kind: TieKind,
    hours: Hours,
) {
    count_for_groups(tally, ReceiverGroups::of(people, receiver), kind, hours);
}

/// The groups of a receiver that the tallies count (looked up where the
/// receiver's data are at hand, counted later).
#[derive(Debug, Clone, Copy)]
pub struct ReceiverGroups {
    aged_55_plus: bool,
    reluctant: bool,
}

impl ReceiverGroups {
    pub fn of(people: &People, receiver: PersonId) -> ReceiverGroups {
        let r = receiver.index();
        ReceiverGroups {
            aged_55_plus: aged_55_plus(people.age_band[r]),
            reluctant: people.ask_reluctance[r] >= RELUCTANT,
        }
    }
}

/// [`count_for_receiver`] with the receiver's groups.
pub fn count_for_groups(
    tally: &mut WeekTally,
    groups: ReceiverGroups,
    kind: TieKind,
    hours: Hours,
) {
    if groups.aged_55_plus {
        tally.informal_to_55plus[kind.index()] += hours;
    }
    if groups.reluctant {
        tally.informal_to_reluctant += hours;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{case_in_need, tiny_people};
    use crate::tally::WeekTally;

    fn hours(h: f64) -> Hours {
        Hours::from_f64(h)
    }

    #[test]
    fn the_receiver_counts_the_hours_and_remembers_the_helper() {
        let mut case = case_in_need(PersonId(0), 6.0);
        receive_informal(&mut case, PersonId(2), Some(TieId(4)), 7, hours(2.5));
        receive_informal(&mut case, PersonId(3), None, 7, hours(1.0));
        assert_eq!(case.hours.informal, hours(3.5));
        assert_eq!(case.helpers.len(), 2);
        let first = case.helpers[0];
        assert_eq!(
            (first.helper, first.tie, first.week, first.hours),
            (PersonId(2), Some(TieId(4)), 7, hours(2.5))
        );
        assert_eq!(case.helpers[1].tie, None, "a volunteer tie made this week");
    }

    #[test]
    fn the_helper_gives_from_what_is_left_and_the_ledger_notes_it() {
        let people = tiny_people(4);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.left[2] = hours(10.0);
        let mut ledger = CareLedger::new(4);
        let gift = Gift {
            helper: PersonId(2),
            receiver: PersonId(0),
            tie: Some(TieId(1)),
            hours: hours(3.0),
            household: false,
        };
        give(gift, &mut carers, &mut ledger);
        give(gift, &mut carers, &mut ledger);
        assert_eq!(carers.left[2], hours(4.0));
        assert_eq!(carers.given[2], hours(6.0));
        assert_eq!(carers.given[0], Hours::ZERO, "receiving is not giving");
        assert_eq!(ledger.week, vec![gift, gift]);
        let nothing = Gift {
            hours: Hours::ZERO,
            ..gift
        };
        give(nothing, &mut carers, &mut ledger);
        assert_eq!(ledger.week.len(), 2, "a gift of no hours is not care");
        assert_eq!(carers.left[2], hours(4.0));
    }

    #[test]
    fn fifty_five_and_over_starts_at_the_55_to_74_band() {
        assert!(!aged_55_plus(AgeBand::Age18To34));
        assert!(!aged_55_plus(AgeBand::Age35To54));
        assert!(aged_55_plus(AgeBand::Age55To74));
        assert!(aged_55_plus(AgeBand::Age75Plus));
    }

    #[test]
    fn the_receivers_groups_count_older_and_reluctant_receivers_only() {
        let mut people = tiny_people(4);
        people.age_band[1] = AgeBand::Age75Plus;
        people.ask_reluctance[2] = RELUCTANT;
        people.ask_reluctance[3] = RELUCTANT - 0.01;
        let mut tally = WeekTally::new(0, 1);
        count_for_receiver(
            &mut tally,
            &people,
            PersonId(0),
            TieKind::Friend,
            hours(1.0),
        );
        count_for_receiver(
            &mut tally,
            &people,
            PersonId(3),
            TieKind::Friend,
            hours(1.0),
        );
        assert_eq!(
            tally
                .informal_to_55plus
                .iter()
                .map(|h| h.as_f64())
                .sum::<f64>(),
            0.0
        );
        assert_eq!(tally.informal_to_reluctant.as_f64(), 0.0);
        count_for_receiver(
            &mut tally,
            &people,
            PersonId(1),
            TieKind::Neighbour,
            hours(2.0),
        );
        count_for_receiver(&mut tally, &people, PersonId(2), TieKind::Kin, hours(0.5));
        assert_eq!(
            tally.informal_to_55plus[TieKind::Neighbour.index()].as_f64(),
            2.0
        );
        assert_eq!(tally.informal_to_55plus[TieKind::Kin.index()].as_f64(), 0.0);
        assert_eq!(tally.informal_to_reluctant.as_f64(), 0.5);
    }
}
