//! Builds the world of a scenario and prints its size and memory footprint: the
//! figures behind the set-up benchmark's closing note.
//!
//! `cargo run --release --example footprint -- [SCENARIO.toml]` (default: the
//! built-in baseline). Peak memory of a whole run is measured from outside, e.g.
//! with `/usr/bin/time -v carenet run ...`.

use std::time::Instant;

use carenet::World;
use carenet::network::Ties;
use carenet::population::People;
use carenet::scenario::{self, BASELINE_TOML};

fn main() -> anyhow::Result<()> {
    let scenario = match std::env::args().nth(1) {
        Some(path) => scenario::load_file(path.as_ref())?,
        None => scenario::parse_str(BASELINE_TOML, "built-in baseline")?,
    };
    let clock = Instant::now();
    let mut stages: Vec<(&str, f64)> = Vec::new();
    let world = World::build_observed(&scenario, &mut |stage| {
        stages.push((stage.describe(), clock.elapsed().as_secs_f64()))
    });
    let seconds = clock.elapsed().as_secs_f64();
    let residents = world.people.area_residents();
    let people = world.people.len();
    let ties = world.network.ties.len();
    let per_direction = world.network.bytes_per_direction();
    println!("scenario               {}", scenario.name);
    println!("threads                {}", rayon::current_num_threads());
    println!("build seconds          {seconds:.2}");
    for (i, (stage, start)) in stages.iter().enumerate() {
        let end = stages.get(i + 1).map_or(seconds, |next| next.1);
        println!("  {stage:<32} {:.2}", end - start);
    }
    println!("residents              {residents}");
    println!("outside alters         {}", people - residents);
    println!("ties                   {ties}");
    println!(
        "ties per resident      {:.2}",
        ties as f64 / residents as f64
    );
    println!("bytes per person       {}", People::BYTES_PER_PERSON);
    println!("bytes per tie          {}", Ties::BYTES_PER_TIE);
    println!("bytes per direction    {per_direction:.2}");
    println!(
        "people + graph, MB     {:.1}",
        (people * People::BYTES_PER_PERSON) as f64 / 1e6 + per_direction * 2.0 * ties as f64 / 1e6
    );
    Ok(())
}
