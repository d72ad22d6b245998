//! `marginalia labeling-config`: the Label Studio labeling config (XML) that shows our labels,
//! so that a `label-studio` export imports into a Label Studio project with every region
//! labelled. Without a file: the default labels; with one: the labels it carries (a marginalia
//! file's) and every tag its annotations use, adopted as the app's "Make a label" does, and
//! every attribute and relation type they use.

use marginalia::format::label_studio::labeling_config;
use marginalia::model::{LabelEdit, LabelSet};

use crate::args::LabelingConfigArgs;
use crate::documents::Documents;
use crate::error::CliError;
use crate::input::InputPath;
use crate::output::Output;

/// Runs `labeling-config`.
pub fn run(args: &LabelingConfigArgs) -> Result<(), CliError> {
    let mut labels = LabelSet::default();
    // Only the annotations are kept, not the texts: what the config declares is what they use.
    let mut stores = Vec::new();
    if let Some(input) = &args.input {
        for document in Documents::open(&InputPath::new(input), args.text.as_deref())? {
            let document = document?;
            if let Some(carried) = &document.labels {
                labels.merge(carried);
            }
            let tags = document
                .store
                .iter()
                .map(|annotation| &annotation.tag)
                .chain(document.store.orphans().iter().map(|o| &o.annotation.tag));
            for tag in tags {
                if labels.get(tag).is_none() {
                    labels
                        .edit(LabelEdit::Restore(tag.clone()))
                        .expect("restoring a tag without a label adopts it");
                }
            }
            stores.push(document.store);
        }
    }
    let stores: Vec<_> = stores.iter().collect();
    let mut output = Output::open(args.output.as_deref())?;
    output.write(labeling_config(&labels, &stores).as_bytes())?;
    output.finish()
}
