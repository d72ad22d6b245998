//! `marginalia agree`: how far several annotators' files of one document agree, as a table or
//! as the report's JSON (definitions: `marginalia::agree`).

use marginalia::agree::{AgreementReport, PairAgreement, PairMeans};

use crate::annotator_files;
use crate::args::AgreeArgs;
use crate::error::CliError;
use crate::output::Output;

/// Runs `agree`.
pub fn run(args: &AgreeArgs) -> Result<(), CliError> {
    let annotated = annotator_files::load(&args.files.files, args.files.text.as_deref())?;
    let report = AgreementReport::new(&annotated.document, &annotated.layers)
        .map_err(|error| CliError::Usage(error.to_string()))?;
    let text = if args.json {
        serde_json::to_string(&report).expect("the report always serialises") + "\n"
    } else {
        table(&report)
    };
    let mut output = Output::open(None)?;
    output.write(text.as_bytes())?;
    output.finish()
}

/// Figures are printed with this many decimals.
const DECIMALS: usize = 4;

/// The annotators and units, a row per pair (all labels, then each label), the means over the
/// pairs, Fleiss' κ and Krippendorff's α.
fn table(report: &AgreementReport) -> String {
    let mut rows =
        vec![["label", "annotators", "kappa", "F1 exact", "F1 overlap"].map(str::to_owned)];
    let mut add = |label: &str, pairs: &[PairAgreement]| {
        rows.extend(pairs.iter().map(|pair| {
            [
                label.to_owned(),
                format!("{} / {}", pair.a, pair.b),
                figure(pair.kappa),
                figure(pair.f1_exact),
                figure(pair.f1_overlap),
            ]
        }));
    };
    add("(all)", &report.pairs);
    for (label, agreement) in &report.per_label {
        add(label, &agreement.pairs);
    }
    let mut text = format!(
        "{} annotators ({}), {} units (words)\n\n",
        report.annotators.len(),
        report.annotators.join(", "),
        report.units.len()
    );
    text.push_str(&aligned(&rows));
    text.push_str(&format!(
        "\nmean of the pairs (all labels): kappa {}, F1 exact {}, F1 overlap {}\n",
        figure(report.mean_kappa()),
        figure(report.mean_f1_exact()),
        figure(report.mean_f1_overlap())
    ));
    if let Some(kappa) = report.fleiss_kappa {
        text.push_str(&format!("Fleiss' kappa: {}\n", figure(kappa)));
    }
    text.push_str(&format!(
        "Krippendorff's alpha (nominal): {}\n",
        figure(report.krippendorff_alpha)
    ));
    for pair in &report.pairs {
        if let Some(f1) = pair.relations_f1 {
            text.push_str(&format!(
                "relations F1 {} / {}: {}\n",
                pair.a,
                pair.b,
                figure(f1)
            ));
        }
    }
    text
}

fn figure(value: f64) -> String {
    format!("{value:.DECIMALS$}")
}

/// Rows as columns two spaces apart: text columns (the first two) left-aligned, figures right.
fn aligned(rows: &[[String; 5]]) -> String {
    let widths: Vec<usize> = (0..5)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                if column < 2 {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
