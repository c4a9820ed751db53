//! The weekly engine: it only schedules. Each week runs the submodels of
//! [`crate::model`] in the order of docs/ODD.md §3.2; each step gets the
//! read-only [`Week`] and, by name, only the state it may change.
//!
//! | step | submodel | function |
//! |---|---|---|
//! | 0 | at the start of each reported year after the first, with `demography.enabled`: separations, deaths, moves, ageing, singles pairing up, comings of age, newcomers; onsets drawn afresh | [`demography::turn_of_year`] |
//! | 1 | one-time interventions of this week; the teams' hours under this week's policies | [`events::start_events`], [`formal::step::set_team_capacities`] |
//! | 2 | need: endings (a served client's ended need frees the team's hours) and onsets of episodes | [`needs::step::end_episodes_of`], [`formal::step::long_term_ended`], [`needs::step::start_onsets`] |
//! | 3 | capacity for the week; demand opens, need counted | [`Carers::start_week`], [`needs::step::open_week`] |
//! | 4 | respite for burdened partners where on, then household first | [`respite::relieve_partners`], [`household::household_first`] |
//! | 4a | care for parents outside the area | [`outbound::care_for_parents`] |
//! | 5 | professional hours of served clients | [`formal::step::deliver`] |
//! | 6 | main carers of long-term needs give, then asking and giving in rounds | [`main_carer::main_carers_give`], [`asking::ask_in_rounds`] |
//! | 6a | friends and neighbours look in on long-term needs | [`small_help::friends_and_neighbours_look_in`] |
//! | 6b | long-term care at home (Wlz) for needs of care around the clock, with short stays in a partner's burnout | [`long_term_care::care_at_home`] |
//! | 7 | the help exchange | [`exchange::step::help_exchange`] |
//! | 8 | applications, intakes, waiting list | [`formal::step::apply`] |
//! | 9 | unmet need counted | [`needs::step::count_unmet`] |
//! | 10 | return favours | [`reciprocity::return_favours`] |
//! | 11 | strain and burnout | [`Carers::end_week`] |
//! | 12 | balances fade | [`reciprocity::fade_balances`] |
//! | 13 | fellow sufferers meet | [`peers::meet_peers`] |
//! | 14 | new ties join the network | [`NewTies::join`] |
//! | 15 | the care ledger closes the week: who cared for whom (and the year's ledger in a run of several years) | [`CareLedger::close_week`] |

mod calibration;
#[cfg(test)]
mod tests;

pub use crate::model::case::{Case, RecentHelp, WeekHours};
pub use crate::model::ledger::{CareLedger, DirectionCare, Gift};
pub use crate::model::strain::Carers;
pub use calibration::CarerStatus;

use crate::associations::Associations;
use crate::hours::HoursTotal;
use crate::model::demography;
use crate::model::exchange::{self, Office};
use crate::model::formal::{self, Team};
use crate::model::interventions::{self, events};
use crate::model::needs::{self, NeedModel, OnsetCalendar};
use crate::model::outbound::{self, OutsideParents};
use crate::model::peers::{self, NewTies};
use crate::model::{
    Week, asking, household, long_term_care, main_carer, reciprocity, respite, small_help,
};
use crate::network::Network;
use crate::tally::{Calibration, RunRecord, WeekTally, YearStart};
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
    rules: Rules,
    live: Live,
    /// Simulation week about to run (the burn-in counts).
    week: u32,
    /// Each reported year begun: its residents and the turn that led to them.
    years: Vec<YearStart>,
    /// The carer figures of each reported year ended, in a run of several
    /// years (docs/ODD.md §9.13).
    year_figures: Vec<Calibration>,
    /// The homes the last turn of the year gave new residents, in id order
    /// (empty before the first turn): who watches the run from outside
    /// follows persons, not homes, by them.
    newcomer_homes: Vec<crate::ids::PersonId>,
    timings: PhaseTimings,
}

/// What the run fixes at its start and the steps only read.
struct Rules {
    needs: NeedModel,
    /// The tasks by the norm they are asked along, without partners, who help
    /// first by the household rule.
    groups: Vec<asking::NormGroup>,
}

