//! `marginalia stats`: how many documents, annotations per label and relations per type a file
//! holds, as `NAME<TAB>COUNT` lines (or one JSON object) for scripts. Corpora of JSON lines are
//! counted a line at a time.

use std::collections::BTreeMap;

use marginalia::format::live_relations;
use serde_json::json;

use crate::args::StatsArgs;
use crate::documents::Documents;
use crate::error::CliError;
use crate::input::InputPath;
use crate::output::Output;
use crate::progress::Progress;

/// What was counted.
#[derive(Default)]
struct Counts {
    documents: usize,
    annotations: usize,
    orphans: usize,
    /// Annotations per tag; labels a file declares are listed even with none.
    labels: BTreeMap<String, usize>,
    /// Relations per type; relation types a file declares are listed even with none.
    relations: BTreeMap<String, usize>,
}

/// Runs `stats`.
pub fn run(args: &StatsArgs) -> Result<(), CliError> {
    let input = InputPath::new(&args.input);
    let mut documents = Documents::open(&input, args.text.as_deref())?;
    let progress = Progress::for_input(input.len());
    let mut counts = Counts::default();
    while let Some(document) = documents.next() {
        let document = document?;
        counts.documents += 1;
        counts.annotations += document.store.len();
        counts.orphans += document.store.orphans().len();
        for label in document.labels.iter().flat_map(|labels| labels.active()) {
            counts
                .labels
                .entry(label.tag.as_str().to_owned())
                .or_default();
        }
        for (tag, n) in document.store.count_by_tag() {
            *counts.labels.entry(tag.as_str().to_owned()).or_default() += n;
        }
        let declared = document
            .labels
            .iter()
            .flat_map(|labels| labels.active_relation_types());
        for kind in declared {
            counts.relations.entry(kind.id.clone()).or_default();
        }
        for relation in live_relations(&document.store) {
            *counts.relations.entry(relation.kind.clone()).or_default() += 1;
        }
        progress.update(documents.bytes_read().unwrap_or(0), counts.documents);
    }
    progress.finish();
    let text = if args.json {
        json!({
            "documents": counts.documents,
            "annotations": counts.annotations,
            "orphans": counts.orphans,
            "labels": counts.labels,
            "relations": counts.relations,
        })
        .to_string()
            + "\n"
    } else {
        lines(&counts)
    };
    let mut output = Output::open(None)?;
    output.write(text.as_bytes())?;
    output.finish()
}

/// `documents`, `annotations`, `orphans`, then `label:TAG` and `relation:TYPE`, one
/// `NAME<TAB>COUNT` line each.
fn lines(counts: &Counts) -> String {
    let mut text = format!(
        "documents\t{}\nannotations\t{}\norphans\t{}\n",
        counts.documents, counts.annotations, counts.orphans
    );
    for (tag, n) in &counts.labels {
        text.push_str(&format!("label:{tag}\t{n}\n"));
    }
    for (kind, n) in &counts.relations {
        text.push_str(&format!("relation:{kind}\t{n}\n"));
    }
    text
}
