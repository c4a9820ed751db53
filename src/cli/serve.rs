//! `carenet serve`: the teaching page on this machine's loopback address.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use carenet::serve::Server;
use clap::Args;

use super::Failure;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8350)]
    port: u16,
    /// Results folder; runs are written to RESULTS/serve/run-NNNN/.
    #[arg(long, default_value = "results")]
    results: PathBuf,
}

pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    for leftover in carenet::output::remove_dead_leftovers(&args.results.join("serve")) {
        eprintln!(
            "removed {}, left behind by a carenet serve that was stopped",
            leftover.display()
        );
    }
    let server = Server::bind(args.port, &args.results)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot listen for Ctrl-C and SIGTERM")?;
    say(&format!(
        "carenet serve: open {} in a browser",
        server.url()
    ));
    say(&format!(
        "runs are written to {}; Ctrl-C (or SIGTERM) stops the server after the running runs finish",
        args.results.join("serve").display()
    ));
    server.run_until(&stop);
    say("carenet serve: stopped");
    Ok(())
}

/// A line on standard output; a closed output (the terminal or pipe went
/// away) does not stop the server, which has runs to finish and write.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}