/// What the weekly steps change besides the network.
struct Live {
    calendar: OnsetCalendar,
    /// Residents with at least one episode, in id order.
    cases: Vec<Case>,
    /// Residents' parents outside the area, with their needs.
    outside_parents: OutsideParents,
    carers: Carers,
    teams: Vec<Team>,
    offices: Vec<Office>,
    /// Ties made this week, joining the network at its end.
    new_ties: NewTies,
    /// Who cared for whom in the reported weeks (survey definitions).
    ledger: CareLedger,
    /// In a run of several years, a ledger of the year so far alone, for the
    /// carer figures of each year in yearly.csv (docs/ODD.md §9.13): CBS's
    /// definitions ask about a year, not a run of many.
    year_ledger: Option<CareLedger>,
}

/// What a phase of the week reads: the week's [`Week`], the associations, the
/// run's fixed rules and the reported week (`None` in the burn-in).
struct Context<'a> {
    week: Week<'a>,
    associations: &'a Associations,
    rules: &'a Rules,
    reported: Option<u32>,
}

/// A phase of the week: reads the context, changes the network, the live state
/// and the week's tally.
type PhaseStep = fn(&Context, &mut Network, &mut Live, &mut WeekTally);

/// The week's schedule (docs/ODD.md §3.2, the table at the top of this file):
/// each phase timed as one.
const SCHEDULE: [(Phase, PhaseStep); Phase::ALL.len()] = [
    (Phase::Needs, needs_and_onsets),
    (Phase::OpenWeek, open_week),
    (Phase::Household, household_and_formal_delivery),
    (Phase::Outbound, care_for_parents),
    (Phase::Asking, ask_in_rounds),
    (Phase::FormalAndExchange, exchange_formal_unmet_and_favours),
    (Phase::Strain, strain_and_burnout),
    (Phase::Balances, fade_balances),
    (Phase::NewTies, end_week),
];

