//! Where imported buurten lie. CBS's table has no coordinates, so buurten are
//! laid out as discs of their land area, in the table's order (code order, so the
//! buurten of a wijk lie side by side), in rows that make a roughly square area:
//! discs never overlap, and the layout is about as compact as discs can be set in
//! rows. Distances between buurten are therefore plausible in size (a buurt's
//! neighbours are a few hundred metres to a few km away), not their real
//! distances: an assumption the written scenario states.

/// Centres, km, for discs of these radii, centred on the origin.
pub fn shelf_layout(radii: &[f64]) -> Vec<[f64; 2]> {
    // The width of a square holding every disc's bounding square.
    let width = radii.iter().map(|r| (2.0 * r).powi(2)).sum::<f64>().sqrt();
    let mut centres = Vec::with_capacity(radii.len());
    let (mut x, mut row_y, mut row_height) = (0.0_f64, 0.0_f64, 0.0_f64);
    for &r in radii {
        if x > 0.0 && x + 2.0 * r > width {
            row_y += row_height;
            x = 0.0;
            row_height = 0.0;
        }
        centres.push([x + r, row_y + r]);
        x += 2.0 * r;
        row_height = row_height.max(2.0 * r);
    }
    let n = centres.len().max(1) as f64;
    let mean = |axis: usize| centres.iter().map(|c| c[axis]).sum::<f64>() / n;
    let (mx, my) = (mean(0), mean(1));
    centres.iter().map(|c| [c[0] - mx, c[1] - my]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discs_do_not_overlap_and_fill_a_roughly_square_area() {
        let radii: Vec<f64> = (0..200).map(|i| 0.2 + f64::from(i % 7) * 0.15).collect();
        let centres = shelf_layout(&radii);
        for i in 0..radii.len() {
            for j in i + 1..radii.len() {
                let d = ((centres[i][0] - centres[j][0]).powi(2)
                    + (centres[i][1] - centres[j][1]).powi(2))
                .sqrt();
                assert!(d + 1e-9 >= radii[i] + radii[j], "{i} and {j} overlap");
            }
        }
        let extent = |axis: usize| {
            let values = centres.iter().map(|c| c[axis]);
            values.clone().fold(f64::MIN, f64::max) - values.fold(f64::MAX, f64::min)
        };
        let (w, h) = (extent(0), extent(1));
        assert!(w / h > 0.5 && w / h < 2.0, "{w} x {h}");
        // Compact: the discs cover more than half of the bounding box.
        let discs: f64 = radii.iter().map(|r| std::f64::consts::PI * r * r).sum();
        assert!(
            discs / ((w + 2.0) * (h + 2.0)) > 0.4,
            "{discs} in {w} x {h}"
        );
    }

    #[test]
    fn one_buurt_lies_at_the_origin() {
        assert_eq!(shelf_layout(&[0.5]), vec![[0.0, 0.0]]);
    }
}
