//! The weekly engine: the rules of MODEL.md §5 in their order, week by week.
//!
//! A week runs these submodels, each in its own place:
//!
//! | step | submodel | where |
//! |---|---|---|
//! | 1 | one-time interventions of this week | `events.rs` |
//! | 2 | need: onsets and endings of episodes | [`crate::needs`], [`Engine::update_cases`] |
//! | 3 | capacity for the week | [`Carers::start_week`] |
//! | 4 | household first | `household.rs` |
//! | 5 | professional hours of served clients | `formal_step.rs` |
//! | 6 | asking and giving in rounds | `asking.rs` |
//! | 7 | the help exchange | `exchange_step.rs` |
//! | 8 | applications, intakes, waiting list | `formal_step.rs` |
//! | 9 | unmet need counted | [`Engine::count_unmet`] |
//! | 10 | return favours | `reciprocity.rs` |
//! | 11 | strain and burnout | [`Carers::end_week`] |
//! | 12 | balances fade | `reciprocity.rs` |
//! | 13 | fellow sufferers meet | `peers.rs` |
//! | 14 | new ties join the network | [`Engine::add_pending_ties`] |

mod asking;
mod calibration;
mod case;
mod events;
mod exchange_step;
mod formal_step;
mod household;
mod ledger;
mod peers;
mod reciprocity;

pub use asking::{help_reachable, locality_between, walk_entry};
pub use case::{Case, RecentHelp, WeekHours};
pub use ledger::{CareLedger, DirectionCare, Gift};

use rayon::prelude::*;

use crate::behaviour::next_strain;
use crate::exchange::Office;
use crate::formal::{Team, team_capacity};
use crate::hours::{Hours, HoursTotal};
use crate::ids::{NeighbourhoodId, PersonId};
use crate::interventions::{self, Policy};
use crate::kinds::{EpisodeKind, TieKind};
use crate::needs::{NeedModel, OnsetCalendar, demand_of, end_episodes, start_episode};
use crate::network::NewTie;
use crate::outcomes::{RunRecord, StrainStats, WeekTally};
use crate::world::World;

/// Weekly helping state of everyone (residents and outside alters), as parallel
/// arrays indexed by person.
#[derive(Debug, Clone)]
pub struct Carers {
    pub strain: Vec<f32>,
    /// Weeks of burnout left; 0 when not burnt out.
    pub burnt_out: Vec<u8>,
    /// Hours a week for helping others (association support may raise it).
    pub capacity: Vec<Hours>,
    /// Hours available this week, including extra hours for a partner in need.
    pub available: Vec<Hours>,
    /// Hours still free this week.
    pub left: Vec<Hours>,
    /// Hours given this week (household, informal and favours).
    pub given: Vec<Hours>,
}

impl Carers {
    fn new(world: &World, initial: &[Case]) -> Carers {
        let n = world.people.len();
        Carers {
            strain: initial_strain(world, initial),
            burnt_out: vec![0; n],
            capacity: world
                .people
                .capacity
                .iter()
                .map(|c| Hours::from_f64(f64::from(*c)))
                .collect(),
            available: vec![Hours::ZERO; n],
            left: vec![Hours::ZERO; n],
            given: vec![Hours::ZERO; n],
        }
    }

    /// Bytes per person of this state.
    pub const BYTES_PER_PERSON: usize = 4 + 1 + 4 * 4;

    /// Everyone starts the week with their capacity, nobody burnt out gives, and
    /// residents in need keep only a share of theirs for others.
    fn start_week(&mut self, cases: &[Case], in_need_share: f64) {
        (
            &mut self.available,
            &mut self.left,
            &mut self.given,
            &self.capacity,
            &self.burnt_out,
        )
            .into_par_iter()
            .for_each(|(available, left, given, capacity, burnt)| {
                *available = if *burnt > 0 { Hours::ZERO } else { *capacity };
                *left = *available;
                *given = Hours::ZERO;
            });
        for case in cases.iter().filter(|c| c.limits_capacity()) {
            let p = case.person.index();
            self.available[p] = self.available[p].scaled(in_need_share);
            self.left[p] = self.available[p];
        }
    }

    /// Strain and burnout after the week (rule §5.8). Returns who burnt out.
    fn end_week(&mut self, world: &World) -> Vec<PersonId> {
        let b = &world.scenario.behaviour;
        let burnout_weeks = b.burnout_weeks.min(u32::from(u8::MAX)) as u8;
        (
            &mut self.strain,
            &mut self.burnt_out,
            &self.given,
            &self.available,
        )
            .into_par_iter()
            .enumerate()
            .filter_map(|(i, (strain, burnt, given, available))| {
                if *burnt > 0 {
                    *burnt -= 1;
                    *strain = (f64::from(*strain) - b.strain_recovery).max(0.0) as f32;
                    return None;
                }
                *strain = next_strain(b, f64::from(*strain), *given, *available) as f32;
                if f64::from(*strain) >= b.burnout_threshold {
                    *burnt = burnout_weeks;
                    return Some(PersonId(i as u32));
                }
                None
            })
            .collect()
    }

