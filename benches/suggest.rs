//! Suggestions on the 1,000,000-word article: how long the first screen and the whole
//! document take, per source and all together, and the longest slice when the rest is done in
//! slices between frames.
//!
//! The article is `common`'s (seeded, no external data), with one paragraph in ten followed by
//! a paragraph of the news fixtures of `tests/fixtures/suggest` (quotes, speakers, conditions),
//! so the cues have work. The pattern file has 40 patterns: 24 phrases, 16 token patterns
//! (`LOWER`, `IN`, `LIKE_NUM`, `IS_PUNCT`, `?`, `*`, `+`, `!`; 4 of them not anchored on a
//! literal first token). Memory holds 5,000 texts of 2-4 words (names, phrases and clauses
//! tagged before; the article's words are so few and so repeated that even these are found
//! about 150,000 times).
//!
//! `cargo bench --bench suggest` prints the figures (medians of 5 runs after one warm-up).

mod common;

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use common::{article, Rng, Words};
use marginalia::model::{Document, Tag};
use marginalia::suggest::{Memory, PatternSet, Remembered, Suggester};

const WORDS: usize = 1_000_000;
const NEWS_ONE_IN: usize = 10;
const PHRASES: usize = 24;
const MEMORY_TEXTS: usize = 5_000;
/// Paragraphs in view on a first screen.
const SCREEN: usize = 30;
/// Paragraphs per slice when the rest is computed between frames.
const SLICE: usize = 200;
const RUNS: usize = 5;

/// One row of the table: suggests on a range of paragraphs, returns how many it found.
type Row<'a> = (&'static str, Box<dyn Fn(Range<usize>) -> usize + 'a>);

const TOKEN_PATTERNS: &[&str] = &[
    r#"{"label": "MONEY", "pattern": [{"ORTH": "$"}, {"LIKE_NUM": true}, {"LOWER": {"IN": ["million", "billion"]}, "OP": "?"}]}"#,
    r#"{"label": "MONEY", "pattern": [{"ORTH": "€"}, {"LIKE_NUM": true}, {"LOWER": {"IN": ["million", "billion"]}, "OP": "?"}]}"#,
    r#"{"label": "PERCENT", "pattern": [{"LIKE_NUM": true}, {"LOWER": {"IN": ["percent", "per"]}}, {"LOWER": "cent", "OP": "?"}]}"#,
    r#"{"label": "DATE", "pattern": [{"LOWER": {"IN": ["monday", "tuesday", "wednesday", "thursday", "friday"]}}]}"#,
    r#"{"label": "DATE", "pattern": [{"LOWER": {"IN": ["march", "june", "july", "september", "october", "november"]}}, {"IS_DIGIT": true, "OP": "?"}]}"#,
    r#"{"label": "ORG", "pattern": [{"LOWER": "the"}, {"LOWER": {"IN": ["senate", "house", "council", "government"]}}]}"#,
    r#"{"label": "ORG", "pattern": [{"ORTH": "Bank"}, {"LOWER": "of"}, {"IS_PUNCT": false, "OP": "+"}]}"#,
    r#"{"label": "CLAIM", "pattern": [{"LOWER": "the"}, {"IS_PUNCT": false, "OP": "*"}, {"LOWER": "is"}, {"LOWER": "that"}]}"#,
    r#"{"label": "HEDGE", "pattern": [{"LOWER": {"IN": ["could", "might", "may"]}}, {"LOWER": "still", "OP": "?"}, {"IS_PUNCT": false, "OP": "!"}]}"#,
    r#"{"label": "NUM", "pattern": [{"LIKE_NUM": true}, {"LOWER": {"IN": ["years", "homes", "weeks"]}}]}"#,
    r#"{"label": "PAIR", "pattern": [{"LOWER": "of"}, {"LOWER": "the"}, {"LOWER": "a", "OP": "?"}]}"#,
    r#"{"label": "PUNCT", "pattern": [{"IS_PUNCT": true}, {"IS_PUNCT": true}]}"#,
    r#"{"label": "ANY", "pattern": [{"LOWER": "to", "OP": "?"}, {"LOWER": "the"}, {"LOWER": "of"}]}"#,
    r#"{"label": "ANY", "pattern": [{"IS_DIGIT": true}, {"IS_PUNCT": true, "OP": "?"}, {"IS_DIGIT": true}]}"#,
    r#"{"label": "ANY", "pattern": [{"LIKE_NUM": true, "OP": "+"}, {"LOWER": "and"}]}"#,
    r#"{"label": "ANY", "pattern": [{"OP": "*", "IS_PUNCT": true}, {"LOWER": "and"}, {"LOWER": "that"}]}"#,
];

fn pattern_file(words: &Words, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = (0..PHRASES)
        .map(|i| {
            let phrase: Vec<&str> = (0..1 + i % 3).map(|_| words.pick(rng)).collect();
            format!(
                r#"{{"label": "PHRASE{}", "pattern": "{}"}}"#,
                i % 4,
                phrase.join(" ")
            )
        })
        .collect();
    lines.extend(TOKEN_PATTERNS.iter().map(|p| p.to_string()));
    lines.join("\n")
}

