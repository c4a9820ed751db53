//! `carenet completions SHELL` and `carenet man`: shell completions and manual
//! pages generated from the same command definition as `--help`, so they
//! cannot drift from it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Failure};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write carenet.1 and one page per command (carenet-run.1, ...) into this
    /// folder instead of printing carenet.1.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace pages already in --out.
    #[arg(long)]
    force: bool,
}

/// Prints the completion script for `shell` on standard output.
pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "carenet", &mut script);
    super::print_bytes(&script);
    Ok(())
}

/// Prints carenet.1, or writes every page into `--out`.
pub fn man(args: &ManArgs) -> Result<(), Failure> {
    let Some(folder) = &args.out else {
        super::print_bytes(&page(Cli::command())?);
        return Ok(());
    };
    let pages = pages()?;
    if !args.force
        && let Some((name, _)) = pages.iter().find(|(name, _)| folder.join(name).exists())
    {
        return Err(super::files_in_the_way(format!(
            "{} already exists\n  fix: pass --force to replace the pages in {}, or choose another --out",
            folder.join(name).display(),
            folder.display()
        )));
    }
    carenet::output::refuse_a_file_on_the_way(&folder.join("carenet.1"))?;
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    for (name, bytes) in &pages {
        carenet::output::write_atomically(&folder.join(name), bytes)?;
    }
    println!(
        "{} manual pages in {} (read one with `man {}`)",
        pages.len(),
        folder.display(),
        Path::new(folder).join("carenet.1").display()
    );
    Ok(())
}

/// carenet.1 and carenet-COMMAND.1 for every command shown in `--help`.
fn pages() -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut command = Cli::command();
    command.build();
    let mut pages = vec![("carenet.1".to_string(), page(command.clone())?)];
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        // clap's names are 'static (without its `string` feature, which would
        // rebuild clap for this alone); this runs once per process.
        let name: &'static str = Box::leak(format!("carenet-{}", sub.get_name()).into_boxed_str());
        let bin_name: &'static str = Box::leak(name.replacen('-', " ", 1).into_boxed_str());
        let sub = sub.clone().name(name).bin_name(bin_name);
        pages.push((format!("{name}.1"), page(sub)?));
    }
    Ok(pages)
}

fn page(command: clap::Command) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut bytes)
        .context("cannot render the manual page")?;
    Ok(bytes)
}
