//! The page's files, built into the binary: a request names one of these or
//! gets 404; nothing is read from disk by the name a client sends.

/// A file of the page.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

const ASSETS: [Asset; 6] = [
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
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("assets/app.js"),
    },
    Asset {
        name: "charts.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("assets/charts.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("assets/favicon.svg"),
    },
    Asset {
        name: "i18n.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("assets/i18n.js"),
    },
];

/// The asset called `name`, if there is one.
pub fn find(name: &str) -> Option<Asset> {
    ASSETS.iter().copied().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Locality, TieKind};

    #[test]
    fn the_page_refers_only_to_built_in_assets() {
        let page = std::str::from_utf8(find("index.html").unwrap().bytes).unwrap();
        for asset in &ASSETS {
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
        assert!(page.contains("/assets/app.js") && page.contains("/assets/style.css"));
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
