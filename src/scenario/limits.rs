//! What an area may be so that it can run: geometry a Dutch study area can
//! have, person and tie counts the id types can hold, and an estimate of the
//! memory a run needs, made before anything is built.

use std::path::Path;

use super::{Problem, Scenario};
use crate::model::demography::YEAR_WEEKS;
use crate::network::MAX_TIES;

/// Largest |coordinate| of a neighbourhood's centre, km. Any origin in or near
/// the Netherlands fits (the Dutch RD grid runs to about 300 × 625 km), and
/// positions, stored as `f32`, stay exact to a few centimetres up to here.
pub const MAX_COORDINATE_KM: f64 = 1_000.0;

/// Widest extent of an area (its neighbourhoods' discs) east–west or
/// north–south, km. The Netherlands measures about 300 km north to south and
/// 265 km east to west; the neighbour grid of a 400 km square with the smallest
/// cell (50 m) has 64 million cells.
pub const MAX_SPAN_KM: f64 = 400.0;

/// Persons (residents and outside alters) are numbered by `PersonId(u32)`.
pub const MAX_PERSONS: u64 = u32::MAX as u64;

/// Room kept below the packed adjacency's tie limit for the ties a run makes
/// (peers, exchange matches, cohesion events).
pub const RUN_TIE_MARGIN: f64 = 1.25;

/// Smallest cell of the neighbour grid, km (as `network::formation` uses it).
const MIN_GRID_CELL_KM: f64 = 0.05;

/// Bytes a process needs before any world: the binary, the allocator, thread
/// stacks, the outputs' writers: a 2,000-adult run of 2 weeks peaks at 18.4
/// MB (`carenet run --timings`, session 35; 10.6 MB when this was first
/// measured).
const FIXED_BYTES: f64 = 16e6;
/// Per person (resident or outside alter): attributes, row overhead and
/// slack, association index and the engine's carer state (docs/ARCHITECTURE.md
/// §4 gives today's bytes; this estimate is calibrated against measured runs,
/// not summed from that table).
const BYTES_PER_PERSON: f64 = 77.0;
/// Per undirected tie: two adjacency entries of 8 and 14 of attributes.
const BYTES_PER_TIE: f64 = 30.0;
/// Per resident, the engine's own state: cases, ledger, onset calendar
/// (ARCHITECTURE §4), and the formation's transient per-resident arrays.
const ENGINE_BYTES_PER_RESIDENT: f64 = 260.0;
/// Per grid cell: the cell starts and their working copy (`u32` each).
const BYTES_PER_GRID_CELL: f64 = 8.0;
/// Per reported week: the week's tallies kept for the tables (flows by tie
/// kind, task, locality and distance band; the neighbourhoods') and the
/// tables' bytes made at the end (flows.csv about 10 KB a week, summary.xlsx).
const BYTES_PER_REPORTED_WEEK: f64 = 32_000.0;
/// Per resident and year after the first: the relatives and ties newcomers
/// bring at each turn of the year, with the columns' spare room. Measured
/// (session 35, `carenet run ageing-2025-2040 --set weeks=N --timings`,
/// 100,000 adults): peaks of 157, 183, 215 and 245 MB at 1, 5, 10 and 15
/// years, about 58 bytes per resident a year beside the year's ledger.
const GROWTH_BYTES_PER_RESIDENT_YEAR: f64 = 60.0;
/// Per resident in a run of several years: the year's ledger for yearly.csv's
/// carer figures (docs/ARCHITECTURE.md §4).
const YEAR_LEDGER_BYTES_PER_RESIDENT: f64 = 70.0;
/// Per resident with `--microdata`: the account residents.csv is written from
/// (measured: 19.5 MB more for 100,000 adults over one year).
const ACCOUNT_BYTES_PER_RESIDENT: f64 = 200.0;
/// Per resident and year with `--microdata` in a run of several years: the
/// row of residents_yearly.csv kept until the end (56 bytes) with the panel's
/// spare room (measured: 133 MB more for 100,000 adults over 15 years).
const PANEL_BYTES_PER_RESIDENT_YEAR: f64 = 90.0;

