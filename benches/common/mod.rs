//! The deterministic article both benches run on (seeded, no external data): Zipf-distributed
//! words from a made-up vocabulary with some accented words, sentences of 6-24 words,
//! paragraphs of 3-8 sentences, and optionally a few emoji (characters outside the BMP).

// Each bench uses only part of this module.
#![allow(dead_code)]

/// SplitMix64: a small, seeded, good-enough generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Fisher-Yates, so a seeded run always inserts in the same "random" order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Characters outside the Basic Multilingual Plane (two UTF-16 units each).
const ASTRAL: &[&str] = &["🙂", "🎉", "📚", "🌍", "𝄞"];

/// A vocabulary of made-up words and a Zipf sampler over it.
pub struct Words {
    vocabulary: Vec<String>,
    cumulative: Vec<f64>,
    /// One word in this many is followed by an emoji; 0 for none.
    emoji_one_in: usize,
}

impl Words {
    /// The vocabulary, without emoji (the anchoring bench's article).
    pub fn new(rng: &mut Rng) -> Self {
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
            emoji_one_in: 0,
        }
    }

    /// Follows one word in `one_in` with a space and an emoji (not counted as a word). The
    /// generator draws for emoji only when this is set, so other articles stay as they were.
    pub fn with_emoji(mut self, one_in: usize) -> Self {
        self.emoji_one_in = one_in;
        self
    }

    pub fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap();
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let index = self.cumulative.partition_point(|&c| c < x);
        &self.vocabulary[index.min(self.vocabulary.len() - 1)]
    }
}

/// The generated article, with every word's and paragraph's code-point offsets.
pub struct Article {
    pub text: String,
    /// Length of `text` in code points.
    pub chars: usize,
    /// (start, end, paragraph index) of each word, in order.
    pub words: Vec<(usize, usize, usize)>,
    /// (start, end) of each paragraph (end excludes the blank line).
    pub paragraphs: Vec<(usize, usize)>,
}

impl Article {
    pub fn empty() -> Self {
        Self {
            text: String::new(),
            chars: 0,
            words: Vec::new(),
            paragraphs: Vec::new(),
        }
    }
}

/// Appends one paragraph to `out`, adding its words to `count`.
pub fn paragraph(words: &Words, rng: &mut Rng, count: &mut usize, out: &mut Article) {
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
            if words.emoji_one_in > 0 && rng.below(words.emoji_one_in) == 0 {
                out.text.push(' ');
                out.text.push_str(ASTRAL[rng.below(ASTRAL.len())]);
                at += 2;
            }
            if w + 1 == length {
                out.text.push('.');
                at += 1;
            }
        }
    }
    out.paragraphs.push((start, at));
    out.chars = at;
}

/// An article of at least `word_count` words, paragraphs separated by a blank line.
pub fn article(words: &Words, rng: &mut Rng, word_count: usize) -> Article {
    article_of(words, rng, word_count, 0)
}

/// An article of at least `word_count` words and `min_bytes` bytes of UTF-8.
pub fn article_of(words: &Words, rng: &mut Rng, word_count: usize, min_bytes: usize) -> Article {
    let mut out = Article {
        text: String::with_capacity((word_count * 7).max(min_bytes + 4_096)),
        words: Vec::with_capacity(word_count),
        ..Article::empty()
    };
    let mut count = 0;
    while count < word_count || out.text.len() < min_bytes {
        if !out.text.is_empty() {
            out.text.push_str("\n\n");
            out.chars += 2;
        }
        paragraph(words, rng, &mut count, &mut out);
    }
    out
}
