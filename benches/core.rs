//! The pure core at the scale of issue 5: a 10,000-span `SpanSet` and the store's reducer,
//! code-point/UTF-8/UTF-16 conversion over ~6 MB of text, and every format's export and import
//! at 10,000 annotations.
//!
//! One generated article (`common`: seeded, no external data, accented words, one word in 500
//! followed by an emoji) of at least 1,000,000 words and 6 MB (the peers' 1,000,000-word article
//! in ../shared/bench/peers is 6.1 MB; ours has shorter words), and 10,000 annotations of 1-20
//! words spread evenly, one in ten starting inside the one before it (nested or crossing).
//!
//! Agreement: three annotators' layers of the book (the 10,000 annotations and two variants of
//! them), their agreement report, disagreements and majority merge, and `marginalia agree` on
//! the three as marginalia files.
//!
//! `cargo bench --bench core` takes a few minutes and ends with a table of medians;
//! `cargo bench --bench core -- --test` runs each benchmark once.

mod common;

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{article_of, Article, Rng, Words};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use marginalia::agree::{disagreements, merge, AgreementReport, Layer, MergeStrategy, PairMeans};
use marginalia::format::{self, ExportFormat, ImportContext, ImportReport};
use marginalia::model::{
    Annotation, AnnotationId, AnnotationStore, Command, Document, LabelSet, Span, SpanSet, Tag,
};

const WORDS: usize = 1_000_000;
const MIN_BYTES: usize = 6_000_000;
const ANNOTATIONS: usize = 10_000;
const EMOJI_ONE_IN: usize = 500;
/// Query positions and conversion offsets, each spread evenly over the document.
const QUERIES: usize = 1_000;
const OFFSETS: usize = 100_000;
/// A query window: about one screen of text.
const WINDOW: usize = 2_000;
/// Criterion's minimum; with small measurement times this keeps the run to a few minutes.
const SAMPLES: usize = 10;
const NAME: &str = "article.txt";
const NOW: &str = "2026-11-25T00:00:00Z";
/// The labels the generated annotations use.
const TAGS: [&str; 4] = ["claim", "quote", "condition", "person"];

struct Setup {
    document: Document,
    annotations: Vec<Annotation>,
    store: AnnotationStore,
    words: usize,
}

fn setup() -> Setup {
    let mut rng = Rng(0x636f_7265_2d62_656e);
    let words = Words::new(&mut rng).with_emoji(EMOJI_ONE_IN);
    let generated = article_of(&words, &mut rng, WORDS, MIN_BYTES);
    let document = Document::from_raw(&generated.text);
    assert_eq!(document.char_len(), generated.chars);
    let annotations = annotations(&generated, &mut rng);
    let mut store = AnnotationStore::new(document.char_len());
    for annotation in &annotations {
        store
            .apply(Command::Create {
                annotation: annotation.clone(),
            })
            .unwrap();
    }
    Setup {
        document,
        annotations,
        store,
        words: generated.words.len(),
    }
}

/// One annotation per slot of `words / ANNOTATIONS` words; every tenth starts on a word of the
/// one before instead, so about a tenth overlap. Each stays inside one paragraph.
fn annotations(article: &Article, rng: &mut Rng) -> Vec<Annotation> {
    let words = &article.words;
    let slot = words.len() / ANNOTATIONS;
    let mut previous = (0, 0);
    (0..ANNOTATIONS)
        .map(|i| {
            let first = if i % 10 == 9 {
                rng.between(previous.0, previous.1)
            } else {
                i * slot + rng.below(slot - 20)
            };
            let mut last = (first + rng.between(1, 20) - 1).min(words.len() - 1);
            while words[last].2 != words[first].2 {
                last -= 1;
            }
            previous = (first, last);
            let span = Span::new(words[first].0, words[last].1).unwrap();
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                rng.next() as u32,
                rng.below(1 << 16),
                rng.below(1 << 12),
                0x8000 | rng.below(1 << 14),
                rng.next() & 0xffff_ffff_ffff
            );
            let tag = Tag::from(TAGS[rng.below(TAGS.len())]);
            let mut annotation = Annotation::new(id.into(), span, tag, "2026-01-02T03:04:05Z");
            if rng.below(4) == 0 {
                annotation.note = format!("Vérifié — \"à revoir\" 🙂 n°{i}");
                annotation.modified = "2026-01-03T10:00:00Z".into();
            }
            annotation
        })
        .collect()
}

/// Each benchmark's samples (time per operation), kept for the closing table of medians.
#[derive(Default)]
struct Figures(RefCell<Vec<Row>>);

