//! Range and consistency checks that the file format alone cannot express.

use std::collections::HashSet;

use super::{Catchment, Problem, Range, Scenario, TaskMix};
use crate::ids::NeighbourhoodId;
use crate::kinds::{AgeBand, Task, TieKind};

/// Collects problems with their key paths. The submodels check their own
/// parameters with it (`check` next to each parameter struct in `src/model/`).
pub(crate) struct Checker<'s> {
    scenario: &'s Scenario,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(crate) fn fail(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.problems.push(Problem::new(path, message, fix));
    }

    pub(crate) fn within(&mut self, path: &str, value: f64, low: f64, high: f64, what: &str) {
        if !(value >= low && value <= high) {
            self.fail(
                path,
                format!("{value} is out of range: expected {what} between {low} and {high}"),
                format!("set `{path}` to a value from {low} to {high}"),
            );
        }
    }

    /// A list that names each of its `what`s once: every later repeat is a problem.
    pub(crate) fn each_once<T: PartialEq + std::fmt::Display>(
        &mut self,
        path: &str,
        items: &[T],
        what: &str,
    ) {
        for (i, item) in items.iter().enumerate() {
            if items[..i].contains(item) {
                self.fail(
                    path,
                    format!("`{item}` is listed twice"),
                    format!("name each {what} once"),
                );
            }
        }
    }

    /// A coefficient on the log-odds scale.
    pub(crate) fn log_odds(&mut self, path: &str, value: f64) {
        self.within(path, value, -50.0, 50.0, "a log-odds coefficient");
    }

    pub(crate) fn share(&mut self, path: &str, value: f64) {
        self.within(path, value, 0.0, 1.0, "a share");
    }

    pub(crate) fn shares(&mut self, path: &str, values: &[f64]) {
        for (i, value) in values.iter().enumerate() {
            self.share(&format!("{path}[{i}]"), *value);
        }
    }

    pub(crate) fn non_negative(&mut self, path: &str, value: f64) {
        if !(value >= 0.0 && value.is_finite()) {
            self.fail(
                path,
                format!("{value} is out of range: expected a number of 0 or more"),
                format!("set `{path}` to 0 or a positive number"),
            );
        }
    }

    pub(crate) fn positive(&mut self, path: &str, value: f64) {
        if !(value > 0.0 && value.is_finite()) {
            self.fail(
                path,
                format!("{value} is out of range: expected a number above 0"),
                format!("set `{path}` to a positive number"),
            );
        }
    }

    pub(crate) fn finite(&mut self, path: &str, value: f64) {
        if !value.is_finite() {
            self.fail(
                path,
                format!("{value} is not a finite number"),
                format!("set `{path}` to an ordinary number"),
            );
        }
    }

    pub(crate) fn range(&mut self, path: &str, range: Range) {
        self.non_negative(&format!("{path}.min"), range.min);
        self.non_negative(&format!("{path}.max"), range.max);
        if range.min > range.max {
            self.fail(
                path,
                format!("min {} is above max {}", range.min, range.max),
                format!("swap the two values of `{path}` or lower `min`"),
            );
        }
    }

    pub(crate) fn sums_to_one(&mut self, path: &str, values: &[f64], names: &str) {
        let sum: f64 = values.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            self.fail(
                path,
                format!("the shares add up to {sum:.4}, not 1"),
                format!("adjust the shares of `{path}` ({names}) so that they add up to 1"),
            );
        }
    }

    /// Each task's share of a task mix is a share, and they add up to 1.
    pub(crate) fn task_mix(&mut self, path: &str, mix: &TaskMix) {
        for task in Task::ALL {
            self.share(&format!("{path}.{task}"), mix.get(*task));
        }
        self.sums_to_one(path, &mix.0, "one share per task");
    }

    pub(crate) fn neighbourhood_name(&mut self, path: &str, name: &str) {
        if self.scenario.neighbourhood_index(name).is_none() {
            let known: Vec<&str> = self
                .scenario
                .neighbourhoods
                .iter()
                .map(|n| n.name.as_str())
                .collect();
            self.fail(
                path,
                format!("there is no neighbourhood named \"{name}\""),
                format!(
                    "use one of the scenario's neighbourhoods: {}",
                    known.join(", ")
                ),
            );
        }
    }

    pub(crate) fn catchment(&mut self, path: &str, catchment: &Catchment) {
        if let Catchment::Neighbourhood(name) = catchment
            && self.scenario.neighbourhood_index(name).is_none()
        {
            let known: Vec<&str> = self
                .scenario
                .neighbourhoods
                .iter()
                .map(|n| n.name.as_str())
                .collect();
            self.fail(
                path,
                format!(
                    "\"{name}\" is neither \"area\", \"each_neighbourhood\" nor a neighbourhood"
                ),
                format!(
                    "use \"area\", \"each_neighbourhood\" or one of: {}",
                    known.join(", ")
                ),
            );
        }
    }
}

