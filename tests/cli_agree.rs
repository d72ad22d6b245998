#![cfg(not(target_arch = "wasm32"))]
//! `marginalia agree` and `marginalia merge`, run as a process on three annotators' files of the
//! sample article in three formats (a marginalia file naming its annotator, a spaCy line named
//! by its file, a W3C collection naming its creator and its text's hash): the table, the JSON
//! (the core's report to the last digit), files for another text, `--text`, usage errors and
//! the three merge strategies.

use std::path::Path;
mod cli_support;

use cli_support::{exits_with, run, status, stderr, stdout};

use marginalia::agree::{AgreementReport, Layer};
use marginalia::model::{Annotation, Document, Span, Tag};
use marginalia::sample::SAMPLE_TEXT;
use serde_json::{json, Value};

/// The code-point span of `quote`, which occurs once in the sample article.
fn at(quote: &str) -> (usize, usize) {
    let byte = SAMPLE_TEXT.find(quote).expect(quote);
    assert_eq!(SAMPLE_TEXT.rfind(quote), Some(byte), "{quote} occurs once");
    let start = SAMPLE_TEXT[..byte].chars().count();
    (start, start + quote.chars().count())
}

const STORM: &str = "“We are no longer talking about a once-in-a-century storm,”";
const HALF: &str = "he would only support the project if the national government agreed to cover at least half of the cost";
const MARCH: &str = "If no funding decision arrives by March";

/// Each annotator's spans: (quote, label).
const ANN: [(&str, &str); 5] = [
    ("412 million euros", "claim"),
    (STORM, "quote"),
    ("Renée Castellanos", "person"),
    (HALF, "condition"),
    (MARCH, "condition"),
];
const BOB: [(&str, &str); 5] = [
    ("412 million euros", "claim"),
    (STORM, "quote"),
    ("Mayor Renée Castellanos", "person"),
    (
        "if the national government agreed to cover at least half of the cost",
        "condition",
    ),
    (MARCH, "claim"),
];
const CY: [(&str, &str); 5] = [
    ("412 million euros", "claim"),
    (
        "We are no longer talking about a once-in-a-century storm",
        "quote",
    ),
    ("Renée Castellanos", "person"),
    (HALF, "condition"),
    ("38 million euros", "claim"),
];

/// ann's marginalia file (it names its annotator), bob's spaCy line (named by its file) and
/// cy's W3C collection (its creator and its text's hash), with the article's text.
fn annotators_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let write = |name: &str, content: String| {
        std::fs::write(folder.path().join(name), content).expect("write a file")
    };
    let ann = json!({
        "format": "marginalia", "version": 1, "annotator": "ann", "name": "sample-article.txt",
        "text": SAMPLE_TEXT,
        "annotations": ANN.iter().map(|(quote, tag)| {
            let (start, end) = at(quote);
            json!({"start": start, "end": end, "tag": tag})
        }).collect::<Vec<_>>(),
    });
    write("ann.marginalia.json", ann.to_string());
    let bob = json!({
        "text": SAMPLE_TEXT,
        "spans": BOB.iter().map(|(quote, tag)| {
            let (start, end) = at(quote);
            json!({"start": start, "end": end, "label": tag})
        }).collect::<Vec<_>>(),
    });
    write("bob.spacy.jsonl", bob.to_string() + "\n");
    let source = format!("urn:sha256:{}", Document::from_raw(SAMPLE_TEXT).sha256());
    write("cy.w3c.jsonld", w3c("cy", Some(&source), &CY).to_string());
    write("sample-article.txt", SAMPLE_TEXT.to_owned());
    write("other.txt", "Another text altogether.".to_owned());
    folder
}

