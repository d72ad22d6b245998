use super::*;

fn listed(input: &str, expected: Expected<'_>) -> Vec<String> {
    problems(input.as_bytes(), expected)
        .iter()
        .map(|p| p.located("f"))
        .collect()
}

#[test]
fn json_lines_list_every_problem_with_line_and_path() {
    let input = "{\"text\": \"Hello world\", \"label\": [[0, 5, \"claim\"], [6, 40, \"claim\"]]}\n\
                 not json\n\
                 {\"text\": \"Hello\", \"spans\": [{\"start\": 0, \"end\": 5, \"text\": \"Hellx\", \"label\": \"CLAIM\"}, {\"start\": 3, \"end\": 1, \"label\": \"QUOTE\"}]}\n";
    let problems = listed(input, Expected::default());
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_eq!(
        problems[0],
        "f:1: $.label[1][1]: end 40 is beyond the end of the text (11 code points)"
    );
    assert_eq!(
        problems[1],
        "f:2: not a JSON line: expected ident (column 2)"
    );
    assert_eq!(
        problems[2],
        "f:3: $.spans[0].text: the quote \"Hellx\" is not the text at 0..5, which is \"Hello\""
    );
    assert_eq!(
        problems[3],
        "f:3: $.spans[1].end: end 1 is not after start 3"
    );
}

#[test]
fn valid_files_have_no_problems() {
    let spacy = "{\"text\": \"Héllo 😀 world\", \"spans\": [{\"start\": 6, \"end\": 7, \"text\": \"😀\", \"label\": \"QUOTE\"}]}\n";
    assert_eq!(listed(spacy, Expected::default()), Vec::<String>::new());
    let text = Document::from_raw("Hello world");
    let ann = "T1\tClaim 0 5\tHello\n#1\tAnnotatorNotes T1\tnote\n";
    let expected = Expected {
        text: Some(&text),
        labels: &[],
    };
    assert_eq!(listed(ann, expected), Vec::<String>::new());
}

#[test]
fn tokens_that_overlap_and_unknown_labels_are_named() {
    let line = r#"{"text": "ab cd", "tokens": [{"text": "ab", "start": 0, "end": 2, "id": 0}, {"text": "b", "start": 1, "end": 2, "id": 1}], "spans": [{"start": 0, "end": 2, "label": "PERSON", "token_start": 0, "token_end": 0}]}"#;
    let labels = ["claim".to_owned()];
    let problems = listed(
        line,
        Expected {
            text: None,
            labels: &labels,
        },
    );
    assert_eq!(
        problems,
        [
            "f:1: $.tokens[1].start: token 1 (1..2) overlaps or comes before token 0 (0..2)",
            "f:1: $.spans[0].label: unknown label \"PERSON\" (known: claim)",
        ]
    );
}

#[test]
fn marginalia_files_check_ids_quotes_and_their_own_labels() {
    let file = r#"{"format": "marginalia", "version": 1, "text": "Hello world",
        "labels": [{"tag": "claim", "name": "Claim", "colour": "blue", "key": 1}],
        "annotations": [
          {"id": "a", "start": 0, "end": 5, "tag": "claim", "quote": "Hello"},
          {"id": "a", "start": 6, "end": 11, "tag": "quote", "quote": "world"},
          {"id": "b", "start": 6, "end": 99, "tag": "claim"},
          {"id": "c", "orphan": true, "start": 50, "end": 60, "tag": "claim", "quote": "gone"}]}"#;
    // The file's own labels do not limit its tags (the app keeps tags without a label); the
    // labels given do.
    let labels = ["claim".to_owned()];
    let expected = Expected {
        text: None,
        labels: &labels,
    };
    assert_eq!(
        listed(file, expected),
        [
            "f: $.annotations[1].id: the id a is used twice (first at $.annotations[0].id)",
            "f: $.annotations[1].tag: unknown label \"quote\" (known: claim)",
            "f: $.annotations[2].end: end 99 is beyond the end of the text (11 code points)",
        ]
    );
}

#[test]
fn brat_lines_are_checked_against_the_text() {
    let text = Document::from_raw("Hello world");
    let ann = "T1\tClaim 0 5\tHellx\nT1\tQuote 6 11\tworld\nT3\tClaim 0 x\t\nbroken line\n#1\tAnnotatorNotes T9\tnote\n";
    let problems = listed(
        ann,
        Expected {
            text: Some(&text),
            labels: &[],
        },
    );
    assert_eq!(
        problems,
        [
            "f:1: the text field \"Hellx\" is not the text at 0 5, which is \"Hello\"",
            "f:2: the id T1 is used twice (first on line 1)",
            "f:3: expected an offset (a whole number from 0), found \"x\"",
            "f:4: not a brat annotation line (expected an id, a tab and the annotation)",
            "f:5: T9 is not an annotation of this file",
        ]
    );
}

#[test]
fn conll_tags_and_tokens_are_checked() {
    let text = Document::from_raw("Hello big world");
    let conll = "Hello\tB-CLAIM\nbig\tX-CLAIM\nwurld\tO\n";
    let problems = listed(
        conll,
        Expected {
            text: Some(&text),
            labels: &[],
        },
    );
    assert_eq!(
        problems,
        [
            "f:2: the tag \"X-CLAIM\" is not O, B-LABEL or I-LABEL (or IOBES)",
            "f:3: the token \"wurld\" is not next in the text, which has \"world\" at code point 10",
        ]
    );
}

#[test]
fn hugging_face_sentences_follow_iob2() {
    let line = r#"{"id": "0", "tokens": ["a", "b", "c"], "ner_tags": ["O", "I-QUOTE", "B-"]}"#;
    assert_eq!(
        listed(line, Expected::default()),
        [
            "f:1: $.ner_tags[1]: I-QUOTE continues no QUOTE span (IOB2 opens a span with B-QUOTE)",
            "f:1: $.ner_tags[2]: the tag \"B-\" is not O, B-LABEL or I-LABEL",
        ]
    );
}

