//! The weekly engine: it only schedules. Each week runs the submodels of
//! [`crate::model`] in the order of docs/ODD.md §3.2; each step gets the
//! read-only [`Week`] and, by name, only the state it may change.
//!
//! | step | submodel | function |
//! |---|---|---|
//! | 0 | at the start of each reported year after the first: deaths, moves, comings of age, newcomers | [`demography::turn_of_year`] |
//! | 1 | one-time interventions of this week | [`events::start_events`] |
//! | 2 | need: endings and onsets of episodes | [`needs::step::end_episodes_of`], [`needs::step::start_onsets`] |
//! | 3 | capacity for the week; demand opens, need counted | [`Carers::start_week`], [`needs::step::open_week`] |
//! | 4 | household first | [`household::household_first`] |
//! | 4a | care for parents outside the area | [`outbound::care_for_parents`] |
//! | 5 | professional hours of served clients | [`formal::step::deliver`] |
//! | 6 | asking and giving in rounds | [`asking::ask_in_rounds`] |
//! | 6a | neighbours look in on long-term needs | [`small_help::neighbours_look_in`] |
//! | 7 | the help exchange | [`exchange::step::help_exchange`] |
//! | 8 | applications, intakes, waiting list | [`formal::step::apply`] |
//! | 9 | unmet need counted | [`needs::step::count_unmet`] |
//! | 10 | return favours | [`reciprocity::return_favours`] |
//! | 11 | strain and burnout | [`Carers::end_week`] |
//! | 12 | balances fade | [`reciprocity::fade_balances`] |
//! | 13 | fellow sufferers meet | [`peers::meet_peers`] |
//! | 14 | new ties join the network | [`NewTies::join`] |

mod calibration;

pub use crate::model::case::{Case, RecentHelp, WeekHours};
pub use crate::model::ledger::{CareLedger, DirectionCare, Gift};
pub use crate::model::strain::Carers;

use crate::hours::HoursTotal;
use crate::kinds::TieKind;
use crate::model::demography;
use crate::model::exchange::{self, Office};
use crate::model::formal::{self, Team};
use crate::model::interventions::{self, events};
use crate::model::needs::{self, NeedModel, OnsetCalendar};
use crate::model::outbound::{self, OutsideParents};
use crate::model::peers::{self, NewTies};
use crate::model::{Week, asking, household, reciprocity, small_help};
use crate::tally::{RunRecord, WeekTally, YearStart};
use crate::world::World;

/// Parts of the week, for timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Needs,
    OpenWeek,
    Household,
    Outbound,
    Asking,
    FormalAndExchange,
    Strain,
    Balances,
    NewTies,
}

