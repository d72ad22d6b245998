//! `marginalia reanchor`: the app's import onto an edited text, as a command. Every annotation
//! of the file is placed on the new text by the same chain the app uses (`anchor`): its
//! position when its quote is still there, else its quote and context, else an approximate
//! match; the rest become orphans, kept in the marginalia file written.

use marginalia::format::{self, ExportFormat};

use crate::args::ReanchorArgs;
use crate::clock::now_rfc3339;
use crate::documents::{import, loaded};
use crate::error::CliError;
use crate::ids::IdMaker;
use crate::input::{read_document, InputPath};
use crate::output::Output;

/// Runs `reanchor`.
pub fn run(args: &ReanchorArgs) -> Result<(), CliError> {
    let (name, document) = read_document(&args.onto)?;
    let input = InputPath::new(&args.input);
    let bytes = input.read_all()?;
    let invalid = |source| CliError::Invalid {
        file: input.display(),
        source,
    };
    let mut ids = IdMaker::new(&document);
    let report = import(&document, &bytes, &mut ids, &now_rfc3339()).map_err(invalid)?;
    let labels = report.labels.clone().unwrap_or_default();
    let placed = loaded(name, document, report).map_err(invalid)?;
    let exported = format::export(
        ExportFormat::Marginalia,
        &placed.document,
        &placed.name,
        &placed.store,
        &labels,
    );
    let mut output = Output::open(args.output.as_deref())?;
    output.write(&exported.bytes)?;
    output.finish()?;
    eprintln!(
        "placed {}, re-anchored {}, orphaned {}",
        placed.placed, placed.reanchored, placed.orphaned
    );
    Ok(())
}
