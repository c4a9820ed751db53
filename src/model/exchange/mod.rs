//! The help exchange (docs/ODD.md §7.10.7): a coordinator matches residents whose need the
//! network left unmet with residents who registered to volunteer, within the
//! office's catchment and weekly capacity. A match creates a volunteer tie, which
//! the resident may ask again in later weeks like any other tie.
//!
//! With the reciprocity rule, only residents who can offer something may ask, and
//! they register to volunteer themselves; asking then feels like a trade rather
//! than a favour, which takes part of the reluctance to ask away (Bredewold).

mod params;
pub mod step;

pub use params::HelpExchange;

use rand::RngExt;

use crate::ids::{NeighbourhoodId, PersonId};
use crate::model::asking::logistic;
use crate::model::interventions::OfficeSpec;
use crate::population::{People, flags};
use crate::rng::StreamRng;

/// Draws of the volunteer pool per request before the coordinator gives up.
pub const MATCH_TRIES: u32 = 24;

/// An open help exchange office and its volunteers.
#[derive(Debug, Clone)]
pub struct Office {
    pub spec: OfficeSpec,
    /// Registered volunteers in the catchment, in id order.
    pub volunteers: Vec<PersonId>,
}

impl Office {
    /// Opens an office with the residents of its catchment who registered.
    pub fn open(spec: OfficeSpec, people: &People) -> Office {
        let volunteers = (0..people.area_residents() as u32)
            .map(PersonId)
            .filter(|p| people.has_flag(*p, flags::EXCHANGE_VOLUNTEER))
            .filter(|p| covers(&spec, people.neighbourhood[p.index()]))
            .collect();
        Office { spec, volunteers }
    }

    pub fn covers(&self, n: NeighbourhoodId) -> bool {
        covers(&self.spec, n)
    }

    /// Registers a volunteer (the reciprocity rule makes askers offer help too).
    pub fn register(&mut self, person: PersonId) {
        if let Err(at) = self.volunteers.binary_search(&person) {
            self.volunteers.insert(at, person);
        }
    }

    /// A volunteer drawn at random among those `available` allows.
    pub fn pick_volunteer(
        &self,
        rng: &mut StreamRng,
        available: impl Fn(PersonId) -> bool,
    ) -> Option<PersonId> {
        if self.volunteers.is_empty() {
            return None;
        }
        (0..MATCH_TRIES)
            .map(|_| self.volunteers[rng.random_range(0..self.volunteers.len())])
            .find(|p| available(*p))
    }
}

fn covers(spec: &OfficeSpec, n: NeighbourhoodId) -> bool {
    spec.neighbourhood.is_none_or(|own| own == n)
}

/// Chance that a resident with unmet need turns to the exchange.
pub fn turn_to_exchange_chance(params: &HelpExchange, reluctance: f64, rule: bool) -> f64 {
    let lift = if rule {
        params.reciprocity_reluctance_lift
    } else {
        0.0
    };
    logistic(params.ask_base + params.ask_reluctance * reluctance * (1.0 - lift))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};
    use crate::scenario::Scenario;

    #[test]
    fn the_reciprocity_rule_helps_the_reluctant_most() {
        let p = HelpExchange::default();
        let reluctant_gain =
            turn_to_exchange_chance(&p, 0.9, true) - turn_to_exchange_chance(&p, 0.9, false);
        let eager_gain =
            turn_to_exchange_chance(&p, 0.1, true) - turn_to_exchange_chance(&p, 0.1, false);
        assert!(reluctant_gain > eager_gain && eager_gain > 0.0);
        assert!(turn_to_exchange_chance(&p, 0.9, false) < turn_to_exchange_chance(&p, 0.1, false));
    }

    #[test]
    fn an_office_holds_only_registered_volunteers_of_its_catchment() {
        let mut scenario = Scenario::default();
        scenario.help_exchange.volunteer_share = 0.2;
        let people = crate::population::build_residents(&scenario);
        let tuindorp = NeighbourhoodId(1);
        let office = Office::open(
            OfficeSpec {
                neighbourhood: Some(tuindorp),
                matches_per_week: 5,
                reciprocity_rule: false,
            },
            &people,
        );
        assert!(!office.volunteers.is_empty());
        assert!(office.volunteers.iter().all(|p| {
            people.neighbourhood[p.index()] == tuindorp
                && people.has_flag(*p, flags::EXCHANGE_VOLUNTEER)
        }));
        let mut rng = stream(1, Stream::Exchange, 0, 0);
        assert!(office.pick_volunteer(&mut rng, |_| false).is_none());
        let picked = office
            .pick_volunteer(&mut rng, |_| true)
            .expect("a volunteer");
        assert!(office.volunteers.contains(&picked));
    }

    #[test]
    fn registering_keeps_the_pool_sorted_and_unique() {
        let people = People::default();
        let mut office = Office::open(
            OfficeSpec {
                neighbourhood: None,
                matches_per_week: 1,
                reciprocity_rule: true,
            },
            &people,
        );
        for p in [5, 2, 9, 2] {
            office.register(PersonId(p));
        }
        assert_eq!(
            office.volunteers,
            vec![PersonId(2), PersonId(5), PersonId(9)]
        );
    }
}