    /// Strain of everyone who gave help this week or is burnt out.
    fn strain_stats(&self, burden_threshold: f64) -> StrainStats {
        let strains: Vec<f32> = (&self.strain, &self.given, &self.burnt_out)
            .into_par_iter()
            .filter(|(_, given, burnt)| !given.is_zero() || **burnt > 0)
            .map(|(s, _, _)| *s)
            .collect();
        StrainStats::of(strains, burden_threshold)
    }
}

/// Parts of the week, for timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Needs,
    OpenWeek,
    Household,
    Asking,
    FormalAndExchange,
    Strain,
    Balances,
    NewTies,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Needs,
        Phase::OpenWeek,
        Phase::Household,
        Phase::Asking,
        Phase::FormalAndExchange,
        Phase::Strain,
        Phase::Balances,
        Phase::NewTies,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Needs => "needs and onsets",
            Phase::OpenWeek => "capacity and demand",
            Phase::Household => "household and formal delivery",
            Phase::Asking => "asking and giving rounds",
            Phase::FormalAndExchange => "exchange, formal intake, unmet, favours",
            Phase::Strain => "strain and burnout",
            Phase::Balances => "balance fading",
            Phase::NewTies => "peers and new ties",
        }
    }
}

/// Seconds spent per phase. Wall-clock times are reported, never used in the model.
#[derive(Debug, Clone, Default)]
pub struct PhaseTimings(pub [f64; Phase::ALL.len()]);

struct PhaseClock(std::time::Instant);

impl PhaseClock {
    fn start() -> PhaseClock {
        PhaseClock(std::time::Instant::now())
    }

    fn lap(&mut self, timings: &mut PhaseTimings, phase: Phase) {
        let now = std::time::Instant::now();
        timings.0[phase as usize] += (now - self.0).as_secs_f64();
        self.0 = now;
    }
}

/// A tie made during the week, joining the network at its end.
#[derive(Debug, Clone, Copy)]
struct PendingTie {
    tie: NewTie,
    /// Initial balance, from the lower id's side.
    balance: f32,
}

/// The simulation: the world, its residents in need, and the organisations.
pub struct Engine {
    pub world: World,
    needs: NeedModel,
    calendar: OnsetCalendar,
    /// Residents with at least one episode, in id order.
    pub cases: Vec<Case>,
    pub carers: Carers,
    teams: Vec<Team>,
    offices: Vec<Office>,
    /// The norm without partners, who help first by the household rule.
    norm: Vec<TieKind>,
    pending: Vec<PendingTie>,
    /// Who cared for whom in the reported weeks (survey definitions).
    pub ledger: CareLedger,
    /// The pairs in `pending`, lower id first.
    pending_pairs: std::collections::HashSet<[PersonId; 2]>,
    /// Simulation week about to run (the burn-in counts).
    week: u32,
    timings: PhaseTimings,
}

impl Engine {
    /// Sets the world in motion: initial long-term needs, onset calendar, teams and
    /// exchange offices.
    pub fn new(world: World) -> Engine {
        let scenario = &world.scenario;
        let horizon = scenario.burn_in_weeks + scenario.weeks;
        let needs = NeedModel::new(&scenario.needs, scenario.seed);
        let calendar = OnsetCalendar::new(&needs, &world.people, horizon);
        let cases = initial_cases(&needs, &world);
        let teams = (0..scenario.neighbourhoods.len())
            .map(|i| {
                let residents = world
                    .people
                    .neighbourhood_members(NeighbourhoodId(i as u16))
                    .len();
                Team::new(team_capacity(
                    scenario.formal.hours_per_1000_residents,
                    residents,
                ))
            })
            .collect();
        let offices = interventions::standing_offices(scenario)
            .into_iter()
            .map(|spec| Office::open(spec, &world.people))
            .collect();
        let norm = scenario
            .behaviour
            .help_seeking_norm
            .iter()
            .copied()
            .filter(|k| *k != TieKind::Partner)
            .collect();
        Engine {
            carers: Carers::new(&world, &cases),
            needs,
            calendar,
            cases,
            teams,
            offices,
            norm,
            pending: Vec::new(),
            ledger: CareLedger::new(world.people.area_residents()),
            pending_pairs: Default::default(),
            week: 0,
            timings: PhaseTimings::default(),
            world,
        }
    }

