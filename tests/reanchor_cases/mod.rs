//! The re-anchoring cases shared by `tests/reanchor_quality.rs` and
//! `examples/reanchor_cases.rs`: annotations on the sample article, and the article edited by
//! typical revisions, each an edit script that also says where every annotation's text went.
//!
//! **Right text**, precisely: an edit script is a list of non-overlapping edits on the original
//! text, each replacing the code points `[start, end)` by new text. An annotation's span maps
//! through them: an edit wholly before the span shifts it; an edit inside it (touching its
//! boundaries included) becomes part of it; a pure insertion at the span's start or end stays
//! outside it; an edit that covers the whole span deletes its text (the annotation must then be
//! an orphan). Edits that straddle a span boundary are not used (the builder panics), so every
//! expected span is unambiguous. A placement is *right* when it equals the mapped span, *wrong*
//! when it is any other span or when the text was deleted, and *unplaced* for an orphan.

#![allow(dead_code)] // each user takes what it needs

/// One annotation: a label, its quote, and a unique stretch of the article that contains it
/// (the quote's first occurrence inside that stretch is the annotated one).
pub struct Case {
    /// Short name in reports.
    pub label: &'static str,
    /// The annotated text.
    pub quote: &'static str,
    /// A unique stretch of the original article containing the quote.
    pub within: &'static str,
}

const fn case(label: &'static str, quote: &'static str, within: &'static str) -> Case {
    Case {
        label,
        quote,
        within,
    }
}

/// About forty annotations: claims, quotations with named people, conditions, short repeated
/// words, and overlapping spans.
pub const CASES: &[Case] = &[
    case("headline", "Harbour city weighs tide barrier as flood costs climb", "Harbour city weighs"),
    case("cost claim", "a project that engineers estimate would cost 412 million euros and take six years to complete", "a project that engineers"),
    case("cost figure", "412 million euros", "cost 412 million euros"),
    case("flood days", "the lower town flooded on 14 days last year", "the lower town flooded"),
    case("1990s", "up from an average of three days a year in the 1990s", "up from an average"),
    case("insurance", "Insurance claims from the harbour district reached 38 million euros in 2025, the highest figure on record.", "Insurance claims"),
    case("mayor quote 1", "“We are no longer talking about a once-in-a-century storm,”", "“We are no longer"),
    case("mayor name", "Mayor Renée Castellanos", "said Mayor Renée"),
    case("mayor quote 2", "“We are talking about the ordinary winter. Every family on Quay Street knows what the sandbags are for.”", "“We are talking about the ordinary"),
    case("councillor", "Councillor Tomás Ibáñez", "Councillor Tomás"),
    case("half the cost", "he would only support the project if the national government agreed to cover at least half of the cost", "he would only support"),
    case("vote yes", "“If Lisbon and Brussels put money on the table, I will vote yes,”", "“If Lisbon"),
    case("debt alone", "If they do not, this city cannot carry the debt alone, and I will say so.", "If they do not"),
    case("gates", "two steel gates, each 180 metres long", "two steel gates"),
    case("four metres", "up to four metres above the usual high tide", "up to four metres"),
    case("rotterdam", "Similar structures already protect Rotterdam", "Similar structures"),
    case("firm", "Maré & Søndergaard", "firm Maré"),
    case("sea of 2100", "“The gates are built for the sea of 2100, not the sea of today,”", "“The gates are built"),
    case("hydrologist", "Dr. Ingrid Søndergaard", "Dr. Ingrid"),
    case("forty times", "“If the upper projections come true, the barrier would need to close about forty times a year by the end of the century, compared with four or five times now.”", "“If the upper projections"),
    case("nursery", "The Wren is a nursery for sea bass and flounder", "The Wren is a nursery"),
    case("fisherman", "Joaquim Fernandes", "Joaquim Fernandes"),
    case("fish study", "the cooperatives would drop their objection only if the city funded an independent study of fish passage before construction began", "the cooperatives would drop"),
    case("concrete", "“But once you pour the concrete, you cannot take it back.”", "“But once you pour"),
    case("said (fisherman)", "said", "he said. “But once"),
    case("lower town (fisherman)", "the lower town", "wants the lower town under"),
    case("monitoring", "a two-year monitoring programme", "a two-year monitoring"),
    case("survey", "54 percent of respondents supported the barrier, 31 percent opposed it and 15 percent were undecided", "54 percent of respondents"),
    case("54 percent", "54 percent", "that 54 percent"),
    case("seven in ten", "almost seven in ten residents were in favour", "almost seven in ten"),
    case("baker", "Zoë Achterberg", "Zoë Achterberg"),
    case("three winters", "“I have lost stock three winters in a row,”", "“I have lost stock"),
    case("worth every cent", "“If the barrier means I can keep the ground floor open in January, it is worth every cent.”", "“If the barrier means"),
    case("barrier (baker)", "barrier", "If the barrier means"),
    case("Quay Street (baker)", "Quay Street", "bakery on Quay Street"),
    case("emoji", "🌊", "comment: 🌊"),
    case("property taxes", "raise property taxes by around 9 percent for twenty years", "raise property taxes"),
    case("citywide", "they would campaign against the plan if the increase applied citywide", "they would campaign"),
    case("ministry", "“would only decide on co-financing once the conditions of the European climate adaptation fund were clear,”", "“would only decide"),
    case("by March", "If no funding decision arrives by March", "If no funding decision"),
    case("quay walls", "raising the quay walls along the lower town by 80 centimetres, at a cost of about 60 million euros", "raising the quay walls"),
    case("ten years", "“That would buy us ten years,”", "“That would buy"),
    case("said (mayor)", "said", "ten years,” she said"),
    case("vote date", "The council vote is scheduled for 12 December.", "The council vote is"),
];