/// A W3C collection by `creator` of `spans`, on `source` when given.
fn w3c(creator: &str, source: Option<&str>, spans: &[(&str, &str)]) -> Value {
    let items: Vec<Value> = spans
        .iter()
        .map(|(quote, tag)| {
            let (start, end) = at(quote);
            let mut target = json!({"selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ]});
            if let Some(source) = source {
                target["source"] = json!(source);
            }
            json!({"type": "Annotation", "motivation": "tagging", "target": target,
                   "body": [{"type": "TextualBody", "purpose": "tagging", "value": tag}]})
        })
        .collect();
    json!({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
           "creator": {"type": "Person", "name": creator},
           "first": {"type": "AnnotationPage", "items": items}})
}

const FILES: [&str; 3] = ["ann.marginalia.json", "bob.spacy.jsonl", "cy.w3c.jsonld"];

fn agree_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["agree"];
    args.extend(FILES);
    args.extend(extra);
    args
}

#[test]
fn agree_prints_a_table_of_every_pair_and_label_then_fleiss_and_alpha() {
    let folder = annotators_folder();
    let output = run(folder.path(), &agree_args(&[]));
    assert_eq!(status(&output), (0, String::new()));
    let table = stdout(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("3 annotators (ann, bob, cy), ")
            && lines[0].ends_with(" units (words)"),
        "{table}"
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        [
            "label",
            "annotators",
            "kappa",
            "F1",
            "exact",
            "F1",
            "overlap"
        ]
    );
    // Three pairs for all labels, then three per label (claim, condition, person, quote).
    let rows: Vec<Vec<&str>> = lines[3..18]
        .iter()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows[0][..4], ["(all)", "ann", "/", "bob"]);
    assert_eq!(rows[14][..4], ["quote", "bob", "/", "cy"]);
    assert!(rows.iter().all(|row| row[4..]
        .iter()
        .all(|figure| figure.split_once('.').is_some_and(|(_, d)| d.len() == 4))));
    // F1 exact of ann and bob: 2 of 5 spans each the same (the claim and the quote).
    assert_eq!(rows[0][5], "0.4000");
    assert!(table.contains("\nFleiss' kappa: 0."), "{table}");
    assert!(
        table.contains("\nKrippendorff's alpha (nominal): 0."),
        "{table}"
    );
}

/// The layers as the files hold them, built in this process.
fn layers() -> Vec<Layer> {
    [("ann", &ANN), ("bob", &BOB), ("cy", &CY)]
        .into_iter()
        .map(|(annotator, spans)| {
            let annotations = spans
                .iter()
                .enumerate()
                .map(|(i, (quote, tag))| {
                    let (start, end) = at(quote);
                    Annotation::new(
                        format!("{annotator}-{i}").into(),
                        Span::new(start, end).unwrap(),
                        Tag::from(*tag),
                        "2026-01-01T00:00:00Z",
                    )
                })
                .collect();
            Layer::new(annotator, annotations)
        })
        .collect()
}

#[test]
fn agree_json_is_the_cores_report_to_the_last_digit() {
    let folder = annotators_folder();
    let output = run(folder.path(), &agree_args(&["--json"]));
    assert_eq!(status(&output), (0, String::new()));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        7,
        "annotators, units, labels, pairs, fleiss_kappa, krippendorff_alpha, per_label: {keys:?}"
    );
    assert_eq!(report["annotators"], json!(["ann", "bob", "cy"]));
    let units = report["units"].as_array().unwrap();
    assert_eq!(units[0], json!({"start": 0, "end": 7}), "Harbour");
    for annotator in ["ann", "bob", "cy"] {
        assert_eq!(
            report["labels"][annotator].as_array().unwrap().len(),
            units.len()
        );
    }
    assert_eq!(report["pairs"].as_array().unwrap().len(), 3);
    assert_eq!(report["pairs"][2]["a"], "bob");
    assert!(report["fleiss_kappa"].is_f64());
    let labels: Vec<&str> = report["per_label"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(labels, ["claim", "condition", "person", "quote"]);

    // κ of ann and bob recomputed from the labels the JSON gives, by the textbook formula.
    let of = |annotator: &str| -> Vec<String> {
        report["labels"][annotator]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_owned())
            .collect()
    };
    let (a, b) = (of("ann"), of("bob"));
    let n = a.len() as f64;
    let observed = a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / n;
    let mut names = a.clone();
    names.sort();
    names.dedup();
    let share =
        |list: &[String], name: &String| list.iter().filter(|x| *x == name).count() as f64 / n;
    let expected: f64 = names.iter().map(|l| share(&a, l) * share(&b, l)).sum();
    let kappa = (observed - expected) / (1.0 - expected);
    let reported = report["pairs"][0]["kappa"].as_f64().unwrap();
    assert!(
        (kappa - reported).abs() < 1e-12,
        "{kappa} against {reported}"
    );

    // The same core in this process gives the same JSON, every digit.
    let core = AgreementReport::new(&Document::from_raw(SAMPLE_TEXT), &layers()).unwrap();
    assert_eq!(report, serde_json::to_value(&core).unwrap());
}