/// How big a scenario's world is, from its parameters, before building it.
#[derive(Debug, Clone, PartialEq)]
pub struct Size {
    pub adults: u64,
    /// At most this many persons: every resident plus one outside alter per
    /// tie proposed to someone outside the area.
    pub persons_bound: f64,
    /// At most this many ties at the start: every tie comes from at least one
    /// resident's proposals, whose means the parameters give.
    pub ties_bound: f64,
    /// The expected persons and ties: ties inside the area are proposed from
    /// both ends, so about half the in-area proposals become ties.
    pub expected_persons: f64,
    pub expected_ties: f64,
    /// Cells of the neighbour grid over the area's extent.
    pub grid_cells: f64,
    /// Weeks reported (the burn-in is not kept).
    pub reported_weeks: u32,
}

/// The share of parents, children and siblings expected outside the area, for
/// the memory estimate (a town of the baseline's size).
const FAMILY_OUTSIDE_SHARE: f64 = 0.45;
/// Living parents per adult with the Dutch age mix (about 63% have a mother and
/// 51% a father alive, docs/ODD.md §7.4.1), for the memory estimate.
const LIVING_PARENTS: f64 = 1.15;

impl Size {
    pub fn of(scenario: &Scenario) -> Size {
        let n = &scenario.network;
        let adults = scenario.area_adults();
        let a = adults as f64;
        let k = &scenario.kinship;
        // Parents (at most two), children and siblings: all of them may live
        // outside; in a town-sized area about 45% do (docs/ODD.md §7.4.1), in a
        // larger one fewer, so the expectation errs high there.
        let children: f64 = k
            .children_shares
            .iter()
            .enumerate()
            .map(|(count, share)| count as f64 * share)
            .sum();
        let family_bound = 2.0 + children + k.siblings_mean;
        let family = LIVING_PARENTS + children + k.siblings_mean;
        let outside_others = k.other_kin_mean * k.other_kin_locality.outside
            + n.friends_mean * n.friends_outside_share
            + n.acquaintances_mean * n.acquaintances_outside_share;
        let outside = outside_others + FAMILY_OUTSIDE_SHARE * family;
        let outside_bound = outside_others + family_bound;
        let memberships: f64 = scenario
            .associations
            .iter()
            .map(|x| x.membership.iter().copied().fold(0.0, f64::max))
            .sum();
        let proposals = 1.0
            + family
            + k.other_kin_mean
            + n.friends_mean
            + n.neighbours_mean.min.max(n.neighbours_mean.max)
            + n.acquaintances_mean
            + n.association_ties_per_membership * memberships;
        let proposals_bound = proposals + (family_bound - family);
        let [width, height] = span_km(scenario);
        let cell = n.neighbour_radius_km.max(MIN_GRID_CELL_KM);
        Size {
            adults,
            persons_bound: a * (1.0 + outside_bound),
            ties_bound: a * proposals_bound,
            expected_persons: a * (1.0 + outside),
            expected_ties: a * ((proposals - outside) / 2.0 + outside),
            grid_cells: (width / cell + 1.0).floor() * (height / cell + 1.0).floor(),
            reported_weeks: scenario.weeks,
        }
    }

    /// The years the run reports: 1 for a run of up to 52 weeks.
    fn years(&self) -> f64 {
        f64::from(self.reported_weeks.div_ceil(YEAR_WEEKS).max(1))
    }

    /// The estimated peak memory of one run, bytes: the world and the
    /// engine, what a run of several years adds as newcomers come, the weeks
    /// kept for the tables and, with `microdata`, the residents' accounts
    /// (and their years).
    pub fn estimated_bytes(&self, microdata: bool) -> f64 {
        let adults = self.adults as f64;
        let years = self.years();
        let several_years = years > 1.0;
        let mut bytes = FIXED_BYTES
            + BYTES_PER_PERSON * self.expected_persons
            + BYTES_PER_TIE * self.expected_ties
            + ENGINE_BYTES_PER_RESIDENT * adults
            + BYTES_PER_GRID_CELL * self.grid_cells
            + BYTES_PER_REPORTED_WEEK * f64::from(self.reported_weeks);
        if several_years {
            bytes += adults
                * (YEAR_LEDGER_BYTES_PER_RESIDENT + GROWTH_BYTES_PER_RESIDENT_YEAR * (years - 1.0));
        }
        if microdata {
            bytes += adults * ACCOUNT_BYTES_PER_RESIDENT;
            if several_years {
                bytes += adults * PANEL_BYTES_PER_RESIDENT_YEAR * years;
            }
        }
        bytes
    }
}

