//! Span attributes: what a label lets an annotator say about each of its spans besides the tag
//! (a quote's `kind`, whether a claim is `hedged`). A label declares them; an annotation holds
//! the values by attribute name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One attribute a label declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// Its name, the key of its value on each annotation (`kind`).
    pub name: String,
    /// What values it takes.
    #[serde(flatten)]
    pub kind: AttributeKind,
}

/// What values an attribute takes. In files: `{"name": "kind", "type": "choice", "values":
/// ["direct", "indirect"]}`, `{"name": "hedged", "type": "flag"}`, `{"name": "x", "type": "text"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum AttributeKind {
    /// One of a fixed list of values.
    Choice {
        /// The values offered, in order.
        values: Vec<String>,
    },
    /// Yes or no.
    Flag,
    /// Free text.
    Text,
}

/// An attribute's value on one annotation: `true` for a set flag, text for a choice or free
/// text. A cleared attribute has no entry at all, so "none" is never stored as a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    /// A flag.
    Flag(bool),
    /// A choice or free text.
    Text(String),
}

impl AttributeValue {
    /// The value as text, as formats without types write it (`true`, `indirect`).
    pub fn as_text(&self) -> String {
        match self {
            AttributeValue::Flag(flag) => flag.to_string(),
            AttributeValue::Text(text) => text.clone(),
        }
    }
}

/// An annotation's attribute values by name, sorted (so files and comparisons are stable).
pub type Attributes = BTreeMap<String, AttributeValue>;

impl AttributeDef {
    /// A choice attribute.
    pub fn choice(name: &str, values: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            kind: AttributeKind::Choice {
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            },
        }
    }

    /// A yes/no attribute.
    pub fn flag(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            kind: AttributeKind::Flag,
        }
    }

    /// The value an input gave (a `<select>`'s value, a checkbox's state, a text field's text),
    /// or `None` to clear it: an empty choice or text, an unchecked flag, a choice not offered.
    pub fn value_from_input(&self, text: &str, checked: bool) -> Option<AttributeValue> {
        match &self.kind {
            AttributeKind::Flag => checked.then_some(AttributeValue::Flag(true)),
            AttributeKind::Choice { values } => values
                .iter()
                .any(|v| v == text)
                .then(|| AttributeValue::Text(text.to_owned())),
            AttributeKind::Text => {
                (!text.is_empty()).then(|| AttributeValue::Text(text.to_owned()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_and_values_have_their_file_shapes() {
        let kind = AttributeDef::choice("kind", &["direct", "indirect"]);
        assert_eq!(
            serde_json::to_string(&kind).unwrap(),
            r#"{"name":"kind","type":"choice","values":["direct","indirect"]}"#
        );
        let hedged: AttributeDef =
            serde_json::from_str(r#"{"name":"hedged","type":"flag"}"#).unwrap();
        assert_eq!(hedged, AttributeDef::flag("hedged"));
        let values: Attributes =
            serde_json::from_str(r#"{"hedged": true, "kind": "indirect"}"#).unwrap();
        assert_eq!(values["hedged"], AttributeValue::Flag(true));
        assert_eq!(values["kind"].as_text(), "indirect");
    }

    #[test]
    fn inputs_clear_with_an_empty_or_unoffered_value() {
        let kind = AttributeDef::choice("kind", &["direct"]);
        assert_eq!(
            kind.value_from_input("direct", false),
            Some(AttributeValue::Text("direct".into()))
        );
        assert_eq!(kind.value_from_input("", false), None);
        assert_eq!(kind.value_from_input("other", false), None);
        let hedged = AttributeDef::flag("hedged");
        assert_eq!(
            hedged.value_from_input("", true),
            Some(AttributeValue::Flag(true))
        );
        assert_eq!(hedged.value_from_input("", false), None);
    }
}
