//! Scenario files: everything a run needs to know, with a documented default for
//! every field (see `scenarios/baseline.toml` and docs/ODD.md for the sources).
//!
//! Data flows one way: a scenario is read and checked here, then the population,
//! the network and the weekly engine only read it.

pub mod limits;
mod load;
mod path;
mod starter;
mod synth;
mod tables;
mod validate;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use load::{Problem, ScenarioError, load_file, parse_str};
pub use path::with_value;
pub use starter::starter_scenario;
pub use synth::{SynthSpec, synth_scenario};
pub use tables::{PerKind, ScopeMatrix, TaskMix, default_initial_trust};
pub use validate::validate;

use crate::kinds::{EpisodeKind, PerAgeBand, Task, TieKind};

/// The text of `scenarios/baseline.toml`, built in so that `carenet run` works from
/// any folder. It spells out every default.
pub const BASELINE_TOML: &str = include_str!("../../scenarios/baseline.toml");

/// The research settings of MODEL.md §1 as (file name without `.toml`, text), built
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
    #[serde(rename = "neighbourhood")]
    pub neighbourhoods: Vec<Neighbourhood>,
    pub outside: Outside,
    pub population: PopulationParams,
    pub network: NetworkParams,
    /// Generations: parents, children, siblings and other relatives.
    pub kinship: crate::network::KinshipParams,
    pub needs: NeedParams,
    pub behaviour: BehaviourParams,
    /// The relationship-scope matrix (MODEL.md §6).
    pub scope: ScopeMatrix,
    pub formal: FormalCare,
    pub help_exchange: HelpExchange,
    #[serde(rename = "association")]
    pub associations: Vec<Association>,
    #[serde(rename = "intervention")]
    pub interventions: Vec<Intervention>,
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
            neighbourhoods: default_neighbourhoods(),
            outside: Outside::default(),
            population: PopulationParams::default(),
            network: NetworkParams::default(),
            kinship: crate::network::KinshipParams::default(),
            needs: NeedParams::default(),
            behaviour: BehaviourParams::default(),
            scope: ScopeMatrix::default(),
            formal: FormalCare::default(),
            help_exchange: HelpExchange::default(),
            associations: default_associations(),
            interventions: Vec::new(),
        }
    }
}

impl Scenario {
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

/// Network formation at the start (MODEL.md §3).
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

/// Need episodes (MODEL.md §4). Hazards are per adult per year, by age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NeedParams {
    pub emergency_per_year: PerAgeBand<f64>,
    pub short_term_per_year: PerAgeBand<f64>,
    pub long_term_per_year: PerAgeBand<f64>,
    /// Hours of an emergency (it lasts one week).
    pub emergency_hours: Range,
    /// Length of a short-term episode, weeks.
    pub short_term_weeks: Range,
    /// Weekly hours of a short-term episode.
    pub short_term_hours: Range,
    /// Mean length of a long-term episode, weeks, by age band (exponential, at
    /// least 13 weeks).
    pub long_term_mean_weeks: PerAgeBand<f64>,
    /// Weekly hours of a long-term episode, low and high end by age band.
    pub long_term_hours_min: PerAgeBand<f64>,
    pub long_term_hours_max: PerAgeBand<f64>,
    /// Shares of weekly hours by task, per episode kind.
    pub task_mix: TaskMixes,
}

impl Default for NeedParams {
    fn default() -> Self {
        NeedParams {
            emergency_per_year: [0.3, 0.3, 0.5, 1.0],
            short_term_per_year: [0.10, 0.12, 0.20, 0.40],
            long_term_per_year: [0.004, 0.01, 0.045, 0.14],
            emergency_hours: Range::new(1.0, 2.0),
            short_term_weeks: Range::new(1.0, 6.0),
            short_term_hours: Range::new(3.0, 8.0),
            long_term_mean_weeks: [78.0, 104.0, 130.0, 156.0],
            long_term_hours_min: [4.0, 4.0, 6.0, 8.0],
            long_term_hours_max: [10.0, 12.0, 36.0, 36.0],
            task_mix: TaskMixes::default(),
        }
    }
}

impl NeedParams {
    /// Yearly onset hazard of an episode kind for an age band.
    pub fn hazard_per_year(&self, kind: EpisodeKind, band: usize) -> f64 {
        match kind {
            EpisodeKind::Emergency => self.emergency_per_year[band],
            EpisodeKind::ShortTerm => self.short_term_per_year[band],
            EpisodeKind::LongTerm => self.long_term_per_year[band],
        }
    }
}