/// How the caller's user changes what [`check_memory`] compares, as the user
/// writes it: the command's `--threads` and `--max-memory`, the Python
/// package's arguments. The refusal names them in its fix.
#[derive(Debug, Clone, Copy)]
pub struct MemoryKnobs {
    /// What makes fewer replicates run at once.
    pub threads: &'static str,
    /// What sets the ceiling instead of the memory available.
    pub ceiling: &'static str,
    /// What asks for the residents' accounts (and their years).
    pub microdata: &'static str,
}

/// Estimates a run's peak memory before anything is built and refuses, with
/// the figures, a run that would not fit: in `ceiling` (bytes), or else in the
/// memory the machine has available (no check where that is unknown).
/// `at_once`: runs in memory at the same time
/// ([`crate::experiment::replicates::at_once`]). Returns the estimate of one
/// run in bytes, or the refusal's message; the command line and the Python
/// package both check runs here, so they refuse alike.
pub fn check_memory(
    scenario: &Scenario,
    at_once: u64,
    microdata: bool,
    ceiling: Option<u64>,
    knobs: MemoryKnobs,
) -> Result<u64, String> {
    let size = Size::of(scenario);
    let one = size.estimated_bytes(microdata);
    let needed = one * at_once.max(1) as f64;
    let (limit, what) = match ceiling {
        Some(limit) => (limit, format!("the {}", knobs.ceiling)),
        None => match available_memory() {
            Some((available, what)) => (available, what.to_string()),
            None => return Ok(one as u64),
        },
    };
    if needed <= limit as f64 {
        return Ok(one as u64);
    }
    let years = size.years();
    // In thousands, as the other counts carenet prints (QA 37: "1000000
    // adults, about 5916000 persons and 14460500 ties").
    let count = |n: f64| crate::metrics::grouped(&format!("{:.0}", n.max(0.0)));
    let mut what_it_holds = format!(
        "{} adults, about {} persons and {} ties",
        count(size.adults as f64),
        count(size.expected_persons),
        count(size.expected_ties)
    );
    let mut smaller = vec!["a smaller area".to_string()];
    if years > 1.0 {
        what_it_holds += &format!(", {years} years");
        smaller.push("fewer years (weeks)".into());
    }
    if microdata {
        what_it_holds += &format!(", with {}", knobs.microdata);
        smaller.push(format!("without {}", knobs.microdata));
    }
    smaller.push(format!("fewer runs at once ({})", knobs.threads));
    let need = if at_once > 1 {
        format!(
            "{at_once} runs at once need about {} of memory ({} each: {what_it_holds})",
            memory_size(needed),
            memory_size(one)
        )
    } else {
        format!(
            "this run needs about {} of memory ({what_it_holds})",
            memory_size(needed)
        )
    };
    Err(format!(
        "{}: {need}, more than {what} ({})\n  \
         fix: run {}, or free memory; {} sets the ceiling",
        scenario.name,
        memory_size(limit as f64),
        smaller.join(", "),
        knobs.ceiling,
    ))
}

/// Of an experiment's runs, the one whose estimate is the largest (None
/// for no runs): [`check_memory`] checks an experiment by it, as if every run
/// at once were as large.
pub fn largest_run<'a>(
    scenarios: impl IntoIterator<Item = &'a Scenario>,
    microdata: bool,
) -> Option<&'a Scenario> {
    scenarios
        .into_iter()
        .map(|s| (Size::of(s).estimated_bytes(microdata), s))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// Bytes as people read them: "1.23 GB", or below a gigabyte "45 MB" (QA
/// 36: a ceiling of 1K was said as "0.00 GB").
fn memory_size(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.2} GB", bytes / 1e9)
    } else if bytes >= 1e6 {
        format!("{:.0} MB", bytes / 1e6)
    } else {
        format!("{:.0} kB", bytes / 1e3)
    }
}

/// The memory a run may use, bytes: MemAvailable of /proc/meminfo, or less
/// where the process's control group allows less (None off Linux). A Slurm
/// job or a container is held to its group's limit, not the node's memory:
/// a run checked against the node's 256 GB under `--mem=4G` would start and
/// be killed by the limit hours later.
pub fn available_memory_bytes() -> Option<u64> {
    available_memory().map(|(bytes, _)| bytes)
}

