//! Finding every occurrence of a string in the document text: by a plain scan for one
//! annotation, or through a 4-gram index built once for a batch.
//!
//! Both answer exactly the same question ([`Occurrences::find_all`]), so [`super::anchor`] and
//! [`super::anchor_all`] give the same placements; the index only makes the answer cheap.

/// Every occurrence of a needle, as UTF-8 byte offsets into the document text.
pub(crate) trait Occurrences {
    /// The byte offsets where `needle` starts, ascending (overlapping occurrences included), or
    /// `None` when there are more than `cap` of them.
    fn find_all(&self, needle: &str, cap: usize) -> Option<Vec<usize>>;
}

/// A scan of the whole text per question: O(n) each, nothing to build.
pub(crate) struct Scan<'t> {
    pub(crate) text: &'t str,
}

impl Occurrences for Scan<'_> {
    fn find_all(&self, needle: &str, cap: usize) -> Option<Vec<usize>> {
        scan(self.text, needle, cap)
    }
}

pub(crate) fn scan(text: &str, needle: &str, cap: usize) -> Option<Vec<usize>> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return Some(found);
    }
    let first_len = needle.chars().next().map_or(1, char::len_utf8);
    let mut from = 0;
    while let Some(at) = text[from..].find(needle) {
        if found.len() == cap {
            return None;
        }
        found.push(from + at);
        // One character on, so that overlapping occurrences are found too.
        from += at + first_len;
    }
    Some(found)
}

/// Bytes per indexed gram.
const GRAM: usize = 8;
/// Every `STRIDE`-th byte offset is indexed.
const STRIDE: usize = 4;
/// How many of a needle's grams of one residue class are looked at to pick the rarest.
const PROBES: usize = 4;

/// The grams at every [`STRIDE`]-th byte offset of the text (character boundaries or not),
/// bucketed by a hash of their [`GRAM`] bytes; counting sort, so each bucket lists its
/// offsets in ascending order.
///
/// An occurrence of a needle at byte `d` has exactly one needle offset `o < STRIDE` with
/// `d + o` indexed, so looking up one gram at an offset of each residue class `o mod STRIDE`
/// finds every occurrence, each once. Sampling every fourth offset makes the index a quarter
/// of a full one (building it is memory-bound: about 2 bytes per text byte, O(n)).
/// Query: O(|needle| + b) for b the entries of the chosen buckets (the rarest of up to
/// [`PROBES`] per residue class). Needles shorter than `GRAM + STRIDE - 1` bytes fall back to
/// a scan.
pub(crate) struct GramIndex<'t> {
    text: &'t str,
    shift: u32,
    /// `bucket_starts[h]..bucket_starts[h + 1]` is bucket `h` in `offsets`.
    bucket_starts: Vec<u32>,
    offsets: Vec<u32>,
}

impl<'t> GramIndex<'t> {
    /// Indexes `text`, or `None` when it is too long for 32-bit offsets.
    pub(crate) fn new(text: &'t str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() >= u32::MAX as usize {
            return None;
        }
        let grams = bytes.len().saturating_sub(GRAM - 1).div_ceil(STRIDE);
        // About one bucket per entry, between 2^10 and 2^22 buckets.
        let bits = (usize::BITS - grams.leading_zeros()).clamp(10, 22);
        let shift = 64 - bits;
        let mut bucket_starts = vec![0u32; (1usize << bits) + 1];
        let hashes: Vec<u32> = (0..grams)
            .map(|g| hash(&bytes[g * STRIDE..g * STRIDE + GRAM], shift) as u32)
            .collect();
        for &h in &hashes {
            bucket_starts[h as usize + 1] += 1;
        }
        for h in 1..bucket_starts.len() {
            bucket_starts[h] += bucket_starts[h - 1];
        }
        let mut next = bucket_starts.clone();
        let mut offsets = vec![0u32; grams];
        for (g, &h) in hashes.iter().enumerate() {
            let slot = &mut next[h as usize];
            offsets[*slot as usize] = (g * STRIDE) as u32;
            *slot += 1;
        }
        Some(Self {
            text,
            shift,
            bucket_starts,
            offsets,
        })
    }

    fn bucket(&self, gram: &[u8]) -> &[u32] {
        let h = hash(gram, self.shift);
        &self.offsets[self.bucket_starts[h] as usize..self.bucket_starts[h + 1] as usize]
    }
}

impl Occurrences for GramIndex<'_> {
    fn find_all(&self, needle: &str, cap: usize) -> Option<Vec<usize>> {
        let bytes = needle.as_bytes();
        if bytes.len() < GRAM + STRIDE - 1 {
            return scan(self.text, needle, cap);
        }
        let text = self.text.as_bytes();
        let mut found = Vec::new();
        for residue in 0..STRIDE {
            // Offsets of this residue class whose gram fits in the needle, sampled evenly;
            // the rarest gram's bucket holds every occurrence `d` with `d + offset` indexed.
            let offsets = (residue..bytes.len() - GRAM + 1).step_by(STRIDE);
            let step = offsets.len().div_ceil(PROBES).max(1);
            let (offset, bucket) = offsets
                .step_by(step)
                .map(|o| (o, self.bucket(&bytes[o..o + GRAM])))
                .min_by_key(|(_, bucket)| bucket.len())
                .expect("the needle has a gram of every residue class");
            for &at in bucket {
                let Some(start) = (at as usize).checked_sub(offset) else {
                    continue;
                };
                if text.get(start..start + bytes.len()) == Some(bytes) {
                    if found.len() == cap {
                        return None;
                    }
                    found.push(start);
                }
            }
        }
        found.sort_unstable();
        Some(found)
    }
}

fn hash(gram: &[u8], shift: u32) -> usize {
    let key = u64::from_le_bytes(gram.try_into().expect("a gram is 8 bytes"));
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn overlapping_occurrences_are_all_found() {
        let text = "aaaa ééé aaaa";
        let index = GramIndex::new(text).unwrap();
        let scan = Scan { text };
        assert_eq!(scan.find_all("aa", 100), Some(vec![0, 1, 2, 12, 13, 14]));
        assert_eq!(index.find_all("aaaa", 100), Some(vec![0, 12]));
        assert_eq!(index.find_all("éé", 100), Some(vec![5, 7]));
        assert_eq!(index.find_all("aa ééé aaaa", 100), Some(vec![2]));
        assert_eq!(index.find_all("a ééé a", 100), Some(vec![3]));
        assert_eq!(index.find_all("aa", 2), None);
    }

    proptest! {
        /// The index answers exactly as the scan does, caps included.
        #[test]
        fn index_equals_scan(
            text in "[ab é🌊]{0,300}",
            needle in "[ab é🌊]{1,14}",
            cap in 0usize..20,
        ) {
            let index = GramIndex::new(&text).unwrap();
            let scan = Scan { text: &text };
            prop_assert_eq!(index.find_all(&needle, cap), scan.find_all(&needle, cap));
            prop_assert_eq!(index.find_all(&needle, usize::MAX), scan.find_all(&needle, usize::MAX));
        }
    }
}