/// Every problem with a parsed scenario, empty when it can be run.
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    let mut c = Checker {
        scenario,
        problems: Vec::new(),
    };
    check_run(&mut c);
    check_neighbourhoods(&mut c);
    check_people_and_network(&mut c);
    let scenario = c.scenario;
    scenario.needs.check(&mut c);
    check_behaviour(&mut c);
    check_organisations(&mut c);
    check_interventions(&mut c);
    scenario.cost.check(&mut c);
    scenario.demography.check(&mut c);
    c.problems
}

fn check_run(c: &mut Checker) {
    let s = c.scenario;
    let safe = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.');
    if s.name.is_empty() || !s.name.chars().all(safe) || s.name.starts_with('.') {
        c.fail(
            "name",
            format!("\"{}\" cannot name an output folder", s.name),
            "use letters, digits, '-', '_' or '.', e.g. name = \"my-area\"",
        );
    }
    if s.weeks == 0 || s.weeks > 5200 {
        c.fail(
            "weeks",
            format!("{} weeks is out of range", s.weeks),
            "set `weeks` from 1 to 5200 (100 years)",
        );
    }
    if s.burn_in_weeks > 5200 {
        c.fail(
            "burn_in_weeks",
            "more than 5200 weeks of burn-in",
            "set `burn_in_weeks` from 0 to 5200",
        );
    }
    if let Some(year) = s.start_year
        && !FIRST_YEARS.contains(&year)
    {
        c.fail(
            "start_year",
            format!("{year} is not a calendar year carenet can label"),
            format!(
                "set `start_year` to the calendar year of the first reported year, from {} to {}, e.g. start_year = 2025, or to 0 (the default) to number the years from 1",
                FIRST_YEARS.start(),
                FIRST_YEARS.end()
            ),
        );
    }
}

/// The calendar years a scenario's first reported year may stand for: the
/// rates are of today's Netherlands, so a label far from it is a typo.
const FIRST_YEARS: std::ops::RangeInclusive<u32> = 1900..=2200;

fn check_neighbourhoods(c: &mut Checker) {
    let s = c.scenario;
    if s.neighbourhoods.is_empty() {
        c.fail(
            "neighbourhood",
            "the scenario has no neighbourhoods",
            "add at least one [[neighbourhood]] table with a name and a number of adults",
        );
    }
    let mut seen = HashSet::new();
    for (i, n) in s.neighbourhoods.iter().enumerate() {
        let at = |field: &str| format!("neighbourhood[{i}].{field}");
        check_name(c, ("a", "neighbourhood", i), &n.name, &mut seen);
        c.finite(&at("centre_km[0]"), n.centre_km[0]);
        c.finite(&at("centre_km[1]"), n.centre_km[1]);
        c.positive(&at("radius_km"), n.radius_km);
        if n.adults == 0 {
            c.fail(
                at("adults"),
                "a neighbourhood without adults",
                format!(
                    "set `{}` to 1 or more, or remove the neighbourhood",
                    at("adults")
                ),
            );
        }
        c.shares(&at("age_mix"), &n.age_mix);
        c.sums_to_one(&at("age_mix"), &n.age_mix, "18–34, 35–54, 55–74, 75+");
        c.share(&at("living_alone"), n.living_alone);
        c.share(&at("cohesion"), n.cohesion);
        c.share(&at("institutional_trust"), n.institutional_trust);
        c.share(&at("mutual_aid_tradition"), n.mutual_aid_tradition);
    }
    // Neighbourhood ids are u16 and the largest value marks people outside the area,
    // so one more neighbourhood would silently be numbered as outside (or wrap to 0).
    let most = usize::from(NeighbourhoodId::OUTSIDE.0);
    if s.neighbourhoods.len() > most {
        c.fail(
            "neighbourhood",
            format!(
                "{} neighbourhoods is more than carenet can number ({most})",
                s.neighbourhoods.len()
            ),
            format!("merge neighbourhoods until there are at most {most}"),
        );
    }
    // Geometry and sizes only once every centre and radius is a usable number.
    let usable = s.neighbourhoods.iter().all(|n| {
        n.centre_km.iter().all(|v| v.is_finite()) && n.radius_km.is_finite() && n.radius_km > 0.0
    });
    if usable {
        c.problems.extend(super::limits::problems(s));
    }
}

