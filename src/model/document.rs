//! The document text, its paragraphs, and every offset conversion.
//!
//! Offsets are code points into [`Document::text`], end exclusive. Besides code points this
//! module knows two other units, each named in the function that uses it: UTF-8 bytes (how Rust
//! stores the text) and UTF-16 code units (how the browser counts, used only by the UI's
//! `dom_range` service). Every conversion is O(log P + L) for P paragraphs and a paragraph of L
//! code points, and O(log P + A) for UTF-16, A being the paragraph's non-BMP characters.

use std::ops::Range;

use sha2::{Digest, Sha256};

use super::Span;

/// One paragraph: a maximal run of text between blank lines.
///
/// The newlines between paragraphs belong to no paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Code-point offset of the first character in the document.
    pub start: usize,
    /// Code-point offset one past the last character.
    pub end: usize,
    /// UTF-8 byte range of the paragraph in the document text.
    bytes: Range<usize>,
    /// Code-point offsets (relative to `start`) of the characters outside the Basic Multilingual
    /// Plane: the only ones that take two UTF-16 units, so the only ones where the units differ.
    astral: Vec<usize>,
}

impl Paragraph {
    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.end - self.start
    }

    /// Converts a UTF-16 offset inside this paragraph to a code-point offset inside it.
    ///
    /// An offset between the two halves of a surrogate pair rounds down to the start of that
    /// character; an offset past the end clamps to the end. O(log A).
    pub fn utf16_to_char(&self, utf16: usize) -> usize {
        // The k-th astral character (0-based), at code point a_k, spans UTF-16 units
        // a_k + k and a_k + k + 1. Count those that end at or before `utf16`.
        let (mut low, mut high) = (0, self.astral.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.astral[mid] + mid + 2 <= utf16 {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        let splits_pair = self.astral.get(low).is_some_and(|&a| a + low + 1 == utf16);
        let char_offset = if splits_pair {
            self.astral[low]
        } else {
            utf16 - low
        };
        char_offset.min(self.char_len())
    }

    /// Converts a code-point offset inside this paragraph to a UTF-16 offset inside it. O(log A).
    pub fn char_to_utf16(&self, char_offset: usize) -> usize {
        let char_offset = char_offset.min(self.char_len());
        char_offset + self.astral.partition_point(|&c| c < char_offset)
    }
}

/// An immutable document: normalised text plus the paragraph index built from it.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    char_len: usize,
    paragraphs: Vec<Paragraph>,
    /// The text's SHA-256 in hex, computed on first use: a book's takes tens of milliseconds in
    /// wasm, and most of the worker's tasks on it never ask.
    sha256: std::sync::OnceLock<String>,
}

impl PartialEq for Document {
    /// Equal texts (everything else is derived from the text).
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Document {}

impl Document {
    /// Builds a document from a file's text: drops a leading BOM and turns CRLF and CR into LF;
    /// nothing else changes. O(n) in the text length.
    pub fn from_raw(raw: &str) -> Self {
        Self::from_normalized(normalize_text(raw))
    }

    /// [`Self::from_raw`] on text the caller owns: no copy when there is nothing to normalise
    /// (no BOM, no CR), which keeps a book's peak memory at one copy of its text.
    pub fn from_raw_owned(raw: String) -> Self {
        if raw.starts_with('\u{feff}') || raw.contains('\r') {
            Self::from_raw(&raw)
        } else {
            Self::from_normalized(raw)
        }
    }

    /// [`Self::from_normalized`] with its SHA-256 already known (the page sends it with a text
    /// it hands to the worker): the hash of a book is not computed again.
    pub fn from_normalized_with_sha256(text: String, sha256: String) -> Self {
        let document = Self::from_normalized(text);
        let _ = document.sha256.set(sha256);
        document
    }

    /// Builds a document from text that is already normalised (see [`normalize_text`]).
    pub fn from_normalized(text: String) -> Self {
        let bytes = text.as_bytes();
        let mut paragraphs = Vec::new();
        let (mut byte, mut char_offset) = (0, 0);
        while byte < bytes.len() {
            // The gap: newlines only, one code point each.
            let gap = bytes[byte..].iter().take_while(|&&b| b == b'\n').count();
            byte += gap;
            char_offset += gap;
            if byte == bytes.len() {
                break;
            }
            let body = &text[byte..];
            let mut len = body.find("\n\n").unwrap_or(body.len());
            len -= body[..len].len() - body[..len].trim_end_matches('\n').len();
            let mut astral = Vec::new();
            let mut chars = 0;
            for ch in body[..len].chars() {
                if ch as u32 > 0xFFFF {
                    astral.push(chars);
                }
                chars += 1;
            }
            paragraphs.push(Paragraph {
                start: char_offset,
                end: char_offset + chars,
                bytes: byte..byte + len,
                astral,
            });
            byte += len;
            char_offset += chars;
        }
        Self {
            text,
            char_len: char_offset,
            paragraphs,
            sha256: std::sync::OnceLock::new(),
        }
    }