    /// Runs the burn-in and the reported weeks; `observe` hears of each week done.
    pub fn run(&mut self, observe: &mut dyn FnMut(&WeekTally)) -> RunRecord {
        self.run_observed(&mut |_, tally| observe(tally))
    }

    /// [`Engine::run`], with the engine itself shown to `observe` after each week
    /// (to look at the network or, with [`CareLedger::keep_week_gifts`], the
    /// week's gifts). Looking changes nothing.
    pub fn run_observed(&mut self, observe: &mut dyn FnMut(&Engine, &WeekTally)) -> RunRecord {
        let total = self.world.scenario.burn_in_weeks + self.world.scenario.weeks;
        let mut record = RunRecord::default();
        while self.week < total {
            let tally = self.step();
            observe(self, &tally);
            if tally.week >= 0 {
                record.weeks.push(tally);
            }
        }
        record.calibration = Some(self.calibration());
        record
    }

    /// The reported week number of the week about to run; `None` in the burn-in.
    pub fn reported_week(&self) -> Option<u32> {
        self.week.checked_sub(self.world.scenario.burn_in_weeks)
    }

    /// Runs one week and returns what it counted.
    pub fn step(&mut self) -> WeekTally {
        let week = self.week;
        let reported = self.reported_week();
        let label = i64::from(week) - i64::from(self.world.scenario.burn_in_weeks);
        let mut tally = WeekTally::new(label, self.world.scenario.neighbourhoods.len());
        let policies = interventions::policies(&self.world.scenario, reported);
        let mut clock = PhaseClock::start();
        if let Some(r) = reported {
            self.start_events(r);
        }
        self.set_team_capacities(&policies);
        self.update_cases(week);
        clock.lap(&mut self.timings, Phase::Needs);
        self.carers.start_week(
            &self.cases,
            self.world.scenario.behaviour.capacity_in_need_share,
        );
        self.open_week(&mut tally);
        clock.lap(&mut self.timings, Phase::OpenWeek);
        self.household_first(week);
        self.deliver_formal_care();
        clock.lap(&mut self.timings, Phase::Household);
        self.ask_in_rounds(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::Asking);
        self.help_exchange(&policies, &mut tally);
        self.apply_to_formal_care(&policies, &mut tally);
        self.count_unmet(&mut tally);
        self.return_favours(&mut tally);
        clock.lap(&mut self.timings, Phase::FormalAndExchange);
        let burnt = self.carers.end_week(&self.world);
        self.count_strain(&burnt, &mut tally);
        clock.lap(&mut self.timings, Phase::Strain);
        tally.mean_abs_balance = self.fade_balances();
        clock.lap(&mut self.timings, Phase::Balances);
        tally.new_peer_ties = self.meet_peers();
        self.add_pending_ties();
        let network = &self.world.network;
        self.ledger.close_week(
            reported.is_some(),
            &self.carers.strain,
            self.world.scenario.behaviour.burden_threshold,
            |a, b| network.tie_between(a, b).map(|e| e.tie()),
        );
        clock.lap(&mut self.timings, Phase::NewTies);
        debug_assert!(tally.balances(), "hours do not balance in week {week}");
        self.week += 1;
        tally
    }

    /// Ends finished episodes, starts this week's onsets and draws the next ones.
    ///
    /// Episodes end before onsets start: an onset in the week a long-term need ends
    /// must not hide that ending, or the district team would keep its hours
    /// promised to a resident who no longer needs them.
    fn update_cases(&mut self, week: u32) {
        let ended: Vec<usize> = self
            .cases
            .par_iter_mut()
            .enumerate()
            .filter_map(|(i, case)| {
                let had_long_term = case.has_episode(EpisodeKind::LongTerm);
                end_episodes(&mut case.episodes, week);
                (had_long_term && !case.has_episode(EpisodeKind::LongTerm)).then_some(i)
            })
            .collect();
        for i in ended {
            self.long_term_ended(i);
        }
        let mut fresh: Vec<Case> = Vec::new();
        // Index of new cases by person: a linear search here was quadratic in the
        // week's onsets (minutes a week at 15 million adults).
        let mut fresh_index: std::collections::HashMap<PersonId, usize> =
            std::collections::HashMap::new();
        let people = &self.world.people;
        let onsets = self.calendar.take(week);
        let needs = &self.needs;
        // The draws are keyed by person, kind and week: made in parallel, used in
        // the calendar's order.
        let drawn: Vec<_> = onsets
            .par_iter()
            .map(|&(person, kind)| {
                let band = people.age_band[person.index()].index();
                (
                    needs.draw_episode(person, kind, band, week),
                    needs.next_onset(person, kind, band, week),
                )
            })
            .collect();
        for (&(person, kind), (episode, next)) in onsets.iter().zip(drawn) {
            if let Some(next) = next {
                self.calendar.schedule(person, kind, next);
            }
            let case = match self.cases.binary_search_by_key(&person, |c| c.person) {
                Ok(i) => &mut self.cases[i],
                Err(_) => {
                    let i = *fresh_index.entry(person).or_insert_with(|| {
                        fresh.push(Case::new(person, people.neighbourhood[person.index()]));
                        fresh.len() - 1
                    });
                    &mut fresh[i]
                }
            };
            start_episode(&mut case.episodes, episode);
        }
        self.cases.append(&mut fresh);
        self.cases.sort_by_key(|c| c.person);
        self.cases
            .retain(|c| c.episodes.iter().any(Option::is_some));
    }