/// One edit of an edit script: code points `[start, end)` of the original become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// First code point replaced (or the insertion point).
    pub start: usize,
    /// One past the last code point replaced (`start` for an insertion).
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

/// An edited article and the script that made it.
pub struct Revision {
    /// Short name in reports.
    pub name: &'static str,
    /// The edits, sorted and non-overlapping.
    pub edits: Vec<Edit>,
    /// The edited text.
    pub text: String,
}

/// Code-point offset of the first occurrence of `needle` (which must be unique when `unique`).
fn find(text: &str, needle: &str, unique: bool) -> usize {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the article"));
    if unique {
        assert!(
            text[byte + needle.len()..].find(needle).is_none(),
            "{needle:?} occurs more than once"
        );
    }
    text[..byte].chars().count()
}

/// The annotated spans of [`CASES`] on `text`, as code-point `(start, end)`.
pub fn spans(text: &str) -> Vec<(usize, usize)> {
    CASES
        .iter()
        .map(|case| {
            let within = find(text, case.within, true);
            let inner_text: String = text.chars().skip(within).collect();
            let start = within + find(&inner_text, case.quote, false);
            (start, start + case.quote.chars().count())
        })
        .collect()
}

/// Where the text of `span` is after `edits` (see the module doc), or `None` if it was deleted.
pub fn map_span(span: (usize, usize), edits: &[Edit]) -> Option<(usize, usize)> {
    let (start, end) = span;
    let (mut new_start, mut new_end) = (start as isize, end as isize);
    for edit in edits {
        let (a, b) = (edit.start, edit.end);
        let delta = edit.replacement.chars().count() as isize - (b - a) as isize;
        if a == b {
            if a <= start {
                new_start += delta;
            }
            if a < end {
                new_end += delta;
            }
        } else if b <= start {
            new_start += delta;
            new_end += delta;
        } else if a >= end {
        } else if a <= start && b >= end {
            return None;
        } else if start <= a && b <= end {
            new_end += delta;
        } else {
            panic!("edit {edit:?} straddles a boundary of span {span:?}");
        }
    }
    Some((new_start as usize, new_end as usize))
}

