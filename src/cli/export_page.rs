//! `carenet export-page DIR`: the teaching page as a static folder that runs the
//! model in the browser alone (WebAssembly in a web worker): for any static web
//! host, or opened from a folder or USB stick as file://.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use carenet::output::{OutputError, PAGE_MANIFEST, Replace, RunFolder, page_manifest};
use carenet::serve::assets;
use clap::Args;

use super::{EXIT_FAILED, EXIT_INVALID_INPUT, Failure};

mod wasm;

/// The command that builds the module, from the source folder.
pub const WASM_BUILD: &str = "cargo rustc --profile wasm --lib --crate-type cdylib \
     --target wasm32-unknown-unknown --no-default-features";

#[derive(Debug, Args)]
pub struct ExportPageArgs {
    /// Folder to write the page to: new, empty, or a page export-page wrote
    /// before (replaced; any other folder only with --force).
    dir: PathBuf,
    /// The model compiled to WebAssembly (default: the one `scripts/export-page.sh`
    /// builds, target/wasm32-unknown-unknown/wasm/carenet.wasm beside this
    /// binary's target folder).
    #[arg(long)]
    wasm: Option<PathBuf>,
    /// Replace DIR and everything in it.
    #[arg(long)]
    force: bool,
}

/// Where the build of [`WASM_BUILD`] puts the module, seen from this binary
/// (`target/release/carenet` → `target/wasm32-unknown-unknown/wasm/`).
fn default_wasm() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let target = exe.parent()?.parent()?;
    Some(target.join("wasm32-unknown-unknown/wasm/carenet.wasm"))
}

/// The functions of the module that the page's worker calls
/// (`src/serve/assets/worker.js`; `src/page/web.rs` defines them).
const PAGE_CALLS: [&str; 7] = [
    "carenet_alloc",
    "carenet_free",
    "carenet_output_ptr",
    "carenet_catalogue",
    "carenet_start",
    "carenet_step",
    "carenet_finish",
];

/// The memory the worker reads and writes the calls' JSON in.
const PAGE_MEMORY: &str = "memory";

/// What to do about a file that is not the page's module.
const MODULE_FIX: &str = "build the page with `bash scripts/export-page.sh DIR`, which builds \
     carenet.wasm from this source and exports it, or name that carenet.wasm with --wasm";

/// The module's bytes, if it is one the page can run: WebAssembly version 1
/// that imports nothing (the worker gives it nothing) and exports every
/// function the worker calls and its memory. Otherwise exit code 3, naming
/// the file and what is wrong with it.
fn read_module(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read the WebAssembly module {}\n  fix: build it first with `{WASM_BUILD}` \
             (rustup target add wasm32-unknown-unknown), or run scripts/export-page.sh, or name it with --wasm",
            path.display()
        )
    })?;
    check_module(&bytes).map_err(|problem| Failure {
        code: EXIT_INVALID_INPUT,
        error: anyhow!(
            "{} is not the carenet model the page runs: {problem}; nothing was written\n  fix: {MODULE_FIX}",
            path.display()
        ),
    })?;
    Ok(bytes)
}

/// Why a module's bytes are not a model the page can run.
fn check_module(bytes: &[u8]) -> Result<(), String> {
    let module = wasm::read(bytes).map_err(|e| format!("it is not a WebAssembly module: {e}"))?;
    let mut missing: Vec<&str> = PAGE_CALLS
        .into_iter()
        .filter(|call| !module.functions.iter().any(|f| f == call))
        .collect();
    if !module.memories.iter().any(|m| m == PAGE_MEMORY) {
        missing.push("memory");
    }
    if !missing.is_empty() {
        let exported = if module.functions.is_empty() {
            "no functions".to_string()
        } else {
            format!("only {}", module.functions.join(", "))
        };
        return Err(format!(
            "it does not export what the page calls: {} (it exports {exported})",
            missing.join(", ")
        ));
    }
    if module.imports > 0 {
        return Err(format!(
            "it imports {} functions or values from its host, and the page gives it none \
             (carenet's module is built with plain exports, not wasm-bindgen or WASI)",
            module.imports
        ));
    }
    Ok(())
}

/// `run`'s wording of a folder that is busy or cannot be one, in export-page's
/// terms (its DIR argument, not `--out`).
fn page_folder_error(error: OutputError) -> Failure {
    let message = match &error {
        OutputError::Busy { path, pid } => format!(
            "another carenet (process {pid}) is writing {} right now\n  \
             fix: wait for it to finish, or name another DIR",
            path.display()
        ),
        OutputError::NotAFolderName { path } => format!(
            "`{}` names no folder the page can be written to (the current folder, its parent \
             or the root)\n  fix: name a folder for the page, e.g. `carenet export-page ./page`",
            path.display()
        ),
        OutputError::IsAFile { path } => format!(
            "{} is a file, not a folder: the page is a folder of files and never replaces a \
             file, even with --force\n  fix: name a new folder for the page, e.g. \
             `carenet export-page ./page`, or move the file",
            path.display()
        ),
        _ => return error.into(),
    };
    Failure {
        code: EXIT_FAILED,
        error: anyhow!(message),
    }
}

