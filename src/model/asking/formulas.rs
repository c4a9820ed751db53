//! Asking and giving as pure formulas (docs/ODD.md §7.10.5, §7.10.6): the chance
//! to ask a tie and the chance that an asked tie helps. The rounds decide *when*
//! they apply; this file says *what* they compute, so each can be tested on its
//! own.

use super::params::{AskParams, GiveParams};
use crate::kinds::{Task, TieKind};
use crate::math::{exp, ln};

/// The logistic function: log-odds to a probability.
#[inline]
pub fn logistic(log_odds: f64) -> f64 {
    1.0 / (1.0 + exp(-log_odds))
}

/// What an asker weighs before asking one tie for one task (docs/ODD.md §7.10.5).
#[derive(Debug, Clone, Copy)]
pub struct AskSituation {
    /// Trust of the tie, 0–1.
    pub trust: f64,
    /// The asker's reluctance to ask, 0–1, after any lift by network-first intake.
    pub reluctance: f64,
    /// Acceptability of the task for the tie's kind (docs/ODD.md §7.10.17), 0–1.
    pub scope: f64,
    /// Hours the asker owes the tie already (0 if the tie owes the asker).
    pub owed_hours: f64,
    /// The tie's strain as the asker sees it, 0–1.
    pub visible_strain: f64,
    /// For an emergency: log(1 + km / distance scale) to the tie; 0 otherwise.
    pub emergency_remoteness: f64,
}

/// Owed and unreturned hours enter the odds per this many hours: the
/// coefficients `debt` and `unreturned` are per 10 hours (docs/ODD.md §7.10.5,
/// §7.10.6).
pub const HOURS_PER_BALANCE_UNIT: f64 = 10.0;

/// The hours an asker owes a tie as asking weighs them: over a tie between a
/// parent and an adult child only `debt_between_generations` of them
/// (docs/ODD.md §7.10.5).
pub fn weighed_debt(p: &AskParams, between_generations: bool, owed_hours: f64) -> f64 {
    if between_generations {
        owed_hours * p.debt_between_generations
    } else {
        owed_hours
    }
}

/// Chance that a resident asks a tie for a task.
pub fn ask_chance(p: &AskParams, s: &AskSituation) -> f64 {
    logistic(
        p.base
            + p.trust * (s.trust - 0.5)
            + p.reluctance * s.reluctance
            + p.out_of_scope * (1.0 - s.scope)
            + p.debt * (s.owed_hours / HOURS_PER_BALANCE_UNIT)
            + p.visible_strain * s.visible_strain
            + p.emergency_distance * s.emergency_remoteness,
    )
}

/// What an asked tie weighs before helping with one task (docs/ODD.md §7.10.6).
#[derive(Debug, Clone, Copy)]
pub struct GiveSituation {
    pub kind: TieKind,
    pub task: Task,
    /// The helper's helpfulness, 0–1.
    pub helpfulness: f64,
    /// The helper's age in years.
    pub helper_age: u8,
    /// Whether the helper is a woman.
    pub helper_is_woman: bool,
    /// Trust of the tie, 0–1.
    pub trust: f64,
    /// The helper's own strain, 0–1.
    pub strain: f64,
    /// Acceptability of the task for the tie's kind, 0–1.
    pub scope: f64,
    /// Distance between helper and asker, km.
    pub distance_km: f64,
    /// Whether the tie has online contact as well.
    pub blended: bool,
    /// Hours the helper has given on this tie and not had back (0 if none).
    pub unreturned_hours: f64,
    /// Weeks the asker's episode has lasted.
    pub episode_weeks: f64,
}

/// Tie kinds whose help is for the short run: they weigh unreturned help and long
/// episodes (neighbours help in emergencies, briefly, preferably reciprocally).
pub fn is_weak_tie(kind: TieKind) -> bool {
    matches!(kind, TieKind::Neighbour | TieKind::Acquaintance)
}

/// How much distance weighs for a task on a tie: fully for tasks that need
/// presence, partly for the others, and not at all when the tie has online contact.
pub fn distance_weight(p: &GiveParams, task: Task, blended: bool) -> f64 {
    if task.needs_presence() {
        1.0
    } else if blended {
        0.0
    } else {
        p.distance_without_presence
    }
}

/// The frailty of old age on the log-odds of helping: `frailty` for a helper
/// aged `frailty_age` or older, 0 for the younger.
pub fn frailty_log_odds(p: &GiveParams, helper_age: u8) -> f64 {
    if helper_age >= p.frailty_age {
        p.frailty
    } else {
        0.0
    }
}

