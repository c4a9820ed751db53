//! The model's vocabulary: the closed sets of kinds that the rules switch on.
//!
//! Every enum here has a stable `index()` so that per-kind tables are plain arrays
//! (cheap in the weekly loop) and a `name()` that is the snake_case spelling used in
//! scenario files and CSV columns.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order (the order of `index()`).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// How many values there are.
            pub const COUNT: usize = $name::ALL.len();

            /// Position in `ALL`, for per-kind arrays.
            pub const fn index(self) -> usize { self as usize }

            /// The snake_case name used in scenario files and CSV output.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the snake_case name.
            pub fn from_name(text: &str) -> Option<Self> {
                $name::ALL.iter().copied().find(|v| v.name() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// The relationship a tie stands for (docs/ODD.md §2). The order is the strength of
    /// the relationship: when two generated ties join the same pair, the stronger kind
    /// is kept.
    TieKind {
        Partner => "partner",
        Kin => "kin",
        Friend => "friend",
        /// A fellow sufferer ("lotgenoot") met through a long-term need.
        Peer => "peer",
        /// A co-member of an association.
        Association => "association",
        /// A match made by a help exchange's coordinator.
        Volunteer => "volunteer",
        Neighbour => "neighbour",
        Acquaintance => "acquaintance",
    }
}

vocabulary! {
    /// The kinds of help a need episode asks for (docs/ODD.md §7.10.1).
    Task {
        Household => "household",
        PersonalCare => "personal_care",
        Transport => "transport",
        Administration => "administration",
        Company => "company",
        Emergency => "emergency",
    }
}

impl AgeBand {
    /// The band of an age in years (18 or more).
    pub const fn of_age(age: u8) -> AgeBand {
        match age {
            0..=34 => AgeBand::Age18To34,
            35..=54 => AgeBand::Age35To54,
            55..=74 => AgeBand::Age55To74,
            _ => AgeBand::Age75Plus,
        }
    }

    /// The youngest age in the band, and the oldest (the last band is open: its
    /// oldest is [`crate::demography::OLDEST_AGE`]).
    pub const fn ages(self) -> (u8, u8) {
        match self {
            AgeBand::Age18To34 => (18, 34),
            AgeBand::Age35To54 => (35, 54),
            AgeBand::Age55To74 => (55, 74),
            AgeBand::Age75Plus => (75, crate::demography::OLDEST_AGE),
        }
    }

    /// 55 or older: the ages of the targets' help to older people (docs/ODD.md §1.3).
    pub const fn is_older(self) -> bool {
        matches!(self, AgeBand::Age55To74 | AgeBand::Age75Plus)
    }
}

impl Task {
    /// Tasks that need the helper to be there in person, so distance counts.
    pub const fn needs_presence(self) -> bool {
        !matches!(self, Task::Administration | Task::Company)
    }
}

vocabulary! {
    /// The three kinds of need episode (docs/ODD.md §7.10.1).
    EpisodeKind {
        Emergency => "emergency",
        ShortTerm => "short_term",
        LongTerm => "long_term",
    }
}

vocabulary! {
    /// Adult age bands.
    AgeBand {
        Age18To34 => "18-34",
        Age35To54 => "35-54",
        Age55To74 => "55-74",
        Age75Plus => "75+",
    }
}

vocabulary! {
    /// What a relative is to a person, seen from that person (docs/ODD.md §7.4.1):
    /// the typed, directed kinds of a kin tie.
    KinRelation {
        /// The other is my parent.
        Parent => "parent",
        /// The other is my (adult) child.
        Child => "child",
        Sibling => "sibling",
        /// Grandparents and grandchildren, aunts, uncles, cousins, other in-laws.
        OtherKin => "other_kin",
        /// The other is my partner's parent (docs/ODD.md §7.4.1).
        ParentInLaw => "parent_in_law",
        /// The other is my child's partner.
        ChildInLaw => "child_in_law",
    }
}

impl KinRelation {
    /// The same tie seen from its other end.
    pub const fn inverse(self) -> KinRelation {
        match self {
            KinRelation::Parent => KinRelation::Child,
            KinRelation::Child => KinRelation::Parent,
            KinRelation::ParentInLaw => KinRelation::ChildInLaw,
            KinRelation::ChildInLaw => KinRelation::ParentInLaw,
            other => other,
        }
    }
}

vocabulary! {
    /// Who a carer's main receiver is to them, in CBS's categories (docs/ODD.md §9):
    /// parents-in-law count with parents and children-in-law with children, as
    /// CBS ("kind of schoonkind") and SCP ("ouders en schoonouders") count them.
    CareRelation {
        Partner => "partner",
        Parent => "parent",
        Child => "child",
        Sibling => "sibling",
        OtherKin => "other_kin",
        Friend => "friend",
        Neighbour => "neighbour",
        /// Acquaintances, peers, co-members, volunteer matches.
        Other => "other",
    }
}

impl CareRelation {
    /// The relation over a tie of `kind`; for kin, what the other is to the carer.
    pub const fn of(kind: TieKind, kin: Option<KinRelation>) -> CareRelation {
        match (kind, kin) {
            (TieKind::Partner, _) => CareRelation::Partner,
            (TieKind::Kin, Some(KinRelation::Parent | KinRelation::ParentInLaw)) => {
                CareRelation::Parent
            }
            (TieKind::Kin, Some(KinRelation::Child | KinRelation::ChildInLaw)) => {
                CareRelation::Child
            }
            (TieKind::Kin, Some(KinRelation::Sibling)) => CareRelation::Sibling,
            (TieKind::Kin, _) => CareRelation::OtherKin,
            (TieKind::Friend, _) => CareRelation::Friend,
            (TieKind::Neighbour, _) => CareRelation::Neighbour,
            _ => CareRelation::Other,
        }
    }
}

vocabulary! {
    /// How far an hour of informal help travels, between the helper's and the
    /// receiver's homes (docs/ODD.md §9): flows.csv and the outbound columns.
    DistanceBand {
        Under1Km => "under_1km",
        From1To5Km => "1_to_5km",
        From5To20Km => "5_to_20km",
        From20To50Km => "20_to_50km",
        From50Km => "50km_plus",
    }
}

impl DistanceBand {
    /// The band of a distance in km.
    pub fn of_km(km: f32) -> DistanceBand {
        match km {
            d if d < 1.0 => DistanceBand::Under1Km,
            d if d < 5.0 => DistanceBand::From1To5Km,
            d if d < 20.0 => DistanceBand::From5To20Km,
            d if d < 50.0 => DistanceBand::From20To50Km,
            _ => DistanceBand::From50Km,
        }
    }
}

vocabulary! {
    /// Ten-year age bands of carers, for the CBS age profile (CBS reports 18–24
    /// and then decades up to 85+).
    CarerAgeBand {
        Age18To24 => "18-24",
        Age25To34 => "25-34",
        Age35To44 => "35-44",
        Age45To54 => "45-54",
        Age55To64 => "55-64",
        Age65To74 => "65-74",
        Age75To84 => "75-84",
        Age85Plus => "85+",
    }
}

impl CarerAgeBand {
    /// The band of an age in years (18 or more).
    pub fn of_age(age: u8) -> CarerAgeBand {
        match age {
            0..=24 => CarerAgeBand::Age18To24,
            25..=84 => CarerAgeBand::ALL[usize::from((age - 15) / 10)],
            _ => CarerAgeBand::Age85Plus,
        }
    }
}

vocabulary! {
    /// Where an informal help hour goes, seen from the receiver (docs/ODD.md §9).
    Locality {
        SameNeighbourhood => "same_neighbourhood",
        CrossNeighbourhood => "cross_neighbourhood",
        Outside => "outside",
    }
}

/// A value for every member of a vocabulary, stored as a plain array.
pub type PerTieKind<T> = [T; TieKind::COUNT];
/// A value for every task.
pub type PerTask<T> = [T; Task::COUNT];
/// A value for every age band, youngest first.
pub type PerAgeBand<T> = [T; AgeBand::COUNT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_indices_are_positions() {
        for (i, kind) in TieKind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), i);
            assert_eq!(TieKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(Task::from_name("personal_care"), Some(Task::PersonalCare));
        assert_eq!(AgeBand::from_name("75+"), Some(AgeBand::Age75Plus));
        assert_eq!(Locality::from_name("nowhere"), None);
    }

    #[test]
    fn serde_spelling_matches_name() {
        let text = toml::to_string(&std::collections::BTreeMap::from([(
            "k",
            TieKind::Acquaintance,
        )]))
        .unwrap();
        assert_eq!(text.trim(), "k = \"acquaintance\"");
    }

    #[test]
    fn distance_bands_cover_every_distance_once() {
        let bands: Vec<&str> = [0.0, 0.99, 1.0, 4.9, 5.0, 19.9, 20.0, 49.0, 50.0, 900.0]
            .iter()
            .map(|km| DistanceBand::of_km(*km).name())
            .collect();
        assert_eq!(
            bands,
            [
                "under_1km",
                "under_1km",
                "1_to_5km",
                "1_to_5km",
                "5_to_20km",
                "5_to_20km",
                "20_to_50km",
                "20_to_50km",
                "50km_plus",
                "50km_plus"
            ]
        );
    }

    #[test]
    fn age_bands_of_ages() {
        assert_eq!(AgeBand::of_age(18), AgeBand::Age18To34);
        assert_eq!(AgeBand::of_age(54), AgeBand::Age35To54);
        assert_eq!(AgeBand::of_age(75), AgeBand::Age75Plus);
        for band in AgeBand::ALL {
            let (low, high) = band.ages();
            assert_eq!(AgeBand::of_age(low), *band);
            assert_eq!(AgeBand::of_age(high), *band);
        }
        let carer: Vec<&str> = [18, 24, 25, 34, 35, 54, 64, 65, 74, 75, 84, 85, 104]
            .iter()
            .map(|a| CarerAgeBand::of_age(*a).name())
            .collect();
        assert_eq!(
            carer,
            [
                "18-24", "18-24", "25-34", "25-34", "35-44", "45-54", "55-64", "65-74", "65-74",
                "75-84", "75-84", "85+", "85+"
            ]
        );
    }

    #[test]
    fn kin_relations_invert() {
        for relation in KinRelation::ALL {
            assert_eq!(relation.inverse().inverse(), *relation);
        }
        assert_eq!(KinRelation::Parent.inverse(), KinRelation::Child);
        assert_eq!(KinRelation::Sibling.inverse(), KinRelation::Sibling);
        assert_eq!(KinRelation::ParentInLaw.inverse(), KinRelation::ChildInLaw);
    }

    #[test]
    fn presence_tasks() {
        assert!(Task::PersonalCare.needs_presence());
        assert!(Task::Emergency.needs_presence());
        assert!(!Task::Company.needs_presence());
        assert!(!Task::Administration.needs_presence());
    }
}