impl Phase {
    pub const ALL: [Phase; 9] = [
        Phase::Needs,
        Phase::OpenWeek,
        Phase::Household,
        Phase::Outbound,
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
            Phase::Outbound => "care for parents outside the area",
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

struct PhaseClock(crate::clock::Stopwatch);

impl PhaseClock {
    fn start() -> PhaseClock {
        PhaseClock(crate::clock::Stopwatch::start())
    }

    fn lap(&mut self, timings: &mut PhaseTimings, phase: Phase) {
        timings.0[phase as usize] += self.0.lap();
    }
}

/// The simulation: the world, its residents in need, and the organisations.
pub struct Engine {
    world: World,
    needs: NeedModel,
    calendar: OnsetCalendar,
    /// Residents with at least one episode, in id order.
    cases: Vec<Case>,
    /// Residents' parents outside the area, with their needs.
    outside_parents: OutsideParents,
    carers: Carers,
    teams: Vec<Team>,
    offices: Vec<Office>,
    /// The norm without partners, who help first by the household rule.
    norm: Vec<TieKind>,
    /// Ties made this week, joining the network at its end.
    new_ties: NewTies,
    /// Who cared for whom in the reported weeks (survey definitions).
    ledger: CareLedger,
    /// Simulation week about to run (the burn-in counts).
    week: u32,
    /// Each reported year begun: its residents and the turn that led to them.
    years: Vec<YearStart>,
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
        let cases = needs::step::initial_cases(&needs, &world.people);
        let outside_parents = if scenario.outbound.enabled {
            OutsideParents::find(&needs, &world.people, &world.network, horizon)
        } else {
            OutsideParents::none()
        };
        let teams = formal::step::teams_for(
            &scenario.formal,
            &world.people,
            scenario.neighbourhoods.len(),
        );
        let offices = interventions::standing_offices(scenario)
            .into_iter()
            .map(|spec| Office::open(spec, &world.people))
            .collect();
        let norm = scenario
            .behaviour
            .asking
            .help_seeking_norm
            .iter()
            .copied()
            .filter(|k| *k != TieKind::Partner)
            .collect();
        Engine {
            carers: Carers::new(&world.people, initial_strain(&world, &cases)),
            needs,
            calendar,
            cases,
            outside_parents,
            teams,
            offices,
            norm,
            new_ties: NewTies::default(),
            ledger: CareLedger::new(world.people.area_residents()),
            week: 0,
            years: Vec::new(),
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
        let mut record = RunRecord::default();
        while !self.is_finished() {
            let tally = self.step();
            observe(self, &tally);
            record.add(tally);
        }
        self.finish_record(record)
    }

    /// Each reported year begun so far: its residents and the turn that led to
    /// them (for a page that shows a run's years as they come).
    pub fn years(&self) -> &[YearStart] {
        &self.years
    }

    /// True once every week, burn-in and reported, has run.
    pub fn is_finished(&self) -> bool {
        self.week >= self.world.scenario.burn_in_weeks + self.world.scenario.weeks
    }

    /// `record` (the reported weeks, see [`RunRecord::add`]) completed with the
    /// calibration metrics of the run so far; call once the engine is finished.
    pub fn finish_record(&self, mut record: RunRecord) -> RunRecord {
        record.calibration = Some(self.calibration());
        record.years = self.years.clone();
        record
    }

    /// The reported week number of the week about to run; `None` in the burn-in.
    pub fn reported_week(&self) -> Option<u32> {
        self.week.checked_sub(self.world.scenario.burn_in_weeks)
    }

    /// Runs one week and returns what it counted.
    pub fn step(&mut self) -> WeekTally {
        let reported = self.reported_week();
        let label = i64::from(self.week) - i64::from(self.world.scenario.burn_in_weeks);
        let mut tally = WeekTally::new(label, self.world.scenario.neighbourhoods.len());
        let policies = interventions::policies(&self.world.scenario, reported);
        if let Some(year) = reported.and_then(demography::year_starting) {
            self.start_year(year);
        }
        let mut clock = PhaseClock::start();
        if let Some(r) = reported {
            self.start_events(&policies, r);
        }
        formal::step::set_team_capacities(&mut self.teams, &self.world.people, &policies);
        self.update_cases();
        clock.lap(&mut self.timings, Phase::Needs);
        self.open_week(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::OpenWeek);
        self.household_and_formal_delivery(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::Household);
        self.care_for_parents(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::Outbound);
        self.ask_in_rounds(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::Asking);
        self.exchange_formal_unmet_and_favours(&policies, &mut tally);
        clock.lap(&mut self.timings, Phase::FormalAndExchange);
        let b = &self.world.scenario.behaviour;
        let burnt = self.carers.end_week(&b.strain);
        let burden = b.measures.burden_threshold;
        self.carers
            .count(&burnt, &self.world.people, burden, &mut tally);
        clock.lap(&mut self.timings, Phase::Strain);
        tally.mean_abs_balance =
            reciprocity::fade_balances(&b.reciprocity, &mut self.world.network.ties.balance);
        clock.lap(&mut self.timings, Phase::Balances);
        self.end_week(&policies, reported.is_some(), &mut tally);
        clock.lap(&mut self.timings, Phase::NewTies);
        debug_assert!(
            tally.balances(),
            "hours do not balance in week {}",
            self.week
        );
        self.week += 1;
        tally
    }

    /// The start of a reported year: after the first, the turn of the year
    /// (when the scenario's demography is on), then the onsets drawn afresh at
    /// the new ages.
    fn start_year(&mut self, year: u32) {
        let scenario = &self.world.scenario;
        if year == 1 || !scenario.demography.enabled {
            self.years.push(YearStart {
                year,
                ..demography::first_year(&self.world.people)
            });
            return;
        }
        let state = demography::DemographyState {
            people: &mut self.world.people,
            network: &mut self.world.network,
            cases: &mut self.cases,
            teams: &mut self.teams,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            offices: &mut self.offices,
        };
        let turn = demography::turn_of_year(scenario, year, state);
        let people = &self.world.people;
        let when = (year, self.week);
        demography::newcomers_needs(
            scenario,
            &self.needs,
            when,
            people,
            &turn.vacated,
            &mut self.cases,
        );
        self.years.push(turn.start);
        let residents: Vec<_> = (0..people.area_residents() as u32)
            .map(crate::ids::PersonId)
            .collect();
        self.calendar
            .restart(&self.needs, people, self.week, &residents);
        if scenario.outbound.enabled {
            self.outside_parents
                .after_year(&self.needs, people, &self.world.network, self.week);
        }
    }

    fn start_events(&mut self, policies: &[interventions::Policy], reported_week: u32) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        let state = events::EventState {
            network: &mut self.world.network,
            carers: &mut self.carers,
            offices: &mut self.offices,
            new_ties: &mut self.new_ties,
        };
        events::start_events(&week, &self.world.associations, reported_week, state);
    }

    /// Episodes end (the district team lets go of ended long-term needs), then
    /// this week's onsets start.
    fn update_cases(&mut self) {
        for i in needs::step::end_episodes_of(&mut self.cases, self.week) {
            formal::step::long_term_ended(&mut self.cases[i], &mut self.teams);
        }
        let people = &self.world.people;
        needs::step::start_onsets(
            &self.needs,
            &mut self.calendar,
            people,
            &mut self.cases,
            self.week,
        );
    }

    /// Capacity for the week, then each case's demand.
    fn open_week(&mut self, policies: &[interventions::Policy], tally: &mut WeekTally) {
        let in_need_share = self.world.scenario.behaviour.strain.capacity_in_need_share;
        self.carers.start_week(&self.cases, in_need_share);
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        needs::step::open_week(
            &week,
            &self.needs,
            &self.world.network,
            &mut self.cases,
            tally,
        );
    }

    fn household_and_formal_delivery(
        &mut self,
        policies: &[interventions::Policy],
        tally: &mut WeekTally,
    ) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        let state = household::HouseholdState {
            cases: &mut self.cases,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
        };
        household::household_first(&week, &self.world.network, state, tally);
        formal::step::deliver(&mut self.cases);
    }

