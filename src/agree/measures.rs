//! The agreement measures: chance-corrected agreement over the units' labels (Cohen's κ, Fleiss'
//! κ, Krippendorff's α nominal) and span F1 over the annotations themselves.
//!
//! **Degenerate cases.** Each chance-corrected measure divides by `1 − expected agreement` (α: by
//! the expected disagreement). That is 0 only when every label given is one and the same label
//! (or nothing is labelled at all), and then the annotators cannot have disagreed: the measure is
//! defined as **1.0** there instead of 0/0. Counts are kept as integers up to the last division,
//! so this case is recognised exactly. Span F1 with no spans on either side is **1.0** too.
//!
//! Labels are [`Code`]s: small integers, one per label (see [`super::units`]). Every function
//! here is O(n) in the units (or O(S log S) in the spans) plus O(k²) in the labels at most.

use std::cmp::Reverse;

use super::LabelledSpan;

/// A label as a small integer (0 for `O` in the units' labels); tables are indexed by it, so
/// codes should be dense (`0..k` for k labels).
pub type Code = u32;

/// Cohen's κ of two annotators' labels of the same units: `(p_o − p_e) / (1 − p_e)`, where `p_o`
/// is the share of units they label alike and `p_e = Σ_c p_a(c)·p_b(c)` the agreement expected
/// from each one's own label frequencies. 1.0 when `p_e` is 1 (see the module doc). Symmetric in
/// `a` and `b`; at most 1. O(n + k).
///
/// # Panics
/// When `a` and `b` differ in length (they must label the same units).
pub fn cohen_kappa(a: &[Code], b: &[Code]) -> f64 {
    assert_eq!(a.len(), b.len(), "κ compares labels of the same units");
    let k = categories(&[a, b]);
    let (mut of_a, mut of_b) = (vec![0u64; k], vec![0u64; k]);
    let mut alike = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        of_a[x as usize] += 1;
        of_b[y as usize] += 1;
        alike += u64::from(x == y);
    }
    let n = a.len() as u128;
    // κ = (n·alike − Σ a_c·b_c) / (n² − Σ a_c·b_c): p_o and p_e over the common denominator n².
    let chance: u128 = of_a
        .iter()
        .zip(&of_b)
        .map(|(&x, &y)| u128::from(x) * u128::from(y))
        .sum();
    ratio(n * u128::from(alike), chance, n * n, chance)
}

/// Fleiss' κ of two or more annotators' labels of the same units: `(P̄ − P̄_e) / (1 − P̄_e)`, where
/// `P̄` is the mean over units of the share of annotator pairs that agree on the unit, and
/// `P̄_e = Σ_c p_c²` with `p_c` the share of all labels given that are `c`. With two annotators
/// it is Scott's π. 1.0 when `P̄_e` is 1, and with fewer than two annotators (no pair to
/// disagree). O(n·m + k) for m annotators.
///
/// # Panics
/// When the annotators' label lists differ in length.
pub fn fleiss_kappa(annotators: &[&[Code]]) -> f64 {
    let m = annotators.len() as u128;
    let units = same_length(annotators);
    if m < 2 {
        return 1.0;
    }
    let k = categories(annotators);
    let mut in_unit = vec![0u64; k];
    let mut totals = vec![0u64; k];
    // Σ over units and labels of (annotators giving the unit that label)².
    let mut squares = 0u128;
    for unit in 0..units {
        for labels in annotators {
            in_unit[labels[unit] as usize] += 1;
        }
        for labels in annotators {
            let count = std::mem::take(&mut in_unit[labels[unit] as usize]);
            squares += u128::from(count) * u128::from(count);
            totals[labels[unit] as usize] += count;
        }
    }
    // With N units and T = N·m labels in all: P̄ = (squares − T) / (T·(m − 1)) and
    // P̄_e = Σ t_c² / T²; multiplying through by T²·(m − 1) keeps every term an integer.
    let all = units as u128 * m;
    let chance: u128 = totals.iter().map(|&t| u128::from(t) * u128::from(t)).sum();
    ratio(
        (squares - all) * all,
        chance * (m - 1),
        all * all * (m - 1),
        chance * (m - 1),
    )
}