/// The difference between women and men on the log-odds of helping: half of
/// `sex_gap` up for a woman, half down for a man.
pub fn sex_log_odds(p: &GiveParams, woman: bool) -> f64 {
    if woman {
        p.sex_gap / 2.0
    } else {
        -p.sex_gap / 2.0
    }
}

/// Chance that an asked tie helps with a task.
pub fn give_chance(p: &GiveParams, s: &GiveSituation) -> f64 {
    let distance = p.distance
        * distance_weight(p, s.task, s.blended)
        * ln(1.0 + s.distance_km / p.distance_scale_km);
    let weak = if is_weak_tie(s.kind) {
        p.unreturned * (s.unreturned_hours / HOURS_PER_BALANCE_UNIT)
            + p.long_episode * (s.episode_weeks / p.patience_weeks)
    } else {
        0.0
    };
    logistic(
        p.base
            + p.helpfulness * (s.helpfulness - 0.5)
            + frailty_log_odds(p, s.helper_age)
            + sex_log_odds(p, s.helper_is_woman)
            + p.trust * (s.trust - 0.5)
            + p.strain * s.strain
            + p.out_of_scope * (1.0 - s.scope)
            + distance
            + weak,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask() -> AskSituation {
        AskSituation {
            trust: 0.5,
            reluctance: 0.5,
            scope: 1.0,
            owed_hours: 0.0,
            visible_strain: 0.0,
            emergency_remoteness: 0.0,
        }
    }

    fn give() -> GiveSituation {
        GiveSituation {
            kind: TieKind::Neighbour,
            task: Task::Household,
            helpfulness: 0.5,
            helper_age: 50,
            helper_is_woman: false,
            trust: 0.5,
            strain: 0.0,
            scope: 1.0,
            distance_km: 0.1,
            blended: false,
            unreturned_hours: 0.0,
            episode_weeks: 1.0,
        }
    }

    #[test]
    fn asking_rises_with_trust_and_falls_with_each_hindrance() {
        let p = AskParams::default();
        let base = ask_chance(&p, &ask());
        let cases = [
            AskSituation {
                trust: 0.9,
                ..ask()
            },
            AskSituation {
                reluctance: 0.1,
                ..ask()
            },
        ];
        for c in cases {
            assert!(ask_chance(&p, &c) > base);
        }
        let hindrances = [
            AskSituation {
                reluctance: 0.9,
                ..ask()
            },
            AskSituation {
                scope: 0.2,
                ..ask()
            },
            AskSituation {
                owed_hours: 20.0,
                ..ask()
            },
            AskSituation {
                visible_strain: 0.8,
                ..ask()
            },
            AskSituation {
                emergency_remoteness: 2.0,
                ..ask()
            },
        ];
        for c in hindrances {
            assert!(ask_chance(&p, &c) < base, "{c:?}");
        }
    }

    /// Between a parent and an adult child only the set share of the owed
    /// hours weighs; over any other tie all of them.
    #[test]
    fn debt_between_generations_weighs_its_share() {
        let p = AskParams {
            debt_between_generations: 0.25,
            ..AskParams::default()
        };
        assert_eq!(weighed_debt(&p, true, 40.0), 10.0);
        assert_eq!(weighed_debt(&p, false, 40.0), 40.0);
        let by_default = AskParams::default();
        assert_eq!(weighed_debt(&by_default, true, 40.0), 40.0);
        let free = AskParams {
            debt_between_generations: 0.0,
            ..AskParams::default()
        };
        let owing = |hours| AskSituation {
            owed_hours: weighed_debt(&free, true, hours),
            ..ask()
        };
        assert_eq!(ask_chance(&free, &owing(300.0)), ask_chance(&free, &ask()));
    }

    #[test]
    fn zero_trust_still_a_probability() {
        let p = AskParams::default();
        let c = ask_chance(
            &p,
            &AskSituation {
                trust: 0.0,
                ..ask()
            },
        );
        assert!(c > 0.0 && c < ask_chance(&p, &ask()));
    }

    #[test]
    fn giving_follows_helpfulness_trust_strain_scope_and_distance() {
        let p = GiveParams::default();
        let base = give_chance(&p, &give());
        let helps = [
            GiveSituation {
                helpfulness: 0.9,
                ..give()
            },
            GiveSituation {
                trust: 0.9,
                ..give()
            },
        ];
        for s in helps {
            assert!(give_chance(&p, &s) > base, "{s:?}");
        }
        let hindrances = [
            GiveSituation {
                strain: 0.8,
                ..give()
            },
            GiveSituation {
                scope: 0.1,
                ..give()
            },
            GiveSituation {
                distance_km: 80.0,
                ..give()
            },
        ];
        for s in hindrances {
            assert!(give_chance(&p, &s) < base, "{s:?}");
        }
    }

    /// docs/ODD.md §7.10.6: women's and men's log-odds of helping differ by
    /// `sex_gap`, half above the base and half below it.
    #[test]
    fn women_help_more_readily_than_men_by_the_sex_gap_around_the_base() {
        let even = GiveParams {
            sex_gap: 0.0,
            ..GiveParams::default()
        };
        let gap = GiveParams {
            sex_gap: 2.0,
            ..GiveParams::default()
        };
        let as_sex = |woman| GiveSituation {
            helper_is_woman: woman,
            ..give()
        };
        let odds = |p: f64| ln(p / (1.0 - p));
        let base = odds(give_chance(&even, &as_sex(true)));
        assert_eq!(base, odds(give_chance(&even, &as_sex(false))));
        let woman = odds(give_chance(&gap, &as_sex(true)));
        let man = odds(give_chance(&gap, &as_sex(false)));
        assert!((woman - base - 1.0).abs() < 1e-9, "{woman} against {base}");
        assert!((base - man - 1.0).abs() < 1e-9, "{man} against {base}");
    }

    #[test]
    fn frailty_lowers_giving_from_its_age_on_and_not_before() {
        let frail = GiveParams {
            frailty: -3.0,
            frailty_age: 75,
            ..GiveParams::default()
        };
        let at = |age| GiveSituation {
            helper_age: age,
            helper_is_woman: false,
            ..give()
        };
        let odds = |p: f64| ln(p / (1.0 - p));
        assert_eq!(
            give_chance(&frail, &at(74)),
            give_chance(&GiveParams::default(), &at(74))
        );
        for age in [75, 90] {
            let drop = odds(give_chance(&GiveParams::default(), &at(age)))
                - odds(give_chance(&frail, &at(age)));
            assert!((drop - 3.0).abs() < 1e-9, "age {age}: {drop}");
        }
        assert_eq!(
            give_chance(&GiveParams::default(), &at(90)),
            give_chance(&GiveParams::default(), &at(30)),
            "no frailty by default"
        );
    }

    /// Each of the two on its own (together, either one would pass for both).
    #[test]
    fn weak_ties_weigh_unreturned_help_and_long_episodes_strong_ties_do_not() {
        let p = GiveParams::default();
        let asked = |kind, episode_weeks, unreturned_hours| GiveSituation {
            kind,
            episode_weeks,
            unreturned_hours,
            ..give()
        };
        for kind in [TieKind::Neighbour, TieKind::Acquaintance] {
            let short = give_chance(&p, &asked(kind, 1.0, 0.0));
            let unreturned = give_chance(&p, &asked(kind, 1.0, 30.0));
            let long = give_chance(&p, &asked(kind, 40.0, 0.0));
            assert!(
                unreturned < 0.5 * short,
                "{kind:?}: {unreturned} vs {short}"
            );
            assert!(long < 0.5 * short, "{kind:?}: {long} vs {short}");
        }
        for kind in [TieKind::Kin, TieKind::Friend] {
            let short = give_chance(&p, &asked(kind, 1.0, 0.0));
            assert_eq!(give_chance(&p, &asked(kind, 1.0, 30.0)), short, "{kind:?}");
            assert_eq!(give_chance(&p, &asked(kind, 40.0, 0.0)), short, "{kind:?}");
        }
    }

    #[test]
    fn online_contact_removes_distance_for_company_only() {
        let p = GiveParams::default();
        let far = |task, blended| GiveSituation {
            kind: TieKind::Kin,
            task,
            distance_km: 100.0,
            blended,
            ..give()
        };
        let near = GiveSituation {
            kind: TieKind::Kin,
            task: Task::Company,
            distance_km: 0.0,
            ..give()
        };
        let company_blended = give_chance(&p, &far(Task::Company, true));
        assert!((company_blended - give_chance(&p, &near)).abs() < 1e-12);
        assert!(give_chance(&p, &far(Task::Company, false)) < company_blended);
        assert_eq!(
            give_chance(&p, &far(Task::PersonalCare, true)),
            give_chance(&p, &far(Task::PersonalCare, false))
        );
    }
}
