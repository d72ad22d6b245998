//! Deciding whether a file's bytes are a text document Marginalia can open, before anything is
//! shown: opening a binary file or an enormous one must be refused at once, with a reason.

/// The largest document opened, in bytes (about 2.7 million words: the benchmarks' 1,000,000-word
/// article is 6 MB and opens in about a second).
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// The largest annotation file imported, in bytes (a 1,000,000-word article with 10,000
/// annotations exports to about 9 MB in the marginalia format).
pub const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file is not opened as a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextFileError {
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error("it is {} MB; documents up to {} MB can be opened", megabytes(*.0), megabytes(MAX_DOCUMENT_BYTES))]
    TooLarge(u64),
    /// Nothing but whitespace in it.
    #[error("it is empty: there is nothing to annotate")]
    Empty,
    /// Bytes that are not UTF-8.
    #[error("it is not UTF-8 text (invalid byte at position {0})")]
    NotUtf8(usize),
    /// A NUL or another control character that text files do not hold: a binary file.
    #[error("it looks like a binary file, not text (control character U+{code:04X} at byte {at})")]
    Binary {
        /// Byte offset of the character.
        at: usize,
        /// The character.
        code: u32,
    },
}

/// Megabytes with one decimal, for messages.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// Refuses a file by its size alone, before it is read.
pub fn check_document_size(bytes: u64) -> Result<(), TextFileError> {
    if bytes > MAX_DOCUMENT_BYTES {
        Err(TextFileError::TooLarge(bytes))
    } else {
        Ok(())
    }
}

/// The file's text, if it is a text document: UTF-8, not blank, and free of the control
/// characters that mark binary files (any C0 control but tab, line feed, form feed and carriage
/// return, and DEL). O(n).
pub fn decode_text_file(bytes: &[u8]) -> Result<&str, TextFileError> {
    check_document_size(bytes.len() as u64)?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        // A NUL is binary whatever follows (UTF-16 text, images, archives).
        return Err(TextFileError::Binary { at, code: 0 });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| TextFileError::NotUtf8(e.valid_up_to()))?;
    if let Some((at, ch)) = text
        .char_indices()
        .find(|&(_, c)| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
    {
        return Err(TextFileError::Binary {
            at,
            code: ch as u32,
        });
    }
    if text.trim().is_empty() {
        return Err(TextFileError::Empty);
    }
    Ok(text)
}

/// [`decode_text_file`] keeping the file's buffer as the text (no copy of a book). O(n).
pub fn decode_text_file_owned(bytes: Vec<u8>) -> Result<String, TextFileError> {
    decode_text_file(&bytes)?;
    Ok(String::from_utf8(bytes).expect("decode_text_file checked it is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_accents_emoji_and_crlf_is_accepted() {
        let bytes = "Zoë said: “🌊”\r\n\r\nNext\tparagraph\u{c}".as_bytes();
        assert_eq!(
            decode_text_file(bytes),
            Ok(std::str::from_utf8(bytes).unwrap())
        );
    }

    #[test]
    fn binary_blank_and_invalid_files_are_refused_with_where() {
        assert_eq!(
            decode_text_file(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(TextFileError::Binary { at: 8, code: 0 })
        );
        assert_eq!(
            decode_text_file(b"abc\x1bdef"),
            Err(TextFileError::Binary { at: 3, code: 0x1b })
        );
        assert_eq!(decode_text_file(b"ok \xff"), Err(TextFileError::NotUtf8(3)));
        assert_eq!(decode_text_file(b" \n\n\t "), Err(TextFileError::Empty));
        assert_eq!(decode_text_file(b""), Err(TextFileError::Empty));
        // UTF-16 text is refused by its NULs, not decoded as garbage.
        assert!(matches!(
            decode_text_file(b"\xff\xfeH\0i\0"),
            Err(TextFileError::Binary { code: 0, .. })
        ));
    }

    proptest::proptest! {
        /// Whatever the bytes: no panic, and an accepted file is exactly its bytes, with no
        /// control character but tab, line feed, form feed and carriage return.
        #[test]
        fn any_bytes_are_decided_without_panicking(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            if let Ok(text) = decode_text_file(&bytes) {
                proptest::prop_assert_eq!(text.as_bytes(), &bytes[..]);
                proptest::prop_assert!(!text.trim().is_empty());
                let allowed = |c: char| !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\x0c' | '\r');
                proptest::prop_assert!(text.chars().all(allowed));
            }
        }
    }

    #[test]
    fn size_is_checked_before_reading() {
        assert_eq!(check_document_size(MAX_DOCUMENT_BYTES), Ok(()));
        let too_big = 100 * 1024 * 1024;
        assert_eq!(
            check_document_size(too_big),
            Err(TextFileError::TooLarge(too_big))
        );
        assert_eq!(
            TextFileError::TooLarge(too_big).to_string(),
            "it is 100.0 MB; documents up to 16.0 MB can be opened"
        );
    }
}