    /// The district team lets go of a case whose long-term need ended.
    fn long_term_ended(&mut self, i: usize) {
        let case = &mut self.cases[i];
        let team = &mut self.teams[case.neighbourhood.index()];
        team.release(case.formal.assigned_hours());
        if matches!(case.formal, crate::formal::FormalStatus::Waiting { .. }) {
            team.withdraw(case.person);
        }
        case.formal = crate::formal::FormalStatus::None;
        case.unmet_weeks = 0;
    }

    /// Sets this week's demand of every case and counts need.
    fn open_week(&mut self, tally: &mut WeekTally) {
        let b = &self.world.scenario.behaviour;
        let window_start = self.week.saturating_sub(b.involvement_weeks);
        let usable = b.usable_tie_trust as f32;
        let network = &self.world.network;
        let needs = &self.needs;
        self.cases.par_iter_mut().for_each(|case| {
            case.demand = demand_of(needs, &case.episodes);
            case.hours = WeekHours {
                need: case.remaining_total(),
                ..WeekHours::default()
            };
            case.walk = 0;
            case.walk_done = false;
            case.forget_help_before(window_start);
            case.usable_ties = network
                .row(case.person)
                .iter()
                .filter(|e| network.ties.trust[e.tie().index()] >= usable)
                .count() as u32;
            case.isolated = case.usable_ties == 0;
        });
        let cut = weak_network_cut(&self.cases);
        for case in &mut self.cases {
            case.weak_network = case.usable_ties <= cut;
        }
        for case in &self.cases {
            let n = &mut tally.neighbourhoods[case.neighbourhood.index()];
            n.need += case.hours.need;
            n.in_need_weeks += 1;
            tally.need += case.hours.need;
            tally.residents_in_need += 1;
            if case.isolated {
                tally.isolated_in_need += 1;
                tally.isolated_need += case.hours.need;
            }
            if case.weak_network {
                tally.weak_network_need += case.hours.need;
            }
        }
    }

    fn ask_in_rounds(&mut self, policies: &[Policy], tally: &mut WeekTally) {
        for round in 0..self.world.scenario.behaviour.ask_rounds {
            let context = asking::Round {
                scenario: &self.world.scenario,
                people: &self.world.people,
                network: &self.world.network,
                strain: &self.carers.strain,
                burnt_out: &self.carers.burnt_out,
                policies,
                norm: &self.norm,
                week: self.week,
                round,
            };
            let answers = asking::ask_and_answer(&context, &mut self.cases, &self.carers.left);
            if answers.is_empty() && round > 0 {
                break;
            }
            asking::apply_answers(
                &answers,
                asking::RoundState {
                    cases: &mut self.cases,
                    capacity_left: &mut self.carers.left,
                    given: &mut self.carers.given,
                    ledger: &mut self.ledger,
                },
                &mut self.world.network,
                &self.world.people,
                &self.world.scenario,
                self.week,
                tally,
            );
        }
    }

    /// What is still open at the end of the week is unmet.
    fn count_unmet(&mut self, tally: &mut WeekTally) {
        for case in &self.cases {
            let unmet = case.remaining_total();
            let n = &mut tally.neighbourhoods[case.neighbourhood.index()];
            n.household += case.hours.household;
            n.formal += case.hours.formal;
            n.unmet += unmet;
            tally.household += case.hours.household;
            tally.formal += case.hours.formal;
            tally.unmet += unmet;
            if !unmet.is_zero() {
                n.unmet_weeks += 1;
                tally.residents_with_unmet_need += 1;
            }
            if case.isolated {
                tally.isolated_unmet += unmet;
            }
            if case.weak_network {
                tally.weak_network_unmet += unmet;
            }
        }
    }