#[test]
fn a_file_for_another_text_exits_1_naming_it() {
    let folder = annotators_folder();
    let other = json!({"format": "marginalia", "version": 1, "text": "Another text altogether.",
                       "annotations": [{"start": 0, "end": 7, "tag": "claim"}]});
    std::fs::write(folder.path().join("dee.marginalia.json"), other.to_string()).unwrap();
    exits_with(
        folder.path(),
        &["agree", "ann.marginalia.json", "dee.marginalia.json"],
        1,
        "marginalia: dee.marginalia.json: annotations of another text than ann.marginalia.json\n",
    );
    // Against --text, the first file that differs is named.
    exits_with(
        folder.path(),
        &[
            "agree",
            "dee.marginalia.json",
            "ann.marginalia.json",
            "--text",
            "other.txt",
        ],
        1,
        "marginalia: ann.marginalia.json: annotations of another text than other.txt\n",
    );
    // A W3C file names the hash of its text.
    exits_with(
        folder.path(),
        &[
            "merge",
            "cy.w3c.jsonld",
            "dee.marginalia.json",
            "--strategy",
            "union",
            "-o",
            "m.json",
        ],
        1,
        "marginalia: cy.w3c.jsonld: annotations of another text than dee.marginalia.json\n",
    );
    assert!(!folder.path().join("m.json").exists());
}

#[test]
fn files_without_their_text_need_text() {
    let folder = annotators_folder();
    std::fs::write(
        folder.path().join("dee.w3c.jsonld"),
        w3c("dee", None, &CY).to_string(),
    )
    .unwrap();
    let (start, end) = at("412 million euros");
    std::fs::write(
        folder.path().join("eve.ann"),
        format!("T1\tClaim {start} {end}\t412 million euros\n"),
    )
    .unwrap();
    exits_with(
        folder.path(),
        &["agree", "dee.w3c.jsonld", "eve.ann"],
        2,
        "give the text with --text FILE",
    );
    let output = run(
        folder.path(),
        &[
            "agree",
            "dee.w3c.jsonld",
            "eve.ann",
            "--text",
            "sample-article.txt",
            "--json",
        ],
    );
    assert_eq!(status(&output), (0, String::new()));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    // dee is named by its creator, eve by its file.
    assert_eq!(report["annotators"], json!(["dee", "eve"]));
    assert_eq!(report["pairs"][0]["f1_exact"], 2.0 / 6.0);
    assert_eq!(report["fleiss_kappa"], Value::Null);
    // A file with a text next to them gives them the text.
    let output = run(folder.path(), &["agree", "eve.ann", "ann.marginalia.json"]);
    assert_eq!(status(&output), (0, String::new()));
}

