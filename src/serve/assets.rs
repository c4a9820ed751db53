//! The page's files, built into the binary: a request names one of these or
//! gets 404; nothing is read from disk by the name a client sends.

/// A file of the page.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

const fn script(name: &'static str, bytes: &'static [u8]) -> Asset {
    Asset {
        name,
        content_type: "text/javascript; charset=utf-8",
        bytes,
    }
}

/// The files both hosts of the page have, the page first.
const COMMON: [Asset; 6] = [
    Asset {
        name: "index.html",
        content_type: "text/html; charset=utf-8",
        bytes: include_bytes!("assets/index.html"),
    },
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("assets/style.css"),
    },
    script("app.js", include_bytes!("assets/app.js")),
    script("charts.js", include_bytes!("assets/charts.js")),
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("assets/favicon.svg"),
    },
    script("i18n.js", include_bytes!("assets/i18n.js")),
];

/// `metrics.js`: the metric table (`crate::metrics`) for the page's labels,
/// formats and comparisons, written once from the table.
static METRICS_SCRIPT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(crate::metrics::page_script);

fn metrics_script() -> Asset {
    script("metrics.js", METRICS_SCRIPT.as_bytes())
}

/// `backend.js` of `carenet serve`: the runs come from the server's /api.
const SERVER_BACKEND: Asset = script("backend.js", include_bytes!("assets/backend-server.js"));

/// The exported page's `backend.js` and its worker: the model in WebAssembly.
const BROWSER_BACKEND: [Asset; 2] = [
    script("backend.js", include_bytes!("assets/backend-browser.js")),
    script("worker.js", include_bytes!("assets/worker.js")),
];

/// The file the page in the browser alone loads the model from: the
/// WebAssembly module as base64 text in a classic script (see
/// `backend-browser.js` for why not a .wasm file).
pub const WASM_SCRIPT: &str = "carenet-wasm.js";

/// The asset `carenet serve` answers for `/assets/NAME` (`index.html` is `/`).
pub fn find(name: &str) -> Option<Asset> {
    COMMON
        .iter()
        .chain([&SERVER_BACKEND])
        .copied()
        .chain([metrics_script()])
        .find(|a| a.name == name)
}

/// The files of the exported page (`index.html` in its folder, the others in
/// `assets/`), without [`WASM_SCRIPT`], which is made from the built module.
pub fn exported() -> Vec<Asset> {
    COMMON
        .iter()
        .chain(&BROWSER_BACKEND)
        .copied()
        .chain([metrics_script()])
        .collect()
}

/// [`WASM_SCRIPT`]'s text for a WebAssembly module.
pub fn wasm_script(module: &[u8]) -> String {
    use base64_text::encode;
    format!(
        "// The carenet model compiled to WebAssembly ({} bytes), as base64 text:\n\
         // a classic script, so that the page also runs from a folder (file://).\n\
         window.carenet = window.carenet ?? {{}};\n\
         window.carenet.wasmBase64 = \"{}\";\n",
        module.len(),
        encode(module)
    )
}

