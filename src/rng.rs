//! Random streams derived from the scenario seed.
//!
//! Every random decision draws from a stream keyed by (seed, purpose, a and b), for
//! example (seed, `Stream::Friends`, person, 0) or (seed, `Stream::Asking`, week,
//! person). A stream depends only on its key, never on which thread runs it or in
//! which order, which is what makes runs byte-identical on any number of threads.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The generator every stream uses: small, fast and statistically sound.
pub type StreamRng = Xoshiro256PlusPlus;

/// What a stream is used for. Adding a purpose never changes the others' numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    Households = 1,
    Attributes = 2,
    Kin = 3,
    Friends = 4,
    Neighbours = 5,
    Acquaintances = 6,
    Memberships = 7,
    AssociationTies = 8,
    TieTrust = 9,
    OutsideAlters = 10,
    Sociability = 11,
    NeedOnset = 20,
    NeedEpisode = 21,
    Asking = 22,
    Giving = 23,
    Formal = 24,
    Exchange = 25,
    Reciprocity = 26,
    Peers = 27,
    Interventions = 28,
    InitialStrain = 29,
    Synth = 30,
    Outbound = 31,
    SmallHelp = 32,
    Referral = 33,
    /// Deaths, moves, comings of age and newcomers at the turn of a year.
    Demography = 34,
    /// Which of a parent's children is the main carer (outside parents).
    MainCarer = 35,
    /// Whether a resident asks their main carer and the main carer agrees.
    ResidentMainCarer = 36,
    /// Whether a partner who could have respite takes it this week.
    Respite = 37,
    /// Whether a tie between a parent and an adult child is one of rare
    /// contact, and its trust if so.
    RareContact = 38,
    /// Which friends visit a resident with a long-term need this week.
    FriendVisits = 39,
    Replicate = 40,
    /// Experimental designs (Latin hypercubes, Morris trajectories, Saltelli samples).
    Design = 41,
    /// The trust and online contact of a tie to a partner's parent (the asks
    /// of a child's partner for a parent's task draw from `Outbound`).
    InLaw = 42,
    /// Whether a parent outside the area lives in a nursing home: one draw per
    /// parent for life, compared with the share of their age.
    NursingHome = 43,
    /// A resident's or an outside alter's sex (docs/ODD.md §7.1).
    Sex = 44,
}

/// SplitMix64's finaliser: a bijective mix with good avalanche, the standard way to
/// turn structured keys into well-spread seeds.
#[inline]
pub const fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit key of a stream.
#[inline]
pub const fn stream_key(seed: u64, stream: Stream, a: u64, b: u64) -> u64 {
    mix64(mix64(mix64(seed ^ mix64(stream as u64)) ^ a) ^ b.wrapping_mul(0xD6E8_FEB8_6659_FD93))
}

/// A generator for one stream.
#[inline]
pub fn stream(seed: u64, stream: Stream, a: u64, b: u64) -> StreamRng {
    StreamRng::seed_from_u64(stream_key(seed, stream, a, b))
}

/// A Poisson count with the given mean (zero for a mean of zero or less).
pub fn poisson(rng: &mut StreamRng, mean: f64) -> u32 {
    use crate::laws::Poisson;
    use rand::distr::Distribution;
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).map_or(0, |d| d.sample(rng) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// docs/ODD.md §7.9 lists every stream with its number, as the code has them.
    #[test]
    fn the_odds_table_of_streams_is_the_codes() {
        use Stream::*;
        let all = [
            Households,
            Attributes,
            Kin,
            Friends,
            Neighbours,
            Acquaintances,
            Memberships,
            AssociationTies,
            TieTrust,
            OutsideAlters,
            Sociability,
            NeedOnset,
            NeedEpisode,
            Asking,
            Giving,
            Formal,
            Exchange,
            Reciprocity,
            Peers,
            Interventions,
            InitialStrain,
            Synth,
            Outbound,
            SmallHelp,
            Referral,
            Demography,
            MainCarer,
            ResidentMainCarer,
            Respite,
            RareContact,
            FriendVisits,
            Replicate,
            Design,
            InLaw,
            NursingHome,
            Sex,
        ];
        let odd = include_str!("../docs/ODD.md");
        let start = odd.find("\n### 7.9").expect("ODD has §7.9");
        let end = start + odd[start..].find("\n### 7.10").expect("ODD has §7.10");
        let rows: Vec<String> = odd[start..end]
            .lines()
            .filter_map(|line| {
                let cell = line.strip_prefix("| ")?.split(" | ").next()?;
                let (name, number) = cell.strip_suffix(')')?.split_once(" (")?;
                if !name.chars().all(|c| c.is_ascii_alphabetic()) {
                    return None;
                }
                number.parse::<u64>().ok()?;
                Some(cell.to_string())
            })
            .collect();
        let code: Vec<String> = all
            .iter()
            .map(|s| format!("{s:?} ({})", *s as u64))
            .collect();
        assert_eq!(rows, code, "§7.9's streams, in order, against the code's");
    }

    #[test]
    fn same_key_same_numbers_other_key_other_numbers() {
        let draw = |a, b| stream(7, Stream::Friends, a, b).random::<u64>();
        assert_eq!(draw(3, 0), draw(3, 0));
        assert_ne!(draw(3, 0), draw(4, 0));
        assert_ne!(draw(3, 0), draw(3, 1));
        assert_ne!(draw(3, 1), draw(1, 3), "a and b must not commute");
        assert_ne!(
            stream(7, Stream::Kin, 3, 0).random::<u64>(),
            draw(3, 0),
            "purposes must be independent"
        );
    }
}