/// Task mixes of the three episode kinds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskMixes {
    pub emergency: TaskMix,
    pub short_term: TaskMix,
    pub long_term: TaskMix,
}

impl TaskMixes {
    pub fn get(&self, kind: EpisodeKind) -> &TaskMix {
        match kind {
            EpisodeKind::Emergency => &self.emergency,
            EpisodeKind::ShortTerm => &self.short_term,
            EpisodeKind::LongTerm => &self.long_term,
        }
    }
}

impl Default for TaskMixes {
    fn default() -> Self {
        // household, personal_care, transport, administration, company, emergency
        TaskMixes {
            emergency: TaskMix([0.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
            short_term: TaskMix([0.4, 0.2, 0.2, 0.0, 0.2, 0.0]),
            long_term: TaskMix([0.3, 0.25, 0.15, 0.1, 0.2, 0.0]),
        }
    }
}

/// Coefficients of the chance that a resident asks a tie (logistic, MODEL.md §5.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AskParams {
    /// Log-odds of asking a tie of trust 0.5 with no other hindrance.
    pub base: f64,
    /// Per unit of tie trust.
    pub trust: f64,
    /// Per unit of the asker's reluctance (negative: reluctance lowers asking).
    pub reluctance: f64,
    /// Per unit of (1 − scope) of the task for the tie's kind.
    pub out_of_scope: f64,
    /// Per 10 hours the asker already owes the tie.
    pub debt: f64,
    /// Per unit of the tie's visible strain.
    pub visible_strain: f64,
    /// For emergencies: per unit of log(1 + km / `give.distance_scale_km`). One
    /// calls who can come now, which makes neighbours the emergency fallback.
    pub emergency_distance: f64,
}

impl Default for AskParams {
    fn default() -> Self {
        AskParams {
            base: 1.5,
            trust: 3.0,
            reluctance: -2.5,
            out_of_scope: -4.0,
            debt: -1.0,
            visible_strain: -2.0,
            emergency_distance: -2.0,
        }
    }
}

/// Coefficients of the chance that an asked tie helps (logistic, MODEL.md §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GiveParams {
    /// Log-odds for a helper of helpfulness 0.5 and a tie of trust 0.5.
    pub base: f64,
    /// Per unit of the helper's helpfulness.
    pub helpfulness: f64,
    /// Per unit of tie trust.
    pub trust: f64,
    /// Per unit of the helper's own strain.
    pub strain: f64,
    /// Per unit of (1 − scope).
    pub out_of_scope: f64,
    /// For tasks that need presence: per unit of log(1 + km / distance_scale_km).
    pub distance: f64,
    pub distance_scale_km: f64,
    /// Neighbours and acquaintances: per 10 unreturned hours.
    pub unreturned: f64,
    /// Neighbours and acquaintances: per `patience_weeks` of the episode's length.
    pub long_episode: f64,
    pub patience_weeks: f64,
    /// Share of the distance effect that still applies to tasks that need no
    /// presence (company, administration) on ties without online contact; ties with
    /// blended contact feel none of it.
    pub distance_without_presence: f64,
}

impl Default for GiveParams {
    fn default() -> Self {
        GiveParams {
            base: 1.0,
            helpfulness: 3.0,
            trust: 2.0,
            strain: -3.0,
            out_of_scope: -4.0,
            distance: -1.0,
            distance_scale_km: 10.0,
            unreturned: -1.5,
            long_episode: -2.5,
            patience_weeks: 4.0,
            distance_without_presence: 0.5,
        }
    }
}

