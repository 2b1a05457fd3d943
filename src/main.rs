//! The `tilslutning` binary: parse the command line, load settings, dispatch.

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = tilslutning::cli::Cli::parse();
    tilslutning::telemetry::init();
    match tilslutning::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tilslutning: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
