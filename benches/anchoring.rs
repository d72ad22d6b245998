//! Re-anchoring 10,000 annotations onto an edited 1,000,000-word article.
//!
//! The article is generated (seeded, no external data): Zipf-distributed words from a made-up
//! vocabulary with some accented words, sentences of 6-24 words, paragraphs of 3-8 sentences.
//! 10,000 annotations of 1-20 words are described on it, then the article is edited: 100 new
//! paragraphs inserted, 100 paragraphs deleted, 1,000 words changed. `anchor_all` places every
//! annotation on the edited article; each placement is also judged against the edit script
//! (as in `tests/reanchor_quality.rs`).
//!
//! `cargo bench --bench anchoring` prints the figure first, then criterion's statistics.

#[path = "../tests/reanchor_cases/mod.rs"]
mod reanchor_cases;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use marginalia::anchor::{anchor_all, describe, Placement, Selectors};
use marginalia::model::{Document, Span};
use reanchor_cases::{apply, map_span, verdict, Edit, Verdict};

const WORDS: usize = 1_000_000;
const ANNOTATIONS: usize = 10_000;
const INSERTED_PARAGRAPHS: usize = 100;
const DELETED_PARAGRAPHS: usize = 100;
const CHANGED_WORDS: usize = 1_000;

/// SplitMix64: a small, seeded, good-enough generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