/// `original` with `edits` applied.
pub fn apply(original: &str, edits: &[Edit]) -> String {
    let chars: Vec<char> = original.chars().collect();
    let mut out = String::with_capacity(original.len() + 256);
    let mut at = 0;
    for edit in edits {
        out.extend(&chars[at..edit.start]);
        out.push_str(&edit.replacement);
        at = edit.end;
    }
    out.extend(&chars[at..]);
    out
}

fn replace_in(text: &str, within: &str, old: &str, new: &str) -> Edit {
    let base = find(text, within, true);
    let inner_text: String = text.chars().skip(base).collect();
    let start = base + find(&inner_text, old, false);
    Edit {
        start,
        end: start + old.chars().count(),
        replacement: new.to_owned(),
    }
}

fn insert_at(at: usize, text: &str) -> Edit {
    Edit {
        start: at,
        end: at,
        replacement: text.to_owned(),
    }
}

fn paragraph_start(text: &str, opening: &str) -> usize {
    find(text, opening, true)
}

/// Two new paragraphs, one after the headline and one in the middle, with decoys: words and
/// phrases that annotations quote (barrier, said, Quay Street, the lower town).
fn paragraphs_inserted(text: &str) -> Vec<Edit> {
    vec![
        insert_at(
            paragraph_start(text, "PORT ALDER"),
            "Quay Street was quiet on Sunday morning. “The barrier is the only real answer,” said \
             one shopkeeper, who asked not to be named, as the lower town waited for the council.\n\n",
        ),
        insert_at(
            paragraph_start(text, "Residents appear divided."),
            "The council said it would publish the full feasibility study online, and that \
             residents of the lower town could comment on the barrier until the end of the month.\n\n",
        ),
    ]
}

/// The fishing cooperatives' paragraph, removed with the blank line after it.
fn paragraph_removed(text: &str) -> Vec<Edit> {
    let start = paragraph_start(text, "Fishing cooperatives on the estuary");
    let end = paragraph_start(text, "The city’s environmental office");
    vec![Edit {
        start,
        end,
        replacement: String::new(),
    }]
}

/// One word changed inside several annotated quotes.
fn words_changed(text: &str) -> Vec<Edit> {
    vec![
        replace_in(text, "cost 412 million", "412", "420"),
        replace_in(text, "the ordinary winter", "ordinary", "usual"),
        replace_in(text, "If Lisbon and", "Lisbon", "Madrid"),
        replace_in(text, "each 180 metres", "180", "190"),
        replace_in(text, "about forty times", "forty", "fifty"),
        replace_in(text, "sea bass and", "bass", "trout"),
        replace_in(
            text,
            "funded an independent study",
            "independent",
            "external",
        ),
        replace_in(text, "stock three winters", "three", "four"),
        replace_in(text, "by around 9 percent", "9", "12"),
        replace_in(text, "buy us ten years", "ten", "twenty"),
        // Words at the very edge of a quote: the new word belongs to the annotation.
        replace_in(text, "14 days last year", "year", "winter"),
        replace_in(text, "Similar structures", "Similar", "Comparable"),
    ]
}

/// Straight quotes for curly ones, a hyphen for the dash, commas added (one just after an
/// annotated quote), a full stop dropped.
fn punctuation_changed(text: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let straight = match c {
            '“' | '”' => "\"",
            '’' => "'",
            '—' => "-",
            _ => continue,
        };
        edits.push(Edit {
            start: i,
            end: i + 1,
            replacement: straight.to_owned(),
        });
    }
    let comma = |within: &str, after: &str| {
        let base = find(text, within, true);
        let inner_text: String = text.chars().skip(base).collect();
        insert_at(
            base + find(&inner_text, after, false) + after.chars().count(),
            ",",
        )
    };
    edits.push(comma("protect Rotterdam and", "Rotterdam"));
    edits.push(comma("for all but a few days in", "days"));
    edits.push(comma("northern bank that", "bank"));
    edits.push(replace_in(text, "Dr. Ingrid", "Dr.", "Dr"));
    edits
}

