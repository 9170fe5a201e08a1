//! `herald-relay`: the relay server. See `herald-relay --help` and
//! docs/relay.md.

use clap::{Parser, Subcommand};
use herald_relay::config::{Options, Settings};

// Every hit allocates (the request, the event, the row's values); glibc's
// malloc and free were 10-15% of the relay's profile, and with mimalloc the
// bench used 5-9% less CPU (docs/benchmarks.md, Relay).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Herald's relay: open pixels, click redirects, one-click unsubscribes and
/// provider webhooks, stored durably until the desktop pulls them.
///
/// Settings come from a TOML file (--config / HERALD_RELAY_CONFIG), then
/// environment variables, then flags, each overriding the one before.
/// Required: public_url, api_token, signing_key, workspace_name.
/// Logs go to stderr; HERALD_RELAY_LOG=debug for more.
#[derive(Debug, Parser)]
#[command(name = "herald-relay", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the relay (the default).
    Serve,
    /// Check the settings and print them, secrets redacted, then exit.
    CheckConfig,
    /// Benchmark: a relay of its own (temporary store, generated keys, no
    /// rate limit) and a non-persisting baseline under mixed load on
    /// loopback; ignores the relay settings above.
    Bench(herald_relay::bench::BenchArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HERALD_RELAY_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Some(Command::Bench(args)) = &cli.command {
        return herald_relay::bench::main(args);
    }
    let settings = match Settings::load(&cli.options) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("herald-relay: configuration error: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::CheckConfig => {
            println!("{settings:#?}");
            std::process::ExitCode::SUCCESS
        }
        Command::Serve => run(settings),
        Command::Bench(_) => unreachable!("handled before the settings"),
    }
}

fn run(settings: Settings) -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("herald-relay: cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match herald_relay::start(settings).await {
            Ok(running) => running,
            Err(error) => {
                eprintln!("herald-relay: {error:#}");
                return std::process::ExitCode::FAILURE;
            }
        };
        tracing::info!(addr = %running.addr(), "herald-relay listening");
        shutdown_signal().await;
        tracing::info!("shutting down: draining in-flight requests");
        running.stop().await;
        tracing::info!("stopped");
        std::process::ExitCode::SUCCESS
    })
}

/// Ctrl-C, or SIGTERM (systemd, docker stop).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