#[test]
fn broken_json_names_its_path_and_position() {
    let problems = listed(
        "{\"format\": \"marginalia\", \"annotations\": [1,}",
        Expected::default(),
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("f: $.annotations[1]: "),
        "{problems:?}"
    );
    assert!(problems[0].ends_with("(line 1, column 44)"), "{problems:?}");
}

#[test]
fn relations_that_name_no_annotation_are_named_in_every_format() {
    let marginalia = r#"{"format": "marginalia", "version": 1, "text": "Hello world",
        "annotations": [
          {"id": "a", "start": 0, "end": 5, "tag": "quote", "attributes": {"kind": "direct", "n": 3}},
          {"id": "b", "start": 6, "end": 11, "tag": "source"}],
        "relations": [
          {"id": "r1", "type": "attributed-to", "from": "a", "to": "b"},
          {"id": "r1", "type": "attributed-to", "from": "a", "to": "gone"},
          {"id": "r3", "from": "b"}]}"#;
    assert_eq!(
        listed(marginalia, Expected::default()),
        [
            "f: $.annotations[0].attributes.n: expected an attribute value (text, true or false), found 3",
            "f: $.relations[1].id: the id r1 is used twice (first at $.relations[0].id)",
            "f: $.relations[1].to: \"gone\" is no annotation of this file",
            "f: $.relations[2].type: missing: a relation needs a type",
            "f: $.relations[2].to: missing: a relation needs both its ends",
        ]
    );

    let w3c = r##"[{"id": "urn:uuid:550e8400-e29b-41d4-a716-446655440000", "body": {"purpose": "tagging", "value": "quote"},
                   "target": {"selector": {"type": "TextPositionSelector", "start": 0, "end": 5}}},
                  {"id": "#r", "motivation": "linking", "body": {"purpose": "tagging", "value": "attributed-to"},
                   "target": [{"id": "urn:uuid:550e8400-e29b-41d4-a716-446655440000"}, "#nowhere"]}]"##;
    let labels = ["quote".to_owned()];
    let expected = Expected {
        text: None,
        labels: &labels,
    };
    // The relation's type is no label, and is not checked as one.
    assert_eq!(
        listed(w3c, expected),
        ["f: $[1].target[1]: \"#nowhere\" is no annotation of this file"]
    );

    let doccano = r#"{"text": "Hello world", "entities": [{"id": 1, "label": "quote", "start_offset": 0, "end_offset": 5}], "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "attributed-to"}, {"id": 2, "from_id": 1, "to_id": 1}]}"#;
    assert_eq!(
        listed(doccano, Expected::default()),
        [
            "f:1: $.relations[0].to_id: \"2\" is no annotation of this file",
            "f:1: $.relations[1].type: missing: a relation needs a type (a string)",
        ]
    );

    let prodigy = r#"{"text": "Hello world", "tokens": [{"text": "Hello", "start": 0, "end": 5, "id": 0, "ws": true}, {"text": "world", "start": 6, "end": 11, "id": 1, "ws": false}],
        "spans": [{"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "QUOTE", "attributes": {"kind": "direct"}}],
        "relations": [{"head": 0, "child": 1, "label": "attributed-to"},
                      {"head_span": {"start": 0, "end": 5}, "child_span": {"start": 6, "end": 11}, "head": 0, "child": 1, "label": "x"}]}"#;
    assert_eq!(
        listed(&prodigy.replace('\n', " "), Expected::default()),
        [
            "f:1: $.relations[0].child: the token 1 is the end of no span of this line",
            "f:1: $.relations[1].child_span: 6..11 is the end of no span of this line",
        ]
    );

    let text = Document::from_raw("Hello world");
    let ann = "T1\tQuote 0 5\tHello\nA1\tKind T1 direct\nA2\tHedged T7\nA3\tBroken\nR1\tattributed_to Arg1:T1 Arg2:T2\nR2\tqualifies Arg1:T1\n";
    assert_eq!(
        listed(
            ann,
            Expected {
                text: Some(&text),
                labels: &[],
            }
        ),
        [
            "f:3: T7 is not an annotation of this file",
            "f:4: an attribute needs a name and what it is on, like \"Hedged T1\"",
            "f:5: T2 is not an annotation of this file",
            "f:6: a relation needs a type and two arguments, like \"attributed_to Arg1:T1 Arg2:T2\"",
        ]
    );
}

#[test]
fn our_exports_with_relations_and_attributes_are_valid() {
    use crate::format::{export, ExportFormat};
    use crate::model::{AttributeValue, Command, LabelSet, Relation};
    let document = Document::from_raw("Rain fell, the mayor said.");
    let mut store = crate::format::test_support::store(
        &document,
        &[("a", 0, 9, "claim", ""), ("b", 11, 20, "source", "")],
    );
    let mut claim = crate::model::Annotation::clone(store.get(&"a".into()).unwrap());
    claim
        .attributes
        .insert("hedged".into(), AttributeValue::Flag(true));
    store.apply(Command::Update { annotation: claim }).unwrap();
    let relation = Relation::new("r".into(), "attributed-to", "a".into(), "b".into());
    store.apply(Command::CreateRelation { relation }).unwrap();
    for format in ExportFormat::ALL {
        let exported = export(format, &document, "d.txt", &store, &LabelSet::default());
        let found = problems(
            &exported.bytes,
            Expected {
                text: Some(&document),
                labels: &[],
            },
        );
        assert!(found.is_empty(), "{}: {found:?}", format.value());
    }
}
