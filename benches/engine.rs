//! One simulated week of the baseline area and of a 1-million-adult area.
//!
//! `cargo bench -p carenet-benches --bench engine`. Each iteration runs one more
//! week of an engine that is already past its burn-in, so the state (episodes,
//! strain, waiting lists) is the settled state a real run spends most of its time in.

use carenet::engine::Engine;
use carenet::scenario::Neighbourhood;
use carenet::{Scenario, World};
use criterion::{Criterion, criterion_group, criterion_main};

/// An area of `side × side` neighbourhoods of `adults` each, 2 km apart, whose
/// cohesion and trust vary across the grid.
pub fn grid_area(side: usize, adults: u32) -> Scenario {
    let base = Scenario::default();
    let neighbourhoods = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) as f64, (i / side) as f64);
            let template = &base.neighbourhoods[i % base.neighbourhoods.len()];
            Neighbourhood {
                name: format!("N{i:03}"),
                centre_km: [2.0 * x, 2.0 * y],
                radius_km: 0.9,
                adults,
                ..template.clone()
            }
        })
        .collect();
    Scenario {
        name: format!("grid{side}x{side}"),
        neighbourhoods,
        // Long enough that onsets never run out while criterion iterates.
        weeks: 20_000,
        burn_in_weeks: 0,
        ..base
    }
}

fn settled_engine(scenario: &Scenario, weeks: u32) -> Engine {
    let mut engine = Engine::new(World::build(scenario));
    for _ in 0..weeks {
        engine.step();
    }
    engine
}

fn one_week(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_week");
    let baseline = Scenario {
        weeks: 20_000,
        ..Scenario::default()
    };
    let mut engine = settled_engine(&baseline, 52);
    group.bench_function("baseline_6000_adults", |b| b.iter(|| engine.step()));

    group.sample_size(10);
    let million = grid_area(10, 10_000);
    let mut engine = settled_engine(&million, 8);
    group.bench_function("grid_1000000_adults", |b| b.iter(|| engine.step()));
    group.finish();
}

criterion_group!(benches, one_week);
criterion_main!(benches);
