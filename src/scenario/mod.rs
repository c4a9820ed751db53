//! Scenario files: everything a run needs to know, with a documented default for
//! every field (see `scenarios/baseline.toml` and docs/ODD.md for the sources).
//!
//! Data flows one way: a scenario is read and checked here, then the population,
//! the network and the weekly engine only read it.

mod behaviour;
pub mod builtin;
mod cbs;
pub mod limits;
mod load;
pub mod overrides;
mod path;
mod starter;
mod synth;
mod tables;
mod validate;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use cbs::{CbsError, CbsErrorKind, CbsImport, CbsSelection, buurten, import_cbs};
pub use load::decimal_comma_number;
pub use load::{EXPERIMENT_KEYS, Problem, ScenarioError, load_file, parse_str};
pub(crate) use load::{
    closest, in_file_order, line_column, locate, problem_from_syntax, problem_from_toml,
    render_problems,
};
pub(crate) use path::{holds_whole_number, intervention_key_holds_whole_number, path_problem};
pub use path::{kind_fix, takes_whole_numbers, with_value};
pub use starter::starter_scenario;
pub use synth::{SynthSpec, synth_neighbourhoods, synth_scenario};
pub use tables::{PerKind, ScopeMatrix, TaskMix, default_initial_trust};
pub(crate) use validate::Checker;
pub use validate::validate;

pub use behaviour::BehaviourParams;
// The submodels own their parameters (struct, default, range checks); the
// scenario is made of them.
pub use crate::model::asking::{AskParams, AskingParams, GiveParams};
pub use crate::model::exchange::HelpExchange;
pub use crate::model::formal::FormalCare;
pub use crate::model::interventions::{HelpRadius, Intervention};
pub use crate::model::needs::{NeedParams, TaskMixes};

use crate::kinds::{AgeBand, PerAgeBand};

/// The text of `scenarios/baseline.toml`, built in so that `carenet run` works from
/// any folder. It spells out every default.
pub const BASELINE_TOML: &str = include_str!("../../scenarios/baseline.toml");

/// The research settings of docs/ODD.md §1.1 as (file name without `.toml`, text), built
/// in so that validation and the teaching page run from any folder; the baseline
/// first.
pub const RESEARCH_SCENARIOS: [(&str, &str); 7] = [
    ("baseline", BASELINE_TOML),
    (
        "linders-drents-dorp",
        include_str!("../../scenarios/linders-drents-dorp.toml"),
    ),
    (
        "jager-cohesion-gradient",
        include_str!("../../scenarios/jager-cohesion-gradient.toml"),
    ),
    (
        "bredewold-network-first",
        include_str!("../../scenarios/bredewold-network-first.toml"),
    ),
    (
        "welschen-low-trust",
        include_str!("../../scenarios/welschen-low-trust.toml"),
    ),
    (
        "welschen-low-trust-guides",
        include_str!("../../scenarios/welschen-low-trust-guides.toml"),
    ),
    (
        "delange-mutual-aid",
        include_str!("../../scenarios/delange-mutual-aid.toml"),
    ),
];

/// A study area and everything that happens in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Short name; also the default output folder `results/<name>/`.
    pub name: String,
    /// One or two sentences on what the scenario represents.
    pub description: String,
    /// Seed of every random stream of the run.
    pub seed: u64,
    /// Weeks reported, after the burn-in.
    pub weeks: u32,
    /// Weeks run before reporting starts, so that long-term needs and strain settle.
    pub burn_in_weeks: u32,
    /// The calendar year the first reported year stands for, e.g. 2025: a
    /// label of a projection's years in yearly.csv, the reports and the page
    /// (docs/ODD.md §9.13). It changes no rate; without it the years are
    /// numbered from 1 only. Written 0 in a file for none, so that the key is
    /// always there to `--set`.
    #[serde(with = "no_year_as_zero")]
    pub start_year: Option<u32>,
    #[serde(rename = "neighbourhood")]
    pub neighbourhoods: Vec<Neighbourhood>,
    pub outside: Outside,
    pub population: PopulationParams,
    pub network: NetworkParams,
    /// Generations: parents, children, siblings and other relatives.
    pub kinship: crate::network::KinshipParams,
    /// Care residents give their parents outside the area.
    pub outbound: crate::model::outbound::OutboundParams,
    /// Neighbours who look in on residents with long-term needs.
    pub small_help: crate::model::small_help::SmallHelpParams,
    /// One relative who carries a resident's long-term need.
    pub main_carer: crate::model::main_carer::MainCarerParams,
    pub needs: NeedParams,
    pub behaviour: BehaviourParams,
    /// The relationship-scope matrix (docs/ODD.md §7.10.17).
    pub scope: ScopeMatrix,
    pub formal: FormalCare,
    /// Professional care at home for needs of care around the clock (the Wlz,
    /// docs/ODD.md §7.10.23).
    pub long_term_care: crate::model::long_term_care::LongTermCareParams,
    pub help_exchange: HelpExchange,
    #[serde(rename = "association")]
    pub associations: Vec<Association>,
    #[serde(rename = "intervention")]
    pub interventions: Vec<Intervention>,
    /// Tariffs of formal care and prices of the levers (docs/ODD.md §9.12).
    pub cost: crate::cost::CostParams,
    /// Deaths, moves and comings of age between reported years (docs/ODD.md §7.2.1).
    pub demography: crate::model::demography::DemographyParams,
}

