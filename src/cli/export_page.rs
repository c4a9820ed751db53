//! `carenet export-page DIR`: the teaching page as a static folder that runs the
//! model in the browser alone (WebAssembly in a web worker): for any static web
//! host, or opened from a folder or USB stick as file://.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use carenet::output::{Replace, RunFolder};
use carenet::serve::assets;
use clap::Args;

use super::Failure;

/// The command that builds the module, from the source folder.
pub const WASM_BUILD: &str = "cargo rustc --profile wasm --lib --crate-type cdylib \
     --target wasm32-unknown-unknown --no-default-features";

#[derive(Debug, Args)]
pub struct ExportPageArgs {
    /// Folder to write the page to (new, or empty; see --force).
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

fn read_module(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "cannot read the WebAssembly module {}\n  fix: build it first with `{WASM_BUILD}` \
             (rustup target add wasm32-unknown-unknown), or run scripts/export-page.sh, or name it with --wasm",
            path.display()
        )
    })?;
    if !bytes.starts_with(b"\0asm") {
        return Err(anyhow!(
            "{} is not a WebAssembly module\n  fix: name the carenet.wasm that `{WASM_BUILD}` builds",
            path.display()
        ));
    }
    Ok(bytes)
}

pub fn export_page(args: ExportPageArgs) -> Result<(), Failure> {
    let wasm = args.wasm.or_else(default_wasm).ok_or_else(|| {
        anyhow!("cannot tell where the WebAssembly module is\n  fix: name it with --wasm")
    })?;
    let module = read_module(&wasm)?;
    let replace = if args.force {
        Replace::Anything
    } else {
        Replace::OnlyCarenetRuns
    };
    let folder = RunFolder::create_with(&args.dir, replace)?;
    let assets_dir = folder.path("assets");
    std::fs::create_dir(&assets_dir)
        .with_context(|| format!("cannot create {}", assets_dir.display()))?;
    let mut bytes = 0;
    for asset in assets::exported() {
        let name = if asset.name == "index.html" {
            asset.name.to_string()
        } else {
            format!("assets/{}", asset.name)
        };
        folder.write_bytes(&name, asset.bytes)?;
        bytes += asset.bytes.len();
    }
    let script = assets::wasm_script(&module);
    folder.write_bytes(
        &format!("assets/{}", assets::WASM_SCRIPT),
        script.as_bytes(),
    )?;
    bytes += script.len();
    let target = folder.commit()?;
    println!(
        "wrote the teaching page to {} ({:.1} MB; the model {:.1} MB of it)",
        target.display(),
        bytes as f64 / 1e6,
        script.len() as f64 / 1e6
    );
    println!(
        "open {} in a browser, or put the folder on any static web host",
        target.join("index.html").display()
    );
    Ok(())
}
