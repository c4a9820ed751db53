//! `network_summary.csv`: the starting network, described per neighbourhood.

use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::{Locality, PerTieKind, TieKind};
use crate::world::World;
use rayon::prelude::*;

use super::{OutputError, RunFolder};

/// The description of one neighbourhood's residents' ties.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSummaryRow {
    pub neighbourhood: String,
    pub residents: u64,
    pub cohesion: f64,
    pub institutional_trust: f64,
    pub mutual_aid_tradition: f64,
    /// Mean ties per resident, all kinds.
    pub mean_ties: f64,
    /// Mean ties per resident, by kind.
    pub mean_ties_by_kind: PerTieKind<f64>,
    /// Shares of the residents' ties by where the other end lives.
    pub tie_share: [f64; Locality::COUNT],
    /// Mean trust by kind (`None` where there are no such ties).
    pub mean_trust: PerTieKind<Option<f64>>,
    /// Mean distance by kind, km.
    pub mean_distance_km: PerTieKind<Option<f64>>,
    /// Share of residents without any tie besides a partner.
    pub isolated_share: f64,
}

#[derive(Default)]
struct Tally {
    residents: u64,
    isolated: u64,
    ties: [u64; TieKind::COUNT],
    trust: [f64; TieKind::COUNT],
    distance: [f64; TieKind::COUNT],
    locality: [u64; Locality::COUNT],
}

/// Where `other` lives, seen from a resident of `home`.
pub fn locality_of(world: &World, home: NeighbourhoodId, other: PersonId) -> Locality {
    let theirs = world.people.neighbourhood[other.index()];
    if theirs.is_outside() {
        Locality::Outside
    } else if theirs == home {
        Locality::SameNeighbourhood
    } else {
        Locality::CrossNeighbourhood
    }
}

/// Describes the network per neighbourhood, in scenario order. Each
/// neighbourhood is tallied on a thread of its own, its residents in id order,
/// so the sums are those of one pass in id order (the bytes of the table do
/// not depend on the threads).
pub fn network_summary(world: &World) -> Vec<NetworkSummaryRow> {
    let tallies: Vec<Tally> = residents_by_neighbourhood(world)
        .par_iter()
        .enumerate()
        .map(|(n, residents)| tally_of(world, NeighbourhoodId(n as u16), residents))
        .collect();
    world
        .scenario
        .neighbourhoods
        .iter()
        .zip(tallies)
        .map(|(n, tally)| {
            let residents = tally.residents.max(1) as f64;
            let all_ties: u64 = tally.ties.iter().sum();
            let per_tie = |sum: f64, count: u64| (count > 0).then(|| sum / count as f64);
            NetworkSummaryRow {
                neighbourhood: n.name.clone(),
                residents: tally.residents,
                cohesion: n.cohesion,
                institutional_trust: n.institutional_trust,
                mutual_aid_tradition: n.mutual_aid_tradition,
                mean_ties: all_ties as f64 / residents,
                mean_ties_by_kind: tally.ties.map(|count| count as f64 / residents),
                tie_share: tally
                    .locality
                    .map(|count| count as f64 / all_ties.max(1) as f64),
                mean_trust: std::array::from_fn(|k| per_tie(tally.trust[k], tally.ties[k])),
                mean_distance_km: std::array::from_fn(|k| {
                    per_tie(tally.distance[k], tally.ties[k])
                }),
                isolated_share: tally.isolated as f64 / residents,
            }
        })
        .collect()
}

/// The area's residents of each neighbourhood, in id order.
fn residents_by_neighbourhood(world: &World) -> Vec<Vec<PersonId>> {
    let mut residents = vec![Vec::new(); world.scenario.neighbourhoods.len()];
    for p in 0..world.people.area_residents() {
        residents[world.people.neighbourhood[p].index()].push(PersonId(p as u32));
    }
    residents
}

/// The ties of one neighbourhood's residents, summed in the order given.
fn tally_of(world: &World, home: NeighbourhoodId, residents: &[PersonId]) -> Tally {
    let mut tally = Tally::default();
    for &person in residents {
        tally.residents += 1;
        let row = world.network.row(person);
        if row.iter().all(|entry| entry.kind() == TieKind::Partner) {
            tally.isolated += 1;
        }
        for entry in row {
            let k = entry.kind().index();
            let t = entry.tie().index();
            tally.ties[k] += 1;
            tally.trust[k] += f64::from(world.network.ties.trust(t));
            tally.distance[k] += f64::from(world.network.ties.distance_km[t]);
            tally.locality[locality_of(world, home, entry.other).index()] += 1;
        }
    }
    tally
}

fn header() -> Vec<String> {
    let mut columns: Vec<String> = [
        "neighbourhood",
        "residents",
        "cohesion",
        "institutional_trust",
        "mutual_aid_tradition",
        "mean_ties",
    ]
    .map(String::from)
    .to_vec();
    columns.extend(TieKind::ALL.iter().map(|k| format!("mean_ties_{k}")));
    columns.extend(Locality::ALL.iter().map(|l| format!("tie_share_{l}")));
    columns.extend(TieKind::ALL.iter().map(|k| format!("mean_trust_{k}")));
    columns.extend(TieKind::ALL.iter().map(|k| format!("mean_distance_km_{k}")));
    columns.push("isolated_share".into());
    columns
}

fn record(row: &NetworkSummaryRow) -> Vec<String> {
    use super::float_cell;
    let optional = |v: &Option<f64>| v.map_or_else(String::new, float_cell);
    let mut fields = vec![
        row.neighbourhood.clone(),
        row.residents.to_string(),
        float_cell(row.cohesion),
        float_cell(row.institutional_trust),
        float_cell(row.mutual_aid_tradition),
        float_cell(row.mean_ties),
    ];
    fields.extend(row.mean_ties_by_kind.iter().copied().map(float_cell));
    fields.extend(row.tie_share.iter().copied().map(float_cell));
    fields.extend(row.mean_trust.iter().map(optional));
    fields.extend(row.mean_distance_km.iter().map(optional));
    fields.push(float_cell(row.isolated_share));
    fields
}

/// Writes `network_summary.csv` into the run folder.
pub fn write_network_summary(
    folder: &RunFolder,
    rows: &[NetworkSummaryRow],
) -> Result<(), OutputError> {
    let bytes = network_summary_csv(rows).map_err(|source| OutputError::Csv {
        path: folder.shown("network_summary.csv"),
        source,
    })?;
    folder.write_bytes("network_summary.csv", &bytes)
}

/// The bytes of `network_summary.csv`.
pub fn network_summary_csv(rows: &[NetworkSummaryRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header())?;
    for row in rows {
        out.write_record(record(row))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn header_and_records_line_up_and_shares_sum_to_one() {
        let world = World::build(&Scenario::default());
        let rows = network_summary(&world);
        assert_eq!(rows.len(), world.scenario.neighbourhoods.len());
        for row in &rows {
            assert_eq!(record(row).len(), header().len());
            assert!((row.tie_share.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            let by_kind: f64 = row.mean_ties_by_kind.iter().sum();
            assert!((by_kind - row.mean_ties).abs() < 1e-9);
        }
        let residents: u64 = rows.iter().map(|r| r.residents).sum();
        assert_eq!(residents, world.scenario.area_adults());
    }
}