    fn care_for_parents(&mut self, policies: &[interventions::Policy], tally: &mut WeekTally) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        let state = outbound::OutboundState {
            parents: &mut self.outside_parents,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            network: &mut self.world.network,
        };
        outbound::care_for_parents(&week, &self.needs, state, tally);
    }

    fn ask_in_rounds(&mut self, policies: &[interventions::Policy], tally: &mut WeekTally) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        let state = asking::RoundState {
            cases: &mut self.cases,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
        };
        asking::ask_in_rounds(&week, &self.norm, &mut self.world.network, state, tally);
        let state = small_help::SmallHelpState {
            cases: &mut self.cases,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            network: &mut self.world.network,
        };
        small_help::neighbours_look_in(&week, state, tally);
    }

    /// The help exchange, applications to formal care, unmet need, favours.
    fn exchange_formal_unmet_and_favours(
        &mut self,
        policies: &[interventions::Policy],
        tally: &mut WeekTally,
    ) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        let state = exchange::step::ExchangeState {
            offices: &mut self.offices,
            cases: &mut self.cases,
            carers: &mut self.carers,
            ledger: &mut self.ledger,
            new_ties: &mut self.new_ties,
        };
        exchange::step::help_exchange(&week, &self.world.network, state, tally);
        let state = formal::step::FormalState {
            cases: &mut self.cases,
            teams: &mut self.teams,
        };
        formal::step::apply(&week, &self.world.network, &self.carers, state, tally);
        needs::step::count_unmet(&self.cases, tally);
        let balances = &mut self.world.network.ties.balance;
        reciprocity::return_favours(&week, &self.cases, &mut self.carers, balances, tally);
    }

    /// Peers meet, the week's new ties join the network, and the ledger closes
    /// the week.
    fn end_week(
        &mut self,
        policies: &[interventions::Policy],
        reported: bool,
        tally: &mut WeekTally,
    ) {
        let week = Week::new(
            &self.world.scenario,
            &self.world.people,
            self.week,
            policies,
        );
        tally.new_peer_ties =
            peers::meet_peers(&week, &self.cases, &self.world.network, &mut self.new_ties);
        self.new_ties.join(&mut self.world.network);
        let network = &self.world.network;
        self.ledger.close_week(
            reported,
            &self.carers.strain,
            self.world.scenario.behaviour.measures.burden_threshold,
            |a, b| network.tie_between(a, b).map(|e| e.tie()),
        );
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

    /// The world as it stands: its network changes during the run.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The residents in need this week, in id order.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// Residents' parents outside the area and their needs.
    pub fn outside_parents(&self) -> &OutsideParents {
        &self.outside_parents
    }

    /// Everyone's hours, strain and burnout this week.
    pub fn carers(&self) -> &Carers {
        &self.carers
    }

    /// Who cared for whom so far.
    pub fn ledger(&self) -> &CareLedger {
        &self.ledger
    }

    /// Keep each week's gifts for [`CareLedger::last_week_gifts`] (for watchers
    /// such as the teaching page); changes no result.
    pub fn keep_week_gifts(&mut self) {
        self.ledger.keep_week_gifts();
    }

    /// The district teams, one per neighbourhood (for tests and checks).
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// The world back, when the run is over (for writing its network).
    pub fn into_world(self) -> World {
        self.world
    }
}

/// Strain at the start. Partners of residents already in long-term need have
/// been caring for a while: their strain is drawn uniformly below the burnout
/// threshold, so that they do not all burn out in the same week (a start at zero
/// for everyone makes burnouts come in waves that a burn-in does not break).
fn initial_strain(world: &World, initial: &[Case]) -> Vec<f32> {
    let mut strain = vec![0.0f32; world.people.len()];
    let threshold = world.scenario.behaviour.strain.burnout_threshold;
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

/// Runs a whole scenario from its world.
pub fn simulate(world: World, observe: &mut dyn FnMut(&WeekTally)) -> (RunRecord, Engine) {
    let mut engine = Engine::new(world);
    let record = engine.run(observe);
    (record, engine)
}
