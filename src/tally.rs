//! What a week and a run produce (docs/ODD.md §9): hours by source, locality, tie kind
//! and task; strain; formal intake and waiting; per neighbourhood. The engine fills
//! these tallies; `output` writes them. Hours are exact integers (see [`crate::hours`]),
//! so every balance the outputs promise holds to the last digit.

use rayon::iter::ParallelIterator;

use crate::hours::{Hours, HoursTotal, TaskHours};
use crate::ids::PersonId;
use crate::kinds::{DistanceBand, EpisodeKind, Locality, PerAgeBand, PerTask, Task, TieKind};

/// Hours and help episodes of one (tie kind, task, locality) cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    pub hours: HoursTotal,
    /// Help episodes: one helper helping one resident with one task in one week.
    pub episodes: u64,
}

/// Informal help to residents by tie kind, task, locality and distance.
pub type Flows = [[[[Flow; DistanceBand::COUNT]; Locality::COUNT]; Task::COUNT]; TieKind::COUNT];

/// Residents' informal help to people outside the area (their parents), by task
/// and distance.
pub type OutboundFlows = [[Flow; DistanceBand::COUNT]; Task::COUNT];

/// Reluctance to ask at or above which a resident counts as reluctant (the top of
/// the default beta distribution around 0.55).
pub const RELUCTANT: f32 = 0.7;

/// One neighbourhood's week (or run), counted at the receiving resident.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeighbourhoodTally {
    pub need: HoursTotal,
    pub household: HoursTotal,
    pub informal: HoursTotal,
    pub formal: HoursTotal,
    pub unmet: HoursTotal,
    /// Informal hours from helpers living in the same neighbourhood.
    pub within: HoursTotal,
    /// Hours given by neighbour ties, by the episode kind they met.
    pub neighbour_by_episode: [HoursTotal; EpisodeKind::COUNT],
    /// Resident-weeks in need, and with some need unmet.
    pub in_need_weeks: u64,
    pub unmet_weeks: u64,
    pub burnouts: u64,
}

impl NeighbourhoodTally {
    pub fn add(&mut self, other: &NeighbourhoodTally) {
        self.need += other.need;
        self.household += other.household;
        self.informal += other.informal;
        self.formal += other.formal;
        self.unmet += other.unmet;
        self.within += other.within;
        for (mine, theirs) in self
            .neighbour_by_episode
            .iter_mut()
            .zip(other.neighbour_by_episode)
        {
            *mine += theirs;
        }
        self.in_need_weeks += other.in_need_weeks;
        self.unmet_weeks += other.unmet_weeks;
        self.burnouts += other.burnouts;
    }
}

/// Strain among carers: everyone who gave help this week or is burnt out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StrainStats {
    pub carers: u64,
    pub mean: f64,
    pub p90: f64,
    /// Carers whose strain is at or above the burden threshold.
    pub heavily_burdened: u64,
}

impl StrainStats {
    /// Mean and 90th percentile (nearest rank) of a list of strains.
    pub fn of(mut strains: Vec<f32>, burden_threshold: f64) -> StrainStats {
        if strains.is_empty() {
            return StrainStats::default();
        }
        let n = strains.len();
        let heavily_burdened = strains
            .iter()
            .filter(|s| f64::from(**s) >= burden_threshold)
            .count() as u64;
        // Summed in index order, so the mean is the same on any number of threads.
        let mean = strains.iter().map(|s| f64::from(*s)).sum::<f64>() / n as f64;
        let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n) - 1;
        let (_, p90, _) = strains.select_nth_unstable_by(rank, f32::total_cmp);
        StrainStats {
            carers: n as u64,
            mean,
            p90: f64::from(*p90),
            heavily_burdened,
        }
    }
}