    /// The whole normalised text, as exported in every format's `text`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Lowercase hex SHA-256 of the UTF-8 text: the document's identity in exported files.
    /// O(n) on the first call, then O(1).
    pub fn sha256(&self) -> &str {
        self.sha256
            .get_or_init(|| hex(&Sha256::digest(self.text.as_bytes())))
    }

    /// The paragraphs in document order.
    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// The text of one paragraph.
    pub fn paragraph_text(&self, paragraph: &Paragraph) -> &str {
        &self.text[paragraph.bytes.clone()]
    }

    /// Index of the paragraph that holds the code point at `char_offset`, or, for an offset in a
    /// gap between paragraphs, of the paragraph after it (`None` past the last one). O(log P).
    pub fn paragraph_index_at(&self, char_offset: usize) -> Option<usize> {
        let index = self.paragraphs.partition_point(|p| p.end <= char_offset);
        (index < self.paragraphs.len()).then_some(index)
    }

    /// Converts a code-point offset to a UTF-8 byte offset (clamped to the end). O(log P + L).
    pub fn char_to_byte(&self, char_offset: usize) -> usize {
        if char_offset >= self.char_len {
            return self.text.len();
        }
        let (base_char, base_byte) = self.anchor_before_char(char_offset);
        let rest = &self.text[base_byte..];
        base_byte
            + rest
                .char_indices()
                .nth(char_offset - base_char)
                .map_or(rest.len(), |(b, _)| b)
    }

    /// Converts a UTF-8 byte offset (on a character boundary) to a code-point offset. O(log P + L).
    pub fn byte_to_char(&self, byte_offset: usize) -> usize {
        let byte_offset = byte_offset.min(self.text.len());
        let index = self
            .paragraphs
            .partition_point(|p| p.bytes.start <= byte_offset);
        let (base_char, base_byte) = match index.checked_sub(1).map(|i| &self.paragraphs[i]) {
            Some(p) if byte_offset >= p.bytes.end => (p.end, p.bytes.end),
            Some(p) => (p.start, p.bytes.start),
            None => (0, 0),
        };
        base_char + self.text[base_byte..byte_offset].chars().count()
    }

    /// The text of a span, or `None` if it reaches past the end or is reversed.
    pub fn slice(&self, span: Span) -> Option<&str> {
        if span.end > self.char_len || span.start > span.end {
            return None;
        }
        let start = self.char_to_byte(span.start);
        let end = self.char_to_byte(span.end);
        Some(&self.text[start..end])
    }

    /// Up to `max_chars` code points ending at `char_offset` (the context before a span).
    pub fn prefix_before(&self, char_offset: usize, max_chars: usize) -> &str {
        let start = char_offset.saturating_sub(max_chars);
        &self.text[self.char_to_byte(start)..self.char_to_byte(char_offset)]
    }

    /// Up to `max_chars` code points starting at `char_offset` (the context after a span).
    pub fn suffix_after(&self, char_offset: usize, max_chars: usize) -> &str {
        let end = (char_offset + max_chars).min(self.char_len);
        &self.text[self.char_to_byte(char_offset)..self.char_to_byte(end)]
    }

    /// The nearest known (char, byte) pair at or before `char_offset`: a paragraph start, or the
    /// end of the previous paragraph when the offset is in a gap.
    fn anchor_before_char(&self, char_offset: usize) -> (usize, usize) {
        let index = self.paragraphs.partition_point(|p| p.start <= char_offset);
        match index.checked_sub(1).map(|i| &self.paragraphs[i]) {
            Some(p) if char_offset >= p.end => (p.end, p.bytes.end),
            Some(p) => (p.start, p.bytes.start),
            None => (0, 0),
        }
    }
}

/// Drops a leading BOM and turns CRLF and lone CR into LF; nothing else changes.
pub fn normalize_text(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
