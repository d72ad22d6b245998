//! `marginalia validate`: every problem of a file, one line each on standard error
//! (`FILE:LINE: message`, `FILE: $.path: message`), exit 1 when there is any.

use marginalia::format::validate::{problems, Expected};

use crate::args::ValidateArgs;
use crate::error::CliError;
use crate::input::{read_document, InputPath};

/// Runs `validate`.
pub fn run(args: &ValidateArgs) -> Result<(), CliError> {
    let text = args
        .text
        .as_deref()
        .map(read_document)
        .transpose()?
        .map(|(_, document)| document);
    let input = InputPath::new(&args.input);
    let bytes = input.read_all()?;
    let labels: Vec<String> = args
        .labels
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let found = problems(
        &bytes,
        Expected {
            text: text.as_ref(),
            labels: &labels,
        },
    );
    if found.is_empty() {
        return Ok(());
    }
    let file = input.display();
    for problem in &found {
        eprintln!("{}", problem.located(&file));
    }
    Err(CliError::Problems(found.len()))
}
