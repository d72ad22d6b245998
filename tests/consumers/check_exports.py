"""Reads Marginalia's exports with the libraries that consume them, and fails loudly when one
of them would read something other than what Marginalia meant.

    python check_exports.py DIR     (DIR written by `cargo run --example consumer_exports`)

- Prodigy / spaCy tokens: spaCy's `Doc(vocab, words, spaces)` built from each line's tokens
  gives back the text exactly; every token's offsets are spaCy's (`token.idx`); every span is
  `doc.char_span(start, end)` and `doc[token_start : token_end + 1]`, with the label written;
  every relation's `head_span` and `child_span` are spans of the line, and its `head` and
  `child` their last tokens, as `rel.manual` writes them.
- Hugging Face: `datasets.load_dataset("json")` loads the file (tokens and ner_tags as strings);
  the entities `seqeval` extracts from the IOB2 tags, mapped back onto the text, are exactly the
  spans Marginalia kept (NAME.expected.json); every `I-` continues a span of its label (IOB2),
  and seqeval's strict IOB2 score of the tags against themselves is 1.0.
- Label Studio: every `labels` result has `text[start:end] == value.text` in Python's code points,
  names the `<Labels>` and `<Text>` of the labeling config, and uses one of its `<Label>`
  values; every per-region `textarea` (note or attribute) and `choices` (attribute) result
  names a per-region control of the config, uses its choices, and shares its region's id and
  offsets; every `relation` result links two regions of its annotation with a `<Relation>` of
  the config.
Each check says which file and which item failed. Exit status 0 when all hold.
"""

import json
import pathlib
import sys
import xml.etree.ElementTree as ElementTree

import datasets
import spacy
from seqeval.metrics import f1_score
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2
from spacy.tokens import Doc

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()

FAILURES = []


def check(condition, where, message):
    if not condition:
        FAILURES.append(f"{where}: {message}")
    return condition


def check_prodigy(path, nlp):
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for number, line in enumerate(lines, 1):
        where = f"{path.name} line {number}"
        tokens = line["tokens"]
        doc = Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        check(doc.text == line["text"], where, "Doc(words, spaces).text is not the text")
        for token, ours in zip(doc, tokens):
            check(
                (token.idx, token.idx + len(token.text), token.i) == (ours["start"], ours["end"], ours["id"]),
                where,
                f"token {ours['id']} is at {token.idx} in spaCy, {ours['start']} in the file",
            )
        for i, span in enumerate(line["spans"]):
            at = f"{where}, spans[{i}]"
            by_chars = doc.char_span(span["start"], span["end"])
            if not check(by_chars is not None, at, "char_span is None: not on token boundaries"):
                continue
            by_tokens = doc[span["token_start"] : span["token_end"] + 1]
            check(
                (by_chars.start, by_chars.end) == (by_tokens.start, by_tokens.end),
                at,
                "token_start/token_end name other tokens than start/end",
            )
            check(by_chars.text == line["text"][span["start"] : span["end"]], at, "span text differs")
            check(span["label"] == span["label"].upper(), at, "label not in upper case")
        ends = {(s["start"], s["end"], s["token_start"], s["token_end"], s["label"]) for s in line["spans"]}
        for i, relation in enumerate(line.get("relations", [])):
            at = f"{where}, relations[{i}]"
            for token, key in (("head", "head_span"), ("child", "child_span")):
                end = relation[key]
                check(
                    (end["start"], end["end"], end["token_start"], end["token_end"], end["label"]) in ends,
                    at,
                    f"{key} is not a span of the line",
                )
                check(relation[token] == end["token_end"], at, f"{token} is not the last token of {key}")


def char_spans_of_tokens(text, sentences):
    """Each token's (start, end) in `text`, found in order as Marginalia's import does."""
    at, spans = 0, []
    for tokens in sentences:
        row = []
        for token in tokens:
            found = text.index(token, at)
            row.append((found, found + len(token)))
            at = found + len(token)
        spans.append(row)
    return spans


def check_hf(path, expected_by_document):
    where = path.name
    dataset = datasets.load_dataset("json", data_files=str(path), split="train")
    check(dataset.features["tokens"].feature.dtype == "string", where, "tokens are not strings")
    check(dataset.features["ner_tags"].feature.dtype == "string", where, "ner_tags are not strings")
    rows = list(dataset)
    tags = [row["ner_tags"] for row in rows]
    check(f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0, where, "not valid IOB2")
    by_document = {}
    for row in rows:
        document = row["id"].rsplit("-", 1)[0]
        by_document.setdefault(document, []).append(row)
    check(set(by_document) == set(expected_by_document), where, f"documents {sorted(by_document)}")
    for document, rows in by_document.items():
        expected = expected_by_document.get(document)
        if expected is None:
            continue
        text = expected["text"]
        offsets = char_spans_of_tokens(text, [row["tokens"] for row in rows])
        found = []
        for row, token_offsets in zip(rows, offsets):
            check(len(row["tokens"]) == len(row["ner_tags"]), f"{where} {row['id']}", "lengths differ")
            for i, tag in enumerate(row["ner_tags"]):
                before = row["ner_tags"][i - 1] if i else "O"
                check(
                    not tag.startswith("I-") or before[2:] == tag[2:] and before != "O",
                    f"{where} {row['id']}",
                    f"{tag} at token {i} continues no span (IOB2 needs B- first)",
                )
            for label, first, last in get_entities(row["ner_tags"]):
                found.append([token_offsets[first][0], token_offsets[last][1], label])
        check(
            found == expected["hf_spans"],
            f"{where} {document}",
            f"seqeval's entities {found} are not Marginalia's {expected['hf_spans']}",
        )
        no_space = "".join(text.split())
        check("".join(t for row in rows for t in row["tokens"]) == no_space, where, "tokens do not cover the text")