struct Row {
    name: String,
    throughput: Option<Throughput>,
    /// Nanoseconds per operation of every call criterion made, warm-up first.
    per_op: Vec<f64>,
}

impl Figures {
    fn record(&self, name: &str, throughput: &Option<Throughput>, iters: u64, elapsed: Duration) {
        let mut rows = self.0.borrow_mut();
        if rows.last().is_none_or(|row| row.name != name) {
            rows.push(Row {
                name: name.to_owned(),
                throughput: throughput.clone(),
                per_op: Vec::new(),
            });
        }
        let per_op = elapsed.as_nanos() as f64 / iters.max(1) as f64;
        rows.last_mut().unwrap().per_op.push(per_op);
    }

    /// The median of each benchmark's last `SAMPLES` calls (criterion's samples come after its
    /// warm-up); nothing in `--test` mode, which makes one call.
    fn print(&self) {
        let rows = self.0.borrow();
        let measured: Vec<&Row> = rows.iter().filter(|r| r.per_op.len() > SAMPLES).collect();
        if measured.is_empty() {
            return;
        }
        println!("\nMedians ({ANNOTATIONS} annotations):");
        println!("| benchmark | median | throughput |\n| --- | --- | --- |");
        for row in measured {
            let mut samples = row.per_op[row.per_op.len() - SAMPLES..].to_vec();
            samples.sort_by(f64::total_cmp);
            let median = (samples[SAMPLES / 2 - 1] + samples[SAMPLES / 2]) / 2.0;
            let rate = match row.throughput {
                Some(Throughput::BytesDecimal(bytes)) => {
                    format!("{:.0} MB/s", bytes as f64 / median * 1e3)
                }
                Some(Throughput::Elements(n)) => format!(
                    "{} each, {:.1} M/s",
                    duration(median / n as f64),
                    n as f64 / median * 1e3
                ),
                _ => String::new(),
            };
            println!("| {} | {} | {rate} |", row.name, duration(median));
        }
    }
}

fn duration(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.1} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

/// A criterion group whose benchmarks also report to [`Figures`].
struct Group<'a> {
    group: BenchmarkGroup<'a, WallTime>,
    name: &'static str,
    figures: &'a Figures,
    throughput: Option<Throughput>,
}

impl<'a> Group<'a> {
    fn new(criterion: &'a mut Criterion, name: &'static str, figures: &'a Figures) -> Self {
        let mut group = criterion.benchmark_group(name);
        group
            .sample_size(SAMPLES)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        Self {
            group,
            name,
            figures,
            throughput: None,
        }
    }

    fn throughput(&mut self, throughput: Throughput) -> &mut Self {
        self.group.throughput(throughput.clone());
        self.throughput = Some(throughput);
        self
    }

    /// Equal samples of a few runs each, in about `time`: for operations of many milliseconds,
    /// where criterion's default of 1, 2, ..., 10 runs per sample would take far longer.
    fn flat(&mut self, time: Duration) -> &mut Self {
        self.group
            .sampling_mode(SamplingMode::Flat)
            .measurement_time(time);
        self
    }

    /// Flat samples of about two runs each of an operation that took `estimate` once (criterion
    /// warns when a sample has only one).
    fn expect(&mut self, estimate: Duration) -> &mut Self {
        self.flat(
            estimate
                .mul_f64(2.0 * SAMPLES as f64)
                .max(Duration::from_secs(1)),
        )
    }

    /// `routine(iters)` runs the operation `iters` times and returns the time that counts.
    fn timed(&mut self, id: &str, mut routine: impl FnMut(u64) -> Duration) {
        let name = format!("{}/{id}", self.name);
        let (figures, throughput) = (self.figures, &self.throughput);
        self.group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let elapsed = routine(iters);
                figures.record(&name, throughput, iters, elapsed);
                elapsed
            })
        });
    }

    /// Times `operation` whole, `iters` times in a row.
    fn each<R>(&mut self, id: &str, mut operation: impl FnMut() -> R) {
        self.timed(id, |iters| {
            let started = Instant::now();
            for _ in 0..iters {
                black_box(operation());
            }
            started.elapsed()
        });
    }

    fn finish(self) {
        self.group.finish();
    }
}

