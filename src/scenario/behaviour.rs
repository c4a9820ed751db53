//! The `[behaviour]` table: one flat table in the scenario file, parameters of
//! several submodels in the code. Each submodel owns its part (struct, `Default`,
//! range checks) in its folder under `src/model/`; this file only maps the keys of
//! the table onto those parts, so a file written before the split still reads the
//! same, and a default is set in one place: the submodel's `Default`.

use serde::{Deserialize, Serialize};

use crate::kinds::{Task, TieKind};
use crate::model::asking::{AskParams, AskingParams, GiveParams};
use crate::model::household::HouseholdParams;
use crate::model::measures::MeasureParams;
use crate::model::peers::PeerParams;
use crate::model::reciprocity::ReciprocityParams;
use crate::model::strain::StrainParams;
use crate::model::trust::TrustParams;

/// Behaviour of residents each week (docs/ODD.md §7.10), by submodel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "BehaviourTable", into = "BehaviourTable")]
pub struct BehaviourParams {
    pub asking: AskingParams,
    pub household: HouseholdParams,
    pub strain: StrainParams,
    pub reciprocity: ReciprocityParams,
    pub trust: TrustParams,
    pub peers: PeerParams,
    pub measures: MeasureParams,
}

/// The keys of `[behaviour]` as the file spells them, in the file's order (the
/// order of `scenario.toml` in a run folder). Documented on the submodels' fields.
#[derive(Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct BehaviourTable {
    ask_rounds: u32,
    help_seeking_norm: Vec<TieKind>,
    task_norms: std::collections::BTreeMap<Task, Vec<TieKind>>,
    formal_first_for_personal_care: bool,
    formal_first_trust: f64,
    take_on_long_term: bool,
    ask: AskParams,
    give: GiveParams,
    comfortable_share: f64,
    strain_gain: f64,
    strain_recovery: f64,
    burnout_threshold: f64,
    burnout_weeks: u32,
    burnout_keeps_main_care: bool,
    burden_threshold: f64,
    balance_fade: f64,
    return_favour_chance: f64,
    return_favour_hours: f64,
    trust_gain: f64,
    trust_loss: f64,
    peer_tie_per_year: f64,
    capacity_in_need_share: f64,
    capacity_in_long_term_need_share: f64,
    partner_extra_hours: f64,
    usual_help_tasks: Vec<Task>,
    usual_help_share: f64,
    involvement_weeks: u32,
    involvement_min_weeks: u32,
    usable_tie_trust: f64,
}

impl Default for BehaviourTable {
    fn default() -> Self {
        BehaviourParams::default().into()
    }
}

impl From<BehaviourTable> for BehaviourParams {
    fn from(t: BehaviourTable) -> Self {
        BehaviourParams {
            asking: AskingParams {
                ask_rounds: t.ask_rounds,
                help_seeking_norm: t.help_seeking_norm,
                task_norms: t.task_norms,
                formal_first_for_personal_care: t.formal_first_for_personal_care,
                formal_first_trust: t.formal_first_trust,
                take_on_long_term: t.take_on_long_term,
                ask: t.ask,
                give: t.give,
            },
            household: HouseholdParams {
                partner_extra_hours: t.partner_extra_hours,
                usual_help_tasks: t.usual_help_tasks,
                usual_help_share: t.usual_help_share,
            },
            strain: StrainParams {
                comfortable_share: t.comfortable_share,
                strain_gain: t.strain_gain,
                strain_recovery: t.strain_recovery,
                burnout_threshold: t.burnout_threshold,
                burnout_weeks: t.burnout_weeks,
                burnout_keeps_main_care: t.burnout_keeps_main_care,
                capacity_in_need_share: t.capacity_in_need_share,
                capacity_in_long_term_need_share: t.capacity_in_long_term_need_share,
            },
            reciprocity: ReciprocityParams {
                balance_fade: t.balance_fade,
                return_favour_chance: t.return_favour_chance,
                return_favour_hours: t.return_favour_hours,
            },
            trust: TrustParams {
                trust_gain: t.trust_gain,
                trust_loss: t.trust_loss,
            },
            peers: PeerParams {
                peer_tie_per_year: t.peer_tie_per_year,
            },
            measures: MeasureParams {
                burden_threshold: t.burden_threshold,
                involvement_weeks: t.involvement_weeks,
                involvement_min_weeks: t.involvement_min_weeks,
                usable_tie_trust: t.usable_tie_trust,
            },
        }
    }
}

impl From<BehaviourParams> for BehaviourTable {
    fn from(b: BehaviourParams) -> Self {
        BehaviourTable {
            ask_rounds: b.asking.ask_rounds,
            help_seeking_norm: b.asking.help_seeking_norm,
            task_norms: b.asking.task_norms,
            formal_first_for_personal_care: b.asking.formal_first_for_personal_care,
            formal_first_trust: b.asking.formal_first_trust,
            take_on_long_term: b.asking.take_on_long_term,
            ask: b.asking.ask,
            give: b.asking.give,
            comfortable_share: b.strain.comfortable_share,
            strain_gain: b.strain.strain_gain,
            strain_recovery: b.strain.strain_recovery,
            burnout_threshold: b.strain.burnout_threshold,
            burnout_weeks: b.strain.burnout_weeks,
            burnout_keeps_main_care: b.strain.burnout_keeps_main_care,
            burden_threshold: b.measures.burden_threshold,
            balance_fade: b.reciprocity.balance_fade,
            return_favour_chance: b.reciprocity.return_favour_chance,
            return_favour_hours: b.reciprocity.return_favour_hours,
            trust_gain: b.trust.trust_gain,
            trust_loss: b.trust.trust_loss,
            peer_tie_per_year: b.peers.peer_tie_per_year,
            capacity_in_need_share: b.strain.capacity_in_need_share,
            capacity_in_long_term_need_share: b.strain.capacity_in_long_term_need_share,
            partner_extra_hours: b.household.partner_extra_hours,
            usual_help_tasks: b.household.usual_help_tasks,
            usual_help_share: b.household.usual_help_share,
            involvement_weeks: b.measures.involvement_weeks,
            involvement_min_weeks: b.measures.involvement_min_weeks,
            usable_tie_trust: b.measures.usable_tie_trust,
        }
    }
}

impl BehaviourParams {
    /// Range checks of `[behaviour]`, each part by its submodel.
    pub(crate) fn check(&self, c: &mut super::Checker) {
        self.asking.check(c);
        self.household.check(c);
        self.strain.check(c);
        self.measures.check(c);
        self.reciprocity.check(c);
        self.trust.check(c);
        self.peers.check(c);
    }
}