fn memory_texts(words: &Words, rng: &mut Rng) -> Vec<(String, Tag)> {
    const TAGS: [&str; 4] = ["claim", "source", "condition", "person"];
    (0..MEMORY_TEXTS)
        .map(|i| {
            let text: Vec<&str> = (0..2 + i % 3).map(|_| words.pick(rng)).collect();
            (text.join(" "), Tag::from(TAGS[i % TAGS.len()]))
        })
        .collect()
}

/// The generated article with a news paragraph after one paragraph in `NEWS_ONE_IN`.
fn book(rng: &mut Rng, words: &Words) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/suggest");
    let news: Vec<String> = [
        "ap_wire",
        "british_single",
        "guillemets",
        "straight_quotes",
        "central_bank",
    ]
    .iter()
    .flat_map(|name| {
        let text = std::fs::read_to_string(format!("{dir}/{name}.txt")).unwrap();
        text.split("\n\n").map(str::to_owned).collect::<Vec<_>>()
    })
    .collect();
    let generated = article(words, rng, WORDS);
    let mut out = String::with_capacity(generated.text.len() * 11 / 10);
    for (i, paragraph) in generated.text.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
        if i % NEWS_ONE_IN == NEWS_ONE_IN - 1 {
            out.push_str("\n\n");
            out.push_str(&news[(i / NEWS_ONE_IN) % news.len()]);
        }
    }
    out
}

/// The median of `RUNS` runs of `run` after one warm-up, and its last result.
fn median<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut last = black_box(run());
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            last = black_box(run());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], last)
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

fn main() {
    let mut rng = Rng(0x7375_6767_6573_7473);
    let words = Words::new(&mut rng);
    let document = Document::from_raw(&book(&mut rng, &words));
    let word_count = document.text().split_whitespace().count();
    let paragraphs = document.paragraphs().len();
    let file = pattern_file(&words, &mut rng);
    let remembered = memory_texts(&words, &mut rng);

    let (parse_time, patterns) = median(|| PatternSet::parse(&file).unwrap());
    let remember = || {
        Memory::remember(remembered.iter().map(|(text, tag)| Remembered {
            text,
            tag: tag.clone(),
            span_here: None,
        }))
    };
    let (memory_time, memory) = median(remember);
    println!(
        "\nsuggest bench: {word_count} words, {:.1} MB, {paragraphs} paragraphs (one in {} from \
         the news fixtures); {} patterns parsed in {}; {MEMORY_TEXTS} memory texts built in {}",
        document.text().len() as f64 / 1e6,
        NEWS_ONE_IN + 1,
        patterns.len(),
        ms(parse_time),
        ms(memory_time),
    );

    let cues_only = Suggester::new(PatternSet::new(), Memory::new());
    let all_three = Suggester::new(patterns.clone(), memory.clone());
    // Each source alone over a range of paragraphs (patterns and memory without the cues,
    // which a `Suggester` always runs), then all three as the app runs them.
    let each_paragraph = |range: Range<usize>, source: &dyn Fn(&str, usize) -> usize| {
        let paragraphs = document.paragraphs();
        paragraphs[range.start.min(paragraphs.len())..range.end.min(paragraphs.len())]
            .iter()
            .map(|p| source(document.paragraph_text(p), p.start))
            .sum::<usize>()
    };
    let rows: [Row; 4] = [
        (
            "cues",
            Box::new(|r| cues_only.suggest_paragraphs(&document, r).len()),
        ),
        (
            "patterns",
            Box::new(|r| each_paragraph(r, &|text, at| patterns.suggest(text, at).len())),
        ),
        (
            "memory",
            Box::new(|r| each_paragraph(r, &|text, at| memory.suggest(text, at).len())),
        ),
        (
            "all three",
            Box::new(|r| all_three.suggest_paragraphs(&document, r).len()),
        ),
    ];
    println!("| sources | first screen ({SCREEN} paragraphs) | whole article | suggestions | longest slice of {SLICE} paragraphs |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, run) in &rows {
        let (screen, _) = median(|| run(0..SCREEN));
        let (whole, count) = median(|| run(0..paragraphs));
        let longest_slice = (0..paragraphs)
            .step_by(SLICE)
            .map(|start| {
                let started = Instant::now();
                black_box(run(start..start + SLICE));
                started.elapsed()
            })
            .max()
            .unwrap();
        println!(
            "| {name} | {} | {} | {count} | {} |",
            ms(screen),
            ms(whole),
            ms(longest_slice)
        );
    }
    let (whole, _) = median(|| all_three.suggest(&document).len());
    println!(
        "SUGGEST all three sources on {word_count} words: {} (native, release build)\n",
        ms(whole)
    );
}
