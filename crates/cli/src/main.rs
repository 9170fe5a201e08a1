//! `herald`: Herald's engine, headless.
//!
//! ```text
//! herald init --demo 500 --seed 7
//! herald contacts import people.csv --tag newsletter --consent-source "signup form"
//! herald contacts list --search acme
//! herald segments create --name "VIPs" --filter vips.json
//! herald segments preview VIPs --sort revenue --desc
//! herald bench import --rows 1000000
//! herald bench segments --contacts 1000000 --keep /tmp/herald-bench
//! ```
//!
//! Every command takes `--db PATH` (or `HERALD_DB`); the default is the same
//! workspace file the desktop app opens. Errors print one line naming the
//! problem (an invalid filter: one line per problem, with its JSON path) and
//! exit non-zero.

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
                // sqlx warns about every statement over a second; on a big
                // workspace a segment count can take that long, and the
                // warning (the whole SQL) would bury the output.
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx::query=error")),
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
            for line in output::describe_lines(&err) {
                eprintln!("error: {line}");
            }
            ExitCode::FAILURE
        }
    }
}