/// Everything counted in one week.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekTally {
    /// Week number: 0 is the first reported week, burn-in weeks are negative.
    pub week: i64,
    pub residents_in_need: u64,
    pub residents_with_unmet_need: u64,
    pub need: HoursTotal,
    pub household: HoursTotal,
    /// The part of `household` that is usual help between partners
    /// (gebruikelijke hulp, docs/ODD.md §7.10.3).
    pub usual_help: HoursTotal,
    /// Professional hours of respite care, part of `formal` (docs/ODD.md
    /// §7.10.22).
    pub respite: HoursTotal,
    /// `respite` by task, for pricing by payer (docs/ODD.md §9.12).
    pub respite_by_task: PerTask<HoursTotal>,
    /// Professional hours of long-term care at home under the Wlz, part of
    /// `formal` (docs/ODD.md §7.10.23).
    pub long_term_care: HoursTotal,
    /// `long_term_care` by task, for pricing by payer (docs/ODD.md §9.12).
    pub long_term_care_by_task: PerTask<HoursTotal>,
    pub informal: HoursTotal,
    pub formal: HoursTotal,
    /// `formal` by task, for pricing (docs/ODD.md §9.12).
    pub formal_by_task: PerTask<HoursTotal>,
    pub unmet: HoursTotal,
    pub by_locality: [HoursTotal; Locality::COUNT],
    pub flows: Box<Flows>,
    /// Hours residents gave their parents outside the area: their own account,
    /// not part of the area's need (docs/ODD.md §7.10.19).
    pub outbound: HoursTotal,
    pub outbound_flows: OutboundFlows,
    /// The part of `outbound` given to parents in a nursing home.
    pub outbound_nursing_home: HoursTotal,
    /// Parents outside the area in need this week, and their need (before their
    /// own household, professionals and other children).
    pub outside_parents_in_need: u64,
    pub outside_parent_need: HoursTotal,
    /// Hours residents asked for (the sum of requested hours over all asks).
    pub asked: HoursTotal,
    /// Small favours returned by helped residents (not part of need).
    pub favours: HoursTotal,
    pub strain: StrainStats,
    pub burnouts: u64,
    /// The residents among this week's `burnouts`, in id order (for residents.csv).
    pub burnout_residents: Vec<PersonId>,
    pub burnt_out: u64,
    pub waiting_list: u64,
    /// Residents who left a waiting list this week before an assignment:
    /// their long-term need ended, or they died or moved away (not the Wlz's
    /// clients, whom the Wlz serves).
    pub left_waiting_list: u64,
    pub intakes: u64,
    /// The residents of this week's `intakes`, in case order (for residents.csv).
    pub intake_residents: Vec<PersonId>,
    pub intakes_network_involved: u64,
    pub intakes_network_burdened: u64,
    pub assignments: u64,
    pub waited_weeks: u64,
    pub exchange_requests: u64,
    pub exchange_matches: u64,
    pub new_peer_ties: u64,
    /// Residents in need without a usable tie, and their hours.
    pub isolated_in_need: u64,
    pub isolated_need: HoursTotal,
    pub isolated_unmet: HoursTotal,
    /// Mean absolute reciprocity balance over all ties, hours.
    pub mean_abs_balance: f64,
    /// Need and unmet hours of residents with a small or weak network (the fifth
    /// of residents in need with the fewest ties of usable trust).
    pub weak_network_need: HoursTotal,
    pub weak_network_unmet: HoursTotal,
    /// Informal hours (exchange included) to residents whose reluctance to ask is
    /// at least `RELUCTANT`.
    pub informal_to_reluctant: HoursTotal,
    /// Weeks of unmet long-term need before applying, summed over intakes.
    pub weeks_before_intake: u64,
    /// Informal hours to residents aged 55 and over, by tie kind.
    pub informal_to_55plus: [HoursTotal; TieKind::COUNT],
    pub neighbourhoods: Vec<NeighbourhoodTally>,
}

impl WeekTally {
    pub fn new(week: i64, neighbourhoods: usize) -> WeekTally {
        WeekTally {
            week,
            neighbourhoods: vec![NeighbourhoodTally::default(); neighbourhoods],
            ..WeekTally::default()
        }
    }