/// Two spaces after every full stop that ends a sentence mid-paragraph, and every paragraph
/// re-wrapped at 72 columns (a newline for a space; never right after a full stop).
fn whitespace_changed(text: &str) -> Vec<Edit> {
    let chars: Vec<char> = text.chars().collect();
    let mut edits = Vec::new();
    let mut column = 0;
    let mut last_space: Option<usize> = None;
    for i in 0..chars.len() {
        if chars[i] == '\n' {
            column = 0;
            last_space = None;
            continue;
        }
        column += 1;
        if chars[i] == ' ' && i > 0 && chars[i - 1] == '.' {
            edits.push(insert_at(i + 1, " "));
        } else if chars[i] == ' ' {
            last_space = Some(i);
        }
        if column > 72 {
            if let Some(space) = last_space.take() {
                edits.push(Edit {
                    start: space,
                    end: space + 1,
                    replacement: "\n".into(),
                });
                column = i - space;
            }
        }
    }
    edits.sort_by_key(|e| (e.start, e.end));
    edits
}

fn conflicts(x: &Edit, y: &Edit) -> bool {
    match (x.start == x.end, y.start == y.end) {
        (true, true) => x.start == y.start,
        (true, false) => y.start <= x.start && x.start <= y.end,
        (false, true) => x.start <= y.start && y.start <= x.end,
        (false, false) => x.start < y.end && y.start < x.end,
    }
}

/// The edits of every list, in order of priority, without those that conflict with an edit
/// already taken; sorted.
fn combine(lists: Vec<Vec<Edit>>) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for edit in lists.into_iter().flatten() {
        if !taken.iter().any(|t| conflicts(t, &edit)) {
            taken.push(edit);
        }
    }
    taken.sort_by_key(|e| (e.start, e.end));
    taken
}

/// The revisions, in report order.
pub fn revisions(original: &str) -> Vec<Revision> {
    let scripts: Vec<(&'static str, Vec<Edit>)> = vec![
        ("paragraphs inserted", paragraphs_inserted(original)),
        ("paragraph removed", paragraph_removed(original)),
        ("words changed in quotes", words_changed(original)),
        (
            "whitespace (2 spaces, re-wrapped)",
            whitespace_changed(original),
        ),
        (
            "punctuation (quotes, commas)",
            punctuation_changed(original),
        ),
        (
            "all combined",
            combine(vec![
                paragraphs_inserted(original),
                paragraph_removed(original),
                words_changed(original),
                punctuation_changed(original),
                whitespace_changed(original),
            ]),
        ),
    ];
    scripts
        .into_iter()
        .map(|(name, edits)| {
            let edits = combine(vec![edits]);
            Revision {
                name,
                text: apply(original, &edits),
                edits,
            }
        })
        .collect()
}

/// The verdict on one placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At its recorded offsets, and right.
    Exact,
    /// Moved, and right.
    Reanchored,
    /// Not placed, and its text was deleted.
    RightlyOrphaned,
    /// Not placed, though its text is still there.
    Unplaced,
    /// Placed on other text, or placed though its text was deleted.
    Wrong,
}

/// Judges `placed` (`None` for an orphan, else `(span, moved)`) against `expected`.
pub fn verdict(
    placed: Option<((usize, usize), bool)>,
    expected: Option<(usize, usize)>,
) -> Verdict {
    match (placed, expected) {
        (Some((span, moved)), Some(right)) if span == right => {
            if moved {
                Verdict::Reanchored
            } else {
                Verdict::Exact
            }
        }
        (Some(_), _) => Verdict::Wrong,
        (None, None) => Verdict::RightlyOrphaned,
        (None, Some(_)) => Verdict::Unplaced,
    }
}