/// Base64 (RFC 4648, with padding): a few lines rather than a dependency.
mod base64_text {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[cfg(test)]
    #[test]
    fn encodes_as_rfc_4648() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(&[0xff, 0xfe, 0x00]), "//4A");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Locality, TieKind};

    #[test]
    fn the_page_refers_only_to_built_in_assets() {
        let page = std::str::from_utf8(find("index.html").unwrap().bytes).unwrap();
        for asset in COMMON
            .iter()
            .chain([&SERVER_BACKEND])
            .chain(&BROWSER_BACKEND)
        {
            // The SVG namespace is a name, not an address that is fetched.
            let text = std::str::from_utf8(asset.bytes)
                .unwrap()
                .replace("http://www.w3.org/2000/svg", "");
            assert!(
                !text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
                "{} refers to another server",
                asset.name
            );
        }
        for asset in COMMON
            .iter()
            .skip(1)
            .chain([&SERVER_BACKEND, &metrics_script()])
        {
            // Relative addresses, so that the page also works from a folder.
            assert!(
                page.contains(&format!("\"assets/{}\"", asset.name)),
                "the page does not load {}",
                asset.name
            );
        }
        assert!(
            !page.contains("type=\"module\""),
            "modules do not load from file://"
        );
        assert!(find("../Cargo.toml").is_none());
    }

    /// The keys of `data-i18n="…"` in the page and of `t("…"` in the script.
    fn used_keys() -> Vec<String> {
        let mut keys = Vec::new();
        for (asset, marker) in [("index.html", "data-i18n=\""), ("app.js", "t(\"")] {
            let text = std::str::from_utf8(find(asset).unwrap().bytes).unwrap();
            for (at, _) in text.match_indices(marker) {
                // `t("` only as the call itself, not the end of `element("`.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let piece = &text[at + marker.len()..];
                let key: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // A key ending in `_` is the prefix of keys made in the script
                // (`"kind_" + kind`); those are listed by the test.
                if !key.is_empty() && !key.ends_with('_') && piece[key.len()..].starts_with('"') {
                    keys.push(key);
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// The quoted names in `text` from `start` to the first `end` after it.
    fn names_between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
        let from = text.find(start).expect("the start") + start.len();
        let piece = &text[from..from + text[from..].find(end).expect("the end")];
        piece.split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_pages_metrics_are_in_the_metric_table() {
        let page = std::str::from_utf8(find("index.html").unwrap().bytes).unwrap();
        let app = std::str::from_utf8(find("app.js").unwrap().bytes).unwrap();
        let labelled: Vec<&str> = page
            .split("data-metric-label=\"")
            .skip(1)
            .filter_map(|piece| piece.split('"').next())
            .collect();
        let compared = names_between(app, "const COMPARED = [", "];");
        assert!(labelled.len() >= 7 && compared.len() >= 7);
        for column in labelled.iter().chain(&compared) {
            assert!(crate::metrics::find(column).is_some(), "{column}");
        }
    }

    #[test]
    fn every_setting_of_the_page_has_a_dutch_description() {
        // QA 26 §12: the Dutch page showed the settings' English descriptions.
        let strings = std::str::from_utf8(find("i18n.js").unwrap().bytes).unwrap();
        let (_, dutch) = strings.split_once("\n  nl: {").expect("a Dutch part");
        let settings = crate::page::levers::catalogue().expect("the settings");
        assert!(settings.len() >= 8);
        for setting in settings {
            let key = format!("description_{}", setting.name);
            assert!(
                dutch.contains(&format!("\n    {key}:"))
                    || dutch.contains(&format!("\n    \"{key}\":")),
                "no Dutch description for {}",
                setting.name
            );
        }
        for key in [
            "hours_short: \"u\"",
            "speed_normal: \"normaal\"",
            "wait_none:",
        ] {
            assert!(dutch.contains(key), "{key}");
        }
    }

    #[test]
    fn every_label_is_in_english_and_dutch() {
        let strings = std::str::from_utf8(find("i18n.js").unwrap().bytes).unwrap();
        let (english, dutch) = strings.split_once("\n  nl: {").expect("a Dutch part");
        let mut keys = used_keys();
        assert!(keys.len() > 40, "{keys:?}");
        // Keys the script makes from the model's vocabularies.
        keys.extend(TieKind::ALL.iter().map(|k| format!("kind_{}", k.name())));
        keys.extend(Locality::ALL.iter().map(|l| format!("gate_{}", l.name())));
        keys.extend(["off", "open", "reciprocal"].map(|e| format!("exchange_{e}")));
        keys.extend(["unlimited", "area", "neighbourhood"].map(|r| format!("radius_{r}")));
        for key in keys {
            let entry = format!("\n    {key}:");
            assert!(english.contains(&entry), "no English text for {key}");
            assert!(dutch.contains(&entry), "no Dutch text for {key}");
        }
    }
}