    /// Records informal help given to a resident on a tie `distance_km` long.
    pub fn add_informal(
        &mut self,
        (kind, task, locality): (TieKind, Task, Locality),
        distance_km: f32,
        hours: Hours,
        neighbourhood: usize,
    ) {
        if hours.is_zero() {
            return;
        }
        let band = DistanceBand::of_km(distance_km).index();
        let flow = &mut self.flows[kind.index()][task.index()][locality.index()][band];
        flow.hours += hours;
        flow.episodes += 1;
        self.informal += hours;
        self.by_locality[locality.index()] += hours;
        let n = &mut self.neighbourhoods[neighbourhood];
        n.informal += hours;
        if locality == Locality::SameNeighbourhood {
            n.within += hours;
        }
    }

    /// Adds `part`, a tally of some of a round's answers counted apart so
    /// that pieces of answers count in parallel (`asking::apply_answers`):
    /// what [`WeekTally::add_informal`] and the counts of answers write, the
    /// hours asked, the informal flows and hours by locality, the
    /// neighbourhoods' counts and the receivers' groups. The counts are
    /// integers, so the sum is the same in any grouping.
    pub fn add_answer_counts(&mut self, part: &WeekTally) {
        self.asked += part.asked;
        let cells = |flows: &Flows| {
            flows
                .iter()
                .flatten()
                .flatten()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
        };
        for (mine, theirs) in self
            .flows
            .iter_mut()
            .flatten()
            .flatten()
            .flatten()
            .zip(cells(&part.flows))
        {
            mine.hours += theirs.hours;
            mine.episodes += theirs.episodes;
        }
        self.informal += part.informal;
        for (mine, theirs) in self.by_locality.iter_mut().zip(part.by_locality) {
            *mine += theirs;
        }
        for (mine, theirs) in self.neighbourhoods.iter_mut().zip(&part.neighbourhoods) {
            mine.add(theirs);
        }
        for (mine, theirs) in self
            .informal_to_55plus
            .iter_mut()
            .zip(part.informal_to_55plus)
        {
            *mine += theirs;
        }
        self.informal_to_reluctant += part.informal_to_reluctant;
    }

    /// Records a resident's help to a parent outside the area, who may live
    /// in a nursing home.
    pub fn add_outbound(&mut self, task: Task, distance_km: f32, hours: Hours, nursing_home: bool) {
        if hours.is_zero() {
            return;
        }
        let flow = &mut self.outbound_flows[task.index()][DistanceBand::of_km(distance_km).index()];
        flow.hours += hours;
        flow.episodes += 1;
        self.outbound += hours;
        if nursing_home {
            self.outbound_nursing_home += hours;
        }
    }

    /// Adds `part`, a tally of some of the week's care for parents outside
    /// the area counted apart so that pieces of parents book in parallel
    /// (`outbound::book_plans`): the parents in need and their need, and what
    /// [`WeekTally::add_outbound`] writes. Integer counts: the same sums in
    /// any grouping.
    pub fn add_outbound_counts(&mut self, part: &WeekTally) {
        self.outside_parents_in_need += part.outside_parents_in_need;
        self.outside_parent_need += part.outside_parent_need;
        let cells = part.outbound_flows.iter().flatten();
        for (mine, theirs) in self.outbound_flows.iter_mut().flatten().zip(cells) {
            mine.hours += theirs.hours;
            mine.episodes += theirs.episodes;
        }
        self.outbound += part.outbound;
        self.outbound_nursing_home += part.outbound_nursing_home;
    }

    /// Hours in all flow cells; equals `informal` by construction.
    pub fn flow_hours(&self) -> HoursTotal {
        self.flows
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .map(|f| f.hours)
            .sum()
    }

    /// Hours given by ties of a kind.
    pub fn hours_by_kind(&self, kind: TieKind) -> HoursTotal {
        self.flows[kind.index()]
            .iter()
            .flatten()
            .flatten()
            .map(|f| f.hours)
            .sum()
    }

