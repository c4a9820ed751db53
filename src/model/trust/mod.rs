//! Trust (docs/ODD.md §7.10.12): help given on a tie raises its trust a little,
//! a refusal lowers it a little. Applied by asking and giving, where answers
//! come in.

mod params;

pub use params::TrustParams;

/// Trust after help was given on a tie.
pub fn trust_after_help(p: &TrustParams, trust: f32) -> f32 {
    (trust + p.trust_gain as f32).min(1.0)
}

/// Trust after a refusal.
pub fn trust_after_refusal(p: &TrustParams, trust: f32) -> f32 {
    (trust - p.trust_loss as f32).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_moves_the_right_way_and_stays_between_0_and_1() {
        let p = TrustParams::default();
        assert!(trust_after_help(&p, 0.5) > 0.5);
        assert_eq!(trust_after_help(&p, 1.0), 1.0);
        assert!(trust_after_refusal(&p, 0.5) < 0.5);
        assert_eq!(trust_after_refusal(&p, 0.0), 0.0);
    }
}