fn span_set(criterion: &mut Criterion, figures: &Figures, setup: &Setup) {
    let mut rng = Rng(7);
    let mut entries: Vec<(Span, AnnotationId)> = setup
        .annotations
        .iter()
        .map(|a| (a.span, a.id.clone()))
        .collect();
    rng.shuffle(&mut entries);
    let build = || {
        let mut set = SpanSet::new();
        for (span, id) in &entries {
            set.insert(*span, id.clone());
        }
        set
    };
    let set = build();
    assert_eq!(&set, setup.store.spans());
    let len = setup.document.char_len();
    let windows: Vec<Span> = (0..QUERIES)
        .map(|i| {
            let start = i * (len - WINDOW) / QUERIES;
            Span::new(start, start + WINDOW).unwrap()
        })
        .collect();
    let points: Vec<usize> = (0..QUERIES)
        .map(|i| i * len / QUERIES + rng.below(len / QUERIES))
        .collect();

    let mut group = Group::new(criterion, "spanset", figures);
    group.each("build by 10,000 inserts in random order", build);
    let mut next = 0;
    group.each("overlapping: one 2,000-code-point window", || {
        next = (next + 1) % QUERIES;
        set.overlapping(black_box(windows[next])).count()
    });
    group.each("covering: one code point", || {
        next = (next + 1) % QUERIES;
        set.covering(black_box(points[next])).count()
    });
    group.each("depths of 10,000 spans", || black_box(&set).depths());
    group.finish();
}

fn store(criterion: &mut Criterion, figures: &Figures, setup: &Setup) {
    let middle = setup.store.spans().get(ANNOTATIONS / 2).unwrap().span;
    let create = Command::Create {
        annotation: Annotation::new("one-more".into(), middle, Tag::Claim, NOW),
    };
    let batch = Command::Batch {
        commands: setup
            .annotations
            .iter()
            .map(|a| Command::Create {
                annotation: a.clone(),
            })
            .collect(),
    };
    let mut store = setup.store.clone();

    let mut group = Group::new(criterion, "store", figures);
    group.timed("apply one Create, 10,000 present", |iters| {
        let mut counted = Duration::ZERO;
        for _ in 0..iters {
            let command = create.clone();
            let started = Instant::now();
            let change = store.apply(black_box(command)).unwrap();
            counted += started.elapsed();
            store.apply(change.inverse).unwrap();
        }
        counted
    });
    group.timed("apply its inverse (Delete), 10,000 present", |iters| {
        let mut counted = Duration::ZERO;
        for _ in 0..iters {
            let change = store.apply(create.clone()).unwrap();
            let started = Instant::now();
            store.apply(black_box(change.inverse)).unwrap();
            counted += started.elapsed();
        }
        counted
    });
    group.each(
        "clone the store of 10,000 (the UI's copy per change)",
        || black_box(&setup.store).clone(),
    );
    group.timed(
        "apply a Batch of 10,000 Creates to an empty store",
        |iters| {
            let mut counted = Duration::ZERO;
            for _ in 0..iters {
                let command = batch.clone();
                let mut empty = AnnotationStore::new(setup.document.char_len());
                let started = Instant::now();
                empty.apply(black_box(command)).unwrap();
                counted += started.elapsed();
                // Dropped here, untimed.
            }
            counted
        },
    );
    group.finish();
}