    /// Outbound hours that travelled a distance in `band`.
    pub fn outbound_by_distance(&self, band: DistanceBand) -> HoursTotal {
        self.outbound_flows
            .iter()
            .map(|by_band| by_band[band.index()].hours)
            .sum()
    }

    /// need = household + informal + formal + unmet, to the hundredth of an hour,
    /// formal hours by task add up to the formal hours, and the flow tables add
    /// up to the informal and outbound hours.
    pub fn balances(&self) -> bool {
        let outbound: HoursTotal = self.outbound_flows.iter().flatten().map(|f| f.hours).sum();
        self.need == self.household + self.informal + self.formal + self.unmet
            && self.formal_by_task.iter().copied().sum::<HoursTotal>() == self.formal
            && self.respite_by_task.iter().copied().sum::<HoursTotal>() == self.respite
            && self
                .long_term_care_by_task
                .iter()
                .copied()
                .sum::<HoursTotal>()
                == self.long_term_care
            && self.flow_hours() == self.informal
            && outbound == self.outbound
    }
}

/// Per-task hours of many cases added up, in parallel: what a step delivered
/// by task (respite, the Wlz), for pricing by payer (docs/ODD.md §9.12).
pub fn sum_by_task(hours: impl ParallelIterator<Item = TaskHours>) -> PerTask<HoursTotal> {
    let add = |mut sum: PerTask<HoursTotal>, part: PerTask<HoursTotal>| {
        for (s, h) in sum.iter_mut().zip(part) {
            *s += h;
        }
        sum
    };
    hours
        .map(|by_task| by_task.map(HoursTotal::from))
        .reduce(|| [HoursTotal::default(); Task::COUNT], add)
}

