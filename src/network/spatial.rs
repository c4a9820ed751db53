//! A uniform grid over the residents' homes, for sampling alters by distance.

use rand::RngExt;
use rayon::prelude::*;

use crate::ids::{NeighbourhoodId, PersonId};
use crate::kinds::AgeBand;
use crate::math::{ln_f32, sin_cos_f32};
use crate::population::{People, distance_km};

/// How far (km) a resident may lie outside their cell's square by the rounding
/// of `floor((position - origin) / cell_km)` in `f32` (below 1e-4 km in an area
/// 400 km across), with a wide safety factor: cells farther than a radius plus
/// this cannot hold anyone within the radius.
const CELL_MARGIN_KM: f32 = 1e-3;

/// The smallest cell (km): a tiny or zero radius must not make a grid of
/// millions of empty cells.
pub const MIN_CELL_KM: f32 = 0.05;

/// A resident in the grid, with what the samplers' tests read: a copy of their
/// attributes next to the cell's other members, so a candidate costs one cache
/// miss instead of one per attribute array (those misses were most of the
/// set-up's sampling time at the 1-million-adult rung).
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub id: PersonId,
    pub position: [f32; 2],
    /// Their sociability (network formation's), or 1 where none was given.
    pub sociability: f32,
    pub neighbourhood: NeighbourhoodId,
    /// Age in years.
    pub age: u8,
    pub age_band: AgeBand,
}

/// Residents bucketed by grid cell (a counting sort of the area's residents).
pub struct Grid {
    origin: [f32; 2],
    cell_km: f32,
    columns: usize,
    rows: usize,
    /// Start of each cell's members in `members`, plus the end.
    cell_start: Vec<u32>,
    members: Vec<Member>,
    /// The fullest cell's size, for rejection sampling in proportion to density.
    max_occupancy: u32,
    /// The largest distance between two residents (the box's diagonal), km.
    diameter_km: f32,
}

impl Grid {
    /// Buckets the area's residents into square cells of `cell_km`.
    pub fn new(people: &People, cell_km: f32) -> Grid {
        Self::with_sociability(people, cell_km, &[])
    }

    /// Buckets the area's residents into square cells of `cell_km`; each
    /// member carries their `sociability` (indexed by person; 1 for persons
    /// beyond its end).
    pub fn with_sociability(people: &People, cell_km: f32, sociability: &[f32]) -> Grid {
        let residents = people.area_residents();
        let mut low = [f32::INFINITY; 2];
        let mut high = [f32::NEG_INFINITY; 2];
        for p in &people.position[..residents] {
            for axis in 0..2 {
                low[axis] = low[axis].min(p[axis]);
                high[axis] = high[axis].max(p[axis]);
            }
        }
        if residents == 0 {
            low = [0.0; 2];
            high = [0.0; 2];
        }
        let columns = (((high[0] - low[0]) / cell_km).floor() as usize) + 1;
        let rows = (((high[1] - low[1]) / cell_km).floor() as usize) + 1;
        let mut grid = Grid {
            origin: low,
            cell_km,
            columns,
            rows,
            cell_start: vec![0; columns * rows + 1],
            members: Vec::new(),
            max_occupancy: 0,
            diameter_km: distance_km(low, high).max(cell_km),
        };
        let cells: Vec<usize> = people.position[..residents]
            .iter()
            .map(|p| {
                grid.cell_of(*p)
                    .expect("residents lie inside their own bounding box")
            })
            .collect();
        for cell in &cells {
            grid.cell_start[cell + 1] += 1;
        }
        for c in 0..columns * rows {
            grid.max_occupancy = grid.max_occupancy.max(grid.cell_start[c + 1]);
            grid.cell_start[c + 1] += grid.cell_start[c];
        }
        let mut fill = grid.cell_start.clone();
        let mut order = vec![PersonId(0); residents];
        for (person, cell) in cells.iter().enumerate() {
            order[fill[*cell] as usize] = PersonId(person as u32);
            fill[*cell] += 1;
        }
        drop(cells);
        grid.members = order
            .par_iter()
            .map(|&id| {
                let i = id.index();
                Member {
                    id,
                    position: people.position[i],
                    sociability: sociability.get(i).copied().unwrap_or(1.0),
                    neighbourhood: people.neighbourhood[i],
                    age: people.age[i],
                    age_band: people.age_band[i],
                }
            })
            .collect();
        grid
    }

    /// The cell of `p`, if inside the grid. No `floor` is needed (without SSE4.1
    /// it is a libm call, a few percent of the set-up): for an integer n,
    /// floor(v) < 0 exactly when v < 0 and floor(v) ≥ n exactly when v ≥ n, and
    /// for v ≥ 0 the cast truncates, which is the floor; a NaN gives cell 0 either
    /// way.
    fn cell_of(&self, p: [f32; 2]) -> Option<usize> {
        let x = (p[0] - self.origin[0]) / self.cell_km;
        let y = (p[1] - self.origin[1]) / self.cell_km;
        if x < 0.0 || y < 0.0 || x >= self.columns as f32 || y >= self.rows as f32 {
            return None;
        }
        Some(y as usize * self.columns + x as usize)
    }

