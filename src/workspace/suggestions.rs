//! Suggestions in the workspace: whether they are on, the pattern file, what was computed for
//! the open document, and which one is selected; accepting one makes an ordinary annotation
//! (and, for a quote and its speaker both accepted, the `attributed-to` relation between them).

use std::rc::Rc;

use crate::model::{
    AnnotationId, AnnotationStore, Command, LabelSet, Relation, RelationId, Span, Tag,
    ATTRIBUTED_TO,
};
use crate::suggest::{self, source_tag, Suggestion};

/// The suggestion settings and results of the open document.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    /// Shown (off by default; remembered).
    pub on: bool,
    /// How many patterns the loaded pattern file holds (derived from it: [`Self::set_patterns`]).
    pub patterns: usize,
    /// The pattern file as loaded (what is stored with the library; the worker parsed it).
    pub patterns_source: Rc<str>,
    /// Every suggestion computed for `document`, in document order (before rejections and
    /// annotations are taken out: the per-source figures are measured on these).
    pub all: Rc<Vec<Suggestion>>,
    /// The document `all` was computed for.
    pub document: String,
    /// The selected suggestion.
    pub selected: Option<(Span, Tag)>,
}

impl Suggestions {
    /// Takes `source` as the pattern file (one the worker accepted, or one stored with the
    /// library), with its count.
    pub fn set_patterns(&mut self, source: Rc<str>) {
        self.patterns = suggest::PatternSet::count(&source);
        self.patterns_source = source;
    }

    /// The suggestions still open in `store`'s document (not rejected, not annotated), in
    /// document order. O(S log n).
    pub fn open(&self, store: &AnnotationStore) -> Vec<Suggestion> {
        let mut open = self.all.as_ref().clone();
        suggest::retain_open(&mut open, store);
        open
    }

    /// The open suggestions in `store`, given `open`, those of `before` (an earlier version of
    /// it, with the same `all`): the same `Rc` when the rejections are the same and no
    /// annotation that changed between them has a suggestion's span, which is what nearly
    /// every edit is; else computed anew. O(n + c log S) then, for c changed annotations,
    /// where computing anew is O(S log n) and copies every open suggestion.
    pub fn open_after(
        &self,
        open: &Rc<Vec<Suggestion>>,
        before: &AnnotationStore,
        store: &AnnotationStore,
    ) -> Rc<Vec<Suggestion>> {
        let suggested_at = |span: Span| {
            let first = self.all.partition_point(|s| s.span.start < span.start);
            self.all[first..]
                .iter()
                .take_while(|s| s.span.start == span.start)
                .any(|s| s.span == span)
        };
        let unchanged = store.rejections() == before.rejections()
            && !store
                .spans_changed_since(before)
                .into_iter()
                .any(suggested_at);
        if unchanged {
            open.clone()
        } else {
            Rc::new(self.open(store))
        }
    }

    /// Of `open` (see [`Self::open`]), the one after (or before) the selected one, or after the
    /// caret, or the first (last) of the document. O(open).
    pub fn step(
        &self,
        open: &[Suggestion],
        forward: bool,
        caret: Option<usize>,
    ) -> Option<(Span, Tag)> {
        let key = |s: &Suggestion| (s.span.start, std::cmp::Reverse(s.span.end), s.tag.clone());
        let at = match (&self.selected, caret) {
            (Some((span, tag)), _) => Some((span.start, std::cmp::Reverse(span.end), tag.clone())),
            (None, Some(caret)) => Some((caret, std::cmp::Reverse(usize::MAX), Tag::Claim)),
            (None, None) => None,
        };
        let found = match (at, forward) {
            (None, true) => open.first(),
            (None, false) => open.last(),
            (Some(at), true) => open.iter().find(|s| key(s) > at),
            (Some(at), false) => open.iter().rev().find(|s| key(s) < at),
        };
        found.map(|s| (s.span, s.tag.clone()))
    }

    /// The commands that accept `accepted` into `store`: its annotation (under `new_id`), and
    /// the `attributed-to` relation (under `relation_id`) when it is a quote whose speaker is
    /// already a source annotation, or a source whose quote is already a quote annotation (and
    /// the labels offer that type).
    pub fn accept(
        &self,
        store: &AnnotationStore,
        labels: &LabelSet,
        accepted: &Suggestion,
        new_id: AnnotationId,
        relation_id: RelationId,
        now: &str,
    ) -> Vec<Command> {
        let annotation =
            crate::model::Annotation::new(new_id.clone(), accepted.span, accepted.tag.clone(), now);
        let mut commands = vec![Command::Create { annotation }];
        let annotated = |span: Span, tag: &Tag| {
            store
                .spans()
                .overlapping(span)
                .find(|e| e.span == span && store.get(&e.id).is_some_and(|a| a.tag == *tag))
                .map(|e| e.id.clone())
        };
        let pair = if accepted.tag == Tag::Quote {
            accepted
                .speaker
                .and_then(|speaker| annotated(speaker, &source_tag()))
                .map(|source| (new_id, source))
        } else if accepted.tag == source_tag() {
            self.all
                .iter()
                .filter(|s| s.tag == Tag::Quote && s.speaker == Some(accepted.span))
                .find_map(|quote| annotated(quote.span, &Tag::Quote))
                .map(|quote| (quote, new_id))
        } else {
            None
        };
        let offered = labels
            .relation_type(ATTRIBUTED_TO)
            .is_some_and(|t| !t.removed);
        if let (Some((from, to)), true) = (pair, offered) {
            let relation = Relation::new(relation_id, ATTRIBUTED_TO, from, to);
            commands.push(Command::CreateRelation { relation });
        }
        commands
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Annotation;
    use crate::suggest::SuggestionSource;

    fn span(start: usize, end: usize) -> Span {
        Span::new(start, end).unwrap()
    }

    #[test]
    fn the_open_list_is_kept_unless_an_edit_opens_or_closes_a_suggestion() {
        let suggested = |start, end| Suggestion {
            span: span(start, end),
            tag: Tag::Claim,
            source: SuggestionSource::Cues,
            speaker: None,
        };
        let suggestions = Suggestions {
            all: Rc::new(vec![suggested(0, 5), suggested(10, 15)]),
            ..Suggestions::default()
        };
        let create = |store: &mut AnnotationStore, id: &str, at: Span| {
            let annotation = Annotation::new(id.into(), at, Tag::Claim, "t0");
            store.apply(Command::Create { annotation }).unwrap();
        };
        let before = AnnotationStore::new(100);
        let open = Rc::new(suggestions.open(&before));
        let mut away = before.clone();
        create(&mut away, "a", span(20, 25));
        let kept = suggestions.open_after(&open, &before, &away);
        assert!(
            Rc::ptr_eq(&kept, &open),
            "an edit away from every suggestion"
        );
        let mut at_one = away.clone();
        create(&mut at_one, "b", span(10, 15));
        let closed = suggestions.open_after(&kept, &away, &at_one);
        assert_eq!(*closed, [suggested(0, 5)]);
        let mut rejected = away.clone();
        let reject = Command::Reject {
            span: span(0, 5),
            tag: Tag::Claim,
        };
        rejected.apply(reject).unwrap();
        let after_rejection = suggestions.open_after(&kept, &away, &rejected);
        assert_eq!(*after_rejection, [suggested(10, 15)]);
    }
}