/// `start_year` in a file: 0 for none (TOML has no null, and `--set`, sweeps
/// and the Python package set only keys the scenario's table holds).
mod no_year_as_zero {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(year: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(year.unwrap_or(0))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Ok(Some(u32::deserialize(d)?).filter(|&year| year != 0))
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "baseline".into(),
            description: "A Dutch urban area of five neighbourhoods that differ in cohesion, \
                          trust and age; default parameters."
                .into(),
            seed: 20_261_123,
            weeks: 52,
            burn_in_weeks: 52,
            start_year: None,
            neighbourhoods: default_neighbourhoods(),
            outside: Outside::default(),
            population: PopulationParams::default(),
            network: NetworkParams::default(),
            kinship: crate::network::KinshipParams::default(),
            outbound: crate::model::outbound::OutboundParams::default(),
            small_help: crate::model::small_help::SmallHelpParams::default(),
            main_carer: crate::model::main_carer::MainCarerParams::default(),
            needs: NeedParams::default(),
            behaviour: BehaviourParams::default(),
            scope: ScopeMatrix::default(),
            formal: FormalCare::default(),
            long_term_care: crate::model::long_term_care::LongTermCareParams::default(),
            help_exchange: HelpExchange::default(),
            associations: default_associations(),
            interventions: Vec::new(),
            cost: crate::cost::CostParams::default(),
            demography: crate::model::demography::DemographyParams::default(),
        }
    }
}

impl Scenario {
    /// The default scenario with `adults` in each neighbourhood, `weeks`
    /// reported after `burn_in_weeks`: the small runs of unit tests.
    #[cfg(test)]
    pub(crate) fn default_scaled(adults: u32, weeks: u32, burn_in_weeks: u32) -> Scenario {
        let mut scenario = Scenario::default();
        for n in &mut scenario.neighbourhoods {
            n.adults = adults;
        }
        scenario.weeks = weeks;
        scenario.burn_in_weeks = burn_in_weeks;
        scenario
    }

    /// The calendar year that reported year `year` (1, 2, …) stands for, when
    /// the scenario says when its first year is (`start_year`).
    pub fn calendar_year(&self, year: u32) -> Option<u32> {
        self.start_year.map(|first| first + year.saturating_sub(1))
    }

    /// What `carenet check` and the Python package's `check` say of a valid
    /// scenario: `"name", 5 neighbourhoods, 6,000 adults, 52 weeks` ("1
    /// neighbourhood" for one, QA 35).
    pub fn outline(&self) -> String {
        let neighbourhoods = match self.neighbourhoods.len() {
            1 => "1 neighbourhood".to_string(),
            n => format!("{n} neighbourhoods"),
        };
        // Adults in thousands, as carenet's other counts (QA 37: 11334).
        format!(
            "\"{}\", {neighbourhoods}, {} adults, {} weeks",
            self.name,
            crate::metrics::grouped(&self.area_adults().to_string()),
            self.weeks
        )
    }

    /// Adults living in the study area.
    pub fn area_adults(&self) -> u64 {
        self.neighbourhoods
            .iter()
            .map(|n| u64::from(n.adults))
            .sum()
    }

    /// Index of a neighbourhood by name.
    pub fn neighbourhood_index(&self, name: &str) -> Option<usize> {
        self.neighbourhoods.iter().position(|n| n.name == name)
    }
}