    fn cell_members(&self, cell: usize) -> &[Member] {
        &self.members[self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize]
    }

    /// A resident drawn with probability proportional to exp(−d / decay_km), d being
    /// the distance from `from`, among those that `accept` allows.
    ///
    /// A point is drawn from the 2-D kernel (radius ~ Gamma(2, decay), cut at the
    /// area's diameter), a cell member is taken with probability occupancy / max
    /// occupancy, so that the choice is per person and not per cell. Returns `None`
    /// after `tries` misses, which happens only where hardly anyone qualifies.
    pub fn sample_by_distance(
        &self,
        rng: &mut impl rand::Rng,
        from: [f32; 2],
        decay_km: f32,
        tries: u32,
        accept: impl Fn(&Member) -> bool,
    ) -> Option<PersonId> {
        if self.members.is_empty() {
            return None;
        }
        for _ in 0..tries {
            let radius = self.kernel_radius(rng, decay_km);
            let (sin, cos) = sin_cos_f32(std::f32::consts::TAU * rng.random::<f32>());
            let point = [from[0] + radius * cos, from[1] + radius * sin];
            let Some(cell) = self.cell_of(point) else {
                continue;
            };
            let here = self.cell_members(cell);
            if here.is_empty() || rng.random_range(0..self.max_occupancy) >= here.len() as u32 {
                continue;
            }
            let candidate = &here[rng.random_range(0..here.len())];
            if accept(candidate) {
                return Some(candidate.id);
            }
        }
        None
    }

    /// A radius from the Gamma(2, decay) law (the radial part of a 2-D exponential
    /// kernel), redrawn while it exceeds the area's diameter.
    fn kernel_radius(&self, rng: &mut impl rand::Rng, decay_km: f32) -> f32 {
        for _ in 0..64 {
            // The product of two uniforms on (0, 1] gives the sum of two exponentials.
            let u = (1.0 - rng.random::<f32>()) * (1.0 - rng.random::<f32>());
            let radius = -decay_km * ln_f32(u);
            if radius <= self.diameter_km {
                return radius;
            }
        }
        rng.random::<f32>() * self.diameter_km
    }

    /// A resident within `radius_km` of `from` (uniformly among those `accept` allows).
    pub fn sample_within(
        &self,
        rng: &mut impl rand::Rng,
        from: [f32; 2],
        radius_km: f32,
        tries: u32,
        accept: impl Fn(&Member) -> bool,
    ) -> Option<PersonId> {
        let centre = self.cell_of(from)?;
        let reach = (radius_km / self.cell_km).ceil() as isize;
        let (cx, cy) = (
            (centre % self.columns) as isize,
            (centre / self.columns) as isize,
        );
        let mut block = Vec::with_capacity(((2 * reach + 1) * (2 * reach + 1)) as usize);
        let mut total = 0u32;
        for y in (cy - reach).max(0)..=(cy + reach).min(self.rows as isize - 1) {
            for x in (cx - reach).max(0)..=(cx + reach).min(self.columns as isize - 1) {
                let cell = y as usize * self.columns + x as usize;
                total += self.cell_members(cell).len() as u32;
                block.push((total, cell));
            }
        }
        if total == 0 {
            return None;
        }
        for _ in 0..tries {
            let pick = rng.random_range(0..total);
            let slot = block.partition_point(|(end, _)| *end <= pick);
            let (end, cell) = block[slot];
            let here = self.cell_members(cell);
            let candidate = &here[here.len() - (end - pick) as usize];
            if accept(candidate) && distance_km(candidate.position, from) <= radius_km {
                return Some(candidate.id);
            }
        }
        None
    }

    /// Whether any resident lives within `radius_km` of `point`.
    ///
    /// Looks in the point's own cell first and then only in the cells that
    /// reach within the radius (with a margin far above the rounding of a
    /// position into its cell), so the answer is that of looking at every cell
    /// of the block, at a fraction of the distances (a fifth of the set-up time
    /// at the 1-million-adult rung went here).
    pub fn any_within(&self, point: [f32; 2], radius_km: f32) -> bool {
        let reach = (radius_km / self.cell_km).ceil() as isize;
        let x = floor_to_isize((point[0] - self.origin[0]) / self.cell_km);
        let y = floor_to_isize((point[1] - self.origin[1]) / self.cell_km);
        let columns = self.columns as isize;
        let rows = self.rows as isize;
        if x + reach < 0 || y + reach < 0 || x - reach >= columns || y - reach >= rows {
            return false;
        }
        let found_in = |cx: isize, cy: isize| {
            let cell = cy as usize * self.columns + cx as usize;
            self.cell_members(cell)
                .iter()
                .any(|m| distance_km(m.position, point) <= radius_km)
        };
        if (0..columns).contains(&x) && (0..rows).contains(&y) && found_in(x, y) {
            return true;
        }
        let within = radius_km + CELL_MARGIN_KM;
        for cy in (y - reach).max(0)..=(y + reach).min(rows - 1) {
            for cx in (x - reach).max(0)..=(x + reach).min(columns - 1) {
                if (cx, cy) == (x, y) || self.gap_to_cell(point, cx, cy) > within {
                    continue;
                }
                if found_in(cx, cy) {
                    return true;
                }
            }
        }
        false
    }

