//! The longest names, labels and notes Marginalia keeps. Every one of them is typed by a
//! person or brought by a file, and each is shown, stored and written into every export, so
//! each has a bound: a 70,000-character document name once broke the zip of **All**, and a
//! 15 MB note would be saved again on every keystroke. Files that exceed one are refused with
//! a message naming where; the app's inputs stop at the same length (`maxlength`).

/// The longest document name, in code points (a common file-system limit for a file name).
pub const MAX_NAME_CHARS: usize = 255;
/// The longest label name or tag id, in code points.
pub const MAX_LABEL_CHARS: usize = 100;
/// The longest note, in code points (a long paragraph of commentary, several times over).
pub const MAX_NOTE_CHARS: usize = 10_000;

/// The length of `text` in code points if it is longer than `max`, else `None`. Stops
/// counting at `max + 1`, so checking a huge string costs O(max), not O(its length).
pub fn too_long(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        // Never more code points than bytes.
        return None;
    }
    (text.chars().nth(max).is_some()).then(|| text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_code_points() {
        assert_eq!(too_long("ééé", 3), None);
        assert_eq!(too_long("éééé", 3), Some(4));
        assert_eq!(too_long("😀😀", 2), None);
        assert_eq!(too_long(&"x".repeat(256), MAX_NAME_CHARS), Some(256));
    }
}
