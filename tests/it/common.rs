//! Shared test helpers: running the binary and reading what it wrote (its
//! output, a small scenario file, CSV and JSON files), scenario builders, and
//! the bookkeeping checks every engine test runs after every week.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use carenet::World;
use carenet::engine::{Case, Engine};
use carenet::hours::{Hours, HoursTotal};
use carenet::ids::PersonId;
use carenet::kinds::{EpisodeKind, Locality};
use carenet::model::formal::FormalStatus;
use carenet::scenario::{self, Scenario};
use carenet::tally::WeekTally;

/// Runs the `carenet` binary in `dir` as a user would (no progress bar: `CI` set).
pub fn carenet(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_carenet"))
        .args(args)
        .current_dir(dir)
        .env("CI", "1")
        .output()
        .expect("carenet runs")
}

/// What the binary wrote to standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What the binary wrote to standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Panics with both streams unless the command succeeded.
pub fn assert_ok(out: &Output) {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
}

/// A two-neighbourhood area of 500 adults with a short run (4 weeks after 2 of
/// burn-in), written to `dir/file`; `extra` (TOML lines) goes before the
/// neighbourhoods.
pub fn write_small_scenario(dir: &Path, file: &str, extra: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!(
            "name = \"small\"\nseed = 5\nweeks = 4\nburn_in_weeks = 2\n{extra}\
             [[neighbourhood]]\nname = \"A\"\nadults = 300\n\
             [[neighbourhood]]\nname = \"B\"\nadults = 200\ncentre_km = [1.2, 0.0]\ncohesion = 0.8\n"
        ),
    )
    .unwrap();
    path
}

/// [`write_small_scenario`] as `dir/small.toml`, as it is.
pub fn small_scenario(dir: &Path) -> PathBuf {
    write_small_scenario(dir, "small.toml", "")
}

/// A grid experiment over [`small_scenario`]'s cohesion (2 points × 2
/// replicates), written to `dir/experiment.toml`.
pub fn small_experiment(dir: &Path) -> PathBuf {
    small_scenario(dir);
    let path = dir.join("experiment.toml");
    std::fs::write(
        &path,
        "name = \"exp\"\nscenario = \"small.toml\"\nreplicates = 2\ndesign = \"grid\"\n\
         [[parameter]]\npath = \"neighbourhood[*].cohesion\"\nvalues = [0.2, 0.8]\n",
    )
    .unwrap();
    path
}

/// A CSV file as its header and rows.
pub type CsvTable = (Vec<String>, Vec<Vec<String>>);

/// A CSV file as its header and rows, read as text.
pub fn csv_table(path: &Path) -> CsvTable {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The values of a column of a [`CsvTable`].
pub fn column<'a>(table: &'a CsvTable, name: &str) -> Vec<&'a str> {
    let i = table.0.iter().position(|c| c == name);
    let i = i.unwrap_or_else(|| panic!("no column {name}"));
    table.1.iter().map(|row| row[i].as_str()).collect()
}