/// [`available_memory_bytes`], with what limits it, as a refusal says it.
fn available_memory() -> Option<(u64, &'static str)> {
    let machine = proc_kilobytes_field("/proc/meminfo", "MemAvailable:");
    let group = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|membership| cgroup_room(Path::new("/sys/fs/cgroup"), &membership));
    match (machine, group) {
        (Some(m), Some(g)) if g < m => Some((g, GROUP_MEMORY)),
        (Some(m), _) => Some((m, MACHINE_MEMORY)),
        (None, Some(g)) => Some((g, GROUP_MEMORY)),
        (None, None) => None,
    }
}

const MACHINE_MEMORY: &str = "the memory this machine has available";
const GROUP_MEMORY: &str =
    "the memory this job or container may still use under its control group's limit";

/// The room left under the memory limits of the control group the process
/// belongs to (`membership`: /proc/self/cgroup's text) and of every group
/// above it, the cgroup file system mounted at `root`: the least of limit −
/// usage over the levels that set a limit (cgroup v2's `memory.max` and
/// `memory.current`, or v1's `memory/…/memory.limit_in_bytes` and
/// `memory.usage_in_bytes`); None where no level sets one.
fn cgroup_room(root: &Path, membership: &str) -> Option<u64> {
    // v1 names its memory controller ("4:memory:/group"); v2 has one
    // hierarchy for all ("0::/group").
    let v1 = membership.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, group) = (parts.next()?, parts.next()?, parts.next()?);
        controllers
            .split(',')
            .any(|c| c == "memory")
            .then_some(group)
    });
    let (base, group, files) = match v1 {
        Some(group) => (
            root.join("memory"),
            group,
            ["memory.limit_in_bytes", "memory.usage_in_bytes"],
        ),
        None => {
            let group = membership.lines().find_map(|l| l.strip_prefix("0::"))?;
            (root.to_path_buf(), group, ["memory.max", "memory.current"])
        }
    };
    let read = |dir: &Path, file: &str| -> Option<u64> {
        std::fs::read_to_string(dir.join(file))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let mut dir = base.join(group.trim().trim_start_matches('/'));
    let mut room: Option<u64> = None;
    loop {
        if let Some(limit) = read(&dir, files[0]) {
            let left = limit.saturating_sub(read(&dir, files[1]).unwrap_or(0));
            room = Some(room.map_or(left, |r| r.min(left)));
        }
        if dir == base || !dir.pop() || !dir.starts_with(&base) {
            return room;
        }
    }
}

/// A `field: N kB` line of a /proc file (`/proc/self/status`, `/proc/meminfo`),
/// in bytes.
pub fn proc_kilobytes_field(path: &str, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    let kilobytes: u64 = line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kilobytes * 1024)
}

/// The area's extent east–west and north–south, km (0 without neighbourhoods).
pub fn span_km(scenario: &Scenario) -> [f64; 2] {
    let mut span = [0.0; 2];
    for (axis, extent) in span.iter_mut().enumerate() {
        let low = scenario
            .neighbourhoods
            .iter()
            .map(|n| n.centre_km[axis] - n.radius_km)
            .fold(f64::INFINITY, f64::min);
        let high = scenario
            .neighbourhoods
            .iter()
            .map(|n| n.centre_km[axis] + n.radius_km)
            .fold(f64::NEG_INFINITY, f64::max);
        *extent = if high >= low { high - low } else { 0.0 };
    }
    span
}

/// Problems with the area's geometry and size, each with the limit and why.
/// Coordinates and radii must already be finite and positive.
pub fn problems(scenario: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, n) in scenario.neighbourhoods.iter().enumerate() {
        for axis in 0..2 {
            if n.centre_km[axis].abs() > MAX_COORDINATE_KM {
                problems.push(Problem::new(
                    format!("neighbourhood[{i}].centre_km[{axis}]"),
                    format!(
                        "{} km is farther than {MAX_COORDINATE_KM} km from the origin, outside any Dutch area",
                        n.centre_km[axis]
                    ),
                    "give centres in km (not metres) from an origin in or near the area; \
                     Dutch RD coordinates divided by 1000 fit",
                ));
            }
        }
    }
    let [width, height] = span_km(scenario);
    if problems.is_empty() && width.max(height) > MAX_SPAN_KM {
        problems.push(Problem::new(
            "neighbourhood",
            format!(
                "the neighbourhoods span {width:.0} km east–west and {height:.0} km north–south; \
                 an area may span at most {MAX_SPAN_KM} km (the Netherlands is about 300 km long)"
            ),
            "check that centre_km and radius_km are in km, not metres, and that no neighbourhood lies far away",
        ));
    }
    problems.extend(size_problems(scenario));
    problems
}

