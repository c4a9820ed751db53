//! Household first (docs/ODD.md §7.10.3): a partner covers what they can before
//! anyone is asked, with their capacity for others plus extra hours kept for the
//! partner.
//!
//! Each case draws only on its own partner, and a partner has one partner, so the
//! cases are served in parallel; the partners' hours and the ledger are then
//! updated in case order.

mod params;

pub use params::HouseholdParams;

use rayon::prelude::*;

use super::case::{Case, RecentHelp};
use super::ledger::{CareLedger, Gift};
use super::strain::Carers;
use super::{TOUCH_BATCH, Week};
use crate::hours::{Hours, TaskHours};
use crate::ids::{PersonId, TieId};
use crate::kinds::Task;
use crate::network::Network;
use crate::population::People;
use crate::tally::WeekTally;

/// What a partner gave this week.
struct PartnerHelp {
    partner: PersonId,
    receiver: PersonId,
    tie: Option<TieId>,
    give: Hours,
    /// The part of `give` that is usual help (docs/ODD.md §7.10.3).
    usual: Hours,
    extra: Hours,
}

/// What household first changes: the cases' demand and the partners' hours.
pub struct HouseholdState<'a> {
    pub cases: &'a mut [Case],
    pub carers: &'a mut Carers,
    pub ledger: &'a mut CareLedger,
}

/// The week's household step; the usual help among the partners' hours is
/// counted in `tally`.
pub fn household_first(
    week: &Week,
    network: &Network,
    state: HouseholdState,
    tally: &mut WeekTally,
) {
    let helped = partners_help(week, network, state.cases, state.carers);
    for help in &helped {
        tally.usual_help += help.usual;
    }
    partners_gave(&helped, state.carers, state.ledger);
}

/// Reads, for a batch of cases, what their partners' cover reads at random
/// places: the start of the case's row (the partner tie comes first) and the
/// partner's burnout and hours left. In one pass the cases' cache misses
/// overlap; case after case, each waited for the one before (session 26, as
/// `asking::Round::touch_walks` does for the asking walk). It only reads.
#[inline(never)] // a call per batch; its own frame in profiles
fn touch_partners(people: &People, network: &Network, carers: &Carers, cases: &[Case]) {
    let mut seen = 0u32;
    for case in cases {
        let Some(partner) = people.partner(case.person) else {
            continue;
        };
        let p = partner.index();
        seen ^= network.row(case.person).first().map_or(0, |e| e.other.0)
            ^ u32::from(carers.burnt_out[p])
            ^ carers.left[p].0;
    }
    std::hint::black_box(seen);
}

/// Each case's partner covers what they can, in parallel over cases.
fn partners_help(
    week: &Week,
    network: &Network,
    cases: &mut [Case],
    carers: &Carers,
) -> Vec<PartnerHelp> {
    let b = &week.scenario.behaviour;
    let people = week.people;
    let in_need: Vec<PersonId> = cases
        .par_iter()
        .filter(|c| c.limits_capacity())
        .map(|c| c.person)
        .collect();
    cases
        .par_chunks_mut(TOUCH_BATCH)
        .flat_map_iter(|batch| {
            touch_partners(people, network, carers, batch);
            batch.iter_mut()
        })
        .filter_map(|case| {
            let partner = people.partner(case.person)?;
            let p = partner.index();
            // A burnt-out partner has no hours left for others; with
            // `burnout_keeps_main_care` they still give the extra hours
            // kept for the partner (docs/ODD.md §7.10.11).
            if carers.burnt_out[p] > 0
                && !b.strain.carries_on_within(b.household.partner_extra_hours)
            {
                return None;
            }
            let own_share = if in_need.binary_search(&partner).is_ok() {
                b.strain.capacity_in_need_share
            } else {
                1.0
            };
            let extra = Hours::from_f64(b.household.partner_extra_hours * own_share);
            let give = case.remaining_total().min(carers.left[p] + extra);
            if give.is_zero() {
                return None;
            }
            let covered = cover(case, give);
            let usual = usual_part(&b.household, &covered);
            case.hours.household += give;
            // Usual help is not the network's care: it shows neither at the
            // kitchen table nor among the helpers a resident returns favours to.
            if give > usual {
                case.helpers.push(RecentHelp {
                    helper: partner,
                    tie: None,
                    week: week.week,
                    hours: give - usual,
                });
            }
            Some(PartnerHelp {
                partner,
                receiver: case.person,
                tie: network.tie_between(case.person, partner).map(|e| e.tie()),
                give,
                usual,
                extra,
            })
        })
        .collect()
}

