//! Bit-parallel edit distance over code points: Myers' algorithm (J. ACM 46(3), 1999) in
//! Hyyrö's block form, the same recurrence the npm `approx-string-match` package that
//! Hypothesis uses implements.
//!
//! Why our own: the distance must count code points (a curly quote replaced by a straight one
//! is one edit, not three UTF-8 bytes), the pattern may be longer than one machine word, and we
//! need both the "search" form (the pattern may start anywhere in the text) and the "anchored"
//! form (it starts at the text's first character) for context scoring. The crates that exist
//! either work on bytes (`triple_accel`), pull in a large tree (`bio`), or cover one word only;
//! the recurrence is about forty lines and is checked below against the textbook table.
//!
//! Cost: O(⌈m/64⌉) word operations per text character for a pattern of m code points;
//! building a [`Pattern`] is O(m log m).

/// A pattern compiled to per-character match masks (`Peq` in Myers' paper): bit `i` of block
/// `b` is set when the pattern's code point `64 b + i` equals the character.
pub(crate) struct Pattern {
    len: usize,
    blocks: usize,
    /// Masks of the ASCII characters, `blocks` words each.
    ascii: Vec<u64>,
    /// The other characters of the pattern, sorted, and their masks in the same order.
    others: Vec<char>,
    other_masks: Vec<u64>,
    /// The masks of a character the pattern does not contain.
    zero: Vec<u64>,
    /// The bit of the pattern's last code point in its last block.
    last_bit: u64,
}

impl Pattern {
    /// Compiles the code points of `chars`.
    pub(crate) fn new(chars: impl IntoIterator<Item = char>) -> Self {
        let chars: Vec<char> = chars.into_iter().collect();
        let len = chars.len();
        let blocks = len.div_ceil(64).max(1);
        let mut others: Vec<char> = chars.iter().copied().filter(|c| !c.is_ascii()).collect();
        others.sort_unstable();
        others.dedup();
        let mut ascii = vec![0u64; 128 * blocks];
        let mut other_masks = vec![0u64; others.len() * blocks];
        for (i, &c) in chars.iter().enumerate() {
            let (block, bit) = (i / 64, 1u64 << (i % 64));
            if c.is_ascii() {
                ascii[c as usize * blocks + block] |= bit;
            } else {
                let index = others.binary_search(&c).expect("collected above");
                other_masks[index * blocks + block] |= bit;
            }
        }
        Self {
            len,
            blocks,
            ascii,
            others,
            other_masks,
            zero: vec![0; blocks],
            last_bit: 1u64 << (len.saturating_sub(1) % 64),
        }
    }

    /// Length in code points.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn masks(&self, c: char) -> &[u64] {
        if c.is_ascii() {
            let start = c as usize * self.blocks;
            &self.ascii[start..start + self.blocks]
        } else {
            match self.others.binary_search(&c) {
                Ok(index) => &self.other_masks[index * self.blocks..(index + 1) * self.blocks],
                Err(_) => &self.zero,
            }
        }
    }
}

/// One column of the edit-distance table at a time, as the text is read character by character.
pub(crate) struct Columns<'p> {
    pattern: &'p Pattern,
    /// Vertical deltas of +1 and -1, one bit per pattern row.
    plus: Vec<u64>,
    minus: Vec<u64>,
    /// Delta of the table's top row from one column to the next: 0 when the pattern may start
    /// anywhere in the text (search), +1 when it must start at the text's first character.
    top: i8,
    score: usize,
}

impl<'p> Columns<'p> {
    /// Search form: after reading text `t`, [`score`](Self::score) is
    /// `min over i of distance(pattern, t[i..])`, the best match ending here.
    pub(crate) fn search(pattern: &'p Pattern) -> Self {
        Self::new(pattern, 0)
    }

    /// Anchored form: after reading text `t`, [`score`](Self::score) is
    /// `distance(pattern, t)`, the pattern aligned with all the text read so far.
    pub(crate) fn anchored(pattern: &'p Pattern) -> Self {
        Self::new(pattern, 1)
    }

    fn new(pattern: &'p Pattern, top: i8) -> Self {
        Self {
            pattern,
            plus: vec![!0; pattern.blocks],
            minus: vec![0; pattern.blocks],
            top,
            score: pattern.len,
        }
    }

    /// The value in the table's last row for the text read so far.
    pub(crate) fn score(&self) -> usize {
        self.score
    }

    /// Reads one more text character and returns the new [`score`](Self::score).
    pub(crate) fn step(&mut self, c: char) -> usize {
        if self.pattern.len == 0 {
            // Only the top row: 0 (search) or the number of characters read (anchored).
            self.score += self.top as usize;
            return self.score;
        }
        let masks = self.pattern.masks(c);
        let last = self.pattern.blocks - 1;
        let mut carry = self.top;
        for (b, &eq) in masks.iter().enumerate() {
            let row_bit = if b == last {
                self.pattern.last_bit
            } else {
                1 << 63
            };
            carry = advance(&mut self.plus[b], &mut self.minus[b], eq, carry, row_bit);
        }
        // The last row moves by the carry out of the last block.
        self.score = (self.score as isize + carry as isize) as usize;
        self.score
    }
}