#[test]
fn usage_errors_exit_2() {
    let folder = annotators_folder();
    for args in [
        &["agree", "ann.marginalia.json"][..],
        &["agree"],
        &[
            "merge",
            "ann.marginalia.json",
            "bob.spacy.jsonl",
            "--strategy",
            "union",
        ],
        &[
            "merge",
            "ann.marginalia.json",
            "bob.spacy.jsonl",
            "-o",
            "m.json",
        ],
        &[
            "merge",
            "ann.marginalia.json",
            "bob.spacy.jsonl",
            "--strategy",
            "vote",
            "-o",
            "m.json",
        ],
    ] {
        let output = run(folder.path(), args);
        assert_eq!(status(&output).0, 2, "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
    exits_with(
        folder.path(),
        &["agree", "ann.marginalia.json", "missing.json"],
        2,
        "marginalia: cannot read missing.json: ",
    );
}

#[test]
fn agree_and_merge_have_help_with_examples() {
    let folder = annotators_folder();
    let top = stdout(&run(folder.path(), &["--help"]));
    for command in ["agree", "merge"] {
        assert!(top.contains(command), "{top}");
        let help = stdout(&run(folder.path(), &[command, "--help"]));
        assert!(help.contains("Examples:"), "{help}");
        assert!(help.contains(&format!("marginalia {command} ")), "{help}");
    }
    let merge = stdout(&run(folder.path(), &["merge", "--help"]));
    for strategy in ["majority", "union", "intersection"] {
        assert!(merge.contains(strategy), "{merge}");
    }
}

/// `(start, end, tag, note)` of a marginalia file's annotations.
fn merged(folder: &Path, file: &str) -> Vec<(u64, u64, String, String)> {
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join(file)).unwrap()).unwrap();
    assert_eq!(file["text"], SAMPLE_TEXT);
    assert_eq!(file["name"], "sample-article.txt");
    file["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["start"].as_u64().unwrap(),
                a["end"].as_u64().unwrap(),
                a["tag"].as_str().unwrap().to_owned(),
                a["attributes"]["annotators"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(quote: &str, tag: &str, annotators: &str) -> (u64, u64, String, String) {
    let (start, end) = at(quote);
    (
        start as u64,
        end as u64,
        tag.to_owned(),
        annotators.to_owned(),
    )
}

#[test]
fn merge_writes_a_marginalia_file_by_each_strategy_with_provenance() {
    let folder = annotators_folder();
    let merge = |strategy: &str| {
        let out = format!("{strategy}.marginalia.json");
        let mut args = vec!["merge"];
        args.extend(FILES);
        args.extend(["--strategy", strategy, "-o", &out]);
        let output = run(folder.path(), &args);
        assert_eq!(status(&output).0, 0, "{}", stderr(&output));
        assert!(stdout(&output).is_empty());
        (stderr(&output), merged(folder.path(), &out))
    };
    let (said, majority) = merge("majority");
    assert_eq!(
        said,
        "marginalia: merged 3 annotators by majority: 4 annotations (majority.marginalia.json)\n"
    );
    assert_eq!(
        majority,
        [
            row("412 million euros", "claim", "ann, bob, cy"),
            row(STORM, "quote", "ann, bob"),
            row("Renée Castellanos", "person", "ann, cy"),
            row(HALF, "condition", "ann, cy"),
        ]
    );
    let (_, intersection) = merge("intersection");
    assert_eq!(
        intersection,
        [row("412 million euros", "claim", "ann, bob, cy")]
    );
    let (_, union) = merge("union");
    assert_eq!(union.len(), 10, "{union:?}");
    // The same extent with two labels stays two spans.
    assert!(union.contains(&row(MARCH, "condition", "ann")));
    assert!(union.contains(&row(MARCH, "claim", "bob")));
    // The merged file is a file like any other: it agrees with the majority it was made of.
    let output = run(
        folder.path(),
        &[
            "agree",
            "majority.marginalia.json",
            "union.marginalia.json",
            "--json",
        ],
    );
    assert_eq!(status(&output), (0, String::new()));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["annotators"], json!(["majority", "union"]));
    assert_eq!(report["pairs"][0]["f1_exact"], 2.0 * 4.0 / 14.0);
}

#[test]
fn relations_join_the_agreement_when_files_have_them() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (storm, half) = (at(STORM), at(HALF));
    let file = |annotator: &str, kind: &str| {
        json!({
            "format": "marginalia", "version": 1, "annotator": annotator, "text": SAMPLE_TEXT,
            "annotations": [
                {"id": "q", "start": storm.0, "end": storm.1, "tag": "quote"},
                {"id": "c", "start": half.0, "end": half.1, "tag": "condition"}
            ],
            "relations": [{"id": "r", "type": kind, "from": "c", "to": "q"}]
        })
        .to_string()
    };
    for (name, kind) in [
        ("ann", "qualifies"),
        ("bob", "qualifies"),
        ("cy", "attributed-to"),
    ] {
        std::fs::write(
            folder.path().join(format!("{name}.marginalia.json")),
            file(name, kind),
        )
        .expect("write a file");
    }
    let names = [
        "ann.marginalia.json",
        "bob.marginalia.json",
        "cy.marginalia.json",
    ];
    let mut args = vec!["agree"];
    args.extend(names);
    args.push("--json");
    let output = run(folder.path(), &args);
    assert_eq!(status(&output).0, 0, "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let relations: Vec<f64> = report["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair["relations_f1"].as_f64().unwrap())
        .collect();
    assert_eq!(
        relations,
        [1.0, 0.0, 0.0],
        "ann and bob agree; cy's type differs"
    );
    let table = stdout(&run(folder.path(), &args[..4]));
    assert!(table.contains("relations F1 ann / bob: 1.0000"), "{table}");
}
