//! Set-up time: `World::build` (residents, associations, network formation) for the
//! baseline town of 6,000 adults and for an area ten times its size.
//!
//! Run with `cargo bench -p carenet-benches --bench world`. Before each
//! measurement the world's size and memory footprint are printed to stderr.

use std::hint::black_box;
use std::time::Duration;

use carenet::population::People;
use carenet::{Scenario, World};
use criterion::{Criterion, criterion_group, criterion_main};

/// The baseline town repeated `copies` times, each copy 6 km from the next on a
/// grid of up to five columns: `copies` × 6,000 adults.
fn tiled_baseline(copies: usize) -> Scenario {
    let base = Scenario::default();
    let mut scenario = base.clone();
    scenario.name = format!("baseline-x{copies}");
    scenario.neighbourhoods = (0..copies)
        .flat_map(|copy| {
            let offset = [6.0 * (copy % 5) as f64, 6.0 * (copy / 5) as f64];
            base.neighbourhoods.iter().map(move |n| {
                let mut n = n.clone();
                n.name = format!("{} {copy}", n.name);
                n.centre_km = [n.centre_km[0] + offset[0], n.centre_km[1] + offset[1]];
                n
            })
        })
        .collect();
    assert!(carenet::scenario::validate(&scenario).is_empty());
    scenario
}

fn describe(name: &str, scenario: &Scenario) {
    let world = World::build(scenario);
    let residents = world.people.area_residents();
    eprintln!(
        "{name}: {residents} residents, {} outside alters, {} ties; \
         {} bytes per person, {:.1} bytes per tie direction",
        world.people.len() - residents,
        world.network.ties.len(),
        People::BYTES_PER_PERSON,
        world.network.bytes_per_direction()
    );
}

fn world_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("world_build");
    let baseline = Scenario::default();
    describe("baseline", &baseline);
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("baseline_6000", |b| {
        b.iter(|| World::build(black_box(&baseline)))
    });

    let scaled = tiled_baseline(10);
    describe("baseline x10", &scaled);
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("baseline_x10_60000", |b| {
        b.iter(|| World::build(black_box(&scaled)))
    });
    group.finish();
}

criterion_group!(benches, world_build);
criterion_main!(benches);
