//! `herald`: Herald's engine, headless.
//!
//! ```text
//! herald init --demo 500 --seed 7
//! herald contacts import people.csv --tag newsletter --consent-source "signup form"
//! herald contacts list --search acme
//! herald bench import --rows 1000000
//! ```
//!
//! Every command takes `--db PATH` (or `HERALD_DB`); the default is the same
//! workspace file the desktop app opens. Errors print one line naming the
//! problem and exit non-zero.

mod cli;
mod commands;
mod output;
mod paths;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HERALD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(args)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", output::describe(&err));
            ExitCode::FAILURE
        }
    }
}
