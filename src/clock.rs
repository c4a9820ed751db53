//! Wall-clock time for reports (phase timings, build and simulate seconds),
//! never used by the model. On WebAssembly without an operating system
//! (`wasm32-unknown-unknown`, the teaching page in a browser) there is no clock
//! and `std::time::Instant::now` would panic, so every time reads as zero there.

/// A started stopwatch.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(
    #[cfg(not(all(target_family = "wasm", target_os = "unknown")))] std::time::Instant,
);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
        return Stopwatch(std::time::Instant::now());
        #[cfg(all(target_family = "wasm", target_os = "unknown"))]
        return Stopwatch();
    }

    /// Seconds since the start (0 where there is no clock).
    pub fn seconds(&self) -> f64 {
        #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
        return self.0.elapsed().as_secs_f64();
        #[cfg(all(target_family = "wasm", target_os = "unknown"))]
        return 0.0;
    }

    /// Seconds since the start, and restarts.
    pub fn lap(&mut self) -> f64 {
        let seconds = self.seconds();
        *self = Stopwatch::start();
        seconds
    }
}
