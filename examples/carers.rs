//! Who the carers of a run are: a breakdown of CBS carers by hours band, partner
//! care, the kind of tie they cared over and the number of people they cared for.
//! A diagnostic for calibration (docs/ODD.md §1.3).
//!
//! `cargo run --release --example carers -- [SCENARIO.toml]`

use carenet::kinds::TieKind;
use carenet::scenario::{self, BASELINE_TOML};
use carenet::{World, engine};

fn main() -> anyhow::Result<()> {
    let scenario = match std::env::args().nth(1) {
        Some(path) => scenario::load_file(path.as_ref())?,
        None => scenario::parse_str(BASELINE_TOML, "built-in baseline")?,
    };
    let (_, engine) = engine::simulate(World::build(&scenario), &mut |_| {});
    let world = engine.world();
    let ledger = engine.ledger();
    let residents = world.people.area_residents();
    let bands = [0.0, 2.0, 4.0, 8.0, 16.0, f64::INFINITY];
    let mut by_band = vec![[0u64; 4]; bands.len() - 1];
    for r in 0..residents {
        let Some(hours) = ledger.hours_per_caring_week(r) else {
            continue;
        };
        let me = carenet::ids::PersonId(r as u32);
        let row = world.network.row(me);
        let end = |other: carenet::ids::PersonId| usize::from(me > other);
        let long = row
            .iter()
            .any(|e| ledger.direction_weeks(e.tie(), end(e.other)) >= 13);
        if !(long || hours >= 8.0) {
            continue;
        }
        let partner_hours: u64 = row
            .iter()
            .filter(|e| e.kind() == TieKind::Partner)
            .filter_map(|e| ledger.direction(e.tie(), end(e.other)).map(|d| d.hours))
            .sum();
        let receivers = row
            .iter()
            .filter(|e| ledger.direction_weeks(e.tie(), end(e.other)) > 0)
            .count();
        let b = bands
            .windows(2)
            .position(|w| hours >= w[0] && hours < w[1])
            .unwrap_or(0);
        by_band[b][0] += 1;
        by_band[b][1] += u64::from(partner_hours > 0);
        by_band[b][2] += receivers as u64;
        by_band[b][3] += u64::from(ledger.care_weeks[r]);
    }
    println!("hours/caring week   carers   with partner care   mean receivers   mean caring weeks");
    for (w, c) in bands.windows(2).zip(&by_band) {
        let n = c[0].max(1) as f64;
        println!(
            "{:>5.0}-{:<5.0}        {:>6}   {:>17.0}%   {:>14.1}   {:>17.1}",
            w[0],
            w[1],
            c[0],
            100.0 * c[1] as f64 / n,
            c[2] as f64 / n,
            c[3] as f64 / n
        );
    }
    Ok(())
}
