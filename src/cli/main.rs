//! `marginalia`: the command line on the same core as the browser app (convert, validate,
//! reanchor, stats, labeling-config, agree, merge). Host only: the app is the `marginalia-app` bin, built for wasm32 by Trunk.
//!
//! Exit status: 0 done, 1 the input was read and is not valid, 2 the command could not be run
//! as given (a usage error, a file that cannot be read or written, a zip asked for on standard
//! output).

#[cfg(not(target_arch = "wasm32"))]
mod agree;
#[cfg(not(target_arch = "wasm32"))]
mod annotator_files;
#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod clock;
#[cfg(not(target_arch = "wasm32"))]
mod convert;
#[cfg(not(target_arch = "wasm32"))]
mod documents;
#[cfg(not(target_arch = "wasm32"))]
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod ids;
#[cfg(not(target_arch = "wasm32"))]
mod input;
#[cfg(not(target_arch = "wasm32"))]
mod labeling_config;
#[cfg(not(target_arch = "wasm32"))]
mod merge;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod progress;
#[cfg(not(target_arch = "wasm32"))]
mod reanchor;
#[cfg(not(target_arch = "wasm32"))]
mod stats;
#[cfg(not(target_arch = "wasm32"))]
mod validate;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser;

    // clap prints --help and usage errors itself, exiting 0 and 2.
    let cli = args::Cli::parse();
    let outcome = match cli.command {
        args::Command::Convert(args) => convert::run(&args),
        args::Command::Validate(args) => validate::run(&args),
        args::Command::Reanchor(args) => reanchor::run(&args),
        args::Command::Stats(args) => stats::run(&args),
        args::Command::LabelingConfig(args) => labeling_config::run(&args),
        args::Command::Agree(args) => agree::run(&args),
        args::Command::Merge(args) => merge::run(&args),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            if let Some(message) = error.message() {
                eprintln!("marginalia: {message}");
            }
            std::process::ExitCode::from(error.exit_code())
        }
    }
}

/// The command line reads and writes files: it exists only as a native program. This keeps the
/// bin building when the whole crate is checked for wasm32 (the app is `marginalia-app`).
#[cfg(target_arch = "wasm32")]
fn main() {}
