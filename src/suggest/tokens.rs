//! Tokens as spaCy's English tokenizer makes them, for pattern files written against spaCy.
//!
//! The text is split on whitespace; each piece then loses, as spaCy's rules do:
//! - **prefixes**, one character at a time: punctuation, currency signs and `%` (`“(“$14` →
//!   `“ ( “ $ 14`), a run of dots as one token (`...`);
//! - **suffixes**, from the end: punctuation, currency and `%`; the clitics `'s 're 've 'll 'd 'm
//!   n't` (with `'` or `’`, any case: `won’t` → `wo n’t`, as spaCy gives); and a final `.` only
//!   after a lower-case letter, a digit, punctuation, or two capitals (`said.` → `said .`,
//!   `NATO.` → `NATO .`, but `J.` and `U.S.` stay whole);
//! - **infixes**: a hyphen between a letter or digit and a letter (`late-night` → `late - night`),
//!   a comma between letters, `:` `/` `<` `>` `=` between a letter or digit and a letter, an
//!   operator between digits (`3-2` → `3 - 2`), `...`;
//! - **special cases** stay whole: common abbreviations (`Mr.`, `Sen.`, `Inc.`, `e.g.`, month
//!   names…).
//!
//! Approximated: spaCy's URL and e-mail matching (a URL is split at its punctuation here), its
//! emoticons, unit suffixes (`10km` stays one token here), and its other special cases
//! (`gonna`, `'cause`). Whitespace is never a token (spaCy's `"\n\n"` tokens cannot be matched by
//! a pattern that names text anyway). O(n) in the text.

use std::borrow::Cow;

/// One token of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text (spaCy's `ORTH`).
    pub text: &'a str,
    /// Code-point offset of its first character, from the start of the text tokenised.
    pub start: usize,
    /// Code-point offset one past its last character.
    pub end: usize,
}

/// Abbreviations that keep their final dot (a subset of spaCy's English exceptions).
const ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Col.", "Lt.", "Sgt.",
    "Capt.", "St.", "Jr.", "Sr.", "Rev.", "Inc.", "Ltd.", "Co.", "Corp.", "Bros.", "vs.", "etc.",
    "e.g.", "i.e.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.",
    "Oct.", "Nov.", "Dec.", "No.", "Mt.", "approx.", "dept.",
];

/// Clitics split off the end of a word, longest first (compared ignoring case).
const CLITICS: &[&str] = &[
    "n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
];

/// Punctuation in the sense of Unicode's P categories, as spaCy's `IS_PUNCT` tests it: ASCII
/// punctuation except the symbols `$ + < = > ^ ` | ~`, Latin-1's `¡ § « ¶ · » ¿`, General
/// Punctuation (dashes, curly quotes, `…`), and CJK punctuation.
pub fn is_punctuation(c: char) -> bool {
    (c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~'))
        || matches!(c, '¡' | '§' | '«' | '¶' | '·' | '»' | '¿')
        || ('\u{2010}'..='\u{2027}').contains(&c)
        || ('\u{2030}'..='\u{205E}').contains(&c)
        || ('\u{3001}'..='\u{303F}').contains(&c)
}

/// Characters split off either end of a piece: punctuation, currency signs and `%`.
fn is_affix(c: char) -> bool {
    is_punctuation(c) || matches!(c, '$' | '£' | '€' | '¥' | '₹' | '%' | '+' | '=')
}

/// The tokens of `text`, in order (see the module doc). O(n); ASCII is read a byte at a time.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut piece_start: Option<(usize, usize)> = None;
    let (mut byte, mut chars_before) = (0, 0);
    while byte < bytes.len() {
        let (len, space) = if bytes[byte].is_ascii() {
            (1, bytes[byte].is_ascii_whitespace() || bytes[byte] == 0x0B)
        } else {
            let c = text[byte..].chars().next().expect("a character boundary");
            (c.len_utf8(), c.is_whitespace())
        };
        if space {
            if let Some((start_byte, start_char)) = piece_start.take() {
                split_piece(&text[start_byte..byte], start_char, &mut tokens);
            }
        } else if piece_start.is_none() {
            piece_start = Some((byte, chars_before));
        }
        byte += len;
        chars_before += 1;
    }
    if let Some((start_byte, start_char)) = piece_start {
        split_piece(&text[start_byte..], start_char, &mut tokens);
    }
    tokens
}

/// Splits one whitespace-free piece starting at code point `start` into tokens.
fn split_piece<'a>(piece: &'a str, start: usize, out: &mut Vec<Token<'a>>) {
    let mut rest = piece;
    let mut at = start;
    // Prefixes.
    while !is_abbreviation(rest) {
        let Some(first) = rest.chars().next() else {
            return;
        };
        if !is_affix(first) || rest.len() == first.len_utf8() {
            break;
        }
        let len = if first == '.' {
            rest.len() - rest.trim_start_matches('.').len()
        } else {
            first.len_utf8()
        };
        at = push(out, &rest[..len], at);
        rest = &rest[len..];
    }
    // Suffixes, collected from the end and pushed after the middle.
    let mut suffixes: Vec<&str> = Vec::new();
    while !rest.is_empty() && !is_abbreviation(rest) {
        let len = suffix_len(rest);
        if len == 0 || len == rest.len() {
            break;
        }
        suffixes.push(&rest[rest.len() - len..]);
        rest = &rest[..rest.len() - len];
    }
    if !rest.is_empty() {
        at = split_infixes(rest, at, out);
    }
    for suffix in suffixes.into_iter().rev() {
        at = push(out, suffix, at);
    }
}

