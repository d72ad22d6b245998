//! The `marginalia` command line, run as a process: every command, every exit status, several
//! documents in and out, the exact shapes of `validate`'s lines, `reanchor`'s counts, `stats`'
//! lines, and a 10,000-line corpus converted as a stream.

mod cli_support;

use cli_support::{exits_with, run, status, stderr, stdout};
use std::process::{Command, Stdio};

use marginalia::format::{stored_zip, ExportFormat};

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    for (name, content) in files {
        std::fs::write(folder.path().join(name), content).expect("write a file");
    }
    folder
}

const CORPUS: &str = concat!(
    "{\"text\": \"Héllo 😀 world\", \"label\": [[0, 5, \"claim\"], [6, 7, \"quote\"]]}\n",
    "\n",
    "{\"text\": \"Second document here\", \"label\": [[7, 15, \"condition\"]]}\n",
);

#[test]
fn every_command_has_help_with_examples() {
    let folder = folder_with(&[]);
    let top = run(folder.path(), &["--help"]);
    assert_eq!(status(&top).0, 0);
    for command in [
        "convert",
        "validate",
        "reanchor",
        "stats",
        "labeling-config",
    ] {
        assert!(stdout(&top).contains(command), "{}", stdout(&top));
        let help = run(folder.path(), &[command, "--help"]);
        assert_eq!(status(&help).0, 0, "{command}");
        assert!(
            stdout(&help).contains("Examples:"),
            "{command}: {}",
            stdout(&help)
        );
        assert!(
            stdout(&help).contains(&format!("marginalia {command} ")),
            "{command}"
        );
    }
    let convert = stdout(&run(folder.path(), &["convert", "--help"]));
    for format in ExportFormat::ALL {
        assert!(
            convert.contains(format.value()),
            "{} not in {convert}",
            format.value()
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let folder = folder_with(&[("c.doccano.jsonl", CORPUS)]);
    for args in [
        &[][..],
        &["frobnicate"],
        &["convert", "c.doccano.jsonl"],
        &["convert", "c.doccano.jsonl", "--to", "xml"],
        &["reanchor", "c.doccano.jsonl"],
        &["stats", "c.doccano.jsonl", "--bogus"],
    ] {
        let output = run(folder.path(), args);
        assert_eq!(status(&output).0, 2, "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).is_empty(), "{args:?}");
    }
    // A zip on standard output, and a file without its text and no --text, are usage errors.
    exits_with(
        folder.path(),
        &["convert", "c.doccano.jsonl", "--to", "brat"],
        2,
        "give the file with -o FILE",
    );
    exits_with(
        folder.path(),
        &["convert", "c.doccano.jsonl", "--to", "marginalia"],
        2,
        "2 documents in marginalia is a zip",
    );
}

#[test]
fn a_file_that_cannot_be_read_exits_2_naming_its_path() {
    let folder = folder_with(&[]);
    let output = run(folder.path(), &["stats", "missing.jsonl"]);
    assert_eq!(status(&output).0, 2);
    assert!(
        stderr(&output).starts_with("marginalia: cannot read missing.jsonl: "),
        "{}",
        stderr(&output)
    );
    let output = run(folder.path(), &["convert", "missing.ann", "--to", "spacy"]);
    assert!(
        stderr(&output).contains("missing.ann"),
        "{}",
        stderr(&output)
    );
    assert_eq!(status(&output).0, 2);
}

#[test]
fn a_corpus_converts_to_one_line_per_document_with_code_point_offsets() {
    let folder = folder_with(&[("c.doccano.jsonl", CORPUS)]);
    let output = run(
        folder.path(),
        &["convert", "c.doccano.jsonl", "--to", "spacy"],
    );
    assert_eq!(status(&output), (0, stderr(&output)));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["text"], "Héllo 😀 world");
    assert_eq!(lines[0]["spans"][1]["start"], 6);
    assert_eq!(lines[0]["spans"][1]["text"], "😀");
    assert_eq!(lines[1]["spans"][0]["label"], "CONDITION");
    assert!(
        stderr(&output).contains("converted 2 documents with 3 annotations to spacy"),
        "{}",
        stderr(&output)
    );
    // Standard input reads the same.
    let mut child = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["convert", "-", "--to", "conll"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(CORPUS.as_bytes())
        .unwrap();
    let piped = child.wait_with_output().unwrap();
    assert_eq!(status(&piped), (0, stderr(&piped)));
    assert_eq!(
        stdout(&piped).matches("-DOCSTART-").count(),
        2,
        "{}",
        stdout(&piped)
    );
    assert!(
        stdout(&piped).contains("Héllo\tB-CLAIM"),
        "{}",
        stdout(&piped)
    );
}

#[test]
fn several_documents_go_into_a_zip_and_come_back() {
    let folder = folder_with(&[("c.doccano.jsonl", CORPUS)]);
    let output = run(
        folder.path(),
        &[
            "convert",
            "c.doccano.jsonl",
            "--to",
            "marginalia",
            "-o",
            "all.zip",
        ],
    );
    assert_eq!(status(&output), (0, stderr(&output)));
    let archive = std::fs::read(folder.path().join("all.zip")).unwrap();
    let names: Vec<String> = stored_zip::entries(&archive)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["c-1.marginalia.json", "c-2.marginalia.json"]);
    let back = run(folder.path(), &["convert", "all.zip", "--to", "doccano"]);
    assert_eq!(status(&back), (0, stderr(&back)));
    let lines: Vec<serde_json::Value> = stdout(&back)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[0]["label"],
        serde_json::json!([[0, 5, "claim"], [6, 7, "quote"]])
    );
    assert_eq!(lines[1]["label"], serde_json::json!([[7, 15, "condition"]]));
    let brat = run(
        folder.path(),
        &["convert", "c.doccano.jsonl", "--to", "brat", "-o", "b.zip"],
    );
    assert_eq!(status(&brat), (0, stderr(&brat)));
    let stats = run(folder.path(), &["stats", "b.zip"]);
    assert_eq!(
        stdout(&stats),
        "documents\t2\nannotations\t3\norphans\t0\nlabel:claim\t1\nlabel:condition\t1\nlabel:quote\t1\n"
    );
}

#[test]
fn every_format_written_reads_back_with_the_same_annotations() {
    let text = "Alpha beta gamma.\n\nDelta 😀 epsilon.";
    let file = serde_json::json!({
        "format": "marginalia", "version": 1, "name": "doc.txt", "text": text,
        "annotations": [
            {"id": "a", "start": 0, "end": 10, "tag": "claim"},
            {"id": "b", "start": 19, "end": 24, "tag": "quote"},
        ]
    });
    let folder = folder_with(&[
        ("doc.marginalia.json", &file.to_string()),
        ("doc.txt", text),
    ]);
    for format in ExportFormat::ALL {
        let out = format!("out.{}", format.value());
        let output = run(
            folder.path(),
            &[
                "convert",
                "doc.marginalia.json",
                "--to",
                format.value(),
                "-o",
                &out,
            ],
        );
        assert_eq!(status(&output), (0, stderr(&output)), "{}", format.value());
        let stats = run(folder.path(), &["stats", &out, "--text", "doc.txt"]);
        assert_eq!(status(&stats), (0, stderr(&stats)), "{}", format.value());
        assert!(
            stdout(&stats).contains("annotations\t2\n")
                && stdout(&stats).contains("label:claim\t1\n")
                && stdout(&stats).contains("label:quote\t1\n"),
            "{}: {}",
            format.value(),
            stdout(&stats)
        );
    }
}

#[test]
fn a_file_without_its_text_needs_text() {
    let folder = folder_with(&[
        (
            "a.ann",
            "T1\tClaim 0 5\tHello\n#1\tAnnotatorNotes T1\ta note\n",
        ),
        ("a.txt", "Hello world"),
    ]);
    std::fs::write(folder.path().join("a.conll"), "Hello\tB-CLAIM\nworld\tO\n").unwrap();
    for file in ["a.ann", "a.conll"] {
        let without = run(folder.path(), &["convert", file, "--to", "spacy"]);
        assert_eq!(status(&without).0, 2, "{file}: {}", stderr(&without));
        assert!(stderr(&without).contains("--text"), "{}", stderr(&without));
    }
    let conll = run(folder.path(), &["stats", "a.conll", "--text", "a.txt"]);
    assert_eq!(status(&conll), (0, String::new()));
    assert!(
        stdout(&conll).contains("label:claim\t1\n"),
        "{}",
        stdout(&conll)
    );
    let with = run(
        folder.path(),
        &["convert", "a.ann", "--text", "a.txt", "--to", "spacy"],
    );
    assert_eq!(status(&with), (0, stderr(&with)));
    let line: serde_json::Value = serde_json::from_str(stdout(&with).trim()).unwrap();
    assert_eq!(line["text"], "Hello world");
    assert_eq!(line["spans"][0]["note"], "a note");
}

#[test]
fn invalid_input_exits_1_naming_the_line_and_leaves_no_file() {
    let bad = "{\"text\": \"Hello\", \"label\": [[0, 5, \"claim\"]]}\n{\"text\": \"Hello\", \"label\": [[4, 2, \"claim\"]]}\n";
    let folder = folder_with(&[("bad.jsonl", bad), ("prose.txt", "Just some prose.\nMore.")]);
    let output = run(
        folder.path(),
        &["convert", "bad.jsonl", "--to", "doccano", "-o", "out.jsonl"],
    );
    assert_eq!(status(&output).0, 1);
    assert_eq!(
        stderr(&output),
        "marginalia: bad.jsonl: line 2, label[0][1]: end 2 is not after start 4\n"
    );
    assert!(!folder.path().join("out.jsonl").exists());
    assert!(!folder.path().join("out.jsonl.partial").exists());
    let prose = run(folder.path(), &["stats", "prose.txt"]);
    assert_eq!(status(&prose).0, 1);
    assert!(
        stderr(&prose).contains("not an annotation file"),
        "{}",
        stderr(&prose)
    );
}

#[test]
fn validate_lists_every_problem_with_its_line_or_path() {
    let lines = concat!(
        "{\"text\": \"Hello world\", \"label\": [[0, 5, \"claim\"], [6, 40, \"claim\"]]}\n",
        "{\"text\": \"Hello\", \"label\": [[0, 5, \"person\"]]}\n",
        "{\"text\": \"Hello\", \"spans\": [{\"start\": 0, \"end\": 5, \"text\": \"Hellx\", \"label\": \"CLAIM\"}]}\n",
        "{oops\n",
    );
    let marginalia = r#"{"format": "marginalia", "version": 1, "text": "Hello world",
        "annotations": [{"id": "a", "start": 0, "end": 5, "tag": "claim", "quote": "Hello"},
                        {"id": "a", "start": 6, "end": 4, "tag": "claim"}]}"#;
    let folder = folder_with(&[
        ("good.jsonl", CORPUS),
        ("bad.jsonl", lines),
        ("bad.marginalia.json", marginalia),
        (
            "a.ann",
            "T1\tClaim 0 5\tHello\nT2\tQuote 6 99\tworld\nT3 Claim 0 5\n",
        ),
        ("a.txt", "Hello world"),
    ]);
    let good = run(folder.path(), &["validate", "good.jsonl"]);
    assert_eq!(status(&good), (0, String::new()));
    assert!(stdout(&good).is_empty());
    // Standard input is read the same way, and named as such.
    let mut child = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let piped = child.wait_with_output().unwrap();
    assert_eq!(status(&piped).0, 1);
    assert!(
        stderr(&piped).starts_with("standard input:1: $.label[1][1]: end 40 is beyond"),
        "{}",
        stderr(&piped)
    );

    let bad = run(
        folder.path(),
        &["validate", "bad.jsonl", "--labels", "claim,quote"],
    );
    assert_eq!(status(&bad).0, 1);
    assert_eq!(
        stderr(&bad).lines().collect::<Vec<_>>(),
        [
            "bad.jsonl:1: $.label[1][1]: end 40 is beyond the end of the text (11 code points)",
            "bad.jsonl:2: $.label[0][2]: unknown label \"person\" (known: claim, quote)",
            "bad.jsonl:3: $.spans[0].text: the quote \"Hellx\" is not the text at 0..5, which is \"Hello\"",
            "bad.jsonl:4: not a JSON line: key must be a string (column 2)",
        ]
    );
    let json = run(folder.path(), &["validate", "bad.marginalia.json"]);
    assert_eq!(status(&json).0, 1);
    assert_eq!(
        stderr(&json).lines().collect::<Vec<_>>(),
        [
            "bad.marginalia.json: $.annotations[1].id: the id a is used twice (first at $.annotations[0].id)",
            "bad.marginalia.json: $.annotations[1].end: end 4 is not after start 6",
        ]
    );
    let ann = run(folder.path(), &["validate", "a.ann", "--text", "a.txt"]);
    assert_eq!(status(&ann).0, 1);
    assert_eq!(
        stderr(&ann).lines().collect::<Vec<_>>(),
        [
            "a.ann:2: end 99 is beyond the end of the text (11 code points)",
            "a.ann:3: not a brat annotation line (expected an id, a tab and the annotation)",
        ]
    );
}

