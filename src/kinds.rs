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
    fn presence_tasks() {
        assert!(Task::PersonalCare.needs_presence());
        assert!(Task::Emergency.needs_presence());
        assert!(!Task::Company.needs_presence());
        assert!(!Task::Administration.needs_presence());
    }
}
