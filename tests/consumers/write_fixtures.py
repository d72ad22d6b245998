"""Writes the foreign fixtures of tests/fixtures/ the way their tools write them, on the sample
article: a Label Studio JSON export (tasks with annotations, a per-region note, a relation, a
choice and a model's prediction), a Prodigy `ner_manual` line (tokens from spaCy's tokenizer,
as Prodigy's add_tokens makes them), and Hugging Face `datasets` JSON lines (string tags, and
the class-number tags `datasets` writes for a ClassLabel feature).

Run once with the consumers' venv (bash scripts/python-consumers.sh prints its python):
    .venv-consumers/bin/python tests/consumers/write_fixtures.py
The files are committed; the tests read them, not this script.
"""

import json
import pathlib

import datasets
import spacy

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
TEXT = (ROOT / "assets" / "sample-article.txt").read_text(encoding="utf-8").replace("\r\n", "\n")

# (quote, label, note): each quote's first occurrence.
SPANS = [
    ("412 million euros", "CLAIM", "check the figure"),
    ("We are no longer talking about a once-in-a-century storm", "QUOTE", ""),
    ("Renée Castellanos", "SOURCE", ""),
    ("if the national government agreed to cover at least half of the cost", "CONDITION", ""),
]


def offsets(quote):
    start = TEXT.index(quote)
    return start, start + len(quote)


def label_studio():
    results = []
    for n, (quote, label, note) in enumerate(SPANS):
        start, end = offsets(quote)
        region = f"reg{n}Xk3a9"
        results.append({
            "value": {"start": start, "end": end, "text": quote, "labels": [label.lower()]},
            "id": region, "from_name": "label", "to_name": "text", "type": "labels",
            "origin": "manual",
        })
        if note:
            results.append({
                "value": {"start": start, "end": end, "text": [note]},
                "id": region, "from_name": "note", "to_name": "text", "type": "textarea",
                "origin": "manual",
            })
    results.append({
        "from_id": "reg1Xk3a9", "to_id": "reg2Xk3a9", "type": "relation",
        "direction": "right", "labels": ["attributed-to"],
    })
    results.append({
        "value": {"choices": ["Local politics"]}, "id": "docTopic01", "from_name": "topic",
        "to_name": "text", "type": "choices", "origin": "manual",
    })
    start, end = offsets("38 million euros")
    prediction = {
        "id": 7, "model_version": "claims-v2", "score": 0.81, "created_ago": "2 days",
        "result": [{
            "value": {"start": start, "end": end, "text": "38 million euros", "labels": ["claim"]},
            "id": "pred0Qm2", "from_name": "label", "to_name": "text", "type": "labels",
            "origin": "prediction", "score": 0.81,
        }],
        "cluster": None, "neighbors": None, "mislabeling": 0.0,
        "created_at": "2026-11-20T09:12:44.101912Z", "updated_at": "2026-11-20T09:12:44.101935Z",
        "task": 101, "project": 3,
    }
    task = {
        "id": 101,
        "annotations": [{
            "id": 55, "completed_by": 1, "result": results, "was_cancelled": False,
            "ground_truth": False, "created_at": "2026-11-21T14:02:10.318290Z",
            "updated_at": "2026-11-21T14:05:51.120441Z", "draft_created_at": None,
            "lead_time": 221.48, "prediction": {}, "result_count": 0,
            "unique_id": "8f3c2a1e-4b7d-4e0a-9c61-2d5f8e7a9b10", "import_id": None,
            "last_action": None, "bulk_created": False, "task": 101, "project": 3,
            "updated_by": 1, "parent_prediction": None, "parent_annotation": None,
            "last_created_by": None,
        }],
        "file_upload": "4c1f9d2e-sample-article.json", "drafts": [],
        "predictions": [prediction],
        "data": {"text": TEXT},
        "meta": {}, "created_at": "2026-11-20T09:10:02.512775Z",
        "updated_at": "2026-11-21T14:05:51.164808Z", "inner_id": 1, "total_annotations": 1,
        "cancelled_annotations": 0, "total_predictions": 1, "comment_count": 0,
        "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 3,
        "updated_by": 1, "comment_authors": [],
    }
    other = {
        "id": 102, "annotations": [], "predictions": [], "drafts": [],
        "data": {"text": "Another article, not annotated yet."}, "meta": {},
        "project": 3, "inner_id": 2,
    }
    path = FIXTURES / "label-studio-sample-article.json"
    path.write_text(json.dumps([other, task], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def prodigy():
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    tokens = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in doc
    ]
    spans = []
    for quote, label, _ in SPANS:
        start, end = offsets(quote)
        span = doc.char_span(start, end)
        spans.append({"start": start, "end": end, "token_start": span.start,
                      "token_end": span.end - 1, "label": label})
    line = {
        "text": TEXT, "_input_hash": -1325846171, "_task_hash": 1784213466,
        "tokens": tokens, "_view_id": "ner_manual", "spans": spans, "answer": "accept",
        "_timestamp": 1763735151, "_annotator_id": "2026-11-21_14-02-10",
        "_session_id": "2026-11-21_14-02-10",
    }
    path = FIXTURES / "prodigy-sample-article.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")


def hugging_face():
    nlp = spacy.blank("en")
    paragraphs = [p for p in TEXT.split("\n\n")][:7]
    marked = {offsets(q): label for q, label, _ in SPANS}
    rows = {"id": [], "tokens": [], "ner_tags": []}
    at = 0
    for n, paragraph in enumerate(paragraphs):
        base = TEXT.index(paragraph, at)
        at = base + len(paragraph)
        doc = nlp(paragraph)
        tags = ["O"] * len(doc)
        for (start, end), label in marked.items():
            span = doc.char_span(start - base, end - base) if base <= start < at else None
            if span is not None:
                tags[span.start] = f"B-{label}"
                for i in range(span.start + 1, span.end):
                    tags[i] = f"I-{label}"
        words = [t.text for t in doc if not t.is_space]
        tags = [tag for t, tag in zip(doc, tags) if not t.is_space]
        rows["id"].append(str(n))
        rows["tokens"].append(words)
        rows["ner_tags"].append(tags)
    strings = datasets.Dataset.from_dict(rows)
    strings.to_json(str(FIXTURES / "datasets-sample-article.jsonl"), force_ascii=False)
    names = sorted({tag for row in rows["ner_tags"] for tag in row})
    features = datasets.Features({
        "id": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
    })
    numbers = datasets.Dataset.from_dict(
        {**rows, "ner_tags": [[names.index(t) for t in row] for row in rows["ner_tags"]]},
        features=features,
    )
    numbers.to_json(str(FIXTURES / "datasets-class-numbers.jsonl"), force_ascii=False)


if __name__ == "__main__":
    label_studio()
    prodigy()
    hugging_face()
