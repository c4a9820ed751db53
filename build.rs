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
    // In a git worktree `.git` is a file, so the paths are asked of git: a path
    // that does not exist would make cargo rerun this script, and rebuild
    // carenet, on every build.
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
    }
    if let (Some(common), Some(branch)) = (
        git(&["rev-parse", "--git-common-dir"]),
        git(&["rev-parse", "--symbolic-full-name", "HEAD"]),
    ) {
        println!("cargo:rerun-if-changed={common}/{branch}");
    }
    if let Some(commit) = git(&["rev-parse", "HEAD"]) {
        println!("cargo:rustc-env=CARENET_GIT_COMMIT={commit}");
    }
}