/// A JSON file (a manifest, an experiment's record).
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The names of the files a manifest (or an experiment's record) lists, in
/// its order.
pub fn listed_files(manifest: &serde_json::Value) -> Vec<&str> {
    manifest["files"]
        .as_array()
        .expect("a list of files")
        .iter()
        .map(|f| f["name"].as_str().expect("a file's name"))
        .collect()
}

/// The first `adults.len()` neighbourhoods of the baseline (they differ in cohesion,
/// trust and age), resized, with a short run.
pub fn area(adults: &[u32], burn_in_weeks: u32, weeks: u32) -> Scenario {
    let mut s = Scenario::default();
    assert!(adults.len() <= s.neighbourhoods.len());
    s.neighbourhoods.truncate(adults.len());
    for (n, a) in s.neighbourhoods.iter_mut().zip(adults) {
        n.adults = *a;
    }
    s.burn_in_weeks = burn_in_weeks;
    s.weeks = weeks;
    s
}

/// Panics with the problems if the scenario does not validate.
pub fn checked(s: Scenario) -> Scenario {
    let problems = scenario::validate(&s);
    assert!(problems.is_empty(), "invalid test scenario: {problems:?}");
    s
}

/// A whole scenario file, parsed and validated.
pub fn from_toml(text: &str) -> Scenario {
    scenario::parse_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// `s` with the `[[intervention]]` tables of a TOML snippet (validated together).
pub fn with_interventions(mut s: Scenario, text: &str) -> Scenario {
    let parsed: Scenario = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    s.interventions = parsed.interventions;
    checked(s)
}

pub fn engine(s: &Scenario) -> Engine {
    Engine::new(World::build(&checked(s.clone())))
}

/// Runs every week (burn-in included) with all checks; returns the tallies.
pub fn run_checked(s: &Scenario) -> (Vec<WeekTally>, Engine) {
    let mut e = engine(s);
    let total = s.burn_in_weeks + s.weeks;
    let tallies = (0..total).map(|_| step_checked(&mut e)).collect();
    (tallies, e)
}

/// The reported weeks of a list of tallies.
pub fn reported(tallies: &[WeekTally]) -> impl Iterator<Item = &WeekTally> {
    tallies.iter().filter(|t| t.week >= 0)
}

pub fn sum(tallies: &[WeekTally], field: impl Fn(&WeekTally) -> HoursTotal) -> u64 {
    tallies.iter().map(|t| field(t).0).sum()
}

pub fn total(hours: impl IntoIterator<Item = Hours>) -> HoursTotal {
    HoursTotal(hours.into_iter().map(|h| u64::from(h.0)).sum())
}

pub fn case_of(cases: &[Case], person: PersonId) -> Option<&Case> {
    cases
        .binary_search_by_key(&person, |c| c.person)
        .ok()
        .map(|i| &cases[i])
}

/// State from before a week that the checks need.
pub struct Before {
    pub burnt_out: Vec<u8>,
    pub formal: HashMap<PersonId, FormalStatus>,
}

impl Before {
    pub fn of(e: &Engine) -> Before {
        Before {
            burnt_out: e.carers().burnt_out.clone(),
            formal: e.cases().iter().map(|c| (c.person, c.formal)).collect(),
        }
    }
}

/// One week with every bookkeeping check.
pub fn step_checked(e: &mut Engine) -> WeekTally {
    let before = Before::of(e);
    let tally = e.step();
    check_conservation(e, &tally);
    check_capacity(e, &tally, &before);
    check_formal(e, &tally, &before);
    tally
}

/// Every hour of need is in exactly one place, in the area, in each neighbourhood
/// and for each case; flows and localities add up to the informal hours.
pub fn check_conservation(e: &Engine, t: &WeekTally) {
    let w = t.week;
    assert_eq!(
        t.need,
        t.household + t.informal + t.formal + t.unmet,
        "week {w}: need is not household + informal + formal + unmet"
    );
    assert_eq!(t.flow_hours(), t.informal, "week {w}: flows");
    let by_locality: HoursTotal = t.by_locality.iter().copied().sum();
    assert_eq!(by_locality, t.informal, "week {w}: localities");
    assert!(t.balances(), "week {w}: WeekTally::balances");

    let mut sums = carenet::tally::NeighbourhoodTally::default();
    for (i, n) in t.neighbourhoods.iter().enumerate() {
        assert_eq!(
            n.need,
            n.household + n.informal + n.formal + n.unmet,
            "week {w}: neighbourhood {i} does not balance"
        );
        assert!(n.within <= n.informal, "week {w}: neighbourhood {i} within");
        assert!(n.unmet_weeks <= n.in_need_weeks);
        sums.add(n);
    }
    assert_eq!(sums.need, t.need, "week {w}: neighbourhood need");
    assert_eq!(
        sums.household, t.household,
        "week {w}: neighbourhood household"
    );
    assert_eq!(
        sums.informal, t.informal,
        "week {w}: neighbourhood informal"
    );
    assert_eq!(sums.formal, t.formal, "week {w}: neighbourhood formal");
    assert_eq!(sums.unmet, t.unmet, "week {w}: neighbourhood unmet");
    assert_eq!(
        sums.within,
        t.by_locality[Locality::SameNeighbourhood.index()],
        "week {w}: within-neighbourhood hours"
    );
    assert_eq!(sums.in_need_weeks, t.residents_in_need);
    assert_eq!(sums.unmet_weeks, t.residents_with_unmet_need);

    for c in e.cases() {
        let h = c.hours;
        assert_eq!(
            h.need,
            h.household + h.formal + h.informal + c.remaining_total(),
            "week {w}: case of person {} does not balance",
            c.person
        );
    }
    let cases = e.cases();
    assert_eq!(cases.len() as u64, t.residents_in_need, "week {w}");
    assert_eq!(
        cases
            .iter()
            .filter(|c| !c.remaining_total().is_zero())
            .count() as u64,
        t.residents_with_unmet_need,
        "week {w}"
    );
    assert_eq!(
        total(cases.iter().map(|c| c.hours.need)),
        t.need,
        "week {w}"
    );
    assert_eq!(total(cases.iter().map(|c| c.hours.household)), t.household);
    assert_eq!(total(cases.iter().map(|c| c.hours.informal)), t.informal);
    assert_eq!(total(cases.iter().map(|c| c.hours.formal)), t.formal);
    assert_eq!(total(cases.iter().map(|c| c.remaining_total())), t.unmet);
    for c in cases {
        assert_eq!(
            c.neighbourhood,
            e.world().people.neighbourhood[c.person.index()]
        );
        assert!(e.world().people.is_resident(c.person));
    }
    assert!(t.isolated_need <= t.need && t.isolated_unmet <= t.unmet);
}

/// Nobody gives more than they have. The exact bookkeeping the engine keeps:
/// - `available` = capacity (0 when burnt out at the start of the week), scaled by
///   `capacity_in_long_term_need_share` for a resident with a long-term need,
///   `capacity_in_need_share` for one with a short-term need, the smaller of the
///   two for one with both, plus, for a partner who gave household help, the
///   partner's extra hours (`partner_extra_hours`, scaled by
///   `capacity_in_need_share` when the partner has a short- or long-term need);
/// - household help comes first from those extra hours, and extra hours a partner
///   did not use are not free for others: `left + given + unused extra == available`
///   (return favours move hours from `left` to `given`, so they keep the sum);
/// - hours given by everyone = household + informal hours + favours.
pub fn check_capacity(e: &Engine, t: &WeekTally, before: &Before) {
    let w = t.week;
    let b = &e.world().scenario.behaviour;
    let people = &e.world().people;
    let carers = e.carers();
    let in_need = |p: PersonId| case_of(e.cases(), p).is_some_and(|c| c.limits_capacity());
    let n = people.len();
    let mut expected: Vec<Hours> = (0..n)
        .map(|p| {
            let base = if before.burnt_out[p] > 0 {
                Hours::ZERO
            } else {
                carers.capacity[p]
            };
            let Some(case) = case_of(e.cases(), PersonId(p as u32)) else {
                return base;
            };
            let (short, long) = (
                b.strain.capacity_in_need_share,
                b.strain.capacity_in_long_term_need_share,
            );
            match (
                case.has_episode(EpisodeKind::ShortTerm),
                case.has_episode(EpisodeKind::LongTerm),
            ) {
                (false, false) => base,
                (true, false) => base.scaled(short),
                (false, true) => base.scaled(long),
                (true, true) => base.scaled(short.min(long)),
            }
        })
        .collect();
    let mut unused = vec![Hours::ZERO; n];
    for c in e.cases() {
        let household = c.hours.household;
        let Some(partner) = people.partner(c.person) else {
            assert!(
                household.is_zero(),
                "week {w}: household help without partner"
            );
            continue;
        };
        let p = partner.index();
        if before.burnt_out[p] > 0 {
            assert!(
                household.is_zero(),
                "week {w}: a burnt-out partner gave household help"
            );
        }
        if household.is_zero() {
            continue;
        }
        let share = if in_need(partner) {
            b.strain.capacity_in_need_share
        } else {
            1.0
        };
        let extra = Hours::from_f64(b.household.partner_extra_hours * share);
        expected[p] += extra;
        unused[p] = extra.saturating_sub(household);
    }
    for p in 0..n {
        let (available, left, given) = (carers.available[p], carers.left[p], carers.given[p]);
        assert_eq!(
            available, expected[p],
            "week {w}: person {p} has {available} hours available, expected {}",
            expected[p]
        );
        assert!(
            given <= available,
            "week {w}: person {p} gave {given} of {available} available hours"
        );
        assert_eq!(
            u64::from(left.0) + u64::from(given.0) + u64::from(unused[p].0),
            u64::from(available.0),
            "week {w}: person {p}: left {left} + given {given} + unused extra {} != available {available}",
            unused[p]
        );
    }
    assert_eq!(
        total(carers.given.iter().copied()),
        t.household + t.informal + t.favours + t.outbound,
        "week {w}: hours given != household + informal + favours + outbound"
    );
}

/// The district teams' books: promised hours are those of served clients; only
/// residents with a long-term need are in contact with a team; the waiting list
/// and the waiting times match the residents' statuses.
pub fn check_formal(e: &Engine, t: &WeekTally, before: &Before) {
    let w = t.week;
    let week = e.week() - 1;
    for (i, team) in e.teams().iter().enumerate() {
        let promised = total(
            e.cases()
                .iter()
                .filter(|c| c.neighbourhood.index() == i)
                .map(|c| c.formal.assigned_hours()),
        );
        assert_eq!(
            HoursTotal(u64::from(team.committed.0)),
            promised,
            "week {w}: team {i} has promised hours that no client holds"
        );
    }
    let review_after = &e.world().scenario.formal.assignment_weeks;
    let mut assignments = 0;
    let mut waited = 0;
    let mut waiting = 0;
    for c in e.cases() {
        if c.formal != FormalStatus::None {
            assert!(
                c.has_episode(EpisodeKind::LongTerm),
                "week {w}: person {} is {:?} without a long-term need",
                c.person,
                c.formal
            );
        }
        let previous = before
            .formal
            .get(&c.person)
            .copied()
            .unwrap_or(FormalStatus::None);
        // Professional hours this week are those assigned before it, and
        // the Wlz's care at home.
        assert!(
            c.hours.formal - c.hours.long_term_care <= previous.assigned_hours(),
            "week {w}: person {} got {} formal hours while {previous:?}",
            c.person,
            c.hours.formal
        );
        // An assignment this week sets the next review; so does a review, which
        // only happens to a client whose review was due this week.
        if let FormalStatus::Served { review, .. } = c.formal
            && review == week + review_after
            && !matches!(previous, FormalStatus::Served { review: r, .. } if r == week)
        {
            assignments += 1;
            if let FormalStatus::Waiting { since, .. } = previous {
                waited += u64::from(week - since);
            }
        }
        if matches!(c.formal, FormalStatus::Waiting { .. }) {
            waiting += 1;
        }
    }
    assert_eq!(t.assignments, assignments, "week {w}: assignments");
    assert_eq!(t.waited_weeks, waited, "week {w}: waited weeks");
    assert_eq!(t.waiting_list, waiting, "week {w}: waiting list");
}