/// Behaviour of residents each week (MODEL.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BehaviourParams {
    /// Asking rounds per week.
    pub ask_rounds: u32,
    /// Order in which ties are asked: the help-seeking norm.
    pub help_seeking_norm: Vec<TieKind>,
    /// Apply to formal care first for personal care, when formal trust is at least
    /// `formal_first_trust`.
    pub formal_first_for_personal_care: bool,
    pub formal_first_trust: f64,
    pub ask: AskParams,
    pub give: GiveParams,
    /// Share of capacity a helper gives without strain.
    pub comfortable_share: f64,
    /// Strain gained per week at full capacity beyond the comfortable share.
    pub strain_gain: f64,
    /// Strain lost per week when giving no more than the comfortable share.
    pub strain_recovery: f64,
    /// Strain at which a helper burns out.
    pub burnout_threshold: f64,
    /// Weeks a burnt-out helper gives nothing.
    pub burnout_weeks: u32,
    /// Strain above which a carer counts as heavily burdened, and a network as
    /// burdened at intake.
    pub burden_threshold: f64,
    /// Share of a tie's balance that fades each week.
    pub balance_fade: f64,
    /// Chance per week that a helped resident with spare capacity returns a favour.
    pub return_favour_chance: f64,
    pub return_favour_hours: f64,
    /// Trust gained by a tie per help given, and lost per refusal.
    pub trust_gain: f64,
    pub trust_loss: f64,
    /// Yearly chance that a resident with a long-term need meets a fellow sufferer.
    pub peer_tie_per_year: f64,
    /// Share of their own capacity that residents keep for others while they have a
    /// short- or long-term need themselves.
    pub capacity_in_need_share: f64,
    /// Extra weekly hours a partner can give to the partner in need, beyond the
    /// capacity for helping others (household first, MODEL.md §5.2).
    pub partner_extra_hours: f64,
    /// Weeks back in which informal help counts as the network being involved at a
    /// formal intake (MODEL.md §5.5: 4).
    pub involvement_weeks: u32,
    /// A resident without any tie of at least this trust (partner included) has no
    /// usable network and is counted as isolated in the outcomes.
    pub usable_tie_trust: f64,
}

impl Default for BehaviourParams {
    fn default() -> Self {
        BehaviourParams {
            ask_rounds: 4,
            help_seeking_norm: vec![
                TieKind::Partner,
                TieKind::Kin,
                TieKind::Friend,
                TieKind::Peer,
                TieKind::Association,
                TieKind::Volunteer,
                TieKind::Neighbour,
                TieKind::Acquaintance,
            ],
            formal_first_for_personal_care: true,
            formal_first_trust: 0.5,
            ask: AskParams::default(),
            give: GiveParams::default(),
            comfortable_share: 0.8,
            strain_gain: 0.03,
            strain_recovery: 0.05,
            burnout_threshold: 0.9,
            burnout_weeks: 8,
            burden_threshold: 0.6,
            balance_fade: 0.02,
            return_favour_chance: 0.3,
            return_favour_hours: 1.0,
            trust_gain: 0.02,
            trust_loss: 0.01,
            peer_tie_per_year: 0.5,
            capacity_in_need_share: 0.25,
            partner_extra_hours: 20.0,
            involvement_weeks: 4,
            usable_tie_trust: 0.5,
        }
    }
}

/// The district team ("wijkteam"), MODEL.md §5.5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FormalCare {
    /// Weekly professional hours per 1,000 adult residents.
    pub hours_per_1000_residents: f64,
    /// Weeks of unmet long-term need before applying, at formal trust 1 and 0
    /// (linear in between).
    pub application_delay_weeks: Range,
    /// Weekly unmet long-term hours that count as a reason to apply.
    pub min_unmet_hours: f64,
    /// Network-first intake ("eigen kracht eerst").
    pub network_first: bool,
    /// Weeks the network is activated before professional hours are assigned.
    pub activation_weeks: u32,
    /// How much of the applicant's reluctance is lifted while activated (0–1).
    pub reluctance_lift: f64,
    /// Weeks between reassessments of a client's hours.
    pub assignment_weeks: u32,
    /// Most professional hours a week one client is given (the indication's cap).
    pub max_hours_per_client: f64,
}

