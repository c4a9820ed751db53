//! Records the git commit carenet is built from, and whether the working tree
//! had uncommitted changes, for `carenet --version` and run manifests.
//!
//! Built from a git checkout, git is asked; built from a crates.io package
//! (no `.git`), `cargo package` left the same facts in `.cargo_vcs_info.json`;
//! with neither, the version says the commit is unknown. A checkout is used
//! only if it is this package's own: an unpacked package inside some other git
//! repository must not report that repository's commit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_string())
}

/// The commit and dirty flag of the git checkout whose top is `dir`.
fn from_git(dir: &Path) -> Option<(String, bool)> {
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    // Cargo reruns this script when the commit, the branch or the index moves,
    // or a file under the package's sources changes (the dirty flag). Paths are
    // asked of git: in a worktree `.git` is a file, and a path that does not
    // exist would make cargo rerun the script, and rebuild carenet, every time.
    for path in ["HEAD", "index"] {
        if let Some(file) = git(dir, &["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={file}");
        }
    }
    if let (Some(common), Some(branch)) = (
        git(dir, &["rev-parse", "--git-common-dir"]),
        git(dir, &["rev-parse", "--symbolic-full-name", "HEAD"]),
    ) {
        println!("cargo:rerun-if-changed={common}/{branch}");
    }
    for source in [
        "src",
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "scenarios",
        "assets",
    ] {
        if dir.join(source).exists() {
            println!("cargo:rerun-if-changed={source}");
        }
    }
    let commit = git(dir, &["rev-parse", "HEAD"])?;
    let changes = git(dir, &["status", "--porcelain", "--untracked-files=no"])?;
    Some((commit, !changes.is_empty()))
}

/// The commit and dirty flag `cargo package` recorded in
/// `.cargo_vcs_info.json` (`{"git": {"sha1": "…", "dirty": true}, …}`; read
/// by hand, so that building carenet needs no JSON parser at build time).
fn from_package(dir: &Path) -> Option<(String, bool)> {
    let file = dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&file).ok()?;
    println!("cargo:rerun-if-changed={}", file.display());
    let after_sha1 = &text[text.find("\"sha1\"")? + 6..];
    let commit: String = after_sha1
        .trim_start_matches([' ', ':', '"'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let dirty = text
        .split("\"dirty\"")
        .nth(1)
        .is_some_and(|rest| rest.trim_start_matches([' ', ':']).starts_with("true"));
    (!commit.is_empty()).then_some((commit, dirty))
}

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let build = match from_git(&dir).or_else(|| from_package(&dir)) {
        Some((commit, dirty)) => {
            println!("cargo:rustc-env=CARENET_GIT_COMMIT={commit}");
            println!("cargo:rustc-env=CARENET_GIT_DIRTY={dirty}");
            let short = &commit[..commit.len().min(12)];
            if dirty {
                format!("commit {short}, with uncommitted changes")
            } else {
                format!("commit {short}")
            }
        }
        None => "git commit unknown: built outside a git checkout".to_string(),
    };
    println!("cargo:rustc-env=CARENET_BUILD={build}");
}
