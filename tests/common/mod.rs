//! Generators and oracles shared by the native property tests (`mod common;` in each).

use marginalia::model::{Document, Span};
use proptest::prelude::*;
use proptest::sample::Index;

/// A span; generated spans are never empty.
pub fn span(start: usize, end: usize) -> Span {
    Span::new(start, end).expect("generated spans are non-empty")
}

/// The oracle of a span's text: Python's `text[start:end]`, by code points.
pub fn slice_oracle(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

#[derive(Debug, Clone)]
pub enum Shape {
    Random(usize, usize),
    AtStart(usize),
    AtEnd(usize),
    Whole,
    /// Starts where the previous one ends.
    Adjacent(usize),
    /// Starts inside the previous one and ends after it when it can.
    Overlapping(usize, usize),
    /// Inside the previous one.
    Nested(usize, usize),
    SameAsPrevious,
    /// From inside one paragraph to inside a later one.
    AcrossParagraphs(Index, usize, usize),
}

pub fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Shape::Random(a, b)),
        1 => any::<usize>().prop_map(Shape::AtStart),
        1 => any::<usize>().prop_map(Shape::AtEnd),
        1 => Just(Shape::Whole),
        2 => any::<usize>().prop_map(Shape::Adjacent),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Shape::Overlapping(a, b)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Shape::Nested(a, b)),
        1 => Just(Shape::SameAsPrevious),
        2 => (any::<Index>(), any::<usize>(), any::<usize>()).prop_map(|(i, a, b)| Shape::AcrossParagraphs(i, a, b)),
    ]
}

/// A span of `document` (of `n >= 1` code points).
pub fn place(shape: &Shape, document: &Document, previous: Option<Span>) -> Span {
    let n = document.char_len();
    let random = |a: usize, b: usize| {
        let start = a % n;
        span(start, start + 1 + b % (n - start))
    };
    match shape.clone() {
        Shape::Random(a, b) => random(a, b),
        Shape::AtStart(b) => span(0, 1 + b % n),
        Shape::AtEnd(a) => span(a % n, n),
        Shape::Whole => span(0, n),
        Shape::Adjacent(b) => match previous {
            Some(p) if p.end < n => span(p.end, p.end + 1 + b % (n - p.end)),
            _ => random(b, b),
        },
        Shape::Overlapping(a, b) => match previous {
            Some(p) if p.end < n => span(p.start + a % p.len(), p.end + 1 + b % (n - p.end)),
            _ => random(a, b),
        },
        Shape::Nested(a, b) => match previous {
            Some(p) => {
                let start = p.start + a % p.len();
                span(start, start + 1 + b % (p.end - start))
            }
            None => random(a, b),
        },
        Shape::SameAsPrevious => previous.unwrap_or(span(0, n)),
        Shape::AcrossParagraphs(i, a, b) => {
            let paragraphs = document.paragraphs();
            if paragraphs.len() < 2 {
                return random(a, b);
            }
            let k = i.index(paragraphs.len() - 1);
            let (first, second) = (&paragraphs[k], &paragraphs[k + 1]);
            let start = first.start + a % first.char_len();
            let end = second.start + 1 + b % second.char_len();
            span(start, end)
        }
    }
}