fn check_people_and_network(c: &mut Checker) {
    let s = c.scenario;
    c.range("outside.distance_km", s.outside.distance_km);
    c.positive("outside.distance_km.min", s.outside.distance_km.min);
    c.share("outside.capacity_factor", s.outside.capacity_factor);

    let p = &s.population;
    for (band, hours) in AgeBand::ALL.iter().zip(p.capacity_mean_hours) {
        c.within(
            &format!("population.capacity_mean_hours[{}]", band.index()),
            hours,
            0.0,
            crate::hours::HOURS_IN_A_WEEK,
            "hours per week",
        );
    }
    c.positive("population.capacity_shape", p.capacity_shape);
    c.within(
        "population.helpfulness_mean",
        p.helpfulness_mean,
        0.01,
        0.99,
        "a mean",
    );
    c.within(
        "population.ask_reluctance_mean",
        p.ask_reluctance_mean,
        0.01,
        0.99,
        "a mean",
    );
    c.positive("population.trait_concentration", p.trait_concentration);
    c.share("population.mutual_aid_effect", p.mutual_aid_effect);
    s.kinship.check(c);
    s.outbound.check(c);
    s.small_help.check(c);
    s.long_term_care.check(c);
    s.main_carer.check(c);
    c.shares("population.living_alone_by_age", &p.living_alone_by_age);
    if p.living_alone_by_age.iter().all(|w| *w == 0.0) {
        c.fail(
            "population.living_alone_by_age",
            "every band has weight 0, so nobody could live alone",
            "give at least one age band a share above 0 (equal shares: no age pattern)",
        );
    }
    c.share("population.man_older_share", p.man_older_share);
    c.shares(
        "population.women_share_living_alone",
        &p.women_share_living_alone,
    );
    c.within(
        "population.partner_age_difference_sd_years",
        p.partner_age_difference_sd_years,
        0.0,
        20.0,
        "years",
    );
    let m = p.mortality;
    c.within(
        "population.mortality.a",
        m.a,
        1e-7,
        1e-3,
        "a yearly hazard at age 0",
    );
    c.within(
        "population.mortality.b",
        m.b,
        0.02,
        0.2,
        "a rise of the hazard per year of age",
    );
    check_network(c);
}

/// The `[network]` table: expected tie counts, localities, distance decays and
/// trust.
fn check_network(c: &mut Checker) {
    let n = &c.scenario.network;
    for (path, value) in [
        ("network.friends_mean", n.friends_mean),
        ("network.acquaintances_mean", n.acquaintances_mean),
        (
            "network.association_ties_per_membership",
            n.association_ties_per_membership,
        ),
    ] {
        c.within(path, value, 0.0, 100.0, "a mean number of ties");
    }
    c.share("network.friends_outside_share", n.friends_outside_share);
    c.positive(
        "network.friend_distance_decay_km",
        n.friend_distance_decay_km,
    );
    c.share("network.friend_age_homophily", n.friend_age_homophily);
    c.range("network.neighbours_mean", n.neighbours_mean);
    c.within(
        "network.neighbours_mean.max",
        n.neighbours_mean.max,
        0.0,
        100.0,
        "a mean number of ties",
    );
    c.within(
        "network.neighbour_radius_km",
        n.neighbour_radius_km,
        0.001,
        10.0,
        "a distance in km",
    );
    c.share(
        "network.acquaintances_outside_share",
        n.acquaintances_outside_share,
    );
    c.positive(
        "network.acquaintance_distance_decay_km",
        n.acquaintance_distance_decay_km,
    );
    for kind in TieKind::ALL {
        c.share(
            &format!("network.initial_trust.{kind}"),
            n.initial_trust.get(*kind),
        );
    }
    let top = n.initial_trust.get(TieKind::Neighbour) + n.neighbour_trust_per_cohesion;
    c.share(
        "network.neighbour_trust_per_cohesion",
        n.neighbour_trust_per_cohesion,
    );
    if top > 1.0 {
        c.fail(
            "network.neighbour_trust_per_cohesion",
            format!("neighbour trust would reach {top:.2} at full cohesion"),
            "keep initial_trust.neighbour + neighbour_trust_per_cohesion at or below 1",
        );
    }
    c.positive("network.trust_concentration", n.trust_concentration);
    c.share("network.blended_share", n.blended_share);
    c.positive("network.sociability_shape", n.sociability_shape);
}

