//! `marginalia validate`: every problem of a file, one line each on standard error
//! (`FILE:LINE: message`, `FILE: $.path: message`), exit 1 when there is any. A JSON-lines
//! corpus is checked a line at a time, each problem printed as it is found.

use std::io::BufRead;

use marginalia::format::stream::opens_line_corpus;
use marginalia::format::validate::{json_line_problems, problems, Expected, Problem};

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
    let labels: Vec<String> = args
        .labels
        .iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let expected = Expected {
        text: text.as_ref(),
        labels: &labels,
    };
    let input = InputPath::new(&args.input);
    let file = input.display();
    let report = |problem: &Problem| eprintln!("{}", problem.located(&file));
    let opened = input.open_peeking()?;
    // With a text, the file is read onto it as a whole (as Import… does).
    let by_line = text.is_none() && opened.first_line.as_deref().is_some_and(opens_line_corpus);
    let count = if by_line {
        let mut reader = opened.reader;
        let mut line = Vec::new();
        let mut count = 0;
        for number in 1.. {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|source| input.read_error(source))?;
            if read == 0 {
                break;
            }
            let found = match std::str::from_utf8(&line) {
                Ok(line) => json_line_problems(line.trim_end_matches('\n'), number, expected),
                Err(error) => vec![Problem::on_line(
                    number,
                    format!(
                        "not UTF-8 text (invalid byte at position {} of the line)",
                        error.valid_up_to()
                    ),
                )],
            };
            found.iter().for_each(report);
            count += found.len();
        }
        count
    } else {
        let found = problems(&input.read_rest(opened.reader)?, expected);
        found.iter().for_each(report);
        found.len()
    };
    match count {
        0 => Ok(()),
        n => Err(CliError::Problems(n)),
    }
}
