//! Newtype identifiers, so a resident index is never mistaken for a tie index.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$meta:meta])* $name:ident($inner:ty)) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub $inner);

        impl $name {
            /// The id as an index into the arrays it addresses.
            #[inline]
            pub const fn index(self) -> usize { self.0 as usize }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id! {
    /// A person: a resident of the area or an alter outside it. Residents of the area
    /// come first, neighbourhood by neighbourhood; outside alters follow.
    PersonId(u32)
}
id! {
    /// An undirected tie of the social graph.
    TieId(u32)
}
id! {
    /// A neighbourhood, in the order of the scenario file.
    NeighbourhoodId(u16)
}
id! {
    /// An association (one per catchment when an association is "each_neighbourhood").
    AssociationId(u32)
}

impl PersonId {
    /// Two persons lower id first: the order in which a tie keeps its ends and
    /// its balance.
    #[inline]
    pub fn ordered_pair(a: PersonId, b: PersonId) -> [PersonId; 2] {
        if a < b { [a, b] } else { [b, a] }
    }
}

impl NeighbourhoodId {
    /// Marks people who live outside the study area.
    pub const OUTSIDE: NeighbourhoodId = NeighbourhoodId(u16::MAX);

    /// True for the outside marker.
    pub const fn is_outside(self) -> bool {
        self.0 == u16::MAX
    }
}