fn check_behaviour(c: &mut Checker) {
    let scenario = c.scenario;
    scenario.behaviour.check(c);
    for kind in TieKind::ALL {
        for task in Task::ALL {
            c.share(
                &format!("scope.{kind}.{task}"),
                c.scenario.scope.get(*kind, *task),
            );
        }
    }
}

fn check_organisations(c: &mut Checker) {
    let s = c.scenario;
    s.formal.check(c);
    s.help_exchange.check(c);
    let mut seen = HashSet::new();
    for (i, a) in s.associations.iter().enumerate() {
        let at = |field: &str| format!("association[{i}].{field}");
        check_name(c, ("an", "association", i), &a.name, &mut seen);
        c.catchment(&at("catchment"), &a.catchment);
        c.shares(&at("membership"), &a.membership);
        c.share(&at("volunteer_share"), a.volunteer_share);
    }
}

/// The name of table `i` of a list of `[[table]]`s (written with its article):
/// given, and not one already `seen`.
fn check_name<'s>(
    c: &mut Checker,
    (article, table, i): (&str, &str, usize),
    name: &'s str,
    seen: &mut HashSet<&'s str>,
) {
    let at = format!("{table}[{i}].name");
    if name.trim().is_empty() {
        c.fail(
            at,
            format!("{article} {table} has no name"),
            format!("add name = \"...\" to {table} number {}", i + 1),
        );
    } else if !seen.insert(name) {
        c.fail(
            at,
            format!("the name \"{name}\" is used twice"),
            format!("give every {table} its own name"),
        );
    }
}

