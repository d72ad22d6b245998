//! `marginalia merge`: several annotators' files of one document merged into one marginalia
//! file by a strategy (majority, union, intersection), each annotation's `annotators`
//! attribute naming who had it (as the app's gold documents do).

use marginalia::agree::merge;
use marginalia::format::{marginalia as marginalia_format, plural};
use marginalia::model::{AnnotationStore, Command};

use clap::ValueEnum;

use crate::annotator_files;
use crate::args::MergeArgs;
use crate::clock::now_rfc3339;
use crate::error::CliError;
use crate::ids::IdMaker;
use crate::output::Output;

/// Runs `merge`.
pub fn run(args: &MergeArgs) -> Result<(), CliError> {
    let annotated = annotator_files::load(&args.files.files, args.files.text.as_deref())?;
    let merged = merge(&annotated.layers, args.strategy.into());
    let now = now_rfc3339();
    let mut ids = IdMaker::new(&annotated.document);
    let commands = merged
        .iter()
        .map(|span| Command::Create {
            annotation: span.to_annotation(ids.next_id(), &now),
        })
        .collect();
    let mut store = AnnotationStore::new(annotated.document.char_len());
    store
        .apply(Command::Batch { commands })
        .expect("fresh ids on spans placed on this text");
    let file = marginalia_format::export(
        &annotated.document,
        &annotated.name,
        &store,
        &annotated.labels,
        "",
    );
    let mut output = Output::open(Some(&args.output))?;
    output.write(file.as_bytes())?;
    let destination = output.display();
    output.finish()?;
    eprintln!(
        "marginalia: merged {} by {}: {} ({destination})",
        plural(annotated.layers.len(), "annotator"),
        args.strategy
            .to_possible_value()
            .expect("every strategy is offered")
            .get_name(),
        plural(merged.len(), "annotation"),
    );
    Ok(())
}
