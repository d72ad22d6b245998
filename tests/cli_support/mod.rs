//! Running the `marginalia` binary from the CLI tests (`tests/cli.rs`, `tests/cli_agree.rs`).

use std::path::Path;
use std::process::{Command, Output};

/// Runs `marginalia ARGS` in `folder` (so messages name files as given, relative).
pub fn run(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .current_dir(folder)
        .env("SOURCE_DATE_EPOCH", "1796297241")
        .output()
        .expect("run marginalia")
}

/// Its standard output, as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Its standard error, as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 messages")
}

/// The exit status, with the messages shown when it is not the one expected.
pub fn status(output: &Output) -> (i32, String) {
    (output.status.code().expect("exited"), stderr(output))
}

/// Runs `args` in `folder` and checks the exit code and that standard error says `needle`.
pub fn exits_with(folder: &Path, args: &[&str], code: i32, needle: &str) {
    let output = run(folder, args);
    assert_eq!(status(&output).0, code, "{args:?}: {}", stderr(&output));
    assert!(
        stderr(&output).contains(needle),
        "{args:?}: {}",
        stderr(&output)
    );
}