/// Krippendorff's α (nominal) of annotators who each labelled every unit: see [`Coincidences`].
/// O(n·m + k²) for m annotators.
///
/// # Panics
/// When the annotators' label lists differ in length.
pub fn krippendorff_alpha(annotators: &[&[Code]]) -> f64 {
    let units = same_length(annotators);
    let mut coincidences = Coincidences::default();
    let mut values = Vec::with_capacity(annotators.len());
    for unit in 0..units {
        values.clear();
        values.extend(annotators.iter().map(|labels| labels[unit]));
        coincidences.add_unit(&values);
    }
    coincidences.alpha()
}

/// The coincidence matrix of Krippendorff's α for nominal data, in its general form: each unit
/// may have been labelled by any number of annotators (Krippendorff 2011, "Computing
/// Krippendorff's Alpha-Reliability").
///
/// A unit with `m_u ≥ 2` values adds `1 / (m_u − 1)` to `o[c][k]` for every ordered pair of its
/// values by different annotators (`c`, `k`); a unit with fewer values is not pairable and adds
/// nothing. With `n_c = Σ_k o[c][k]` and `n = Σ_c n_c`, nominal
/// `α = 1 − (n − 1) · Σ_{c≠k} o[c][k] / Σ_{c≠k} n_c·n_k`. 1.0 when `Σ_{c≠k} n_c·n_k` is 0 (one
/// label in all, or fewer than two pairable values): see the module doc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coincidences {
    /// `o[c][k]`, row-major, `size` × `size`.
    matrix: Vec<f64>,
    size: usize,
    /// `n_c`: the pairable values of each label (the matrix's row sums, counted exactly).
    pairable: Vec<u64>,
}

impl Coincidences {
    /// Adds one unit: the labels the annotators who labelled it gave it, in any order.
    /// O(m + d²) for m values of d distinct labels.
    pub fn add_unit(&mut self, values: &[Code]) {
        if values.len() < 2 {
            return;
        }
        let largest = values.iter().max().map_or(0, |&c| c as usize);
        self.grow(largest + 1);
        let mut distinct: Vec<(Code, u64)> = Vec::with_capacity(values.len());
        for &value in values {
            match distinct.iter_mut().find(|(c, _)| *c == value) {
                Some((_, count)) => *count += 1,
                None => distinct.push((value, 1)),
            }
        }
        let weight = 1.0 / (values.len() - 1) as f64;
        for &(c, n_c) in &distinct {
            self.pairable[c as usize] += n_c;
            for &(k, n_k) in &distinct {
                let pairs = if c == k { n_c * (n_c - 1) } else { n_c * n_k };
                self.matrix[c as usize * self.size + k as usize] += pairs as f64 * weight;
            }
        }
    }

    /// `o[c][k]`: how often label `c` was paired with label `k` in a unit.
    pub fn coincidence(&self, c: Code, k: Code) -> f64 {
        let (c, k) = (c as usize, k as usize);
        if c < self.size && k < self.size {
            self.matrix[c * self.size + k]
        } else {
            0.0
        }
    }

    /// Nominal α of the units added so far.
    pub fn alpha(&self) -> f64 {
        let n: u128 = self.pairable.iter().map(|&n| u128::from(n)).sum();
        let same: u128 = self
            .pairable
            .iter()
            .map(|&n| u128::from(n) * u128::from(n))
            .sum();
        // Σ_{c≠k} n_c·n_k = n² − Σ n_c².
        let expected = n * n - same;
        if expected == 0 {
            return 1.0;
        }
        let observed: f64 = (0..self.size)
            .flat_map(|c| (0..self.size).filter(move |&k| k != c).map(move |k| (c, k)))
            .map(|(c, k)| self.matrix[c * self.size + k])
            .sum();
        1.0 - (n - 1) as f64 * observed / expected as f64
    }

    /// Makes room for labels `0..size`.
    fn grow(&mut self, size: usize) {
        if size <= self.size {
            return;
        }
        let mut matrix = vec![0.0; size * size];
        for c in 0..self.size {
            matrix[c * size..c * size + self.size]
                .copy_from_slice(&self.matrix[c * self.size..(c + 1) * self.size]);
        }
        self.matrix = matrix;
        self.size = size;
        self.pairable.resize(size, 0);
    }
}