/// Persons beyond `PersonId(u32)` or ties beyond the packed adjacency.
fn size_problems(scenario: &Scenario) -> Vec<Problem> {
    let size = Size::of(scenario);
    let mut problems = Vec::new();
    if size.persons_bound > MAX_PERSONS as f64 {
        problems.push(Problem::new(
            "neighbourhood",
            format!(
                "{} adults with their outside alters could make {:.0} persons, more than the {MAX_PERSONS} \
                 that person ids (32 bits) can number",
                size.adults, size.persons_bound
            ),
            "make the area smaller (fewer adults)",
        ));
    }
    let tie_room = MAX_TIES as f64 / RUN_TIE_MARGIN;
    if size.ties_bound > tie_room {
        let per_resident = size.ties_bound / size.adults.max(1) as f64;
        problems.push(Problem::new(
            "neighbourhood",
            format!(
                "{} adults proposing {per_resident:.1} ties each could make {:.0} ties; the network holds \
                 {MAX_TIES} (the bits of a tie id in a row entry), and at most {tie_room:.0} are allowed at the start \
                 to leave room for the ties a run adds",
                size.adults, size.ties_bound
            ),
            format!(
                "keep the area below {:.0} adults at these network settings",
                (tie_room / per_resident).floor()
            ),
        ));
    }
    problems
}

