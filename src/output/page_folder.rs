//! The folder `carenet export-page` writes: `index.html`, `assets/` and
//! [`PAGE_MANIFEST`], which lists every file of the page with its size and
//! SHA-256. Exporting again may replace such a folder without `--force` when
//! it holds nothing else and nothing in it was changed, as `carenet run`
//! replaces its own runs ([`check_page_replaceable`]).

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::manifest::{OutputFile, sha256_hex};

/// The page's own manifest (not `manifest.json`, which is a run's, and which
/// web hosts may take for a web-app manifest).
pub const PAGE_MANIFEST: &str = "carenet-page.json";

/// The one folder of a page: `assets/NAME`.
const ASSETS: &str = "assets";

#[derive(Debug, Serialize, Deserialize)]
struct PageManifest {
    /// The version of carenet that exported the page.
    carenet_page: String,
    /// Named `index.html` or `assets/NAME`.
    files: Vec<OutputFile>,
}

/// [`PAGE_MANIFEST`]'s text for the files of a page, each named by its path in
/// the folder (`index.html`, `assets/app.js`).
pub fn page_manifest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let manifest = PageManifest {
        carenet_page: env!("CARGO_PKG_VERSION").into(),
        files: files
            .into_iter()
            .map(|(name, bytes)| OutputFile {
                name: name.to_string(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&manifest).expect("a page manifest always serialises");
    format!("{text}\n")
}

/// Checks that `dir`, which exists, is a page `carenet export-page` wrote and
/// may be replaced without losing anything: it is empty, or its
/// [`PAGE_MANIFEST`] lists every file there (in `assets/` too) and each is
/// unchanged (size and SHA-256). The error says why not.
pub(crate) fn check_page_replaceable(dir: &Path) -> Result<(), String> {
    let metadata = fs::symlink_metadata(dir).map_err(|e| format!("it cannot be read ({e})"))?;
    if !metadata.is_dir() {
        return Err("it is not a folder".into());
    }
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none()) {
        return Ok(());
    }
    let text = fs::read_to_string(dir.join(PAGE_MANIFEST)).map_err(|_| {
        format!(
            "it has no {PAGE_MANIFEST} (the list of the files export-page writes \
             with a page; a page exported by an earlier carenet lacks it)"
        )
    })?;
    let manifest: PageManifest = serde_json::from_str(&text)
        .map_err(|e| format!("its {PAGE_MANIFEST} was not written by carenet ({e})"))?;
    for file in &manifest.files {
        let plain =
            |name: &str| !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
        let of_a_page =
            file.name == "index.html" || file.name.strip_prefix("assets/").is_some_and(plain);
        if !of_a_page {
            return Err(format!(
                "its {PAGE_MANIFEST} lists `{}`, not a file of the page",
                file.name
            ));
        }
        file.check_unchanged_in(dir, PAGE_MANIFEST, "export-page")?;
    }
    let listed = |name: &str| manifest.files.iter().any(|f| f.name == name);
    let mut foreign = Vec::new();
    for (folder, prefix) in [(dir.to_path_buf(), ""), (dir.join(ASSETS), "assets/")] {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("it cannot be read ({e})"))?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let known = if is_dir {
                name == ASSETS
            } else {
                name == PAGE_MANIFEST || listed(&name)
            };
            if !known {
                foreign.push(name);
            }
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    Err(format!(
        "it holds what export-page did not write: {}",
        foreign.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page as export-page writes it, in `dir`.
    fn write_page(dir: &Path) {
        let files: [(&str, &[u8]); 2] = [("index.html", b"<html>"), ("assets/app.js", b"go()")];
        fs::create_dir_all(dir.join(ASSETS)).unwrap();
        for (name, bytes) in files {
            fs::write(dir.join(name), bytes).unwrap();
        }
        fs::write(dir.join(PAGE_MANIFEST), page_manifest(files)).unwrap();
    }

    #[test]
    fn a_page_export_page_wrote_may_be_replaced_but_not_with_other_files() {
        let root = tempfile::tempdir().unwrap();
        let page = root.path().join("page");
        fs::create_dir(&page).unwrap();
        assert_eq!(check_page_replaceable(&page), Ok(()), "an empty folder");
        write_page(&page);
        assert_eq!(check_page_replaceable(&page), Ok(()));

        fs::write(page.join("assets/notes.txt"), b"mine").unwrap();
        let e = check_page_replaceable(&page).unwrap_err();
        assert!(e.contains("did not write: assets/notes.txt"), "{e}");
        fs::remove_file(page.join("assets/notes.txt")).unwrap();
        fs::create_dir(page.join("extra")).unwrap();
        let e = check_page_replaceable(&page).unwrap_err();
        assert!(e.contains("did not write: extra"), "{e}");
        fs::remove_dir(page.join("extra")).unwrap();

        fs::write(page.join("index.html"), b"<html>edited").unwrap();
        let e = check_page_replaceable(&page).unwrap_err();
        assert!(e.contains("index.html was changed"), "{e}");
        fs::remove_file(page.join("index.html")).unwrap();
        let e = check_page_replaceable(&page).unwrap_err();
        assert!(
            e.contains("index.html (listed in its carenet-page.json) is missing"),
            "{e}"
        );

        let run = root.path().join("run");
        fs::create_dir(&run).unwrap();
        fs::write(run.join("manifest.json"), b"{}").unwrap();
        let e = check_page_replaceable(&run).unwrap_err();
        assert!(e.starts_with("it has no carenet-page.json"), "{e}");
        fs::write(run.join(PAGE_MANIFEST), b"{\"files\": 3}").unwrap();
        let e = check_page_replaceable(&run).unwrap_err();
        assert!(e.contains("was not written by carenet"), "{e}");
        let outside =
            r#"{"carenet_page": "0.1.0", "files": [{"name": "../x", "bytes": 0, "sha256": ""}]}"#;
        fs::write(run.join(PAGE_MANIFEST), outside).unwrap();
        let e = check_page_replaceable(&run).unwrap_err();
        assert!(e.contains("lists `../x`, not a file of the page"), "{e}");
    }
}