fn text(criterion: &mut Criterion, figures: &Figures, setup: &Setup) {
    let document = &setup.document;
    let paragraphs = document.paragraphs();
    let mut rng = Rng(11);
    let len = document.char_len();
    // Offsets inside paragraphs (a DOM boundary is never in a gap), evenly spread.
    let chars: Vec<usize> = (0..OFFSETS)
        .map(|i| {
            let c = i * len / OFFSETS + rng.below(len / OFFSETS);
            c.max(paragraphs[document.paragraph_index_at(c).unwrap()].start)
        })
        .collect();
    let to_utf16 = |c: usize| {
        let index = document.paragraph_index_at(c).unwrap();
        (
            index,
            paragraphs[index].char_to_utf16(c - paragraphs[index].start),
        )
    };
    let utf16: Vec<(usize, usize)> = chars.iter().map(|&c| to_utf16(c)).collect();
    let from_utf16 = |(index, units): (usize, usize)| {
        paragraphs[index].start + paragraphs[index].utf16_to_char(units)
    };
    assert!(chars.iter().zip(&utf16).all(|(&c, &u)| from_utf16(u) == c));
    let bytes: Vec<usize> = chars.iter().map(|&c| document.char_to_byte(c)).collect();
    assert!(chars
        .iter()
        .zip(&bytes)
        .all(|(&c, &b)| document.byte_to_char(b) == c));
    let astral: usize = paragraphs
        .iter()
        .map(|p| p.char_to_utf16(p.char_len()) - p.char_len())
        .sum();
    println!(
        "document: {:.2} MB, {} code points, {} paragraphs, {astral} characters outside the BMP",
        document.text().len() as f64 / 1e6,
        len,
        paragraphs.len()
    );

    let mut group = Group::new(criterion, "text", figures);
    group
        .flat(Duration::from_secs(3))
        .throughput(Throughput::BytesDecimal(document.text().len() as u64));
    group.each("Document::from_raw, 6 MB", || {
        Document::from_raw(black_box(document.text()))
    });
    group.throughput(Throughput::Elements(OFFSETS as u64));
    group.each("code point -> UTF-16, 100,000 offsets", || {
        chars
            .iter()
            .map(|&c| to_utf16(black_box(c)).1)
            .sum::<usize>()
    });
    group.each("UTF-16 -> code point, 100,000 offsets", || {
        utf16
            .iter()
            .map(|&u| from_utf16(black_box(u)))
            .sum::<usize>()
    });
    group.each("char_to_byte, 100,000 offsets", || {
        chars
            .iter()
            .map(|&c| document.char_to_byte(black_box(c)))
            .sum::<usize>()
    });
    group.each("byte_to_char, 100,000 offsets", || {
        bytes
            .iter()
            .map(|&b| document.byte_to_char(black_box(b)))
            .sum::<usize>()
    });
    group.throughput(Throughput::Elements(ANNOTATIONS as u64));
    group.each("slice of each of 10,000 annotations", || {
        setup
            .annotations
            .iter()
            .map(|a| document.slice(black_box(a.span)).unwrap().len())
            .sum::<usize>()
    });
    group.finish();
}

fn import(document: &Document, bytes: &[u8]) -> ImportReport {
    let mut n = 0u64;
    let mut new_id = || {
        n += 1;
        AnnotationId::from(format!("new-{n}"))
    };
    format::import(
        document,
        bytes,
        ImportContext {
            id_in_use: &|_| false,
            new_id: &mut new_id,
            now: NOW,
        },
    )
    .unwrap()
}

fn formats(criterion: &mut Criterion, figures: &Figures, setup: &Setup) {
    let (document, store) = (&setup.document, &setup.store);
    // One cold round trip per format: the files, checks, and each operation's time estimate.
    let files: Vec<_> = ExportFormat::ALL
        .iter()
        .map(|&format| {
            let started = Instant::now();
            let exported = format::export(format, document, NAME, store, &LabelSet::default());
            let export_time = started.elapsed();
            let started = Instant::now();
            let report = import(document, &exported.bytes);
            let import_time = started.elapsed();
            let landed = report.landed().count();
            println!(
                "{:<10} {:>6.2} MB, exported in {:>7.1} ms, imported in {:>7.1} ms: \
                 {} placed, {} re-anchored, {} orphaned{}",
                format.value(),
                exported.bytes.len() as f64 / 1e6,
                export_time.as_secs_f64() * 1e3,
                import_time.as_secs_f64() * 1e3,
                report.placed.len(),
                report.reanchored.len(),
                report.orphaned.len(),
                exported
                    .note
                    .as_deref()
                    .map_or(String::new(), |note| format!(" ({note})"))
            );
            assert!(report.orphaned.is_empty(), "{format:?}");
            // CoNLL and Hugging Face tags hold only the outermost spans.
            if !matches!(format, ExportFormat::Conll | ExportFormat::Hf) {
                assert_eq!(landed, ANNOTATIONS, "{format:?}");
            }
            (format, exported.bytes, export_time, import_time)
        })
        .collect();

    let mut group = Group::new(criterion, "export 10,000", figures);
    for (format, _, estimate, _) in &files {
        group.expect(*estimate).each(format.value(), || {
            format::export(
                *format,
                black_box(document),
                NAME,
                store,
                &LabelSet::default(),
            )
        });
    }
    group.finish();
    let mut group = Group::new(criterion, "import 10,000", figures);
    for (format, bytes, _, estimate) in &files {
        group
            .expect(*estimate)
            .each(format.value(), || import(black_box(document), bytes));
    }
    group.finish();
}

