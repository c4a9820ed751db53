//! Charts as PNG, for slides and documents that do not take SVG.
//!
//! The SVG text of a chart is rasterised with resvg (pure Rust, no system
//! libraries). A fresh machine may have no fonts at all, and resvg silently drops
//! text it has no font for, so the charts' `sans-serif` is DejaVu Sans, built into
//! the binary from `assets/fonts/` (licence beside it) and loaded from bytes; the
//! system's fonts are never consulted, so a PNG looks the same on every machine.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// DejaVu Sans (Bitstream Vera licence, assets/fonts/LICENSE-DejaVu.txt).
const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Pixels per SVG unit: charts are 760 units wide, so their PNGs are 1,520 pixels,
/// sharp on a projector and in print.
pub const SCALE: f32 = 2.0;

/// The font database with only the bundled font, every generic family mapped to it.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = fontdb::Database::new();
            database.load_font_data(DEJAVU_SANS.to_vec());
            database.set_sans_serif_family(FAMILY);
            database.set_serif_family(FAMILY);
            database.set_monospace_family(FAMILY);
            Arc::new(database)
        })
        .clone()
}

/// The PNG bytes of an SVG document, on a white background, at [`SCALE`].
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("not a valid SVG: {e}"))?;
    let size = tree.size();
    let width = (size.width() * SCALE).ceil() as u32;
    let height = (size.height() * SCALE).ceil() as u32;
    let mut pixmap = Pixmap::new(width.max(1), height.max(1))
        .ok_or_else(|| format!("cannot make a {width} × {height} picture"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dark pixels of a rendered document (text and lines are drawn in dark ink).
    fn dark_pixels(svg: &str) -> usize {
        let png = svg_to_png(svg).expect("renders");
        let pixmap = Pixmap::decode_png(&png).expect("a PNG");
        pixmap
            .pixels()
            .iter()
            .filter(|p| u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue()) < 300)
            .count()
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font() {
        // Without a font, resvg drops text silently: an empty picture would pass
        // a test that only decodes the PNG.
        let text = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">
            <text x="5" y="28" font-family="sans-serif" font-size="24" fill="#282828">Zorg 123</text>
        </svg>"##;
        let blank = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>"#;
        assert_eq!(dark_pixels(blank), 0);
        assert!(dark_pixels(text) > 200, "the text left no ink");
    }

    #[test]
    fn size_is_the_svg_size_times_the_scale() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"></svg>"#;
        let pixmap = Pixmap::decode_png(&svg_to_png(svg).unwrap()).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (60, 40));
    }

    #[test]
    fn broken_svg_is_an_error() {
        assert!(svg_to_png("<svg").is_err());
    }
}
