//! The elementary functions the model uses, from one implementation on every
//! platform.
//!
//! Rust's `f64::exp`, `ln`, `powf`, `sin`, … call the platform's C library:
//! glibc on Linux (which picks a variant by the processor's features), Apple's
//! on macOS, Microsoft's on Windows, and the pure-Rust `libm` in WebAssembly.
//! They agree to within a unit in the last place, not bit for bit: glibc's
//! `exp` and `libm`'s differ on about one argument in ten. Most such
//! differences vanish when a trait is stored as `f32`, but not all: the grid
//! sampler's `ln`, `sin` and `cos` of `f32` place a candidate a hair to one
//! side of a cell's edge or the other, and a 1-million-adult area built with
//! `libm`'s functions had one outside alter and 42 ties fewer than with
//! glibc's (session 39). So every transcendental function of the model comes
//! from here, from the `libm` crate, and a run gives the same bytes natively on
//! any system and in the browser (docs/ARCHITECTURE.md §5). Clippy's
//! `disallowed-methods` (clippy.toml) refuses the standard library's versions
//! everywhere else. `sqrt`, `floor`, `abs`, `powi` and `mul_add` are exact or
//! fully specified by IEEE 754 and stay the standard library's.

/// e^x.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// The base-10 logarithm.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// x^y.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The sine of an angle in radians.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The sine and cosine of an angle in radians, in one call (the same bits
/// as `libm`'s `sin` and `cos`, whose kernels it shares; 50 million angles
/// in [0, 2π) checked, session 39).
#[inline]
pub fn sin_cos(x: f64) -> (f64, f64) {
    libm::sincos(x)
}

/// The arctangent, in radians.
#[inline]
pub fn atan(x: f64) -> f64 {
    libm::atan(x)
}

/// The complementary error function, 1 − erf(x).
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// √(x² + y²), without overflow or underflow on the way.
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    libm::hypot(x, y)
}

/// The natural logarithm of an `f32`.
#[inline]
pub fn ln_f32(x: f32) -> f32 {
    libm::logf(x)
}

/// The sine and cosine of an `f32` angle in radians, in one call (the same
/// bits as `libm`'s `sinf` and `cosf` for every `f32` in [0, 2π), checked
/// one by one in session 39).
#[inline]
pub fn sin_cos_f32(x: f32) -> (f32, f32) {
    libm::sincosf(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At these arguments glibc's functions (x86-64 Linux) and `libm`'s round
    /// differently; the model's are `libm`'s, so a run does not depend on
    /// the C library it happens to be linked with.
    #[test]
    fn the_functions_give_libms_bits_where_c_libraries_differ() {
        assert_eq!(exp(-18.89).to_bits(), 0x3e3a_dca6_fa84_127c);
        assert_eq!(ln(0.37).to_bits(), 0xbfef_d0ea_24bf_89b8);
        assert_eq!(pow(3.33, 0.7).to_bits(), 0x4002_91cc_d393_dd78);
        assert_eq!(ln_f32(0.1665).to_bits(), 0xbfe5_7928);
        assert_eq!(sin_cos_f32(0.093_609_996).0.to_bits(), 0x3dbf_6ef3);
        assert_eq!(sin_cos_f32(0.79883).1.to_bits(), 0x3f32_9259);
    }

    #[test]
    fn the_functions_are_the_elementary_ones() {
        assert!((exp(1.0) - std::f64::consts::E).abs() < 1e-15);
        assert!((ln(10.0) - std::f64::consts::LN_10).abs() < 1e-15);
        assert!((pow(2.0, 0.5) - std::f64::consts::SQRT_2).abs() < 1e-15);
        assert!((hypot(3.0, 4.0) - 5.0).abs() < 1e-15);
        for angle in [0.1, 1.0, 2.5, 4.0, 6.2] {
            assert_eq!(sin_cos(angle), (libm::sin(angle), libm::cos(angle)));
            assert_eq!(sin(angle), libm::sin(angle));
            let a = angle as f32;
            assert_eq!(sin_cos_f32(a), (libm::sinf(a), libm::cosf(a)));
        }
        assert_eq!(log10(1000.0), 3.0);
        assert!((sin(std::f64::consts::FRAC_PI_2) - 1.0).abs() < 1e-15);
        assert!((sin_cos(std::f64::consts::PI).1 + 1.0).abs() < 1e-15);
        assert!((erfc(1.0) - 0.157_299_207_050_285_13).abs() < 1e-15);
    }
}
