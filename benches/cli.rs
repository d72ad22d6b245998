//! The `marginalia` binary converting JSON-lines corpora of 10,000 and 100,000 documents
//! (doccano to spaCy, read and written a line at a time): wall time and peak resident memory
//! of the whole process, from `/usr/bin/time -v` (or the kernel's `VmHWM` when it is missing).
//! Memory that stays the same from 10,000 to 100,000 documents shows the conversion streams.
//! `MARGINALIA_BENCH_DOCUMENTS=1000000` adds a corpus of that many documents.
//!
//! Run with `cargo bench --bench cli`.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A corpus of `documents` lines, each a short news paragraph with three labelled spans, so
/// every line differs (its number is in its text).
fn write_corpus(path: &Path, documents: usize) {
    let mut out = BufWriter::new(fs::File::create(path).expect("create the corpus"));
    let mut line = String::new();
    for n in 0..documents {
        line.clear();
        let text = format!(
            "Report {n}: the council said the budget rose by {} million euros, “a record”, if the vote holds.",
            n % 997
        );
        let span = |needle: &str| {
            let byte = text.find(needle).expect("the needle is in the text");
            let start = text[..byte].chars().count();
            (start, start + needle.chars().count())
        };
        let (a, b, c) = (
            span("the budget rose"),
            span("“a record”"),
            span("if the vote holds"),
        );
        write!(
            line,
            "{{\"id\": {n}, \"text\": {}, \"label\": [[{}, {}, \"claim\"], [{}, {}, \"quote\"], [{}, {}, \"condition\"]]}}",
            serde_json::to_string(&text).unwrap(),
            a.0, a.1, b.0, b.1, c.0, c.1
        )
        .unwrap();
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

/// Wall time and peak resident set size (KiB) of `marginalia ARGS`.
fn measure(args: &[&str]) -> (Duration, u64) {
    let binary = env!("CARGO_BIN_EXE_marginalia");
    let started = Instant::now();
    if Path::new("/usr/bin/time").exists() {
        let output = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(binary)
            .args(args)
            .stdout(Stdio::null())
            .output()
            .expect("run /usr/bin/time");
        let elapsed = started.elapsed();
        let report = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{report}");
        let peak = report
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|n| n.trim().parse().ok())
            .expect("time -v reports the peak");
        return (elapsed, peak);
    }
    let mut child = Command::new(binary)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run marginalia");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().expect("wait").is_none() {
        if let Ok(status) = fs::read_to_string(&status_file) {
            if let Some(kib) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            {
                peak = kib;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (started.elapsed(), peak)
}

fn main() {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-bench");
    fs::create_dir_all(&folder).expect("create the bench folder");
    let mut sizes = vec![10_000, 100_000];
    if let Some(n) = std::env::var("MARGINALIA_BENCH_DOCUMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        sizes.push(n);
    }
    for documents in sizes {
        let corpus = folder.join(format!("corpus-{documents}.doccano.jsonl"));
        if !corpus.exists() {
            write_corpus(&corpus, documents);
        }
        let megabytes = fs::metadata(&corpus).unwrap().len() as f64 / 1_048_576.0;
        let out = folder.join(format!("corpus-{documents}.spacy.jsonl"));
        let input = corpus.to_str().unwrap();
        let output = out.to_str().unwrap();
        let runs: Vec<(Duration, u64)> = (0..3)
            .map(|_| measure(&["convert", input, "--to", "spacy", "-o", output]))
            .collect();
        let mut times: Vec<f64> = runs.iter().map(|r| r.0.as_secs_f64()).collect();
        times.sort_by(f64::total_cmp);
        let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
        println!(
            "convert doccano -> spacy, {documents} documents ({megabytes:.1} MB): median {:.2} s ({:.0} documents/s), peak RSS {:.1} MB",
            times[1],
            documents as f64 / times[1],
            peak as f64 / 1024.0
        );
    }
}