/// A neighbourhood (buurt): a disc on the plane with its population and climate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Neighbourhood {
    pub name: String,
    /// Centre on the plane, km.
    pub centre_km: [f64; 2],
    /// Radius, km; residents are spread uniformly over the disc.
    pub radius_km: f64,
    /// Adult residents (18+).
    pub adults: u32,
    /// Shares of adults aged 18–34, 35–54, 55–74 and 75+; they sum to 1.
    pub age_mix: PerAgeBand<f64>,
    /// Share of adults who live alone; the others live as couples.
    pub living_alone: f64,
    /// Social cohesion, 0–1: raises the number of neighbour ties and their trust.
    pub cohesion: f64,
    /// Trust in formal care, 0–1: the mean `formal_trust` of residents.
    pub institutional_trust: f64,
    /// Tradition of mutual aid, 0–1: raises helpfulness and lowers the reluctance to
    /// ask neighbours.
    pub mutual_aid_tradition: f64,
}

impl Default for Neighbourhood {
    fn default() -> Self {
        Neighbourhood {
            name: String::new(),
            centre_km: [0.0, 0.0],
            radius_km: 0.6,
            adults: 1000,
            age_mix: [0.27, 0.33, 0.27, 0.13],
            living_alone: 0.22,
            cohesion: 0.5,
            institutional_trust: 0.6,
            mutual_aid_tradition: 0.3,
        }
    }
}

fn neighbourhood(
    name: &str,
    centre_km: [f64; 2],
    radius_km: f64,
    adults: u32,
    age_mix: PerAgeBand<f64>,
    climate: [f64; 4],
) -> Neighbourhood {
    let [
        living_alone,
        cohesion,
        institutional_trust,
        mutual_aid_tradition,
    ] = climate;
    Neighbourhood {
        name: name.into(),
        centre_km,
        radius_km,
        adults,
        age_mix,
        living_alone,
        cohesion,
        institutional_trust,
        mutual_aid_tradition,
    }
}

/// The baseline area: five neighbourhoods of a Dutch town, 6,000 adults.
/// Climate columns: living alone, cohesion, institutional trust, mutual-aid tradition.
fn default_neighbourhoods() -> Vec<Neighbourhood> {
    vec![
        neighbourhood(
            "Centrum",
            [0.0, 0.0],
            0.7,
            1400,
            [0.35, 0.32, 0.22, 0.11],
            [0.35, 0.4, 0.6, 0.25],
        ),
        neighbourhood(
            "Tuindorp",
            [1.6, 0.4],
            0.6,
            1300,
            [0.20, 0.30, 0.32, 0.18],
            [0.22, 0.75, 0.65, 0.6],
        ),
        neighbourhood(
            "Nieuw-Oost",
            [2.2, -1.4],
            0.8,
            1300,
            [0.30, 0.45, 0.20, 0.05],
            [0.15, 0.35, 0.7, 0.2],
        ),
        neighbourhood(
            "Oude Westen",
            [-1.5, -0.8],
            0.6,
            1200,
            [0.33, 0.35, 0.22, 0.10],
            [0.30, 0.3, 0.35, 0.5],
        ),
        neighbourhood(
            "Parkwijk",
            [-0.8, 1.6],
            0.6,
            800,
            [0.12, 0.22, 0.36, 0.30],
            [0.35, 0.55, 0.6, 0.35],
        ),
    ]
}

/// An inclusive range of numbers, written `{ min = 1, max = 2 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl Range {
    pub const fn new(min: f64, max: f64) -> Self {
        Range { min, max }
    }

    /// The value a fraction `u` (0–1) of the way from min to max.
    #[inline]
    pub fn lerp(&self, u: f64) -> f64 {
        self.min + (self.max - self.min) * u
    }
}

/// Relatives and friends outside the study area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outside {
    /// Distance of outside alters from the person they are tied to, km, drawn
    /// log-uniformly (nearer places are more common).
    pub distance_km: Range,
    /// Their weekly helping capacity relative to residents of the same age, since
    /// they have obligations of their own that the model does not see.
    pub capacity_factor: f64,
}

impl Default for Outside {
    fn default() -> Self {
        Outside {
            distance_km: Range::new(10.0, 150.0),
            capacity_factor: 0.7,
        }
    }
}