    fn count_strain(&self, burnt: &[PersonId], tally: &mut WeekTally) {
        let people = &self.world.people;
        for person in burnt {
            tally.burnouts += 1;
            let n = people.neighbourhood[person.index()];
            if !n.is_outside() {
                tally.neighbourhoods[n.index()].burnouts += 1;
            }
        }
        tally.burnt_out = self.carers.burnt_out.par_iter().filter(|b| **b > 0).count() as u64;
        tally.strain = self
            .carers
            .strain_stats(self.world.scenario.behaviour.burden_threshold);
    }

    fn set_team_capacities(&mut self, policies: &[Policy]) {
        for (i, (team, policy)) in self.teams.iter_mut().zip(policies).enumerate() {
            let residents = self
                .world
                .people
                .neighbourhood_members(NeighbourhoodId(i as u16))
                .len();
            team.capacity = team_capacity(policy.formal_hours_per_1000, residents);
        }
    }

    /// Adds the week's new ties to the network and sets their balances.
    fn add_pending_ties(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.pending_pairs.clear();
        let ties: Vec<NewTie> = pending.iter().map(|p| p.tie).collect();
        let first = self.world.network.add_ties(&ties);
        for (offset, p) in pending.iter().enumerate() {
            self.world.network.ties.balance[first.index() + offset] = p.balance;
        }
    }

    /// Queues a tie between two persons not yet tied (nor queued); returns whether
    /// it was queued.
    fn queue_tie(&mut self, tie: NewTie, balance: f32) -> bool {
        let [a, b] = tie.ends;
        let pair = if a < b { [a, b] } else { [b, a] };
        if a == b
            || self.pending_pairs.contains(&pair)
            || self.world.network.tie_between(a, b).is_some()
        {
            return false;
        }
        self.pending_pairs.insert(pair);
        self.pending.push(PendingTie { tie, balance });
        true
    }

    /// Total hours still open over all cases (for tests and checks).
    pub fn open_hours(&self) -> HoursTotal {
        let mut total = HoursTotal::default();
        for case in &self.cases {
            total += case.remaining_total();
        }
        total
    }

    /// Seconds spent in each phase of the week so far (for performance work).
    pub fn timings(&self) -> &PhaseTimings {
        &self.timings
    }

    /// The current simulation week (burn-in included).
    pub fn week(&self) -> u32 {
        self.week
    }

    /// The district teams, one per neighbourhood (for tests and checks).
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }
}

/// Strain at the start. Partners of residents already in long-term need have
/// been caring for a while: their strain is drawn uniformly below the burnout
/// threshold, so that they do not all burn out in the same week (a start at zero
/// for everyone makes burnouts come in waves that a burn-in does not break).
fn initial_strain(world: &World, initial: &[Case]) -> Vec<f32> {
    let mut strain = vec![0.0f32; world.people.len()];
    let threshold = world.scenario.behaviour.burnout_threshold;
    for case in initial {
        if let Some(partner) = world.people.partner(case.person) {
            let mut rng = crate::rng::stream(
                world.scenario.seed,
                crate::rng::Stream::InitialStrain,
                u64::from(partner.0),
                0,
            );
            strain[partner.index()] = (threshold * rand::RngExt::random::<f64>(&mut rng)) as f32;
        }
    }
    strain
}

/// The number of usable ties at the 20th percentile (nearest rank) of this
/// week's residents in need: at or below it, a network counts as small or weak.
fn weak_network_cut(cases: &[Case]) -> u32 {
    let mut counts: Vec<u32> = cases.iter().map(|c| c.usable_ties).collect();
    if counts.is_empty() {
        return 0;
    }
    let rank = (counts.len() / 5).min(counts.len() - 1);
    *counts.select_nth_unstable(rank).1
}

/// Long-term needs already running at the start.
fn initial_cases(needs: &NeedModel, world: &World) -> Vec<Case> {
    let people = &world.people;
    (0..people.area_residents() as u32)
        .into_par_iter()
        .filter_map(|i| {
            let person = PersonId(i);
            let band = people.age_band[person.index()].index();
            needs.initial_episode(person, band).map(|episode| {
                let mut case = Case::new(person, people.neighbourhood[person.index()]);
                start_episode(&mut case.episodes, episode);
                case
            })
        })
        .collect()
}

/// Runs a whole scenario from its world.
pub fn simulate(world: World, observe: &mut dyn FnMut(&WeekTally)) -> (RunRecord, Engine) {
    let mut engine = Engine::new(world);
    let record = engine.run(observe);
    (record, engine)
}