/// Span F1 with exact matches: a span of `a` matches one of `b` with the same start, end and
/// label, each used once; `2·matches / (|a| + |b|)`, 1.0 when both are empty. Symmetric; in
/// [0, 1]. O(S log S).
pub fn f1_exact(a: &[LabelledSpan], b: &[LabelledSpan]) -> f64 {
    let (a_keys, b_keys) = (sorted_keys(a), sorted_keys(b));
    let (mut i, mut j, mut matches) = (0, 0, 0);
    while i < a_keys.len() && j < b_keys.len() {
        match a_keys[i].cmp(&b_keys[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matches += 1;
                i += 1;
                j += 1;
            }
        }
    }
    f1(matches, a.len(), b.len())
}

/// Relation F1 with exact matches: a relation of `a` matches one of `b` with the same type and
/// the same two ends (extent and label), each used once; 1.0 when both have none. Symmetric; in
/// [0, 1]. O(R log R).
pub fn relation_f1(a: &[super::LabelledRelation], b: &[super::LabelledRelation]) -> f64 {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut matches) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matches += 1;
                i += 1;
                j += 1;
            }
        }
    }
    f1(matches, a.len(), b.len())
}

/// `(start, end, label)` of each span, sorted.
fn sorted_keys(spans: &[LabelledSpan]) -> Vec<(usize, usize, &str)> {
    let mut keys: Vec<(usize, usize, &str)> = spans
        .iter()
        .map(|s| (s.span.start, s.span.end, s.tag.as_str()))
        .collect();
    keys.sort_unstable();
    keys
}

/// Span F1 with overlapping matches: a span of `a` may match one of `b` with the same label that
/// shares at least one code point with it. Pairs are matched one to one, greedily: the largest
/// overlap first, then the earlier start in `a`, then the earlier start in `b` (then the earlier
/// end in `a`, in `b`, so the result never depends on input order). `2·matches / (|a| + |b|)`,
/// 1.0 when both are empty. In [0, 1]; at least [`f1_exact`]; the same with `a` and `b`
/// swapped (the tie-breaks name a side, but a property test finds no case where they change
/// the count).
///
/// O(S log S + P log P + S·d) for P overlapping same-label pairs and spans nested d deep.
pub fn f1_overlap(a: &[LabelledSpan], b: &[LabelledSpan]) -> f64 {
    let pairs = overlapping_pairs(a, b);
    let (mut a_used, mut b_used) = (vec![false; a.len()], vec![false; b.len()]);
    let mut matches = 0;
    for pair in pairs {
        if !a_used[pair.a] && !b_used[pair.b] {
            a_used[pair.a] = true;
            b_used[pair.b] = true;
            matches += 1;
        }
    }
    f1(matches, a.len(), b.len())
}

/// Two spans, one of each side, with the same label and a code point in common.
struct Candidate {
    /// Index into `a`.
    a: usize,
    /// Index into `b`.
    b: usize,
}

/// Every same-label pair of `a` and `b` that overlaps, in [`f1_overlap`]'s matching order. A
/// sweep by start: each span meets the other side's spans still open where it starts.
fn overlapping_pairs(a: &[LabelledSpan], b: &[LabelledSpan]) -> Vec<Candidate> {
    // (label, start, end, side, index), side 0 for `a`.
    let mut starts: Vec<(&str, usize, usize, usize, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, s)| (s.tag.as_str(), s.span.start, s.span.end, 0, i))
        .chain(
            b.iter()
                .enumerate()
                .map(|(i, s)| (s.tag.as_str(), s.span.start, s.span.end, 1, i)),
        )
        .collect();
    starts.sort_unstable();
    // (overlap, a's start, b's start, a's end, b's end, a's index, b's index)
    let mut found = Vec::new();
    let mut open: [Vec<(usize, usize, usize)>; 2] = [Vec::new(), Vec::new()];
    let mut label = None;
    for (tag, start, end, side, index) in starts {
        if label != Some(tag) {
            label = Some(tag);
            open.iter_mut().for_each(Vec::clear);
        }
        for list in &mut open {
            list.retain(|&(_, open_end, _)| open_end > start);
        }
        for &(other_start, other_end, other) in &open[1 - side] {
            let overlap = end.min(other_end) - start;
            found.push(if side == 0 {
                (
                    Reverse(overlap),
                    start,
                    other_start,
                    end,
                    other_end,
                    index,
                    other,
                )
            } else {
                (
                    Reverse(overlap),
                    other_start,
                    start,
                    other_end,
                    end,
                    other,
                    index,
                )
            });
        }
        open[side].push((start, end, index));
    }
    found.sort_unstable();
    found
        .into_iter()
        .map(|(.., a, b)| Candidate { a, b })
        .collect()
}