    /// Distance from `point` to the nearest point of cell (`cx`, `cy`)'s square
    /// (0 inside it).
    fn gap_to_cell(&self, point: [f32; 2], cx: isize, cy: isize) -> f32 {
        let gap = |p: f32, origin: f32, c: isize| {
            let low = origin + c as f32 * self.cell_km;
            (low - p).max(p - (low + self.cell_km)).max(0.0)
        };
        let (dx, dy) = (
            gap(point[0], self.origin[0], cx),
            gap(point[1], self.origin[1], cy),
        );
        (dx * dx + dy * dy).sqrt()
    }
}

/// `v.floor() as isize` without the libm call: the cast truncates toward zero,
/// which is one too high for a negative non-integer. Saturates like the cast
/// (a NaN gives 0).
#[inline]
fn floor_to_isize(v: f32) -> isize {
    let t = v as isize;
    if (t as f32) > v {
        t.saturating_sub(1)
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::tiny_people;
    use crate::rng::{Stream, stream};

    /// The floors without libm give the cast of `floor()`, for negatives,
    /// integers, values next to integers, huge values, infinities and NaN.
    #[test]
    fn floors_without_libm_are_the_floor() {
        let mut rng = stream(3, Stream::Friends, 0, 0);
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            1e-30,
            -1e-30,
            8_388_608.5,
            -8_388_608.5,
            1e20,
            -1e20,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            f32::MAX,
            f32::MIN,
        ];
        for i in -300..300 {
            let v = i as f32 / 7.0;
            values.extend([v, v.next_up(), v.next_down(), i as f32]);
        }
        values.extend((0..10_000).map(|_| 2_000.0 * (rng.random::<f32>() - 0.5)));
        for v in values {
            assert_eq!(floor_to_isize(v), v.floor() as isize, "{v}");
        }
        let mut people = tiny_people(50);
        for p in people.position.iter_mut() {
            *p = [rng.random::<f32>() * 3.0, rng.random::<f32>() * 2.0];
        }
        let grid = Grid::new(&people, 0.3);
        let reference = |p: [f32; 2]| {
            let x = ((p[0] - grid.origin[0]) / grid.cell_km).floor();
            let y = ((p[1] - grid.origin[1]) / grid.cell_km).floor();
            if x < 0.0 || y < 0.0 || x >= grid.columns as f32 || y >= grid.rows as f32 {
                return None;
            }
            Some(y as usize * grid.columns + x as usize)
        };
        let mut points: Vec<[f32; 2]> = (0..20_000)
            .map(|_| {
                [
                    rng.random::<f32>() * 4.0 - 0.5,
                    rng.random::<f32>() * 3.0 - 0.5,
                ]
            })
            .collect();
        points.extend([[f32::NAN, 1.0], [f32::INFINITY, 0.5], [-0.0, -0.0]]);
        for c in 0..=grid.columns {
            let edge = grid.origin[0] + c as f32 * grid.cell_km;
            points.extend([[edge, 0.5], [edge.next_up(), 0.5], [edge.next_down(), 0.5]]);
        }
        for p in points {
            assert_eq!(grid.cell_of(p), reference(p), "{p:?}");
        }
    }

    /// Looking only at the cells that reach within the radius gives the answer
    /// of looking at every resident, also for points on cell edges, beyond the
    /// area and exactly at the radius from a resident.
    #[test]
    fn any_within_agrees_with_looking_at_everyone() {
        let mut rng = stream(7, Stream::Friends, 0, 0);
        let mut people = tiny_people(400);
        for p in people.position.iter_mut() {
            *p = [
                100.0 + 3.0 * rng.random::<f32>(),
                50.0 + 2.0 * rng.random::<f32>(),
            ];
        }
        let grid = Grid::new(&people, 0.2);
        let everyone = |point: [f32; 2], radius: f32| {
            people
                .position
                .iter()
                .any(|q| distance_km(*q, point) <= radius)
        };
        let mut points: Vec<[f32; 2]> = (0..3000)
            .map(|_| {
                [
                    99.5 + 4.0 * rng.random::<f32>(),
                    49.5 + 3.0 * rng.random::<f32>(),
                ]
            })
            .collect();
        points.extend((0..40).map(|i| [100.0 + 0.2 * i as f32, 50.0 + 0.1 * i as f32]));
        let mut hits = 0;
        for point in points {
            for radius in [0.01, 0.05, 0.25, 0.6] {
                let expected = everyone(point, radius);
                assert_eq!(grid.any_within(point, radius), expected, "{point:?}");
                hits += usize::from(expected);
            }
        }
        let q = people.position[17];
        let at = [q[0] + 0.25, q[1]];
        let exact = distance_km(q, at);
        assert_eq!(grid.any_within(at, exact), everyone(at, exact));
        assert!(hits > 1000, "the test looks at both answers");
    }
}