#[test]
fn reanchor_places_what_it_can_and_keeps_the_rest_as_orphans() {
    // The first paragraph is unchanged, the second replaced, the third moved by the change.
    let first = "The city council approved the new budget on Tuesday after a long debate.";
    let second = "The mayor resigned in protest, saying the plan would ruin the harbour district.";
    let third = "Critics said the increase was far too high for a town of this size and history.";
    let old = format!("{first}\n\n{second}\n\n{third}");
    let new = format!("{first}\n\nA spokesperson declined to comment on the vote.\n\n{third}");
    let find = |needle: &str| {
        let byte = old.find(needle).unwrap();
        let start = old[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let (a, b, c) = (
        find("approved the new budget"),
        find("far too high"),
        find("mayor resigned in protest"),
    );
    let file = serde_json::json!({
        "format": "marginalia", "version": 1, "name": "old.txt", "text": old,
        "annotations": [
            {"id": "a", "start": a.0, "end": a.1, "tag": "claim"},
            {"id": "b", "start": b.0, "end": b.1, "tag": "quote"},
            {"id": "c", "start": c.0, "end": c.1, "tag": "condition"},
        ]
    });
    let folder = folder_with(&[
        ("old.marginalia.json", &file.to_string()),
        ("new.txt", &new),
    ]);
    let output = run(
        folder.path(),
        &[
            "reanchor",
            "old.marginalia.json",
            "--onto",
            "new.txt",
            "-o",
            "new.marginalia.json",
        ],
    );
    assert_eq!(
        status(&output),
        (0, "placed 1, re-anchored 1, orphaned 1\n".to_owned())
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.path().join("new.marginalia.json")).unwrap())
            .unwrap();
    assert_eq!(written["text"], new);
    let annotations = written["annotations"].as_array().unwrap();
    assert_eq!(annotations.len(), 3);
    assert_eq!(annotations[1]["quote"], "far too high");
    assert_eq!(annotations[2]["orphan"], true);
    assert_eq!(annotations[2]["quote"], "mayor resigned in protest");
    // A file that cannot be read exits 1; a missing text exits 2.
    std::fs::write(
        folder.path().join("bad.json"),
        "{\"format\": \"marginalia\", \"version\": 1, \"annotations\": [{\"start\": 1}]}",
    )
    .unwrap();
    let bad = run(
        folder.path(),
        &["reanchor", "bad.json", "--onto", "new.txt"],
    );
    assert_eq!(status(&bad).0, 1, "{}", stderr(&bad));
    assert!(
        stderr(&bad).starts_with("marginalia: bad.json: annotations[0]"),
        "{}",
        stderr(&bad)
    );
    exits_with(
        folder.path(),
        &["reanchor", "old.marginalia.json", "--onto", "gone.txt"],
        2,
        "cannot read gone.txt",
    );
    // To standard output when there is no -o.
    let piped = run(
        folder.path(),
        &["reanchor", "old.marginalia.json", "--onto", "new.txt"],
    );
    assert_eq!(status(&piped).0, 0);
    assert!(stdout(&piped).contains("\"format\": \"marginalia\""));
}

#[test]
fn stats_prints_a_line_per_count_or_json() {
    let folder = folder_with(&[("c.doccano.jsonl", CORPUS)]);
    let lines = run(folder.path(), &["stats", "c.doccano.jsonl"]);
    assert_eq!(status(&lines), (0, String::new()));
    assert_eq!(
        stdout(&lines),
        "documents\t2\nannotations\t3\norphans\t0\nlabel:claim\t1\nlabel:condition\t1\nlabel:quote\t1\n"
    );
    let json = run(folder.path(), &["stats", "c.doccano.jsonl", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"documents": 2, "annotations": 3, "orphans": 0,
            "labels": {"claim": 1, "condition": 1, "quote": 1}, "relations": {}})
    );
}