/// True when `piece` is one of [`ABBREVIATIONS`] (all of which end in a dot).
fn is_abbreviation(piece: &str) -> bool {
    piece.ends_with('.') && ABBREVIATIONS.contains(&piece)
}

/// Byte length of the suffix to split off the end of `piece`, 0 for none.
fn suffix_len(piece: &str) -> usize {
    if piece.bytes().any(|b| b == b'\'') || piece.contains('’') {
        let clitic = CLITICS.iter().find(|clitic| {
            piece.len() > clitic.len()
                && piece.is_char_boundary(piece.len() - clitic.len())
                && piece[piece.len() - clitic.len()..].eq_ignore_ascii_case(clitic)
        });
        if let Some(clitic) = clitic {
            return clitic.len();
        }
    }
    let mut from_end = piece.chars().rev();
    let Some(last) = from_end.next() else {
        return 0;
    };
    if last == '.' {
        let dots = piece.len() - piece.trim_end_matches('.').len();
        if dots > 1 {
            return dots;
        }
        let before = from_end.next();
        let splits = match before {
            Some(b) if b.is_lowercase() || b.is_numeric() || is_affix(b) => true,
            Some(b) if b.is_uppercase() => from_end.next().is_some_and(char::is_uppercase),
            _ => false,
        };
        return if splits { 1 } else { 0 };
    }
    if is_affix(last) {
        last.len_utf8()
    } else {
        0
    }
}

/// Pushes the middle of a piece, split at its infixes; returns the code point after it.
fn split_infixes<'a>(middle: &'a str, mut at: usize, out: &mut Vec<Token<'a>>) -> usize {
    if middle.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return push(out, middle, at);
    }
    let chars: Vec<(usize, char)> = middle.char_indices().collect();
    let mut token_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (byte, c) = chars[i];
        let before = i.checked_sub(1).map(|b| chars[b].1);
        let after = chars.get(i + 1).map(|&(_, a)| a);
        let letter_or_digit_before = before.is_some_and(char::is_alphanumeric);
        let letter_after = after.is_some_and(char::is_alphabetic);
        let infix_len = if middle[byte..].starts_with("...") && i > 0 {
            3
        } else if (matches!(c, '-' | '+' | '*' | '^')
            && before.is_some_and(|b| b.is_ascii_digit())
            && after.is_some_and(|a| a.is_ascii_digit()))
            || (matches!(c, '-' | '‐' | '–' | '—' | ':' | '/' | '<' | '>' | '=')
                && letter_or_digit_before
                && letter_after)
            || (c == ',' && before.is_some_and(char::is_alphabetic) && letter_after)
        {
            1
        } else {
            0
        };
        if infix_len > 0 {
            if byte > token_start {
                at = push(out, &middle[token_start..byte], at);
            }
            let end = chars.get(i + infix_len).map_or(middle.len(), |&(b, _)| b);
            at = push(out, &middle[byte..end], at);
            token_start = end;
            i += infix_len;
        } else {
            i += 1;
        }
    }
    if token_start < middle.len() {
        at = push(out, &middle[token_start..], at);
    }
    at
}

/// Pushes a token starting at code point `at`; returns the code point after it.
fn push<'a>(out: &mut Vec<Token<'a>>, text: &'a str, at: usize) -> usize {
    let end = at + text.chars().count();
    out.push(Token {
        text,
        start: at,
        end,
    });
    end
}

/// The lower-case form of a token (spaCy's `LOWER`), borrowed when it has no capital.
pub fn lower(text: &str) -> Cow<'_, str> {
    let capital = if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text.chars().any(char::is_uppercase)
    };
    if !capital {
        Cow::Borrowed(text)
    } else if text.is_ascii() {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text).collect()
    }

    #[test]
    fn punctuation_comes_apart_from_words_at_both_ends() {
        assert_eq!(
            texts("“We lose drivers,” said Okafor (AP)."),
            ["“", "We", "lose", "drivers", ",", "”", "said", "Okafor", "(", "AP", ")", "."]
        );
        assert_eq!(
            texts("$14 billion, €18"),
            ["$", "14", "billion", ",", "€", "18"]
        );
        assert_eq!(texts("Wait..."), ["Wait", "..."]);
    }

    #[test]
    fn clitics_split_as_spacy_splits_them() {
        assert_eq!(
            texts("Labour’s plan won’t work, don't you think? We’ll see"),
            [
                "Labour", "’s", "plan", "wo", "n’t", "work", ",", "do", "n't", "you", "think", "?",
                "We", "’ll", "see"
            ]
        );
    }

    #[test]
    fn abbreviations_initials_and_numbers_stay_whole() {
        assert_eq!(
            texts("Sen. J. Reyes of the U.S. said 4.5 percent, 2,000 NATO."),
            [
                "Sen.", "J.", "Reyes", "of", "the", "U.S.", "said", "4.5", "percent", ",", "2,000",
                "NATO", "."
            ]
        );
    }

    #[test]
    fn infix_hyphens_and_slashes_split_between_letters() {
        assert_eq!(
            texts("late-night post-Brexit and/or 3-2"),
            ["late", "-", "night", "post", "-", "Brexit", "and", "/", "or", "3", "-", "2"]
        );
    }

    #[test]
    fn offsets_are_code_points_and_lower_is_lower_case() {
        let tokens = tokenize("Élan «Ça»");
        let spans: Vec<_> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(spans, [(0, 4), (5, 6), (6, 8), (8, 9)]);
        assert_eq!(lower("Élan"), "élan");
        assert_eq!(lower("NATO"), "nato");
        assert!(matches!(lower("«"), Cow::Borrowed(_)));
    }
}