/// How resident attributes are drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PopulationParams {
    /// Mean weekly hours available for helping others, by age band.
    pub capacity_mean_hours: PerAgeBand<f64>,
    /// Shape of the gamma distribution of capacity (higher: less spread).
    pub capacity_shape: f64,
    /// Mean helpfulness, 0–1 (beta distributed).
    pub helpfulness_mean: f64,
    /// Mean reluctance to ask for help, 0–1 (beta distributed).
    pub ask_reluctance_mean: f64,
    /// Concentration of the beta distributions of personal traits (higher: less spread).
    pub trait_concentration: f64,
    /// How far mutual-aid tradition moves helpfulness up and reluctance down:
    /// trait ± effect × (tradition − 0.5).
    pub mutual_aid_effect: f64,
    /// Standard deviation of the age difference between partners, years.
    pub partner_age_difference_sd_years: f64,
    /// Share of adults in each age band who live alone (CBS household
    /// statistics): weights by which the neighbourhood's `living_alone` share
    /// falls on its age bands, so that the old are more often widowed and
    /// alone (docs/ODD.md §7.1). Equal weights give every band the same share.
    pub living_alone_by_age: PerAgeBand<f64>,
    /// Of couples whose partners differ in age, the share in which the man is
    /// the older (CBS on 2017's marriages: the man older in 7 of 10, the woman
    /// in nearly 2 of 10; docs/ODD.md §7.1).
    pub man_older_share: f64,
    /// Share of women among the residents who live alone, by age band (CBS
    /// 2024: more men than women alone in their twenties to forties, 613,000
    /// women and 274,000 men alone at 70+; docs/ODD.md §7.1).
    pub women_share_living_alone: PerAgeBand<f64>,
    /// Adult mortality (Gompertz): how ages spread within a band and whether
    /// relatives are alive.
    pub mortality: crate::demography::Mortality,
}

impl Default for PopulationParams {
    fn default() -> Self {
        PopulationParams {
            capacity_mean_hours: [7.0, 12.0, 16.0, 4.5],
            capacity_shape: 2.0,
            helpfulness_mean: 0.6,
            ask_reluctance_mean: 0.55,
            trait_concentration: 6.0,
            mutual_aid_effect: 0.3,
            partner_age_difference_sd_years: 4.0,
            living_alone_by_age: [0.2; AgeBand::COUNT],
            man_older_share: 0.78,
            women_share_living_alone: [0.47, 0.40, 0.55, 0.70],
            mortality: crate::demography::Mortality::default(),
        }
    }
}

/// Where a kind of alter lives, as shares that sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalityShares {
    pub same_neighbourhood: f64,
    pub elsewhere_in_area: f64,
    pub outside: f64,
}

/// Network formation at the start (docs/ODD.md §7.4–§7.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkParams {
    /// Mean number of friends.
    pub friends_mean: f64,
    /// Share of friends living outside the area.
    pub friends_outside_share: f64,
    /// Friend choice falls as exp(−distance / this), km.
    pub friend_distance_decay_km: f64,
    /// Chance that a friend is sought in one's own age band.
    pub friend_age_homophily: f64,
    /// Mean neighbour ties at cohesion 0 and at cohesion 1 (linear in between).
    pub neighbours_mean: Range,
    /// Neighbours live within this distance in the same neighbourhood, km.
    pub neighbour_radius_km: f64,
    /// Mean number of acquaintances.
    pub acquaintances_mean: f64,
    /// Share of acquaintances living outside the area.
    pub acquaintances_outside_share: f64,
    /// Acquaintance choice falls as exp(−distance / this), km.
    pub acquaintance_distance_decay_km: f64,
    /// Mean ties to co-members per membership of an association.
    pub association_ties_per_membership: f64,
    /// Mean initial trust per tie kind; for neighbours the value at cohesion 0.
    pub initial_trust: PerKind,
    /// Neighbour trust rises by this much from cohesion 0 to cohesion 1.
    pub neighbour_trust_per_cohesion: f64,
    /// Concentration of the beta distribution of initial trust around its mean.
    pub trust_concentration: f64,
    /// Share of ties (other than partners) that also have online contact, which
    /// weakens distance for tasks that need no presence.
    pub blended_share: f64,
    /// Shape of the gamma law (mean 1) of each resident's sociability, which scales
    /// how many ties of every kind they keep up: small values spread network sizes
    /// widely and leave some residents without contacts; large values give everyone
    /// about the same network size.
    pub sociability_shape: f64,
}

impl Default for NetworkParams {
    fn default() -> Self {
        NetworkParams {
            friends_mean: 5.0,
            friends_outside_share: 0.3,
            friend_distance_decay_km: 5.0,
            friend_age_homophily: 0.6,
            neighbours_mean: Range::new(1.5, 4.5),
            neighbour_radius_km: 0.2,
            acquaintances_mean: 5.0,
            acquaintances_outside_share: 0.1,
            acquaintance_distance_decay_km: 1.0,
            association_ties_per_membership: 1.5,
            initial_trust: default_initial_trust(),
            neighbour_trust_per_cohesion: 0.35,
            trust_concentration: 12.0,
            blended_share: 0.3,
            sociability_shape: 1.0,
        }
    }
}