impl Default for FormalCare {
    fn default() -> Self {
        FormalCare {
            hours_per_1000_residents: 200.0,
            application_delay_weeks: Range::new(2.0, 20.0),
            min_unmet_hours: 2.0,
            network_first: false,
            activation_weeks: 6,
            reluctance_lift: 0.5,
            assignment_weeks: 26,
            max_hours_per_client: 6.0,
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

/// A help exchange with a coordinator (MODEL.md §5.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpExchange {
    pub enabled: bool,
    pub catchment: Catchment,
    /// Matches the coordinator can make per week (per catchment).
    pub matches_per_week: u32,
    /// Share of adults registered as volunteers.
    pub volunteer_share: f64,
    /// Only residents who offer something themselves may ask.
    pub reciprocity_rule: bool,
    /// Tasks the exchange takes on.
    pub tasks: Vec<Task>,
    /// Log-odds that a resident with unmet need in those tasks turns to the
    /// exchange, at reluctance 0.
    pub ask_base: f64,
    /// Per unit of the resident's reluctance to ask.
    pub ask_reluctance: f64,
    /// Share of that reluctance the reciprocity rule takes away: asking is a trade,
    /// not a favour (Bredewold).
    pub reciprocity_reluctance_lift: f64,
}

impl Default for HelpExchange {
    fn default() -> Self {
        HelpExchange {
            enabled: false,
            catchment: Catchment::Area,
            matches_per_week: 10,
            volunteer_share: 0.03,
            reciprocity_rule: false,
            tasks: vec![
                Task::Household,
                Task::Transport,
                Task::Administration,
                Task::Company,
            ],
            ask_base: 0.5,
            ask_reluctance: -3.0,
            reciprocity_reluctance_lift: 0.6,
        }
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

/// How far informal help may travel (the help-radius counterfactual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpRadius {
    Unlimited,
    Area,
    Neighbourhood,
}

/// A policy lever switched on from a week, for some neighbourhoods (MODEL.md §7).
/// An empty `neighbourhoods` list means every neighbourhood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Intervention {
    /// Neighbourhood barbecues and the like: more neighbour ties, more trust.
    CohesionEvents {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Mean new neighbour ties per resident.
        #[serde(default = "one")]
        extra_neighbour_ties: f64,
        /// Added to the trust of existing neighbour ties.
        #[serde(default = "tenth")]
        trust_boost: f64,
    },
    /// More members and volunteers for care-oriented associations.
    AssociationSupport {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Relative increase of membership (0.5: half as many again).
        #[serde(default = "half")]
        extra_membership: f64,
        /// Relative increase of volunteer capacity.
        #[serde(default = "half")]
        extra_volunteer_capacity: f64,
    },
    /// A help exchange with a coordinator opens.
    HelpExchange {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        #[serde(default = "ten")]
        matches_per_week: u32,
        #[serde(default)]
        reciprocity_rule: bool,
    },
    /// The district team asks the network first.
    NetworkFirst {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        #[serde(default = "six")]
        activation_weeks: u32,
    },
    /// Professional hours change (a budget cut or increase).
    FormalCapacity {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        hours_per_1000_residents: f64,
    },
    /// Volunteers, churches and migrant organisations guide residents to formal care.
    InformalGuides {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Share of the application delay that guides take away.
        #[serde(default = "half")]
        delay_reduction: f64,
    },
    /// Online contact: distance matters less for company and administration.
    BlendedContact {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        /// Share of ties with online contact from the start week.
        #[serde(default = "blended_default")]
        blended_share: f64,
    },
    /// Counterfactual: informal help only inside the own neighbourhood or area.
    HelpRadius {
        #[serde(default)]
        start_week: u32,
        #[serde(default)]
        neighbourhoods: Vec<String>,
        radius: HelpRadius,
    },
}

fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}
fn tenth() -> f64 {
    0.1
}
fn ten() -> u32 {
    10
}
fn six() -> u32 {
    6
}
fn blended_default() -> f64 {
    0.7
}

impl Intervention {
    /// The scenario-file spelling of the lever.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Intervention::CohesionEvents { .. } => "cohesion_events",
            Intervention::AssociationSupport { .. } => "association_support",
            Intervention::HelpExchange { .. } => "help_exchange",
            Intervention::NetworkFirst { .. } => "network_first",
            Intervention::FormalCapacity { .. } => "formal_capacity",
            Intervention::InformalGuides { .. } => "informal_guides",
            Intervention::BlendedContact { .. } => "blended_contact",
            Intervention::HelpRadius { .. } => "help_radius",
        }
    }

    /// First week (counted from the end of the burn-in) the lever works.
    pub fn start_week(&self) -> u32 {
        match self {
            Intervention::CohesionEvents { start_week, .. }
            | Intervention::AssociationSupport { start_week, .. }
            | Intervention::HelpExchange { start_week, .. }
            | Intervention::NetworkFirst { start_week, .. }
            | Intervention::FormalCapacity { start_week, .. }
            | Intervention::InformalGuides { start_week, .. }
            | Intervention::BlendedContact { start_week, .. }
            | Intervention::HelpRadius { start_week, .. } => *start_week,
        }
    }

    /// Target neighbourhoods by name; empty means all.
    pub fn neighbourhoods(&self) -> &[String] {
        match self {
            Intervention::CohesionEvents { neighbourhoods, .. }
            | Intervention::AssociationSupport { neighbourhoods, .. }
            | Intervention::HelpExchange { neighbourhoods, .. }
            | Intervention::NetworkFirst { neighbourhoods, .. }
            | Intervention::FormalCapacity { neighbourhoods, .. }
            | Intervention::InformalGuides { neighbourhoods, .. }
            | Intervention::BlendedContact { neighbourhoods, .. }
            | Intervention::HelpRadius { neighbourhoods, .. } => neighbourhoods,
        }
    }
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