/// The metrics of docs/ODD.md §1.3 over a run's reported weeks, each with its source's
/// definition (docs/ODD.md §1.3); `None` where there is nothing to share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calibration {
    /// Residents who gave informal help outside their household (SCP, broad).
    pub carers_broad_share: Option<f64>,
    /// Residents who cared for one person 13+ weeks or 8+ hours a week (CBS).
    pub carers_cbs_share: Option<f64>,
    /// Mean weekly hours of CBS carers while caring.
    pub cbs_carer_mean_hours: Option<f64>,
    /// CBS carers giving 8+ hours a week while caring.
    pub intensive_share_of_cbs_carers: Option<f64>,
    /// CBS carers at or above the burden threshold in half or more of their
    /// caring weeks.
    pub heavily_burdened_share_of_cbs_carers: Option<f64>,
    /// Share of residents of each age band who are CBS carers.
    pub cbs_carer_share_by_age: [Option<f64>; 4],
    /// Of broad carers, the share whose main receiver outside the household is
    /// a relative (the column keeps its first name).
    pub relatives_share_of_care_pairs: Option<f64>,
    /// Residents with no tie besides a partner, at the end.
    pub isolated_share: Option<f64>,
    /// Residents who volunteer (association or help exchange).
    pub volunteering_share: Option<f64>,
    /// Residents aged 25–40 with a parent in touch: the share with a parent
    /// within 5 km.
    pub kin_within_5km_share: Option<f64>,
    /// CBS carers by ten-year age band, as shares of all CBS carers.
    pub cbs_carers_by_age: [Option<f64>; crate::kinds::CarerAgeBand::COUNT],
    /// By the same bands, the share of residents of that age who are CBS
    /// carers: the rate CBS's age profile reports.
    pub cbs_carer_rate_by_age: [Option<f64>; crate::kinds::CarerAgeBand::COUNT],
    /// CBS carers by who their main receiver (most hours) is to them.
    pub cbs_carers_by_relation: [Option<f64>; crate::kinds::CareRelation::COUNT],
    /// Of those, the share whose main receiver is a parent-in-law or a
    /// child-in-law (counted above as a parent or a child).
    pub cbs_carers_of_in_law_share: Option<f64>,
    /// The mean hours a week (per caring week, as `cbs_carer_mean_hours`) of
    /// the CBS carers of each main-receiver relation.
    pub cbs_carer_mean_hours_by_relation: [Option<f64>; crate::kinds::CareRelation::COUNT],
    /// The mean hours a week (as `cbs_carer_mean_hours`) of the heavily
    /// burdened CBS carers, and of the others: CBS 2015 found 28 and 8.
    pub cbs_carer_mean_hours_heavily_burdened: Option<f64>,
    pub cbs_carer_mean_hours_not_heavily_burdened: Option<f64>,
    /// Residents with a parent aged 80+ in touch: the share who are CBS carers
    /// who cared for such a parent.
    pub children_of_80plus_caring_share: Option<f64>,
    /// Of those, the share giving that parent 8+ hours a week while caring.
    pub children_of_80plus_intensive_share: Option<f64>,
    /// Residents with a parent aged 80+ in touch: the share who are CBS carers
    /// (of anyone), CBS 2024's measure.
    pub children_of_80plus_cbs_carers_share: Option<f64>,
    /// Of those, the share who are intensive carers (8+ hours a week while
    /// caring, to anyone).
    pub children_of_80plus_cbs_intensive_share: Option<f64>,
    /// Residents aged 55+ who received care meeting the CBS definition (from one
    /// carer for 13+ weeks or 8+ hours a week).
    pub receivers_55plus_share: Option<f64>,
    /// The same for residents aged 75+.
    pub receivers_75plus_share: Option<f64>,
    /// `receivers_55plus_share` and `receivers_75plus_share` by sex, `[men,
    /// women]` (CBS 2023: 6.2% and 13.5% at 55+, 11.5% and 31.3% at 75+).
    pub receivers_55plus_share_by_sex: [Option<f64>; 2],
    pub receivers_75plus_share_by_sex: [Option<f64>; 2],
    /// The share of women among CBS carers (SCP: 58%; CBS 2022: 15.0% of
    /// women and 10.9% of men are carers).
    pub cbs_carers_women_share: Option<f64>,
    /// The share of residents who are CBS carers, by sex, `[men, women]`.
    pub carers_cbs_share_by_sex: [Option<f64>; 2],
    /// Of the receivers aged 55+, the mean hours a week of care they received
    /// from everyone (a partner's household care beyond usual help, informal
    /// help), over the weeks they received care (CBS 2020: about 18).
    pub receivers_55plus_mean_hours: Option<f64>,
    /// The same over the receivers aged 55+ who live alone, and over those who
    /// live with a partner.
    pub receivers_55plus_mean_hours_alone: Option<f64>,
    pub receivers_55plus_mean_hours_with_partner: Option<f64>,
    /// Of CBS carers whose main receiver is someone aged 55+ outside their
    /// household, the share who are that person's friend, and the share who
    /// are their neighbour (Egging, De Boer & Stevens 2011: about 9% each).
    pub friends_share_of_carers_of_55plus: Option<f64>,
    pub neighbours_share_of_carers_of_55plus: Option<f64>,
}

/// The residents at the start of a reported year and the changes at the turn
/// of the year that led to them (all zero for the first year), docs/ODD.md §7.2.1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearStart {
    /// Reported year, 1 for weeks 0–51.
    pub year: u32,
    /// Residents by age band.
    pub residents: PerAgeBand<u64>,
    /// Residents living alone, by age band.
    pub living_alone: PerAgeBand<u64>,
    pub deaths: u64,
    /// Residents who moved out of the area.
    pub departures: u64,
    /// Newcomers who moved into the area.
    pub arrivals: u64,
    /// Residents' children who turned 18 and joined the area's adults.
    pub comings_of_age: u64,
    /// Newcomers (among `arrivals`) who moved in with a resident who lived
    /// alone, as their partner.
    pub partners_moving_in: u64,
    /// Couples formed by residents who lived alone and paired up.
    pub couples_formed: u64,
    /// Couples who separated (the one who left their home among
    /// `departures` if they moved out of the area).
    pub separations: u64,
    /// Outside alters (relatives and friends elsewhere) who died.
    pub outside_deaths: u64,
}