/// Where an organisation works: the whole area, one named neighbourhood, or one
/// instance in each neighbourhood. Written as `"area"`, `"each_neighbourhood"` or a
/// neighbourhood's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Catchment {
    Area,
    EachNeighbourhood,
    Neighbourhood(String),
}

impl Serialize for Catchment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Catchment::Area => serializer.serialize_str("area"),
            Catchment::EachNeighbourhood => serializer.serialize_str("each_neighbourhood"),
            Catchment::Neighbourhood(name) => serializer.serialize_str(name),
        }
    }
}

impl<'de> Deserialize<'de> for Catchment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.as_str() {
            "area" => Catchment::Area,
            "each_neighbourhood" => Catchment::EachNeighbourhood,
            _ => Catchment::Neighbourhood(text),
        })
    }
}

/// An association: a club, church, or care-oriented volunteer organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Association {
    pub name: String,
    /// Care-oriented associations (Zonnebloem, Red Cross, churches, Humanitas,
    /// Stichting Present) send volunteers to people in need.
    pub care_oriented: bool,
    pub catchment: Catchment,
    /// Chance that an adult of each age band is a member.
    pub membership: PerAgeBand<f64>,
    /// Share of members who volunteer for it.
    pub volunteer_share: f64,
}

impl Default for Association {
    fn default() -> Self {
        Association {
            name: String::new(),
            care_oriented: false,
            catchment: Catchment::Area,
            membership: [0.05, 0.05, 0.05, 0.05],
            volunteer_share: 0.2,
        }
    }
}

fn association(
    name: &str,
    care_oriented: bool,
    catchment: Catchment,
    membership: PerAgeBand<f64>,
    volunteer_share: f64,
) -> Association {
    Association {
        name: name.into(),
        care_oriented,
        catchment,
        membership,
        volunteer_share,
    }
}

fn default_associations() -> Vec<Association> {
    vec![
        association(
            "Zonnebloem",
            true,
            Catchment::Area,
            [0.01, 0.02, 0.06, 0.08],
            0.6,
        ),
        association("Kerk", true, Catchment::Area, [0.06, 0.08, 0.14, 0.22], 0.5),
        association(
            "Sportclub",
            false,
            Catchment::Area,
            [0.30, 0.25, 0.15, 0.04],
            0.5,
        ),
        association(
            "Buurthuis",
            false,
            Catchment::EachNeighbourhood,
            [0.04, 0.05, 0.08, 0.10],
            0.6,
        ),
        association(
            "Cultuur en hobby",
            false,
            Catchment::Area,
            [0.25, 0.25, 0.30, 0.20],
            0.6,
        ),
        association(
            "School en jeugd",
            false,
            Catchment::Area,
            [0.08, 0.35, 0.05, 0.0],
            0.6,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_through_toml() {
        let scenario = Scenario::default();
        let text = toml::to_string(&scenario).expect("serialise");
        let back: Scenario = toml::from_str(&text).expect("parse back");
        assert_eq!(back, scenario);
    }

    #[test]
    fn baseline_file_spells_out_exactly_the_defaults() {
        let baseline =
            parse_str(BASELINE_TOML, "scenarios/baseline.toml").expect("baseline is valid");
        assert_eq!(baseline, Scenario::default());
    }

    #[test]
    fn minimal_file_takes_defaults() {
        let text = "name = \"mini\"\n[[neighbourhood]]\nname = \"A\"\nadults = 200\n";
        let scenario: Scenario = toml::from_str(text).unwrap();
        assert_eq!(scenario.neighbourhoods.len(), 1);
        assert_eq!(
            scenario.neighbourhoods[0].cohesion,
            Neighbourhood::default().cohesion
        );
        assert_eq!(scenario.weeks, Scenario::default().weeks);
    }

    #[test]
    fn interventions_parse_with_defaults() {
        let text = "[[intervention]]\nkind = \"cohesion_events\"\nstart_week = 4\nneighbourhoods = [\"Tuindorp\"]\n\
                    [[intervention]]\nkind = \"help_radius\"\nradius = \"neighbourhood\"\n";
        let scenario: Scenario = toml::from_str(text).unwrap();
        assert_eq!(scenario.interventions.len(), 2);
        assert_eq!(scenario.interventions[0].start_week(), 4);
        assert!(matches!(
            scenario.interventions[0],
            Intervention::CohesionEvents { extra_neighbour_ties, .. } if extra_neighbour_ties == 1.0
        ));
        assert!(matches!(
            scenario.interventions[1],
            Intervention::HelpRadius {
                radius: HelpRadius::Neighbourhood,
                ..
            }
        ));
    }
}