fn check_interventions(c: &mut Checker) {
    let s = c.scenario;
    for (i, intervention) in s.interventions.iter().enumerate() {
        let at = |field: &str| format!("intervention[{i}].{field}");
        // With no weeks at all, `weeks` is reported on its own (and weeks 0 to
        // `weeks - 1` would wrap around).
        if s.weeks > 0 && intervention.start_week() >= s.weeks {
            c.fail(
                at("start_week"),
                format!(
                    "starts in week {} but the run reports weeks 0 to {}",
                    intervention.start_week(),
                    s.weeks - 1
                ),
                format!("set `start_week` below {} or raise `weeks`", s.weeks),
            );
        }
        for (j, name) in intervention.neighbourhoods().iter().enumerate() {
            c.neighbourhood_name(&at(&format!("neighbourhoods[{j}]")), name);
        }
        intervention.check_settings(c, &at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Intervention;

    fn paths(scenario: &Scenario) -> Vec<String> {
        validate(scenario).into_iter().map(|p| p.path).collect()
    }

    /// QA 39: some fixes named a key without its table ("set
    /// `assignment_weeks` to 1 or more" of `formal.assignment_weeks`), where
    /// the others give the key path to write.
    #[test]
    fn a_fix_names_its_key_by_the_whole_path() {
        let mut s = Scenario::default();
        s.formal.assignment_weeks = 0;
        s.behaviour.strain.burnout_weeks = 0;
        s.behaviour.asking.ask_rounds = 0;
        s.behaviour.measures.involvement_weeks = 0;
        s.behaviour.measures.involvement_min_weeks = 0;
        s.neighbourhoods[1].adults = 0;
        s.formal.max_hours_per_client = -1.0;
        let problems = validate(&s);
        assert_eq!(problems.len(), 7, "{problems:#?}");
        for p in &problems {
            assert!(p.fix.contains(&format!("`{}`", p.path)), "{p:#?}");
        }
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(validate(&Scenario::default()), Vec::new());
    }

    #[test]
    fn each_kind_of_bad_value_is_named() {
        let mut s = Scenario::default();
        s.neighbourhoods[0].living_alone = 1.2;
        s.neighbourhoods[1].radius_km = -0.5;
        s.scope.0[TieKind::Friend.index()][Task::Company.index()] = 1.5;
        s.neighbourhoods[2].age_mix = [0.5, 0.5, 0.5, 0.0];
        s.interventions.push(Intervention::NetworkFirst {
            start_week: 0,
            neighbourhoods: vec!["Atlantis".into()],
            activation_weeks: 4,
        });
        let found = paths(&s);
        for expected in [
            "neighbourhood[0].living_alone",
            "neighbourhood[1].radius_km",
            "scope.friend.company",
            "neighbourhood[2].age_mix",
            "intervention[0].neighbourhoods[0]",
        ] {
            assert!(
                found.iter().any(|p| p == expected),
                "{expected} missing from {found:?}"
            );
        }
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn a_start_year_is_a_calendar_year_or_none() {
        let mut s = Scenario::default();
        for (year, valid) in [
            (2025, true),
            (1900, true),
            (2200, true),
            (20255, false),
            (25, false),
        ] {
            s.start_year = Some(year);
            assert_eq!(paths(&s).is_empty(), valid, "{year}");
        }
        s.start_year = Some(20255);
        let problem = &validate(&s)[0];
        assert_eq!(problem.path, "start_year");
        assert!(problem.fix.contains("start_year = 2025"), "{}", problem.fix);
        // A file's 0 is none: the years are numbered from 1.
        let parsed = crate::scenario::parse_str("start_year = 0", "x.toml").expect("valid");
        assert_eq!(parsed.start_year, None);
        let parsed = crate::scenario::parse_str("start_year = 2030", "x.toml").expect("valid");
        assert_eq!(parsed.calendar_year(3), Some(2032));
    }

    #[test]
    fn task_lists_name_each_task_once() {
        use crate::kinds::Task;
        let mut s = Scenario::default();
        s.behaviour.household.usual_help_tasks = vec![Task::Household, Task::Household];
        s.small_help.tasks = vec![Task::Company, Task::Transport, Task::Company];
        let problems = validate(&s);
        let text = format!("{problems:?}");
        assert_eq!(
            paths(&s),
            ["small_help.tasks", "behaviour.usual_help_tasks"]
        );
        assert!(text.contains("`household` is listed twice"), "{text}");
        assert!(text.contains("`company` is listed twice"), "{text}");
        assert!(text.contains("name each task once"), "{text}");
    }

    /// QA 33: the message was "41 years", which did not say what was wrong.
    #[test]
    fn a_pairing_age_gap_beyond_40_years_says_it_is_out_of_range() {
        let mut s = Scenario::default();
        s.demography.pair_up_max_age_gap_years = 41;
        let problems = validate(&s);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "demography.pair_up_max_age_gap_years");
        assert_eq!(
            problems[0].message,
            "41 is out of range: expected a largest age difference of 0 to 40 years"
        );
        s.demography.pair_up_max_age_gap_years = 40;
        assert_eq!(validate(&s), Vec::new());
    }

    #[test]
    fn nan_is_not_a_share() {
        let mut s = Scenario::default();
        s.neighbourhoods[0].cohesion = f64::NAN;
        assert_eq!(paths(&s), vec!["neighbourhood[0].cohesion".to_string()]);
    }

    #[test]
    fn intervention_after_the_run_is_rejected() {
        let mut s = Scenario::default();
        s.interventions.push(Intervention::HelpRadius {
            start_week: s.weeks,
            neighbourhoods: vec![],
            radius: super::super::HelpRadius::Neighbourhood,
        });
        assert_eq!(paths(&s), vec!["intervention[0].start_week".to_string()]);
    }

    #[test]
    fn neighbourhoods_beyond_the_id_range_are_rejected() {
        // Ids are u16 with u16::MAX marking the outside: 65,535 neighbourhoods fit,
        // one more would be taken for outside alters.
        let mut s = Scenario::default();
        let template = s.neighbourhoods[0].clone();
        s.neighbourhoods = (0..usize::from(u16::MAX))
            .map(|i| super::super::Neighbourhood {
                name: format!("n{i}"),
                adults: 1,
                ..template.clone()
            })
            .collect();
        assert_eq!(paths(&s), Vec::<String>::new());
        s.neighbourhoods.push(super::super::Neighbourhood {
            name: "one too many".into(),
            ..template
        });
        assert_eq!(paths(&s), vec!["neighbourhood".to_string()]);
    }

    #[test]
    fn output_name_must_be_a_safe_folder_name() {
        let s = Scenario {
            name: "../etc".into(),
            ..Scenario::default()
        };
        assert_eq!(paths(&s), vec!["name".to_string()]);
    }
}