#[test]
fn a_corpus_of_10000_lines_converts_as_a_stream() {
    let mut corpus = String::new();
    for n in 0..10_000 {
        corpus.push_str(&format!(
            "{{\"text\": \"Document {n} says something.\", \"label\": [[0, 8, \"claim\"]]}}\n"
        ));
    }
    let folder = folder_with(&[("big.doccano.jsonl", &corpus)]);
    let output = run(
        folder.path(),
        &[
            "convert",
            "big.doccano.jsonl",
            "--to",
            "spacy",
            "-o",
            "big.spacy.jsonl",
        ],
    );
    assert_eq!(status(&output), (0, stderr(&output)));
    let written = std::fs::read_to_string(folder.path().join("big.spacy.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 10_000);
    let last: serde_json::Value = serde_json::from_str(written.lines().last().unwrap()).unwrap();
    assert_eq!(last["text"], "Document 9999 says something.");
    assert_eq!(last["spans"][0]["text"], "Document");
    let stats = run(folder.path(), &["stats", "big.spacy.jsonl"]);
    assert!(stdout(&stats).starts_with("documents\t10000\nannotations\t10000\n"));
}

#[test]
fn labeling_config_names_the_labels_and_the_tags_a_file_uses() {
    let folder = folder_with(&[(
        "p.jsonl",
        "{\"text\": \"Ann Lee\", \"label\": [[0, 7, \"PERSON\"]]}\n",
    )]);
    let defaults = run(folder.path(), &["labeling-config"]);
    assert_eq!(status(&defaults), (0, String::new()));
    assert!(stdout(&defaults).starts_with("<View>\n"));
    assert!(stdout(&defaults).contains("<Label value=\"claim\" hint=\"Claim\""));
    let config = run(folder.path(), &["labeling-config", "p.jsonl"]);
    assert_eq!(status(&config), (0, String::new()));
    assert!(
        stdout(&config).contains("<Label value=\"PERSON\""),
        "{}",
        stdout(&config)
    );
}

#[test]
fn several_documents_convert_to_every_format_and_those_that_carry_text_read_back() {
    let folder = folder_with(&[("c.doccano.jsonl", CORPUS)]);
    for format in ExportFormat::ALL {
        let out = format!("all.{}", format.value());
        let output = run(
            folder.path(),
            &[
                "convert",
                "c.doccano.jsonl",
                "--to",
                format.value(),
                "-o",
                &out,
            ],
        );
        assert_eq!(status(&output), (0, stderr(&output)), "{}", format.value());
        // W3C and CoNLL do not carry the text: their files need it given, one document each.
        if matches!(format, ExportFormat::W3c | ExportFormat::Conll) {
            continue;
        }
        let stats = run(folder.path(), &["stats", &out]);
        assert_eq!(status(&stats), (0, String::new()), "{}", format.value());
        assert!(
            stdout(&stats).starts_with("documents\t2\nannotations\t3\norphans\t0\n"),
            "{}: {}",
            format.value(),
            stdout(&stats)
        );
    }
}

/// A marginalia file on `text` ("Macron said the plan works, if it is funded.") with a source,
/// a quote, a claim and a condition, two relations attributing the quote and the claim to the
/// source, one the condition qualifying the claim, and the quote's `kind`.
fn related_file(text: &str) -> serde_json::Value {
    serde_json::json!({
        "format": "marginalia", "version": 1, "name": "doc.txt", "text": text,
        "annotations": [
            {"id": "s", "start": 0, "end": 6, "tag": "source"},
            {"id": "q", "start": 7, "end": 26, "tag": "quote", "attributes": {"kind": "indirect"}},
            {"id": "c", "start": 16, "end": 26, "tag": "claim"},
            {"id": "k", "start": 28, "end": 44, "tag": "condition"},
        ],
        "relations": [
            {"id": "r1", "type": "attributed-to", "from": "q", "to": "s"},
            {"id": "r2", "type": "attributed-to", "from": "c", "to": "s", "note": "by implication"},
            {"id": "r3", "type": "qualifies", "from": "k", "to": "c"},
        ],
        "labels": [],
        "relation_types": [
            {"id": "attributed-to", "name": "Attributed to"},
            {"id": "qualifies", "name": "Qualifies"},
            {"id": "cites", "name": "Cites"},
        ]
    })
}

const RELATED_TEXT: &str = "Macron said the plan works, if it is funded.";

#[test]
fn stats_counts_relations_per_type_and_lists_the_declared_types() {
    let file = related_file(RELATED_TEXT).to_string();
    let folder = folder_with(&[("doc.marginalia.json", &file)]);
    let lines = run(folder.path(), &["stats", "doc.marginalia.json"]);
    assert_eq!(status(&lines), (0, String::new()));
    assert_eq!(
        stdout(&lines),
        "documents\t1\nannotations\t4\norphans\t0\n\
         label:claim\t1\nlabel:condition\t1\nlabel:quote\t1\nlabel:source\t1\n\
         relation:attributed-to\t2\nrelation:cites\t0\nrelation:qualifies\t1\n"
    );
    let json = run(folder.path(), &["stats", "doc.marginalia.json", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        value["relations"],
        serde_json::json!({"attributed-to": 2, "cites": 0, "qualifies": 1})
    );
}

#[test]
fn convert_keeps_relations_where_both_formats_carry_them_and_says_what_it_left_out() {
    let file = related_file(RELATED_TEXT).to_string();
    let folder = folder_with(&[("doc.marginalia.json", &file), ("doc.txt", RELATED_TEXT)]);
    for format in ExportFormat::ALL {
        let out = format!("out.{}", format.value());
        let output = run(
            folder.path(),
            &[
                "convert",
                "doc.marginalia.json",
                "--to",
                format.value(),
                "-o",
                &out,
            ],
        );
        assert_eq!(status(&output).0, 0, "{}", format.value());
        let stats = run(folder.path(), &["stats", &out, "--text", "doc.txt"]);
        assert_eq!(status(&stats), (0, String::new()), "{}", format.value());
        let relations: Vec<String> = stdout(&stats)
            .lines()
            .filter(|l| l.starts_with("relation:") && !l.ends_with("\t0"))
            .map(str::to_owned)
            .collect();
        if format.carries_relations() {
            assert_eq!(
                relations,
                ["relation:attributed-to\t2", "relation:qualifies\t1"],
                "{}",
                format.value()
            );
        } else {
            assert_eq!(relations, Vec::<String>::new(), "{}", format.value());
            assert!(
                stderr(&output).contains(&format!(
                    "3 relations left out of the {} file",
                    format.noun()
                )),
                "{}: {}",
                format.value(),
                stderr(&output)
            );
        }
    }
    // From brat back to Marginalia: the same relations between the same spans, the note and
    // the attribute too.
    let back = run(
        folder.path(),
        &[
            "convert",
            "out.brat",
            "--to",
            "marginalia",
            "-o",
            "back.json",
        ],
    );
    assert_eq!(status(&back).0, 0, "{}", stderr(&back));
    let back: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.path().join("back.json")).unwrap()).unwrap();
    let spans: std::collections::HashMap<&str, (u64, u64)> = back["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let offset = |key: &str| a[key].as_u64().unwrap();
            (a["id"].as_str().unwrap(), (offset("start"), offset("end")))
        })
        .collect();
    type Between<'a> = (&'a str, (u64, u64), (u64, u64), &'a str);
    let mut relations: Vec<Between> = back["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let end = |key: &str| spans[r[key].as_str().unwrap()];
            let note = r.get("note").and_then(|n| n.as_str()).unwrap_or("");
            (r["type"].as_str().unwrap(), end("from"), end("to"), note)
        })
        .collect();
    relations.sort();
    assert_eq!(
        relations,
        [
            ("attributed-to", (7, 26), (0, 6), ""),
            ("attributed-to", (16, 26), (0, 6), "by implication"),
            ("qualifies", (28, 44), (16, 26), ""),
        ]
    );
    assert_eq!(
        back["annotations"][1]["attributes"],
        serde_json::json!({"kind": "indirect"})
    );
}