impl Engine {
    /// Sets the world in motion: initial long-term needs, onset calendar, teams and
    /// exchange offices.
    pub fn new(world: World) -> Engine {
        let scenario = &world.scenario;
        let horizon = scenario.burn_in_weeks + scenario.weeks;
        let needs = NeedModel::new(
            &scenario.needs,
            &scenario.population.mortality,
            scenario.seed,
        );
        let calendar = OnsetCalendar::new(&needs, &world.people, horizon);
        let cases = needs::step::initial_cases(&needs, &world.people);
        let outside_parents = if scenario.outbound.enabled {
            OutsideParents::find(scenario, &needs, &world.people, &world.network, horizon)
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
        let groups = scenario.behaviour.asking.norm_groups();
        let mut carers = Carers::new(&world.people, initial_strain(&world, &cases));
        outside_parents.no_hours_in_nursing_homes(&mut carers);
        let live = Live {
            carers,
            calendar,
            cases,
            outside_parents,
            teams,
            offices,
            new_ties: NewTies::default(),
            ledger: CareLedger::new(world.people.area_residents()),
            year_ledger: crate::output::is_multi_year(world.scenario.weeks as usize)
                .then(|| CareLedger::new(world.people.area_residents())),
        };
        Engine {
            rules: Rules { needs, groups },
            live,
            week: 0,
            years: Vec::new(),
            year_figures: Vec::new(),
            newcomer_homes: Vec::new(),
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

    /// The year's carer figures from the year's ledger, before the turn of the
    /// year; the next year's ledger starts empty.
    fn close_year_figures(&mut self) {
        if let Some(ledger) = self.live.year_ledger.take() {
            self.year_figures.push(self.calibration_with(&ledger));
            self.live.year_ledger = Some(CareLedger::new(ledger.care_weeks.len()));
        }
    }

    /// The homes whose residents died or moved out at the last turn of the
    /// year and that new residents took, in id order; empty before the first
    /// turn (docs/ODD.md §7.2.1).
    pub fn newcomer_homes(&self) -> &[crate::ids::PersonId] {
        &self.newcomer_homes
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
        record.year_figures = self.year_figures();
        record
    }

    /// The carer figures of each reported year begun, in a run of several
    /// years (yearly.csv's, docs/ODD.md §9.13): those of the years ended, and
    /// of the year now running as far as it went (whole when it has just
    /// ended, as the page asks at the end of each year).
    pub fn year_figures(&self) -> Vec<Calibration> {
        let mut figures = self.year_figures.clone();
        if let Some(ledger) = &self.live.year_ledger {
            figures.push(self.calibration_with(ledger));
        }
        figures
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
        let world = &mut self.world;
        let context = Context {
            week: Week::new(&world.scenario, &world.people, self.week, &policies),
            associations: &world.associations,
            rules: &self.rules,
            reported,
        };
        let mut clock = PhaseClock::start();
        for (phase, run) in SCHEDULE {
            run(&context, &mut world.network, &mut self.live, &mut tally);
            clock.lap(&mut self.timings, phase);
        }
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
        if year > 1 {
            self.close_year_figures();
        }
        let scenario = &self.world.scenario;
        if year == 1 || !scenario.demography.enabled {
            self.years.push(YearStart {
                year,
                ..demography::first_year(&self.world.people)
            });
            return;
        }
        let live = &mut self.live;
        let state = demography::DemographyState {
            people: &mut self.world.people,
            network: &mut self.world.network,
            cases: &mut live.cases,
            teams: &mut live.teams,
            carers: &mut live.carers,
            ledger: &mut live.ledger,
            offices: &mut live.offices,
        };
        let turn = demography::turn_of_year(scenario, year, state);
        let people = &self.world.people;
        self.world
            .associations
            .draw_for_newcomers(scenario, people, &turn.vacated, year);
        let needs = &self.rules.needs;
        let when = (year, self.week);
        demography::newcomers_needs(
            scenario,
            needs,
            when,
            people,
            &turn.vacated,
            &mut live.cases,
        );
        self.years.push(turn.start);
        self.newcomer_homes = turn.vacated;
        let residents: Vec<_> = (0..people.area_residents() as u32)
            .map(crate::ids::PersonId)
            .collect();
        live.calendar.restart(needs, people, self.week, &residents);
        if scenario.outbound.enabled {
            live.outside_parents.after_year(
                scenario,
                needs,
                people,
                &self.world.network,
                self.week,
            );
            live.outside_parents
                .no_hours_in_nursing_homes(&mut live.carers);
        }
    }

    /// Total hours still open over all cases (for tests and checks).
    pub fn open_hours(&self) -> HoursTotal {
        let mut total = HoursTotal::default();
        for case in &self.live.cases {
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
        &self.live.cases
    }

    /// Residents' parents outside the area and their needs.
    pub fn outside_parents(&self) -> &OutsideParents {
        &self.live.outside_parents
    }

    /// Everyone's hours, strain and burnout this week.
    pub fn carers(&self) -> &Carers {
        &self.live.carers
    }

    /// Who cared for whom so far.
    pub fn ledger(&self) -> &CareLedger {
        &self.live.ledger
    }

    /// Keep each week's gifts for [`CareLedger::last_week_gifts`] (for watchers
    /// such as the teaching page); changes no result.
    pub fn keep_week_gifts(&mut self) {
        self.live.ledger.keep_week_gifts();
    }

    /// The district teams, one per neighbourhood (for tests and checks).
    pub fn teams(&self) -> &[Team] {
        &self.live.teams
    }

    /// The world back, when the run is over (for writing its network).
    pub fn into_world(self) -> World {
        self.world
    }
}

/// Interventions starting this week, the teams' capacities, then episodes end
/// (the district team lets go of ended long-term needs) and this week's onsets
/// start.
fn needs_and_onsets(c: &Context, network: &mut Network, live: &mut Live, _: &mut WeekTally) {
    let week = &c.week;
    if let Some(reported) = c.reported {
        let state = events::EventState {
            network,
            carers: &mut live.carers,
            offices: &mut live.offices,
            new_ties: &mut live.new_ties,
        };
        events::start_events(week, c.associations, reported, state);
    }
    formal::step::set_team_capacities(&mut live.teams, week.people, week.policies);
    for i in needs::step::end_episodes_of(&mut live.cases, week.week) {
        formal::step::long_term_ended(&mut live.cases[i], &mut live.teams);
    }
    let calendar = &mut live.calendar;
    needs::step::start_onsets(
        &c.rules.needs,
        calendar,
        week.people,
        &mut live.cases,
        week.week,
    );
}

/// Capacity for the week, then each case's demand.
fn open_week(c: &Context, network: &mut Network, live: &mut Live, tally: &mut WeekTally) {
    live.carers
        .start_week(&live.cases, &c.week.scenario.behaviour.strain);
    // Each case counts its usable ties from a bit per tie (session 25); the
    // bits are set once, then kept by every write of trust.
    let usable = c.week.scenario.behaviour.measures.usable_tie_trust as f32;
    network.ties.keep_usable_at(usable);
    needs::step::open_week(&c.week, &c.rules.needs, network, &mut live.cases, tally);
}

fn household_and_formal_delivery(
    c: &Context,
    network: &mut Network,
    live: &mut Live,
    tally: &mut WeekTally,
) {
    respite::relieve_partners(&c.week, &live.carers, &mut live.cases, tally);
    let state = household::HouseholdState {
        cases: &mut live.cases,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
    };
    household::household_first(&c.week, network, state, tally);
    formal::step::deliver(&mut live.cases);
}

fn care_for_parents(c: &Context, network: &mut Network, live: &mut Live, tally: &mut WeekTally) {
    let state = outbound::OutboundState {
        parents: &mut live.outside_parents,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
        network,
    };
    outbound::care_for_parents(&c.week, &c.rules.needs, state, tally);
}

/// Main carers give, asking and giving in rounds, friends' and neighbours'
/// look-ins, then the Wlz's care at home gives what they all leave.
fn ask_in_rounds(c: &Context, network: &mut Network, live: &mut Live, tally: &mut WeekTally) {
    let state = main_carer::MainCarerState {
        cases: &mut live.cases,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
        network,
    };
    main_carer::main_carers_give(&c.week, state, tally);
    let state = asking::RoundState {
        cases: &mut live.cases,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
    };
    asking::ask_in_rounds(&c.week, &c.rules.groups, network, state, tally);
    let state = small_help::SmallHelpState {
        cases: &mut live.cases,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
        network,
    };
    small_help::friends_and_neighbours_look_in(&c.week, state, tally);
    long_term_care::care_at_home(&c.week, &live.carers, &mut live.cases, tally);
}

/// The help exchange, applications to formal care, unmet need, favours.
fn exchange_formal_unmet_and_favours(
    c: &Context,
    network: &mut Network,
    live: &mut Live,
    tally: &mut WeekTally,
) {
    let week = &c.week;
    let state = exchange::step::ExchangeState {
        offices: &mut live.offices,
        cases: &mut live.cases,
        carers: &mut live.carers,
        ledger: &mut live.ledger,
        new_ties: &mut live.new_ties,
    };
    exchange::step::help_exchange(week, network, state, tally);
    let state = formal::step::FormalState {
        cases: &mut live.cases,
        teams: &mut live.teams,
    };
    formal::step::apply(week, network, &live.carers, state, tally);
    needs::step::count_unmet(&live.cases, tally);
    let balances = network.ties.balances_mut();
    reciprocity::return_favours(week, &live.cases, &mut live.carers, balances, tally);
}

fn strain_and_burnout(c: &Context, _: &mut Network, live: &mut Live, tally: &mut WeekTally) {
    let b = &c.week.scenario.behaviour;
    let burnt = live.carers.end_week(&b.strain);
    let burden = b.measures.burden_threshold;
    live.carers.count(&burnt, c.week.people, burden, tally);
}

fn fade_balances(c: &Context, network: &mut Network, _: &mut Live, tally: &mut WeekTally) {
    let p = &c.week.scenario.behaviour.reciprocity;
    // The mean is over the ties still in the network: an ended tie's balance
    // is 0 and would dilute it year by year.
    let live_ties = network.live_ties();
    tally.mean_abs_balance = reciprocity::fade_balances(p, network.ties.balances_mut(), live_ties);
}

/// Peers meet, the week's new ties join the network, and the ledger closes
/// the week.
fn end_week(c: &Context, network: &mut Network, live: &mut Live, tally: &mut WeekTally) {
    let week = &c.week;
    tally.new_peer_ties = peers::meet_peers(week, &live.cases, network, &mut live.new_ties);
    live.new_ties.join(network);
    let network = &*network;
    let burden = week.scenario.behaviour.measures.burden_threshold;
    if let Some(year) = &mut live.year_ledger {
        year.week.clone_from(&live.ledger.week);
        year.close_week(c.reported.is_some(), &live.carers.strain, burden, |a, b| {
            network.tie_between(a, b).map(|e| e.tie())
        });
    }
    live.ledger
        .close_week(c.reported.is_some(), &live.carers.strain, burden, |a, b| {
            network.tie_between(a, b).map(|e| e.tie())
        });
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
