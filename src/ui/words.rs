//! The words for the workspace's notices (the core says what happened, as data; this says it
//! in English).

use crate::workspace::Notice;

/// The sentence the status region shows for `notice`.
pub fn notice_words(notice: &Notice) -> String {
    match notice {
        Notice::ChangeRefused(error) => format!("That change was refused: {error}."),
        Notice::OnlySpaces => "Only spaces are selected: nothing was tagged.".into(),
        Notice::TaggedAll {
            added,
            label,
            already,
        } => {
            let matches = if *added == 1 { "match" } else { "matches" };
            let already = match already {
                0 => String::new(),
                n => format!(" ({n} already were)"),
            };
            format!(
                "Tagged {added} {matches} as {}{already}.",
                label.to_lowercase()
            )
        }
        Notice::SelectWhereItBelongs => {
            "Select the text where it belongs first, then choose Place.".into()
        }
        Notice::Imported {
            summary,
            labels_added,
        } => match labels_added {
            0 => summary.clone(),
            1 => format!("{summary} The file's label was added to the labels."),
            n => format!("{summary} The file's {n} labels were added to the labels."),
        },
        Notice::ImportRefused(error) => format!("Import refused: {error}"),
        Notice::LabelRemoved(name) => format!(
            "Removed the label {name}; its annotations keep their tag (Restore brings it back)."
        ),
        Notice::LabelsUnchanged(error) => format!("The labels were not changed: {error}."),
        Notice::LabelEditUndone => "The last change to the labels was undone.".into(),
        Notice::DocumentDeleted(name) => {
            format!("Deleted {name}. Undo in the document list brings it back.")
        }
        Notice::DocumentRestored(name) => format!("{name} is back."),
        Notice::DeletedElsewhere(name) => {
            format!("{name} was deleted in another tab; Undo in the document list brings it back.")
        }
        Notice::ChooseLinkTarget => "Linking: click the annotation to link to, or move with j/k \
             and press Enter; Esc cancels."
            .into(),
        Notice::LinkToAnother => {
            "A relation links two different annotations: choose another.".into()
        }
        Notice::NoRelationTypes => "No relation type is offered: add one in Labels… first.".into(),
        Notice::AlreadyLinked => "Those two annotations are already linked that way.".into(),
        Notice::Linked { from, to, kind } => format!(
            "Linked “{}” → “{}” ({}).",
            shorten(from),
            shorten(to),
            kind.to_lowercase()
        ),
        Notice::PatternsLoaded(count) => format!(
            "Loaded {}: their matches are suggested.",
            crate::format::plural(*count, "pattern")
        ),
        Notice::AcceptedAll { accepted, label } => format!(
            "Accepted {} as {}.",
            crate::format::plural(*accepted, "suggestion"),
            label.to_lowercase()
        ),
        Notice::Comparing {
            layers,
            disagreements,
        } => format!(
            "Comparing {layers} annotators: {}; n / p walk them.",
            match disagreements {
                0 => "they agree everywhere".to_owned(),
                1 => "1 disagreement".to_owned(),
                n => format!("{n} disagreements"),
            }
        ),
        Notice::AcceptedAgreed { added, already } => match already {
            0 => format!("Accepted {added} agreed spans into the gold layer."),
            n => format!(
                "Accepted {added} agreed spans into the gold layer ({n} were there already)."
            ),
        },
        Notice::Said(words) => words.clone(),
    }
}

/// At most 40 characters of a quote, for a message.
fn shorten(quote: &str) -> String {
    match quote.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &quote[..at]),
        None => quote.to_owned(),
    }
}