pub fn export_page(args: ExportPageArgs) -> Result<(), Failure> {
    let wasm = args.wasm.or_else(default_wasm).ok_or_else(|| {
        anyhow!("cannot tell where the WebAssembly module is\n  fix: name it with --wasm")
    })?;
    let module = read_module(&wasm)?;
    let replace = if args.force {
        Replace::Anything
    } else {
        Replace::OnlyPages
    };
    let folder = RunFolder::create_with(&args.dir, replace).map_err(page_folder_error)?;
    for leftover in folder.removed_leftovers() {
        eprintln!(
            "removed {}, left behind by a carenet that was stopped",
            leftover.display()
        );
    }
    let assets_dir = folder.path("assets");
    std::fs::create_dir(&assets_dir)
        .with_context(|| format!("cannot create {}", assets_dir.display()))?;
    let script = assets::wasm_script(&module);
    let mut files: Vec<(String, &[u8])> = assets::exported()
        .into_iter()
        .map(|asset| {
            let name = if asset.name == "index.html" {
                asset.name.to_string()
            } else {
                format!("assets/{}", asset.name)
            };
            (name, asset.bytes)
        })
        .collect();
    files.push((format!("assets/{}", assets::WASM_SCRIPT), script.as_bytes()));
    let mut bytes = 0;
    for (name, contents) in &files {
        folder.write_bytes(name, contents)?;
        bytes += contents.len();
    }
    // Last, so that a folder with it is a whole page (see `Replace::OnlyPages`).
    let manifest = page_manifest(files.iter().map(|(name, bytes)| (name.as_str(), *bytes)));
    folder.write_bytes(PAGE_MANIFEST, manifest.as_bytes())?;
    let replaced = folder.replaces_previous();
    let target = folder.commit()?;
    println!(
        "wrote the teaching page to {} ({:.1} MB; the model {:.1} MB of it)",
        target.display(),
        bytes as f64 / 1e6,
        script.len() as f64 / 1e6
    );
    if replaced {
        println!("(it replaced the earlier page there)");
    }
    println!(
        "open {} in a browser, or put the folder on any static web host",
        target.join("index.html").display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wasm::tests::{exports, leb128, module};
    use super::*;

    /// A module with the page's calls and memory, and `extra` sections.
    fn page_module(extra: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let mut named: Vec<(&str, u8)> = PAGE_CALLS.iter().map(|call| (*call, 0)).collect();
        named.push((PAGE_MEMORY, 2));
        let mut sections = extra.to_vec();
        sections.push(exports(&named));
        module(&sections)
    }

    #[test]
    fn a_module_without_the_pages_calls_is_refused_with_what_it_lacks() {
        // The QA tester's 8 bytes: a valid header and nothing else.
        let e = check_module(b"\0asm\x01\0\0\0").unwrap_err();
        assert_eq!(
            e,
            "it does not export what the page calls: carenet_alloc, carenet_free, \
             carenet_output_ptr, carenet_catalogue, carenet_start, carenet_step, \
             carenet_finish, memory (it exports no functions)"
        );
        let e = check_module(b"12345678").unwrap_err();
        assert!(e.starts_with("it is not a WebAssembly module: "), "{e}");
        assert!(
            check_module(b"\0asm\x02\0\0\0")
                .unwrap_err()
                .contains("version 2")
        );
        let some = module(&[exports(&[("carenet_step", 0), ("main", 0), ("memory", 2)])]);
        let e = check_module(&some).unwrap_err();
        assert!(
            e.ends_with("carenet_start, carenet_finish (it exports only carenet_step, main)"),
            "{e}"
        );
        assert_eq!(check_module(&page_module(&[])), Ok(()));
        let importing = page_module(&[(2, leb128(3))]);
        assert!(check_module(&importing).unwrap_err().contains("imports 3"));
    }

    #[test]
    fn a_bad_module_exits_3_naming_the_file_and_the_script() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("min.wasm");
        std::fs::write(&path, b"\0asm\x01\0\0\0").unwrap();
        let Err(failure) = read_module(&path) else {
            panic!("accepted")
        };
        assert_eq!(failure.code, EXIT_INVALID_INPUT);
        let message = failure.error.to_string();
        assert!(message.starts_with(&format!("{} is not the carenet model", path.display())));
        assert!(message.contains("fix: build the page with `bash scripts/export-page.sh DIR`"));
        std::fs::write(&path, page_module(&[])).unwrap();
        assert!(read_module(&path).is_ok());
    }

    /// The calls the worker makes are the ones checked, and the model defines
    /// them: a call added to worker.js or renamed in web.rs fails here.
    #[test]
    fn the_checked_exports_are_what_the_worker_calls_and_the_model_defines() {
        let worker = include_str!("../serve/assets/worker.js");
        let mut called: Vec<&str> = worker
            .match_indices("model.")
            .map(|(at, _)| {
                let rest = &worker[at + "model.".len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .collect();
        called.sort_unstable();
        called.dedup();
        let mut checked: Vec<&str> = PAGE_CALLS.to_vec();
        checked.push(PAGE_MEMORY);
        checked.sort_unstable();
        assert_eq!(called, checked);
        let web = include_str!("../page/web.rs");
        for call in PAGE_CALLS {
            assert!(
                web.contains(&format!("extern \"C\" fn {call}(")),
                "{call} is not defined in src/page/web.rs"
            );
        }
    }
}
