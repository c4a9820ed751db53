//! Records the git commit carenet is built from, for run manifests.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|text| text.trim().to_string())
}

fn main() {
    // Ask git where HEAD and the branches live: in a `git worktree` checkout `.git`
    // is a file, and watching a path that does not exist makes cargo rerun this
    // script, and rebuild the crate, on every build.
    for watched in ["HEAD", "refs/heads", "packed-refs"] {
        let path = git(&["rev-parse", "--git-path", watched]).unwrap_or(format!(".git/{watched}"));
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Some(commit) = git(&["rev-parse", "HEAD"]) {
        println!("cargo:rustc-env=CARENET_GIT_COMMIT={commit}");
    }
}