impl YearStart {
    pub fn adults(&self) -> u64 {
        self.residents.iter().sum()
    }
}

/// The reported weeks of a run.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub weeks: Vec<WeekTally>,
    /// One entry per reported year begun (demography, docs/ODD.md §7.2.1).
    pub years: Vec<YearStart>,
    /// The docs/ODD.md §1.3 metrics, once the run is over.
    pub calibration: Option<Calibration>,
    /// In a run of several years, the same metrics of each reported year
    /// alone (yearly.csv's carer columns, docs/ODD.md §9.13), once the run is
    /// over.
    pub year_figures: Vec<Calibration>,
}

impl RunRecord {
    /// Keeps `tally` if it is a reported week (burn-in weeks are not recorded).
    pub fn add(&mut self, tally: WeekTally) {
        if tally.week >= 0 {
            self.weeks.push(tally);
        }
    }

    /// Per-neighbourhood totals over the reported weeks.
    pub fn neighbourhood_totals(&self, neighbourhoods: usize) -> Vec<NeighbourhoodTally> {
        let mut totals = vec![NeighbourhoodTally::default(); neighbourhoods];
        for week in &self.weeks {
            for (total, n) in totals.iter_mut().zip(&week.neighbourhoods) {
                total.add(n);
            }
        }
        totals
    }

    pub fn total(&self, field: impl Fn(&WeekTally) -> HoursTotal) -> HoursTotal {
        self.weeks.iter().map(field).sum()
    }

    pub fn count(&self, field: impl Fn(&WeekTally) -> u64) -> u64 {
        self.weeks.iter().map(field).sum()
    }
}

/// `part / whole`, or `None` when there is no whole to share.
pub fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strain_statistics_of_a_known_list() {
        let s = StrainStats::of((1..=10).map(|i| i as f32 / 10.0).collect(), 0.6);
        assert!((s.mean - 0.55).abs() < 1e-6);
        assert!((s.p90 - 0.9).abs() < 1e-6);
        assert_eq!(s.heavily_burdened, 5);
        assert_eq!(StrainStats::of(Vec::new(), 0.6), StrainStats::default());
    }

    #[test]
    fn informal_help_lands_in_flows_localities_and_neighbourhoods() {
        let mut t = WeekTally::new(0, 2);
        t.add_informal(
            (
                TieKind::Neighbour,
                Task::Emergency,
                Locality::SameNeighbourhood,
            ),
            0.1,
            Hours(150),
            1,
        );
        t.add_informal(
            (TieKind::Kin, Task::Household, Locality::Outside),
            30.0,
            Hours(200),
            1,
        );
        t.add_outbound(Task::PersonalCare, 60.0, Hours(300), false);
        t.add_outbound(Task::Company, 60.0, Hours(100), true);
        assert_eq!(t.informal, HoursTotal(350));
        assert_eq!(t.flow_hours(), t.informal);
        assert_eq!(t.neighbourhoods[1].within, HoursTotal(150));
        assert_eq!(t.by_locality[Locality::Outside.index()], HoursTotal(200));
        assert_eq!(t.hours_by_kind(TieKind::Kin), HoursTotal(200));
        assert_eq!(
            t.outbound,
            HoursTotal(400),
            "outbound help is its own account"
        );
        assert_eq!(t.outbound_nursing_home, HoursTotal(100), "a part of it");
        assert_eq!(
            t.outbound_by_distance(DistanceBand::From50Km),
            HoursTotal(400)
        );
        t.need = HoursTotal(400);
        t.unmet = HoursTotal(50);
        assert!(t.balances());
        t.unmet = HoursTotal(49);
        assert!(!t.balances());
    }
}