def labeling_config(path):
    root = ElementTree.parse(path).getroot()
    labels = root.find("Labels")
    text = root.find("Text")
    note = root.find("TextArea")
    relations = root.find("Relations")
    return {
        "labels_name": labels.get("name"),
        "to_name": labels.get("toName"),
        "text_name": text.get("name"),
        "values": {label.get("value") for label in labels.findall("Label")},
        "note_name": note.get("name"),
        "note_per_region": note.get("perRegion"),
        "text_areas": {t.get("name") for t in root.findall("TextArea") if t.get("perRegion") == "true"},
        "choices": {
            c.get("name"): {choice.get("value") for choice in c.findall("Choice")}
            for c in root.findall("Choices")
            if c.get("perRegion") == "true"
        },
        "relations": set() if relations is None else {r.get("value") for r in relations.findall("Relation")},
    }


def check_label_studio(path, config, expected_by_text):
    tasks = json.loads(path.read_text(encoding="utf-8"))
    check(isinstance(tasks, list), path.name, "not a list of tasks")
    check(config["to_name"] == config["text_name"], "labeling-config.xml", "Labels do not point at Text")
    check(config["note_per_region"] == "true", "labeling-config.xml", "the note is not per region")
    for t, task in enumerate(tasks):
        where = f"{path.name} [{t}]"
        check(isinstance(task["id"], int), where, "task id is not an integer")
        text = task["data"]["text"]
        expected = expected_by_text.get(text)
        check(expected is not None, where, "the task's text is no document's text")
        regions = {}
        spans = []
        for annotation in task["annotations"]:
            for r, result in enumerate(annotation["result"]):
                at = f"{where}.annotations.result[{r}]"
                if result["type"] == "relation":
                    check(
                        result["from_id"] in regions and result["to_id"] in regions,
                        at,
                        "the relation does not link two regions of its annotation",
                    )
                    check(result["direction"] in ("right", "left", "bi"), at, "unknown direction")
                    check(set(result["labels"]) <= config["relations"], at, "relation label not in the config")
                    continue
                value = result["value"]
                same_region = regions.get(result["id"]) == (value["start"], value["end"])
                check(result["to_name"] == config["text_name"], at, "to_name is not the Text tag")
                if result["type"] == "labels":
                    check(result["from_name"] == config["labels_name"], at, "from_name is not the Labels tag")
                    check(text[value["start"] : value["end"]] == value["text"], at, "text[start:end] != value.text")
                    check(set(value["labels"]) <= config["values"], at, f"labels {value['labels']} not in the config")
                    regions[result["id"]] = (value["start"], value["end"])
                    spans.extend([value["start"], value["end"], label] for label in value["labels"])
                elif result["type"] == "textarea":
                    check(result["from_name"] in config["text_areas"], at, "from_name is no per-region TextArea")
                    check(same_region, at, "the text's region is not a labels region with the same offsets")
                    check(all(isinstance(line, str) for line in value["text"]), at, "text is not a list of strings")
                elif result["type"] == "choices":
                    choices = config["choices"].get(result["from_name"])
                    check(choices is not None, at, "from_name is no per-region Choices")
                    check(set(value["choices"]) <= (choices or set()), at, f"choices {value['choices']} not in the config")
                    check(same_region, at, "the choice's region is not a labels region with the same offsets")
                else:
                    check(False, at, f"unexpected result type {result['type']}")
        if expected is not None:
            check(spans == expected["spans"], where, f"regions {spans} are not {expected['spans']}")


def main():
    folder = pathlib.Path(sys.argv[1])
    expected = {
        path.name[: -len(".expected.json")]: json.loads(path.read_text(encoding="utf-8"))
        for path in folder.glob("*.expected.json")
    }
    check(len(expected) >= 2, str(folder), "expected files missing")
    nlp = spacy.blank("en")
    config = labeling_config(folder / "labeling-config.xml")
    by_text = {e["text"]: e for e in expected.values()}
    checked = 0
    for path in sorted(folder.glob("*.prodigy.jsonl")):
        check_prodigy(path, nlp)
        checked += 1
    for path in sorted(folder.glob("*.hf.jsonl")):
        if path.name.startswith("marginalia-documents"):
            check_hf(path, expected)
        else:
            stem = path.name[: -len(".hf.jsonl")]
            check_hf(path, {stem: expected[stem]})
        checked += 1
    for path in sorted(folder.glob("*.label-studio.json")):
        check_label_studio(path, config, by_text)
        checked += 1
    check(checked == 9, str(folder), f"{checked} export files checked, expected 9")
    for failure in FAILURES:
        print(failure, file=sys.stderr)
    print(f"{checked} exports read by spaCy {spacy.__version__}, datasets {datasets.__version__}, "
          f"seqeval; {len(FAILURES)} problems")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
