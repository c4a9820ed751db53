//! Records the git commit carenet is built from, for run manifests.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let commit = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok());
    if let Some(commit) = commit {
        println!("cargo:rustc-env=CARENET_GIT_COMMIT={}", commit.trim());
    }
}