/// `2·matches / (a + b)`, 1.0 when both are empty.
fn f1(matches: usize, a: usize, b: usize) -> f64 {
    if a + b == 0 {
        1.0
    } else {
        2.0 * matches as f64 / (a + b) as f64
    }
}

/// `(observed − chance) / (whole − expected)` for a chance-corrected measure whose terms are
/// exact integers; 1.0 when `whole == expected` (chance agreement is certain).
fn ratio(observed: u128, chance: u128, whole: u128, expected: u128) -> f64 {
    if whole == expected {
        return 1.0;
    }
    (observed as f64 - chance as f64) / (whole - expected) as f64
}

/// How many labels the tables need: one more than the largest code.
fn categories(lists: &[&[Code]]) -> usize {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .max()
        .map_or(1, |&c| c as usize + 1)
}

/// The length all `lists` share.
fn same_length(lists: &[&[Code]]) -> usize {
    let units = lists.first().map_or(0, |l| l.len());
    assert!(
        lists.iter().all(|l| l.len() == units),
        "agreement compares labels of the same units"
    );
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agree::test_support::labelled;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not {expected} ± {tolerance}"
        );
    }

    /// Repeats each `(a, b, times)` pair of labels.
    fn table(rows: &[(Code, Code, usize)]) -> (Vec<Code>, Vec<Code>) {
        rows.iter()
            .flat_map(|&(a, b, times)| std::iter::repeat_n((a, b), times))
            .unzip()
    }

    #[test]
    fn cohen_kappa_of_the_classic_two_by_two_table() {
        // Wikipedia, "Cohen's kappa", first example: 50 grant proposals, A and B both say yes to
        // 20, A yes and B no to 5, A no and B yes to 10, both no to 15. p_o = 35/50 = 0.7;
        // p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2 / 0.5 = 0.4.
        let (a, b) = table(&[(1, 1, 20), (1, 0, 5), (0, 1, 10), (0, 0, 15)]);
        close(cohen_kappa(&a, &b), 0.4, 1e-12);
        close(cohen_kappa(&b, &a), 0.4, 1e-12);
    }

    #[test]
    fn chance_corrected_measures_are_one_for_perfect_agreement_and_degenerate_cases() {
        let labels = [0, 1, 2, 1, 0];
        assert_eq!(cohen_kappa(&labels, &labels), 1.0);
        assert_eq!(fleiss_kappa(&[&labels, &labels, &labels]), 1.0);
        assert_eq!(krippendorff_alpha(&[&labels, &labels]), 1.0);
        // Everyone says O everywhere, or there is nothing to label: 1.0, not 0/0.
        let all_o = [0; 4];
        assert_eq!(cohen_kappa(&all_o, &all_o), 1.0);
        assert_eq!(fleiss_kappa(&[&all_o, &all_o, &all_o]), 1.0);
        assert_eq!(krippendorff_alpha(&[&all_o, &all_o]), 1.0);
        assert_eq!(cohen_kappa(&[], &[]), 1.0);
        assert_eq!(fleiss_kappa(&[&[], &[], &[]]), 1.0);
        assert_eq!(krippendorff_alpha(&[&[], &[]]), 1.0);
        assert_eq!(fleiss_kappa(&[&labels]), 1.0);
    }

    #[test]
    fn systematic_disagreement_is_negative() {
        // p_o = 0, p_e = 0.5: κ = −1.
        assert_eq!(cohen_kappa(&[0, 1, 0, 1], &[1, 0, 1, 0]), -1.0);
        assert!(krippendorff_alpha(&[&[0, 1, 0, 1], &[1, 0, 1, 0]]) < 0.0);
    }

    #[test]
    fn fleiss_kappa_of_fleiss_1971_as_worked_on_wikipedia() {
        // Wikipedia, "Fleiss' kappa", worked example: 14 raters put 10 subjects in 5 categories
        // (counts per subject below); P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
        const COUNTS: [[usize; 5]; 10] = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        // Fleiss' κ reads only the counts per subject: rater r gives each subject the r-th of
        // its labels.
        let raters: Vec<Vec<Code>> = (0..14)
            .map(|r| {
                COUNTS
                    .iter()
                    .map(|counts| {
                        let labels: Vec<Code> = counts
                            .iter()
                            .enumerate()
                            .flat_map(|(c, &n)| std::iter::repeat_n(c as Code, n))
                            .collect();
                        labels[r]
                    })
                    .collect()
            })
            .collect();
        let raters: Vec<&[Code]> = raters.iter().map(Vec::as_slice).collect();
        close(fleiss_kappa(&raters), 0.210, 0.0005);
    }

    #[test]
    fn alpha_of_krippendorffs_worked_example_with_missing_values() {
        // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
        // observers, twelve units, nominal values 1-5, blanks missing; α nominal = 0.743.
        const UNITS: [&[Code]; 12] = [
            &[1, 1, 1],
            &[2, 2, 3, 2],
            &[3, 3, 3, 3],
            &[3, 3, 3, 3],
            &[2, 2, 2, 2],
            &[1, 2, 3, 4],
            &[4, 4, 4, 4],
            &[1, 1, 2, 1],
            &[2, 2, 2, 2],
            &[5, 5, 5],
            &[1, 1],
            &[3], // one value: not pairable
        ];
        let mut coincidences = Coincidences::default();
        for unit in UNITS {
            coincidences.add_unit(unit);
        }
        close(coincidences.alpha(), 0.743, 0.0005);
        // Cells of its coincidence matrix: o[1][1] = 3 (unit 1) + 2 (unit 8) + 2 (unit 11) = 7;
        // o[1][2] = 1/3 (unit 6) + 1 (unit 8) = 4/3; o[3][3] = 4 + 4 (units 3, 4) = 8.
        close(coincidences.coincidence(1, 1), 7.0, 1e-12);
        close(coincidences.coincidence(1, 2), 4.0 / 3.0, 1e-12);
        close(coincidences.coincidence(3, 3), 8.0, 1e-12);
        close(coincidences.coincidence(9, 9), 0.0, 0.0);
    }

    #[test]
    fn exact_f1_counts_spans_with_the_same_start_end_and_label() {
        let a = [labelled(0, 5, "claim"), labelled(6, 9, "quote")];
        let b = [
            labelled(0, 5, "claim"),
            labelled(6, 9, "claim"),
            labelled(10, 12, "quote"),
        ];
        close(f1_exact(&a, &b), 2.0 * 1.0 / 5.0, 1e-12);
        assert_eq!(f1_exact(&[], &[]), 1.0);
        assert_eq!(f1_exact(&a, &[]), 0.0);
    }

    #[test]
    fn overlap_f1_matches_one_to_one_by_largest_overlap() {
        // a's [0, 10) overlaps b's [0, 6) by 6 and [4, 10) by 6: a tie, taken by the earlier
        // start in b; [4, 10) is then left for a's [5, 9) (overlap 4). The quote overlaps only
        // spans of another label.
        let a = [
            labelled(0, 10, "claim"),
            labelled(5, 9, "claim"),
            labelled(20, 30, "quote"),
        ];
        let b = [
            labelled(4, 10, "claim"),
            labelled(0, 6, "claim"),
            labelled(22, 25, "claim"),
        ];
        close(f1_overlap(&a, &b), 2.0 * 2.0 / 6.0, 1e-12);
        close(f1_overlap(&b, &a), 2.0 * 2.0 / 6.0, 1e-12);
        // One span of a against two of b: one match only.
        let one = [labelled(0, 10, "claim")];
        let two = [labelled(0, 3, "claim"), labelled(6, 10, "claim")];
        close(f1_overlap(&one, &two), 2.0 / 3.0, 1e-12);
        // Adjacent spans share no code point.
        assert_eq!(
            f1_overlap(&[labelled(0, 5, "claim")], &[labelled(5, 9, "claim")]),
            0.0
        );
        assert_eq!(f1_overlap(&[], &[]), 1.0);
    }
}