/// Another annotator's version of `annotations`: of every ten, seven kept, one relabelled, one
/// cut to two thirds of its length, one moved 500 code points on (as colleagues disagree).
fn variant(annotations: &[Annotation], document: &Document, rng: &mut Rng) -> Vec<Annotation> {
    annotations
        .iter()
        .map(|annotation| {
            let mut changed = annotation.clone();
            let span = annotation.span;
            match rng.below(10) {
                7 => {
                    let other = (TAGS
                        .iter()
                        .position(|t| *t == annotation.tag.as_str())
                        .unwrap_or(0)
                        + 1
                        + rng.below(TAGS.len() - 1))
                        % TAGS.len();
                    changed.tag = Tag::from(TAGS[other]);
                }
                8 => {
                    changed.span =
                        Span::new(span.start, span.start + (2 * span.len() / 3).max(1)).unwrap()
                }
                9 if span.end + 500 <= document.char_len() => {
                    changed.span = Span::new(span.start + 500, span.end + 500).unwrap()
                }
                _ => {}
            }
            changed
        })
        .collect()
}

fn agreement(criterion: &mut Criterion, figures: &Figures, setup: &Setup) {
    let mut rng = Rng(13);
    let document = &setup.document;
    let layers = [
        Layer::new("ann", setup.annotations.clone()),
        Layer::new("bob", variant(&setup.annotations, document, &mut rng)),
        Layer::new("cy", variant(&setup.annotations, document, &mut rng)),
    ];
    let started = Instant::now();
    let report = AgreementReport::new(document, &layers).unwrap();
    let report_time = started.elapsed();
    let started = Instant::now();
    let found = disagreements(&layers);
    let compare_time = started.elapsed();
    let started = Instant::now();
    let majority = merge(&layers, MergeStrategy::Majority);
    let merge_time = started.elapsed();
    println!(
        "agree: 3 layers of {ANNOTATIONS} annotations on {} units: report in {:.0} ms (mean κ \
         {:.4}, Fleiss κ {:.4}, α {:.4}, mean F1 exact {:.4}, overlap {:.4}); {} disagreements \
         in {:.1} ms; majority of {} spans in {:.1} ms",
        report.units.len(),
        report_time.as_secs_f64() * 1e3,
        report.mean_kappa(),
        report.fleiss_kappa.unwrap(),
        report.krippendorff_alpha,
        report.mean_f1_exact(),
        report.mean_f1_overlap(),
        found.len(),
        compare_time.as_secs_f64() * 1e3,
        majority.len(),
        merge_time.as_secs_f64() * 1e3,
    );
    agree_command(document, &layers);

    let mut group = Group::new(criterion, "agree 3 x 10,000", figures);
    group.expect(report_time).each(
        "agreement report (units, κ, Fleiss, α, F1, per label)",
        || AgreementReport::new(black_box(document), &layers).unwrap(),
    );
    group
        .expect(compare_time)
        .each("disagreements", || disagreements(black_box(&layers)));
    group.expect(merge_time).each("merge by majority", || {
        merge(black_box(&layers), MergeStrategy::Majority)
    });
    group.finish();
}

/// `marginalia agree` on the layers written as marginalia files: reading, importing and
/// comparing them, as a user runs it (once: a process of about a second).
fn agree_command(document: &Document, layers: &[Layer]) {
    let folder = tempfile::tempdir().unwrap();
    let files: Vec<String> = layers
        .iter()
        .map(|layer| {
            let mut store = AnnotationStore::new(document.char_len());
            let commands = layer
                .annotations
                .iter()
                .map(|a| Command::Create {
                    annotation: a.clone(),
                })
                .collect();
            store.apply(Command::Batch { commands }).unwrap();
            let file = format!("{}.marginalia.json", layer.annotator);
            let text = format::marginalia::export(document, NAME, &store, &LabelSet::default(), "");
            std::fs::write(folder.path().join(&file), text).unwrap();
            file
        })
        .collect();
    let started = Instant::now();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("agree")
        .args(&files)
        .current_dir(folder.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!(
        "`marginalia agree` on the three files ({:.1} MB each): {:.2} s",
        std::fs::metadata(folder.path().join(&files[0]))
            .unwrap()
            .len() as f64
            / 1e6,
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    let started = Instant::now();
    let setup = setup();
    let overlapping = setup
        .store
        .spans()
        .depths()
        .iter()
        .filter(|&&d| d > 0)
        .count();
    println!(
        "\ncore bench: {} words, {} annotations ({overlapping} inside or across an earlier one), \
         set up in {:.1} s",
        setup.words,
        setup.store.len(),
        started.elapsed().as_secs_f64()
    );

    let figures = Figures::default();
    let mut criterion = Criterion::default().configure_from_args();
    span_set(&mut criterion, &figures, &setup);
    store(&mut criterion, &figures, &setup);
    text(&mut criterion, &figures, &setup);
    formats(&mut criterion, &figures, &setup);
    agreement(&mut criterion, &figures, &setup);
    criterion.final_summary();
    figures.print();
}