/// One block of Hyyrö's step: updates the vertical deltas of 64 rows for a new column whose
/// top delta is `carry_in`, and returns the horizontal delta at `row_bit` (the block's last row).
#[inline]
fn advance(plus: &mut u64, minus: &mut u64, eq: u64, carry_in: i8, row_bit: u64) -> i8 {
    let negative = (carry_in < 0) as u64;
    let eq = eq | negative;
    let xv = eq | *minus;
    let xh = ((eq & *plus).wrapping_add(*plus) ^ *plus) | eq;
    let mut ph = *minus | !(xh | *plus);
    let mut mh = *plus & xh;
    let out = ((ph & row_bit) != 0) as i8 - ((mh & row_bit) != 0) as i8;
    ph = (ph << 1) | (carry_in > 0) as u64;
    mh = (mh << 1) | negative;
    *plus = mh | !(xv | ph);
    *minus = ph & xv;
    out
}

/// Smallest `distance(pattern, t)` over the prefixes `t` of `text` (the empty one included):
/// how well the pattern matches text that starts where `text` starts, wherever it ends.
/// Reads at most `limit` characters. O(limit · ⌈m/64⌉).
pub(crate) fn best_anchored(
    pattern: &Pattern,
    text: impl Iterator<Item = char>,
    limit: usize,
) -> usize {
    let mut columns = Columns::anchored(pattern);
    let mut best = columns.score();
    for (read, c) in text.take(limit).enumerate() {
        best = best.min(columns.step(c));
        // The score can drop by at most one per further character (the pattern's remaining
        // rows are at least `score - remaining` behind), so stop once nothing can beat `best`.
        if best == 0 || columns.score() > best + (limit - read) {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook table: `d[i][j]` for pattern prefix `i` and text prefix `j`, with the top
    /// row 0 (search) or `j` (anchored).
    fn table(pattern: &[char], text: &[char], anchored: bool) -> Vec<usize> {
        let m = pattern.len();
        let mut column: Vec<usize> = (0..=m).collect();
        let mut last_row = vec![m];
        for (j, &c) in text.iter().enumerate() {
            let mut next = vec![if anchored { j + 1 } else { 0 }; m + 1];
            for i in 1..=m {
                let substitute = column[i - 1] + usize::from(pattern[i - 1] != c);
                next[i] = substitute.min(column[i] + 1).min(next[i - 1] + 1);
            }
            column = next;
            last_row.push(column[m]);
        }
        last_row
    }

    fn scores(pattern: &[char], text: &[char], anchored: bool) -> Vec<usize> {
        let compiled = Pattern::new(pattern.iter().copied());
        let mut columns = if anchored {
            Columns::anchored(&compiled)
        } else {
            Columns::search(&compiled)
        };
        let mut out = vec![columns.score()];
        out.extend(text.iter().map(|&c| columns.step(c)));
        out
    }

    #[test]
    fn finds_a_quote_with_one_substitution() {
        let pattern: Vec<char> = "tide barrier".chars().collect();
        let text: Vec<char> = "a tidal barrier here".chars().collect();
        let best = *scores(&pattern, &text, false).iter().min().unwrap();
        assert_eq!(best, 2); // "tidal barrier" ~ "tide barrier": e->a, insert l
    }

    #[test]
    fn counts_code_points_not_bytes() {
        let pattern: Vec<char> = "“Yes”".chars().collect();
        let text: Vec<char> = "\"Yes\"".chars().collect();
        assert_eq!(scores(&pattern, &text, true).last(), Some(&2));
    }

    #[test]
    fn best_anchored_finds_the_best_prefix() {
        let pattern = Pattern::new("said".chars());
        assert_eq!(best_anchored(&pattern, "saidx more".chars(), 20), 0);
        assert_eq!(best_anchored(&pattern, "sad and".chars(), 20), 1);
        assert_eq!(best_anchored(&pattern, "".chars(), 20), 4);
    }

    proptest! {
        /// Both forms equal the textbook table, for patterns of one and several blocks and for
        /// small alphabets (many matches) with non-ASCII characters.
        #[test]
        fn matches_the_textbook_table(
            pattern in prop::collection::vec(prop::sample::select(vec!['a', 'b', 'é', '🌊', ' ']), 0..150),
            text in prop::collection::vec(prop::sample::select(vec!['a', 'b', 'é', '🌊', ' ', 'z']), 0..200),
            anchored in any::<bool>(),
        ) {
            prop_assert_eq!(scores(&pattern, &text, anchored), table(&pattern, &text, anchored));
        }
    }
}