/// A memory size such as `512M`, `8G`, `8GB`, `1.5T` or a number of bytes.
pub fn parse_memory(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches('B').trim_end_matches('I');
    let (digits, scale) = match number.chars().last() {
        Some('K') => (&number[..number.len() - 1], 1e3),
        Some('M') => (&number[..number.len() - 1], 1e6),
        Some('G') => (&number[..number.len() - 1], 1e9),
        Some('T') => (&number[..number.len() - 1], 1e12),
        _ => (number, 1.0),
    };
    match digits.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value * scale < 1e18 => {
            Ok((value * scale) as u64)
        }
        _ => Err(format!(
            "`{text}` is not a memory size; write e.g. 512M, 8G or 16GB"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Slurm job or a container is held to its control group's limit:
    /// the room is the least of limit − usage over the group and the groups
    /// above it, in cgroup v2 and v1 alike; "max" (v2's no limit) is none.
    #[test]
    fn the_room_under_a_control_groups_memory_limits_is_the_least_over_its_levels() {
        let root = tempfile::tempdir().unwrap();
        let write = |dir: &Path, file: &str, text: &str| {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(file), text).unwrap();
        };
        let job = root.path().join("slurm/job_7");
        let step = job.join("step_0");
        write(&job, "memory.max", "4000000000\n");
        write(&job, "memory.current", "1000000000\n");
        write(&step, "memory.max", "max\n");
        write(&step, "memory.current", "900000000\n");
        let v2 = "0::/slurm/job_7/step_0\n";
        assert_eq!(cgroup_room(root.path(), v2), Some(3_000_000_000));
        write(&step, "memory.max", "3500000000\n");
        assert_eq!(cgroup_room(root.path(), v2), Some(2_600_000_000));
        assert_eq!(cgroup_room(root.path(), "0::/elsewhere\n"), None);

        let v1_group = root.path().join("memory/job_8");
        write(&v1_group, "memory.limit_in_bytes", "2000000000");
        write(&v1_group, "memory.usage_in_bytes", "500000000");
        let top = root.path().join("memory");
        write(&top, "memory.limit_in_bytes", "9223372036854771712");
        write(&top, "memory.usage_in_bytes", "6000000000");
        let v1 = "5:cpuacct,cpu:/job_8\n4:memory:/job_8\n0::/\n";
        assert_eq!(cgroup_room(root.path(), v1), Some(1_500_000_000));
        assert_eq!(
            cgroup_room(root.path(), "4:memory:/\n"),
            Some(9223372036854771712 - 6000000000)
        );
    }

    #[test]
    fn memory_sizes_parse_with_units() {
        assert_eq!(parse_memory("512M"), Ok(512_000_000));
        assert_eq!(parse_memory("8gb"), Ok(8_000_000_000));
        assert_eq!(parse_memory("1.5G"), Ok(1_500_000_000));
        assert!(parse_memory("lots").is_err() && parse_memory("-1G").is_err());
    }

    #[test]
    fn a_run_above_its_ceiling_is_refused_naming_the_estimate_and_the_knobs() {
        let scenario = Scenario::default();
        let knobs = MemoryKnobs {
            threads: "--threads",
            ceiling: "--max-memory",
            microdata: "--microdata",
        };
        let one = check_memory(&scenario, 1, false, Some(u64::MAX), knobs).expect("fits");
        assert_eq!(one, Size::of(&scenario).estimated_bytes(false) as u64);
        let refused = check_memory(&scenario, 1, false, Some(1_000_000), knobs).unwrap_err();
        assert!(
            refused.contains("this run needs about") && refused.contains("the --max-memory (1 MB)"),
            "{refused}"
        );
        assert!(
            refused.contains("fewer runs at once (--threads)"),
            "{refused}"
        );
        assert!(!refused.contains("runs at once need"), "one run: {refused}");
        assert!(
            refused.contains(&format!(
                "({} adults, about ",
                crate::metrics::grouped(&scenario.area_adults().to_string())
            )) && refused.contains("6,000 adults"),
            "counts in thousands: {refused}"
        );
        let tiny = check_memory(&scenario, 1, false, Some(1_000), knobs).unwrap_err();
        assert!(tiny.contains("the --max-memory (1 kB)"), "{tiny}");
        let two = check_memory(&scenario, 2, false, Some(one + 1), knobs).unwrap_err();
        assert!(
            two.contains(&format!(
                "2 runs at once need about {}",
                memory_size(2.0 * one as f64)
            )),
            "{two}"
        );
        assert!(
            !two.contains("years") && !two.contains("--microdata"),
            "{two}"
        );
        let mut years = scenario.clone();
        years.weeks = 15 * 52;
        let refused = check_memory(&years, 1, true, Some(1_000_000), knobs).unwrap_err();
        assert!(
            refused.contains(", 15 years, with --microdata)")
                && refused.contains("fewer years (weeks), without --microdata, fewer runs"),
            "{refused}"
        );
    }

    /// A projection's years, the weeks its tables keep and the residents'
    /// accounts with `--microdata` are in the estimate (a 15-year run of
    /// 100,000 adults peaked at twice a one-year run's estimate, session 35).
    #[test]
    fn the_years_the_weeks_and_the_microdata_are_in_the_estimate() {
        let mut scenario = Scenario::default();
        let one_year = Size::of(&scenario);
        scenario.weeks = 15 * 52;
        let years = Size::of(&scenario);
        let adults = years.adults as f64;
        let added = years.estimated_bytes(false) - one_year.estimated_bytes(false);
        let newcomers_and_ledger =
            adults * (YEAR_LEDGER_BYTES_PER_RESIDENT + 14.0 * GROWTH_BYTES_PER_RESIDENT_YEAR);
        let weeks = 14.0 * 52.0 * BYTES_PER_REPORTED_WEEK;
        assert!(
            (added - newcomers_and_ledger - weeks).abs() < 1.0,
            "{added}"
        );
        let microdata = years.estimated_bytes(true) - years.estimated_bytes(false);
        let accounts = adults * (ACCOUNT_BYTES_PER_RESIDENT + 15.0 * PANEL_BYTES_PER_RESIDENT_YEAR);
        assert!((microdata - accounts).abs() < 1.0, "{microdata}");
        let one_year_accounts = one_year.estimated_bytes(true) - one_year.estimated_bytes(false);
        assert!((one_year_accounts - adults * ACCOUNT_BYTES_PER_RESIDENT).abs() < 1.0);
    }

    #[test]
    fn the_baseline_is_within_every_limit_and_sized_about_right() {
        let scenario = Scenario::default();
        assert!(problems(&scenario).is_empty());
        let size = Size::of(&scenario);
        let ties_per_resident = size.expected_ties / size.adults as f64;
        // 12.4 measured at the baseline (74,259 ties for 6,000 adults).
        assert!(
            (10.0..15.0).contains(&ties_per_resident),
            "{ties_per_resident}"
        );
    }
}