/// A vocabulary of made-up words and a Zipf sampler over it.
struct Words {
    vocabulary: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new(rng: &mut Rng) -> Self {
        const SYLLABLES: &[&str] = &[
            "ta", "ren", "mo", "li", "sa", "ve", "dor", "qua", "ny", "el", "bar", "ri", "to", "mé",
            "sø", "ga", "ul", "fe", "ix", "on", "ber", "ka", "zo", "ë", "an", "de", "pu", "ci",
        ];
        let mut vocabulary: Vec<String> = ["the", "of", "and", "a", "to", "in", "is", "that"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        while vocabulary.len() < 8_000 {
            let syllables = rng.between(1, 4);
            let word: String = (0..syllables)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            vocabulary.push(word);
        }
        let mut total = 0.0;
        let cumulative = (1..=vocabulary.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self {
            vocabulary,
            cumulative,
        }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap();
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let index = self.cumulative.partition_point(|&c| c < x);
        &self.vocabulary[index.min(self.vocabulary.len() - 1)]
    }
}

/// The generated article, with every word's and paragraph's code-point offsets.
struct Article {
    text: String,
    /// Length of `text` in code points.
    chars: usize,
    /// (start, end, paragraph index) of each word, in order.
    words: Vec<(usize, usize, usize)>,
    /// (start, end) of each paragraph (end excludes the blank line).
    paragraphs: Vec<(usize, usize)>,
}

fn paragraph(words: &Words, rng: &mut Rng, count: &mut usize, out: &mut Article) {
    let start = out.chars;
    let mut at = start;
    let sentences = rng.between(3, 8);
    for s in 0..sentences {
        let length = rng.between(6, 24);
        for w in 0..length {
            if s > 0 || w > 0 {
                out.text.push(' ');
                at += 1;
            }
            let word = words.pick(rng);
            let chars = word.chars().count();
            if w == 0 {
                let mut cs = word.chars();
                let first = cs.next().unwrap();
                out.text.extend(first.to_uppercase());
                out.text.push_str(cs.as_str());
            } else {
                out.text.push_str(word);
            }
            out.words.push((at, at + chars, out.paragraphs.len()));
            at += chars;
            *count += 1;
            if w + 1 == length {
                out.text.push('.');
                at += 1;
            }
        }
    }
    out.paragraphs.push((start, at));
    out.chars = at;
}

fn article(words: &Words, rng: &mut Rng, word_count: usize) -> Article {
    let mut out = Article {
        text: String::with_capacity(word_count * 7),
        chars: 0,
        words: Vec::with_capacity(word_count),
        paragraphs: Vec::new(),
    };
    let mut count = 0;
    while count < word_count {
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
            out.chars += 2;
        }
        paragraph(words, rng, &mut count, &mut out);
    }
    out
}

struct Setup {
    original: Document,
    edited: Document,
    selectors: Vec<Selectors>,
    expected: Vec<Option<(usize, usize)>>,
    words: usize,
}

fn setup() -> Setup {
    let mut rng = Rng(0x6d61_7267_696e_616c);
    let words = Words::new(&mut rng);
    let generated = article(&words, &mut rng, WORDS);
    let original = Document::from_normalized(generated.text.clone());

    // Annotations: 1-20 whole words inside one paragraph, anywhere, in random order.
    let spans: Vec<(usize, usize)> = (0..ANNOTATIONS)
        .map(|_| {
            let first = rng.below(generated.words.len() - 20);
            let mut last = first + rng.between(1, 20) - 1;
            while generated.words[last].2 != generated.words[first].2 {
                last -= 1;
            }
            (generated.words[first].0, generated.words[last].1)
        })
        .collect();
    let selectors: Vec<Selectors> = spans
        .iter()
        .map(|&(s, e)| describe(&original, Span::new(s, e).unwrap()))
        .collect();

    // The edit script: whole paragraphs in and out, single words changed.
    let mut edits: Vec<Edit> = Vec::new();
    let mut scratch = Article {
        text: String::new(),
        chars: 0,
        words: Vec::new(),
        paragraphs: Vec::new(),
    };
    for _ in 0..INSERTED_PARAGRAPHS {
        let at = generated.paragraphs[rng.below(generated.paragraphs.len())].0;
        scratch.text.clear();
        scratch.chars = 0;
        paragraph(&words, &mut rng, &mut 0, &mut scratch);
        edits.push(Edit {
            start: at,
            end: at,
            replacement: format!("{}\n\n", scratch.text),
        });
    }
    for _ in 0..DELETED_PARAGRAPHS {
        let index = rng.below(generated.paragraphs.len() - 1);
        edits.push(Edit {
            start: generated.paragraphs[index].0,
            end: generated.paragraphs[index + 1].0,
            replacement: String::new(),
        });
    }
    for _ in 0..CHANGED_WORDS {
        let (start, end, _) = generated.words[rng.below(generated.words.len())];
        edits.push(Edit {
            start,
            end,
            replacement: loop {
                // Another word: a word replaced by itself is no change.
                let word = words.pick(&mut rng);
                if word != original.slice(Span::new(start, end).unwrap()).unwrap() {
                    break word.to_owned();
                }
            },
        });
    }
    let edits = without_conflicts(edits);
    let edited = Document::from_normalized(apply(original.text(), &edits));
    let expected = spans.iter().map(|&span| map_span(span, &edits)).collect();
    Setup {
        original,
        edited,
        selectors,
        expected,
        words: generated.words.len(),
    }
}

/// Sorted edits, dropping any that touches one already kept (as the quality test's builder).
fn without_conflicts(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut kept: Vec<Edit> = Vec::new();
    for edit in edits {
        if kept.last().is_none_or(|last| last.end < edit.start) {
            kept.push(edit);
        }
    }
    kept
}

fn main() {
    let built = Instant::now();
    let setup = setup();
    println!(
        "\nanchoring bench: {} words, {:.1} MB original / {:.1} MB edited, {} annotations \
         (set up in {:.1} s)",
        setup.words,
        setup.original.text().len() as f64 / 1e6,
        setup.edited.text().len() as f64 / 1e6,
        setup.selectors.len(),
        built.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let unchanged = anchor_all(&setup.original, &setup.selectors);
    assert!(unchanged.iter().all(|p| matches!(p, Placement::Exact(_))));
    println!(
        "anchor_all on the unchanged article (step 1 only): {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    // The headline figure: one cold run (the index is built inside, as in an import).
    let started = Instant::now();
    let placements = anchor_all(&setup.edited, &setup.selectors);
    let elapsed = started.elapsed();
    let mut counts = [0usize; 5];
    let mut shown = 0;
    for (i, (placement, expected)) in placements.iter().zip(&setup.expected).enumerate() {
        let placed = match placement {
            Placement::Exact(s) => Some(((s.start, s.end), false)),
            Placement::Moved(s) => Some(((s.start, s.end), true)),
            Placement::Orphan => None,
        };
        let judged = verdict(placed, *expected);
        if matches!(judged, Verdict::Wrong | Verdict::Unplaced) && shown < 5 {
            shown += 1;
            let text = |span: Option<(usize, usize)>| {
                span.and_then(|(s, e)| setup.edited.slice(Span::new(s, e)?))
            };
            let quote = setup.selectors[i].quote.as_ref().unwrap();
            println!(
                "  not right, {judged:?}: quote {:?} (prefix {:?}, suffix {:?}) placed on {:?}, \
                 right text {:?}",
                quote.exact,
                quote.prefix,
                quote.suffix,
                text(placed.map(|p| p.0)),
                text(*expected)
            );
            let around = |span: Option<(usize, usize)>| {
                span.and_then(|(s, e)| setup.edited.slice(Span::new(s.saturating_sub(40), e + 40)?))
            };
            println!(
                "    at {:?} {:?}\n    expected {:?} {:?}",
                placed.map(|p| p.0),
                around(placed.map(|p| p.0)),
                expected,
                around(*expected)
            );
        }
        counts[match judged {
            Verdict::Exact => 0,
            Verdict::Reanchored => 1,
            Verdict::RightlyOrphaned => 2,
            Verdict::Unplaced => 3,
            Verdict::Wrong => 4,
        }] += 1;
    }
    println!(
        "ANCHOR_ALL 10k annotations on 1M words: {:.1} ms \
         (exact {}, re-anchored {}, rightly orphaned {}, unplaced {}, wrong {})\n",
        elapsed.as_secs_f64() * 1e3,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4]
    );

    // Ten flat samples of a few runs each: about 15 s.
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    let mut group = criterion.benchmark_group("anchoring");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(12));
    group.bench_function("anchor_all 10k annotations, 1M-word edited article", |b| {
        b.iter(|| anchor_all(black_box(&setup.edited), black_box(&setup.selectors)))
    });
    group.finish();
    criterion.final_summary();
}
