//! A gift of help, booked once for every way help is given (household first,
//! asking and giving, the help exchange): the receiver's side on their [`Case`],
//! the helper's side in [`Carers`] and the [`CareLedger`], and the receiver's
//! groups in the week's tally.
//!
//! The two sides are separate functions because asking and giving books the
//! receivers' side in parallel over cases and the helpers' side in answer order.

use super::case::{Case, RecentHelp};
use super::ledger::{CareLedger, Gift};
use super::strain::Carers;
use crate::hours::Hours;
use crate::ids::{PersonId, TieId};
use crate::kinds::{AgeBand, TieKind};
use crate::outcomes::{RELUCTANT, WeekTally};
use crate::population::People;

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
    let h = gift.helper.index();
    carers.left[h] -= gift.hours;
    carers.given[h] += gift.hours;
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
    let r = receiver.index();
    if aged_55_plus(people.age_band[r]) {
        tally.informal_to_55plus[kind.index()] += hours;
    }
    if people.ask_reluctance[r] >= RELUCTANT {
        tally.informal_to_reluctant += hours;
    }
}