/// The usual help among a partner's hours by task: the ordinary share
/// (`usual_help_share`) of their hours on the usual-help tasks.
fn usual_part(household: &HouseholdParams, covered: &TaskHours) -> Hours {
    let on_usual_tasks = Task::ALL
        .iter()
        .filter(|t| household.is_usual_help(**t))
        .map(|t| covered[t.index()])
        .sum::<Hours>();
    if household.usual_help_share < 1.0 {
        on_usual_tasks.scaled(household.usual_help_share)
    } else {
        on_usual_tasks
    }
}

/// Meets `hours` of a case's demand, tasks in their order; returns the hours
/// of each task.
fn cover(case: &mut Case, hours: Hours) -> TaskHours {
    let mut left = hours;
    let mut covered = [Hours::ZERO; Task::COUNT];
    for task in Task::ALL {
        let part = left.min(case.remaining(*task));
        case.take(*task, part);
        covered[task.index()] = part;
        left -= part;
    }
    covered
}

/// A partner who cares has the extra hours on top of their capacity, and
/// strain counts against both: the extra hours are spent first. Usual help
/// costs the partner hours and strain like any help, but the ledger of who
/// cared for whom (the CBS carer figures) gets only the care beyond it.
///
/// Each partner helps one resident (their partner), so the partners' hours
/// change in parallel over parts of the persons, in partner order, and the
/// ledger notes the gifts in case order (session 28; as if help by help).
fn partners_gave(helped: &[PartnerHelp], carers: &mut Carers, ledger: &mut CareLedger) {
    let mut by_partner: Vec<(PersonId, [Hours; 3])> = helped
        .iter()
        .map(|help| {
            let from_extra = help.give.min(help.extra);
            (help.partner, [help.extra, from_extra, help.give])
        })
        .collect();
    let persons = carers.left.len();
    crate::radix::sort_by_key(&mut by_partner, persons, |(partner, _)| partner.index());
    carers.partners_gave_sorted(&by_partner);
    ledger.note_all(helped.par_iter().map(|help| Gift {
        helper: help.partner,
        receiver: help.receiver,
        tie: help.tie,
        hours: help.give - help.usual,
        household: true,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::HoursTotal;
    use crate::kinds::TieKind;
    use crate::model::testing::{case_in_need, tiny_network, tiny_people, tiny_scenario};

    fn run(need: f64, partner_left: Hours, partner_burnt_out: bool) -> (Case, Carers, CareLedger) {
        run_with(need, partner_left, partner_burnt_out, false)
    }

    fn run_with(
        need: f64,
        partner_left: Hours,
        partner_burnt_out: bool,
        burnout_keeps_main_care: bool,
    ) -> (Case, Carers, CareLedger) {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.household.partner_extra_hours = 20.0;
        // All of a partner's housework is usual help here.
        scenario.behaviour.household.usual_help_share = 1.0;
        scenario.behaviour.strain.burnout_keeps_main_care = burnout_keeps_main_care;
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        carers.left[1] = partner_left;
        carers.available[1] = partner_left;
        if partner_burnt_out {
            carers.burnt_out[1] = 3;
        }
        let mut cases = [case_in_need(PersonId(0), need)];
        let mut ledger = CareLedger::new(4);
        let week = Week::new(&scenario, &people, 7, &[]);
        household_first(
            &week,
            &network,
            HouseholdState {
                cases: &mut cases,
                carers: &mut carers,
                ledger: &mut ledger,
            },
            &mut WeekTally::new(0, 1),
        );
        let [case] = cases;
        (case, carers, ledger)
    }

    #[test]
    fn the_partner_covers_the_need_from_the_extra_hours_first() {
        let (case, carers, _) = run(12.0, Hours::from_f64(5.0), false);
        assert_eq!(case.hours.household, Hours::from_f64(12.0));
        assert!(case.remaining_total().is_zero());
        // 12 hours from 20 extra: the 5 hours for others stay free.
        assert_eq!(carers.left[1], Hours::from_f64(5.0));
        assert_eq!(carers.available[1], Hours::from_f64(25.0));
        assert_eq!(carers.given[1], Hours::from_f64(12.0));
        assert!(
            case.helpers.is_empty(),
            "housework is usual help, not the network's care"
        );
    }

    #[test]
    fn beyond_the_extra_hours_the_partner_spends_their_own() {
        let (case, carers, _) = run(30.0, Hours::from_f64(5.0), false);
        assert_eq!(case.hours.household, Hours::from_f64(25.0));
        assert_eq!(case.remaining_total(), Hours::from_f64(5.0));
        assert_eq!(carers.left[1], Hours::ZERO);
    }

    #[test]
    fn housework_is_usual_help_and_personal_care_is_care() {
        let mut scenario = tiny_scenario(4);
        scenario.behaviour.household.usual_help_share = 1.0;
        let people = tiny_people(4);
        let network = tiny_network(4, &[(0, 1, TieKind::Partner)]);
        let mut carers = Carers::new(&people, vec![0.0; 4]);
        carers.start_week(&[], &crate::model::strain::StrainParams::keeping(1.0));
        let mut case = case_in_need(PersonId(0), 10.0);
        let long_term = crate::kinds::EpisodeKind::LongTerm.index();
        case.demand[long_term][Task::Household.index()] = Hours::from_f64(6.0);
        case.demand[long_term][Task::PersonalCare.index()] = Hours::from_f64(4.0);
        let mut cases = [case];
        let mut ledger = CareLedger::new(4);
        let mut tally = WeekTally::new(0, 1);
        let week = Week::new(&scenario, &people, 7, &[]);
        let state = HouseholdState {
            cases: &mut cases,
            carers: &mut carers,
            ledger: &mut ledger,
        };
        household_first(&week, &network, state, &mut tally);
        assert_eq!(cases[0].hours.household, Hours::from_f64(10.0));
        assert_eq!(tally.usual_help, HoursTotal(600));
        assert_eq!(carers.given[1], Hours::from_f64(10.0), "all of it tires");
        assert_eq!(ledger.week.len(), 1);
        assert!(ledger.week[0].household);
        assert_eq!(ledger.week[0].hours, Hours::from_f64(4.0), "care beyond it");
        assert_eq!(cases[0].helpers[0].helper, PersonId(1));
        assert_eq!(cases[0].helpers[0].hours, Hours::from_f64(4.0));
        assert_eq!(cases[0].helpers[0].week, 7);
    }

    #[test]
    fn help_with_housework_alone_is_not_noted_as_care() {
        let (_, _, ledger) = run(12.0, Hours::from_f64(5.0), false);
        assert!(ledger.week.is_empty());
    }

    #[test]
    fn beyond_the_ordinary_share_housework_is_care() {
        let mut household = HouseholdParams {
            usual_help_share: 0.5,
            ..HouseholdParams::default()
        };
        let mut covered = [Hours::ZERO; Task::COUNT];
        covered[Task::Household.index()] = Hours::from_f64(6.0);
        covered[Task::PersonalCare.index()] = Hours::from_f64(4.0);
        assert_eq!(usual_part(&household, &covered), Hours::from_f64(3.0));
        household.usual_help_share = 1.0;
        assert_eq!(usual_part(&household, &covered), Hours::from_f64(6.0));
        household.usual_help_share = 0.0;
        assert_eq!(usual_part(&household, &covered), Hours::ZERO);
    }

    #[test]
    fn a_burnt_out_partner_gives_nothing() {
        let (case, carers, ledger) = run(12.0, Hours::from_f64(5.0), true);
        assert!(case.hours.household.is_zero());
        assert!(carers.given[1].is_zero());
        assert!(ledger.week.is_empty());
    }

    #[test]
    fn a_burnt_out_partner_who_carries_on_gives_only_the_extra_hours() {
        // Burnt out, the partner has no hours for others (start_week would
        // give them none), only the 20 kept for the partner.
        let (case, carers, _) = run_with(30.0, Hours::ZERO, true, true);
        assert_eq!(case.hours.household, Hours::from_f64(20.0));
        assert_eq!(case.remaining_total(), Hours::from_f64(10.0));
        assert_eq!(carers.given[1], Hours::from_f64(20.0));
        assert_eq!(carers.left[1], Hours::ZERO);
        // Not burnt out, the same partner gives their own hours as well.
        let (case, _, _) = run_with(30.0, Hours::from_f64(5.0), false, true);
        assert_eq!(case.hours.household, Hours::from_f64(25.0));
    }
}
