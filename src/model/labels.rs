//! The labels of a document set: each tag's name, colour, key, guideline and attributes, and
//! the relation types. An annotation stores only its tag id, so renaming, recolouring or
//! re-keying a label never rewrites an annotation, and removing one keeps the label as a
//! tombstone: its annotations keep their tag (drawn in grey, listed under the label's name) and
//! restoring it brings everything back. Relation types behave the same way.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{AttributeDef, RelationType, Tag};

/// Keys that tag: the digits 1 to 9.
pub const LABEL_KEYS: std::ops::RangeInclusive<u8> = 1..=9;

/// A label's colour: one of a fixed palette (Okabe–Ito, safe for the common colour
/// blindnesses), each with its own underline style so labels stay apart in greyscale too.
/// A palette rather than free colours because each entry has a light and a dark variant
/// checked for WCAG AA contrast (styles/app.css), and highlight styles are static CSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelColour {
    /// Solid underline (claim's).
    Blue,
    /// Double underline (quote's).
    Orange,
    /// Wavy underline (condition's).
    Purple,
    /// Dotted underline.
    Green,
    /// Dashed underline.
    Vermilion,
    /// Solid thick underline.
    Sky,
    /// Double thin underline.
    Yellow,
}

impl LabelColour {
    /// The palette, in the order new labels take colours.
    pub const ALL: [LabelColour; 7] = [
        LabelColour::Blue,
        LabelColour::Orange,
        LabelColour::Purple,
        LabelColour::Green,
        LabelColour::Vermilion,
        LabelColour::Sky,
        LabelColour::Yellow,
    ];

    /// The id used in files and CSS classes (`label-blue`, `::highlight(mg-blue-0)`).
    pub fn as_str(self) -> &'static str {
        match self {
            LabelColour::Blue => "blue",
            LabelColour::Orange => "orange",
            LabelColour::Purple => "purple",
            LabelColour::Green => "green",
            LabelColour::Vermilion => "vermilion",
            LabelColour::Sky => "sky",
            LabelColour::Yellow => "yellow",
        }
    }

    /// The colour as `#RRGGBB` (the Okabe–Ito values), for tools outside the app (Label
    /// Studio's labeling config).
    pub fn hex(self) -> &'static str {
        match self {
            LabelColour::Blue => "#0072B2",
            LabelColour::Orange => "#E69F00",
            LabelColour::Purple => "#CC79A7",
            LabelColour::Green => "#009E73",
            LabelColour::Vermilion => "#D55E00",
            LabelColour::Sky => "#56B4E9",
            LabelColour::Yellow => "#F0E442",
        }
    }

    /// The colour by its id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

/// One label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The id annotations carry (`claim`, or a custom label's id such as `source`).
    pub tag: Tag,
    /// As shown to people.
    pub name: String,
    /// How its spans are drawn.
    pub colour: LabelColour,
    /// The digit that tags with it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<u8>,
    /// Removed from the set: not offered for tagging, but its annotations keep the tag.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    /// The guideline: what the label means, with an example.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What an annotator may say about each of its spans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeDef>,
}

impl Label {
    /// A label with no guideline and no attributes.
    pub fn new(tag: Tag, name: String, colour: LabelColour, key: Option<u8>) -> Self {
        Self {
            tag,
            name,
            colour,
            key,
            removed: false,
            description: String::new(),
            attributes: Vec::new(),
        }
    }

    /// The attribute of this label named `name`.
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// Why a label edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    /// An empty (or all-space) name.
    #[error("a label needs a name")]
    EmptyName,
    /// Another label in use has that name.
    #[error("there is already a label named “{0}”")]
    NameTaken(String),
    /// Not a label of this set.
    #[error("there is no label “{0}”")]
    Unknown(String),
    /// A key for a removed label.
    #[error("the label “{0}” is removed; restore it first")]
    Removed(String),
    /// A key outside 1–9.
    #[error("labels take the keys 1 to 9")]
    BadKey,
    /// Removing the last label would leave nothing to tag with.
    #[error("the last label cannot be removed")]
    LastLabel,
    /// Not a relation type of this set.
    #[error("there is no relation type “{0}”")]
    UnknownRelationType(String),
    /// Another relation type in use has that name.
    #[error("there is already a relation type named “{0}”")]
    RelationNameTaken(String),
}

/// One edit of a label set, as the label editor asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelEdit {
    /// A new label with this name.
    Add(String),
    /// A label's new name.
    Rename(Tag, String),
    /// A label's new colour.
    Recolour(Tag, LabelColour),
    /// A label's new key, or none.
    Rekey(Tag, Option<u8>),
    /// Take a label out of tagging (its annotations keep their tag).
    Remove(Tag),
    /// Bring a removed label back, or make a label of a tag no label has.
    Restore(Tag),
    /// A label's new guideline.
    Describe(Tag, String),
    /// A label's attributes, as they are to become.
    SetAttributes(Tag, Vec<AttributeDef>),
    /// A new relation type with this name.
    AddRelationType(String),
    /// A relation type's new name.
    RenameRelationType(String, String),
    /// A relation type's new guideline.
    DescribeRelationType(String, String),
    /// A relation type's labels it starts from and points to (empty for any).
    SetRelationEnds(String, Vec<Tag>, Vec<Tag>),
    /// Take a relation type out of the offer (its relations keep their type).
    RemoveRelationType(String),
    /// Bring a removed relation type back.
    RestoreRelationType(String),
}

/// The labels of a document set, in the order the toolbar shows them, and its relation types.
/// Small (tens of labels), so every lookup is a linear scan. Files and storage carry the labels
/// and the relation types as two lists ([`LabelSet::all`], [`LabelSet::relation_types`]); the
/// whole set is serialised only between the app and its worker ([`crate::tasks`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSet {
    labels: Vec<Label>,
    relation_types: Vec<RelationType>,
}

/// The id of the fourth default label: who a quote or claim is attributed to.
pub const SOURCE: &str = "source";

impl Default for LabelSet {
    /// Claim, quote, condition and source on keys 1 to 4, with their guidelines and attributes
    /// (quote `kind`, claim `hedged`), and the default relation types.
    fn default() -> Self {
        let source = Tag::from(SOURCE);
        let labels = Tag::BUILT_IN
            .iter()
            .chain([&source])
            .zip(LabelColour::ALL)
            .zip(1..)
            .map(|((tag, colour), key)| {
                let mut label = Label::new(tag.clone(), tag.display_name(), colour, Some(key));
                let (description, attributes) = default_guideline(tag);
                label.description = description.to_owned();
                label.attributes = attributes;
                label
            })
            .collect();
        Self {
            labels,
            relation_types: RelationType::defaults(),
        }
    }
}

/// A default label's guideline and attributes.
fn default_guideline(tag: &Tag) -> (&'static str, Vec<AttributeDef>) {
    match tag {
        Tag::Claim => (
            "A statement about the world that could be checked. Example: “26 countries have \
             committed to the plan.”",
            vec![AttributeDef::flag("hedged")],
        ),
        Tag::Quote => (
            "Words attributed to a person or body, quoted or reported. Example: “We are ready,” \
             the minister said.",
            vec![AttributeDef::choice(
                "kind",
                &["direct", "indirect", "partial"],
            )],
        ),
        Tag::Condition => (
            "What something depends on. Example: Berlin would decide “only once conditions \
             were clear”.",
            Vec::new(),
        ),
        _ => (
            "The person or body a quote or claim is attributed to: a name, “a White House \
             official”, “Berlin”.",
            Vec::new(),
        ),
    }
}

impl LabelSet {
    /// The labels offered for tagging, in order.
    pub fn active(&self) -> impl Iterator<Item = &Label> {
        self.labels.iter().filter(|l| !l.removed)
    }

    /// Removed labels, in order.
    pub fn removed(&self) -> impl Iterator<Item = &Label> {
        self.labels.iter().filter(|l| l.removed)
    }

    /// Every label, removed ones included (what files carry).
    pub fn all(&self) -> &[Label] {
        &self.labels
    }

    /// The label for `tag`, removed or not.
    pub fn get(&self, tag: &Tag) -> Option<&Label> {
        self.labels.iter().find(|l| l.tag == *tag)
    }

    /// The active label for `tag`.
    pub fn active_label(&self, tag: &Tag) -> Option<&Label> {
        self.get(tag).filter(|l| !l.removed)
    }

    /// How `tag` is shown: its label's name (also once removed), else the id as a title.
    pub fn name_of(&self, tag: &Tag) -> String {
        self.get(tag)
            .map_or_else(|| tag.display_name(), |l| l.name.clone())
    }

    /// The colour `tag` is drawn in: its active label's, or `None` (grey) for a removed or
    /// unknown label.
    pub fn colour_of(&self, tag: &Tag) -> Option<LabelColour> {
        self.active_label(tag).map(|l| l.colour)
    }

    /// The tag a digit key tags with.
    pub fn tag_for_key(&self, key: u8) -> Option<&Tag> {
        self.active().find(|l| l.key == Some(key)).map(|l| &l.tag)
    }

    fn position(&self, tag: &Tag) -> Result<usize, LabelError> {
        self.labels
            .iter()
            .position(|l| l.tag == *tag)
            .ok_or_else(|| LabelError::Unknown(tag.to_string()))
    }

    fn free_key(&self) -> Option<u8> {
        LABEL_KEYS
            .into_iter()
            .find(|key| self.active().all(|l| l.key != Some(*key)))
    }

    fn free_colour(&self) -> LabelColour {
        let count = |colour: LabelColour| self.active().filter(|l| l.colour == colour).count();
        LabelColour::ALL
            .into_iter()
            .min_by_key(|colour| count(*colour))
            .expect("the palette is not empty")
    }

    /// The trimmed name, if no other active label has it (whatever the case).
    fn checked_name(&self, name: &str, except: Option<&Tag>) -> Result<String, LabelError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LabelError::EmptyName);
        }
        let taken = self
            .active()
            .any(|l| Some(&l.tag) != except && l.name.to_lowercase() == name.to_lowercase());
        if taken {
            return Err(LabelError::NameTaken(name.to_owned()));
        }
        Ok(name.to_owned())
    }

    /// `name`, or `name 2`, `name 3`… when an active label has it: for labels that arrive with
    /// a name (restored, from a file), which must not be refused.
    fn unique_name(&self, name: &str) -> String {
        (1..)
            .map(|n| {
                if n == 1 {
                    name.to_owned()
                } else {
                    format!("{name} {n}")
                }
            })
            .find(|candidate| self.checked_name(candidate, None).is_ok())
            .expect("some suffix is free")
    }

    /// Adds a label named `name` with the least used colour and the lowest free key; returns
    /// its tag. Its id is the name in lower case with runs of other characters as `-`
    /// (`Named source` -> `named-source`). When a removed label has that id, it is restored
    /// under the new name instead, so its annotations get their label back.
    pub fn add(&mut self, name: &str) -> Result<Tag, LabelError> {
        let name = self.checked_name(name, None)?;
        let slug = slug(&name);
        if let Some(index) = self
            .labels
            .iter()
            .position(|l| l.removed && l.tag.as_str() == slug)
        {
            let tag = self.labels[index].tag.clone();
            self.restore(&tag)?;
            self.labels[index].name = name;
            return Ok(tag);
        }
        let id = (1..)
            .map(|n| {
                if n == 1 {
                    slug.clone()
                } else {
                    format!("{slug}-{n}")
                }
            })
            .find(|id| self.labels.iter().all(|l| l.tag.as_str() != id))
            .expect("some suffix is free");
        let tag = Tag::from(id);
        let label = Label::new(tag.clone(), name, self.free_colour(), self.free_key());
        self.labels.push(label);
        Ok(tag)
    }

    /// Gives a label a new name (its id, and so every annotation, stays).
    pub fn rename(&mut self, tag: &Tag, name: &str) -> Result<(), LabelError> {
        let index = self.position(tag)?;
        self.labels[index].name = self.checked_name(name, Some(tag))?;
        Ok(())
    }

    /// Gives a label another colour of the palette.
    pub fn recolour(&mut self, tag: &Tag, colour: LabelColour) -> Result<(), LabelError> {
        let index = self.position(tag)?;
        self.labels[index].colour = colour;
        Ok(())
    }

    /// Gives a label a key (or none). A label that had the key takes this one's old key, so
    /// no two labels ever share one.
    pub fn rekey(&mut self, tag: &Tag, key: Option<u8>) -> Result<(), LabelError> {
        if key.is_some_and(|k| !LABEL_KEYS.contains(&k)) {
            return Err(LabelError::BadKey);
        }
        let index = self.position(tag)?;
        if self.labels[index].removed {
            return Err(LabelError::Removed(self.labels[index].name.clone()));
        }
        let old = self.labels[index].key;
        if let Some(key) = key {
            if let Some(other) = self
                .labels
                .iter_mut()
                .find(|l| !l.removed && l.key == Some(key) && l.tag != *tag)
            {
                other.key = old;
            }
        }
        self.labels[index].key = key;
        Ok(())
    }

    /// Removes a label from tagging; its annotations keep their tag. The last active label
    /// stays.
    pub fn remove(&mut self, tag: &Tag) -> Result<(), LabelError> {
        let index = self.position(tag)?;
        if self.active().count() == 1 && !self.labels[index].removed {
            return Err(LabelError::LastLabel);
        }
        let label = &mut self.labels[index];
        label.removed = true;
        label.key = None;
        Ok(())
    }

    /// Brings a removed label back, with the lowest free key.
    pub fn restore(&mut self, tag: &Tag) -> Result<(), LabelError> {
        let index = self.position(tag)?;
        if self.labels[index].removed {
            let (key, name) = (self.free_key(), self.unique_name(&self.labels[index].name));
            let label = &mut self.labels[index];
            label.removed = false;
            label.key = key;
            label.name = name;
        }
        Ok(())
    }

    /// Makes a label of a tag no label has (one an imported file used), named after its id.
    fn adopt(&mut self, tag: &Tag) {
        if self.get(tag).is_none() {
            let name = self.unique_name(&tag.display_name());
            let label = Label::new(tag.clone(), name, self.free_colour(), self.free_key());
            self.labels.push(label);
        }
    }

    /// Applies one edit.
    pub fn edit(&mut self, edit: LabelEdit) -> Result<(), LabelError> {
        match edit {
            LabelEdit::Add(name) => self.add(&name).map(drop),
            LabelEdit::Rename(tag, name) => self.rename(&tag, &name),
            LabelEdit::Recolour(tag, colour) => self.recolour(&tag, colour),
            LabelEdit::Rekey(tag, key) => self.rekey(&tag, key),
            LabelEdit::Remove(tag) => self.remove(&tag),
            LabelEdit::Restore(tag) if self.get(&tag).is_none() => {
                self.adopt(&tag);
                Ok(())
            }
            LabelEdit::Restore(tag) => self.restore(&tag),
            LabelEdit::Describe(tag, description) => {
                let index = self.position(&tag)?;
                self.labels[index].description = description;
                Ok(())
            }
            LabelEdit::SetAttributes(tag, attributes) => {
                let index = self.position(&tag)?;
                self.labels[index].attributes = attributes;
                Ok(())
            }
            LabelEdit::AddRelationType(name) => self.add_relation_type(&name).map(drop),
            LabelEdit::RenameRelationType(id, name) => {
                let name = self.checked_relation_name(&name, Some(&id))?;
                self.relation_type_mut(&id)?.name = name;
                Ok(())
            }
            LabelEdit::DescribeRelationType(id, description) => {
                self.relation_type_mut(&id)?.description = description;
                Ok(())
            }
            LabelEdit::SetRelationEnds(id, from, to) => {
                let kind = self.relation_type_mut(&id)?;
                (kind.from, kind.to) = (from, to);
                Ok(())
            }
            LabelEdit::RemoveRelationType(id) => {
                self.relation_type_mut(&id)?.removed = true;
                Ok(())
            }
            LabelEdit::RestoreRelationType(id) => {
                let name = self.relation_type(&id).map(|t| t.name.clone());
                let name = self.unique_relation_name(&name.unwrap_or_default());
                let kind = self.relation_type_mut(&id)?;
                (kind.removed, kind.name) = (false, name);
                Ok(())
            }
        }
    }

    /// Every relation type, removed ones included (what files carry).
    pub fn relation_types(&self) -> &[RelationType] {
        &self.relation_types
    }

    /// The relation types offered, in order.
    pub fn active_relation_types(&self) -> impl Iterator<Item = &RelationType> {
        self.relation_types.iter().filter(|t| !t.removed)
    }

    /// The relation type with this id, removed or not.
    pub fn relation_type(&self, id: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|t| t.id == id)
    }

    /// How relation type `id` is shown: its name (also once removed), else the id itself.
    pub fn relation_name_of(&self, id: &str) -> String {
        self.relation_type(id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    }

    /// The type a new relation from a `from` span to a `to` span gets: `attributed-to` from a
    /// quote or claim, `qualifies` from a condition (when offered), else the first offered type
    /// whose label lists fit, else the first offered type; `None` when none is offered.
    pub fn default_relation_type(&self, from: &Tag, to: &Tag) -> Option<&str> {
        let preferred = match from {
            Tag::Quote | Tag::Claim => Some(super::relation::ATTRIBUTED_TO),
            Tag::Condition => Some(super::relation::QUALIFIES),
            Tag::Other(_) => None,
        };
        let mut offered = self.active_relation_types();
        preferred
            .and_then(|id| self.active_relation_types().find(|t| t.id == id))
            .or_else(|| self.active_relation_types().find(|t| t.fits(from, to)))
            .or_else(|| offered.next())
            .map(|t| t.id.as_str())
    }

    fn relation_type_mut(&mut self, id: &str) -> Result<&mut RelationType, LabelError> {
        self.relation_types
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| LabelError::UnknownRelationType(id.to_owned()))
    }

    /// The trimmed name, if no other offered relation type has it (whatever the case).
    fn checked_relation_name(
        &self,
        name: &str,
        except: Option<&str>,
    ) -> Result<String, LabelError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(LabelError::EmptyName);
        }
        let folded = name.to_lowercase();
        let taken = self
            .active_relation_types()
            .any(|t| Some(t.id.as_str()) != except && t.name.to_lowercase() == folded);
        if taken {
            return Err(LabelError::RelationNameTaken(name.to_owned()));
        }
        Ok(name.to_owned())
    }

    /// `name`, or `name 2`, `name 3`… when an offered relation type has it.
    fn unique_relation_name(&self, name: &str) -> String {
        (1..)
            .map(|n| match n {
                1 => name.to_owned(),
                n => format!("{name} {n}"),
            })
            .find(|candidate| self.checked_relation_name(candidate, None).is_ok())
            .expect("some suffix is free")
    }

    /// Adds a relation type named `name` (its id made from the name, as a label's is), or
    /// restores a removed one of that id; returns its id.
    pub fn add_relation_type(&mut self, name: &str) -> Result<String, LabelError> {
        let name = self.checked_relation_name(name, None)?;
        let slug = slug(&name);
        if let Some(kind) = self
            .relation_types
            .iter_mut()
            .find(|t| t.removed && t.id == slug)
        {
            (kind.removed, kind.name) = (false, name);
            return Ok(slug);
        }
        let id = (1..)
            .map(|n| match n {
                1 => slug.clone(),
                n => format!("{slug}-{n}"),
            })
            .find(|id| self.relation_type(id).is_none())
            .expect("some suffix is free");
        self.relation_types.push(RelationType {
            id: id.clone(),
            name,
            from: Vec::new(),
            to: Vec::new(),
            description: String::new(),
            removed: false,
        });
        Ok(id)
    }

    /// A set made of labels and relation types as a file carries them (no defaults added).
    pub fn from_parts(labels: Vec<Label>, relation_types: Vec<RelationType>) -> Self {
        Self {
            labels,
            relation_types,
        }
    }

    /// The set of labels and relation types read from storage, in their order. A key that an
    /// earlier label already has is dropped (two tabs gave it to two labels at once), so keys
    /// stay unique. A default label or type with no stored record (only edited ones are
    /// written, and none ever leaves the set) is the default one, in its default place: a
    /// library from before `source` existed gains it, with key 4 or the next free digit.
    pub fn from_stored(
        labels: impl IntoIterator<Item = Label>,
        relation_types: impl IntoIterator<Item = RelationType>,
    ) -> Self {
        let mut set = Self {
            labels: Vec::new(),
            relation_types: Vec::new(),
        };
        for label in labels {
            set.put_stored(label);
        }
        for kind in relation_types {
            set.put_stored_relation_type(kind);
        }
        let defaults = Self::default();
        for (index, default) in defaults.labels.into_iter().enumerate() {
            if set.get(&default.tag).is_none() {
                let key = default
                    .key
                    .filter(|k| set.tag_for_key(*k).is_none())
                    .or_else(|| set.free_key());
                let name = set.unique_name(&default.name);
                let at = index.min(set.labels.len());
                set.labels.insert(
                    at,
                    Label {
                        key,
                        name,
                        ..default
                    },
                );
            }
        }
        for (index, default) in defaults.relation_types.into_iter().enumerate() {
            if set.relation_type(&default.id).is_none() {
                let at = index.min(set.relation_types.len());
                set.relation_types.insert(at, default);
            }
        }
        set
    }

    /// Takes a relation type as stored by another tab: it replaces the type of its id (or
    /// joins the set).
    pub fn put_stored_relation_type(&mut self, kind: RelationType) {
        match self.relation_types.iter_mut().find(|t| t.id == kind.id) {
            Some(existing) => *existing = kind,
            None => self.relation_types.push(kind),
        }
    }

    /// Takes a label as stored by another tab: it replaces the label of its tag (or joins the
    /// set), and keeps its key unless another label holds it.
    pub fn put_stored(&mut self, mut label: Label) {
        let holder = label.key.and_then(|k| {
            self.active()
                .find(|l| l.key == Some(k) && l.tag != label.tag)
        });
        if holder.is_some() || label.removed {
            label.key = None;
        }
        match self.labels.iter_mut().find(|l| l.tag == label.tag) {
            Some(existing) => *existing = label,
            None => self.labels.push(label),
        }
    }

    /// Adds the labels and relation types of `other` (an imported file's) that this set does
    /// not have, with their names and colours, and their keys where free; those it has stay as
    /// they are. Returns how many were added. Names are made unique as [`LabelSet::unique_name`]
    /// would (`x`, `x 2`, `x 3`…), but with sets of the names and tags in use and the next
    /// suffix to try per name, so merging n labels costs O(n + m), not O(n² m): a file of
    /// 3,000 labels all named "x" merges at once.
    pub fn merge(&mut self, other: &LabelSet) -> usize {
        let mut tags: HashSet<Tag> = self.labels.iter().map(|l| l.tag.clone()).collect();
        let mut names: HashSet<String> = self.active().map(|l| l.name.to_lowercase()).collect();
        let mut keys: HashSet<u8> = self.active().filter_map(|l| l.key).collect();
        let mut next_suffix: HashMap<String, usize> = HashMap::new();
        let mut added = 0;
        for label in &other.labels {
            if !tags.insert(label.tag.clone()) {
                continue;
            }
            let base = match label.name.trim() {
                "" => label.tag.display_name(),
                name => name.to_owned(),
            };
            let folded = base.to_lowercase();
            let first = next_suffix.get(&folded).copied().unwrap_or(1);
            let (n, name) = (first..)
                .map(|n| match n {
                    1 => (n, base.clone()),
                    n => (n, format!("{base} {n}")),
                })
                .find(|(_, candidate)| !names.contains(&candidate.to_lowercase()))
                .expect("some suffix is free");
            next_suffix.insert(folded, n + 1);
            let key = if label.removed {
                None
            } else {
                names.insert(name.to_lowercase());
                let key = label
                    .key
                    .filter(|k| LABEL_KEYS.contains(k) && !keys.contains(k))
                    .or_else(|| LABEL_KEYS.into_iter().find(|k| !keys.contains(k)));
                keys.extend(key);
                key
            };
            self.labels.push(Label {
                key,
                name,
                ..label.clone()
            });
            added += 1;
        }
        for kind in &other.relation_types {
            if self.relation_type(&kind.id).is_none() {
                let name = self.unique_relation_name(&kind.name);
                self.relation_types.push(RelationType {
                    name,
                    ..kind.clone()
                });
                added += 1;
            }
        }
        added
    }
}

/// A label id from a name: lower case, letters and digits kept (any script), other runs as one
/// `-`; `label` when nothing is left.
fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "label".into()
    } else {
        slug.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_is_claim_quote_condition_source_on_keys_1_to_4() {
        let labels = LabelSet::default();
        assert_eq!(labels.tag_for_key(1), Some(&Tag::Claim));
        assert_eq!(labels.tag_for_key(2), Some(&Tag::Quote));
        assert_eq!(labels.tag_for_key(3), Some(&Tag::Condition));
        assert_eq!(labels.tag_for_key(4), Some(&Tag::from(SOURCE)));
        assert_eq!(labels.tag_for_key(5), None);
        assert_eq!(labels.name_of(&Tag::Quote), "Quote");
        let quote = labels.get(&Tag::Quote).unwrap();
        assert!(quote.attribute("kind").is_some());
        assert!(labels
            .get(&Tag::Claim)
            .unwrap()
            .attribute("hedged")
            .is_some());
        assert!(!quote.description.is_empty());
        let ids: Vec<&str> = labels
            .relation_types()
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(ids, ["attributed-to", "qualifies"]);
    }

    #[test]
    fn a_library_from_before_source_gains_it_with_the_next_free_key() {
        let mut person = Label::new(
            "person".into(),
            "Person".into(),
            LabelColour::Green,
            Some(4),
        );
        let stored = LabelSet::from_stored([person.clone()], []);
        assert_eq!(stored.tag_for_key(4), Some(&Tag::from("person")));
        assert_eq!(stored.get(&Tag::from(SOURCE)).unwrap().key, Some(5));
        assert_eq!(stored.relation_types().len(), 2);
        // A label of that id already there stays as it is.
        person.tag = Tag::from(SOURCE);
        person.name = "Speaker".into();
        let stored = LabelSet::from_stored([person], []);
        assert_eq!(stored.name_of(&Tag::from(SOURCE)), "Speaker");
        assert_eq!(stored.all().len(), 4);
    }

    #[test]
    fn the_default_relation_type_follows_the_labels() {
        let mut labels = LabelSet::default();
        let source = Tag::from(SOURCE);
        assert_eq!(
            labels.default_relation_type(&Tag::Quote, &source),
            Some("attributed-to")
        );
        assert_eq!(
            labels.default_relation_type(&Tag::Condition, &Tag::Claim),
            Some("qualifies")
        );
        assert_eq!(
            labels.default_relation_type(&source, &Tag::Claim),
            Some("attributed-to"),
            "none fits: the first offered"
        );
        let cites = labels.add_relation_type("Cites").unwrap();
        labels
            .edit(LabelEdit::SetRelationEnds(
                cites.clone(),
                vec![source.clone()],
                vec![],
            ))
            .unwrap();
        assert_eq!(
            labels.default_relation_type(&source, &Tag::Claim),
            Some("cites")
        );
        labels
            .edit(LabelEdit::RemoveRelationType("attributed-to".into()))
            .unwrap();
        assert_eq!(
            labels.default_relation_type(&Tag::Quote, &source),
            Some("qualifies")
        );
        assert_eq!(labels.relation_name_of("attributed-to"), "Attributed to");
        assert_eq!(
            labels.add_relation_type("qualifies"),
            Err(LabelError::RelationNameTaken("qualifies".into()))
        );
        assert_eq!(
            labels.add_relation_type("Attributed to").unwrap(),
            "attributed-to"
        );
    }

    #[test]
    fn a_new_label_takes_the_next_key_a_fresh_colour_and_an_id_from_its_name() {
        let mut labels = LabelSet::default();
        let tag = labels.add("  Named source ").unwrap();
        assert_eq!(tag.as_str(), "named-source");
        let label = labels.get(&tag).unwrap();
        assert_eq!(
            (label.name.as_str(), label.key, label.colour),
            ("Named source", Some(5), LabelColour::Vermilion)
        );
        assert_eq!(
            labels.add("named SOURCE"),
            Err(LabelError::NameTaken("named SOURCE".into()))
        );
        assert_eq!(labels.add("   "), Err(LabelError::EmptyName));
        assert_eq!(
            labels.add("Named/source").unwrap().as_str(),
            "named-source-2"
        );
        assert_eq!(labels.add("Größe ∆").unwrap().as_str(), "größe");
        assert_eq!(labels.add("!!!").unwrap().as_str(), "label");
    }

    #[test]
    fn keys_run_out_after_nine() {
        let mut labels = LabelSet::default();
        for n in 5..=10 {
            labels.add(&format!("Label {n}")).unwrap();
        }
        assert_eq!(labels.get(&Tag::from("label-9")).unwrap().key, Some(9));
        assert_eq!(labels.get(&Tag::from("label-10")).unwrap().key, None);
    }

    #[test]
    fn rekeying_swaps_with_the_label_that_had_the_key() {
        let mut labels = LabelSet::default();
        labels.rekey(&Tag::Condition, Some(1)).unwrap();
        assert_eq!(labels.tag_for_key(1), Some(&Tag::Condition));
        assert_eq!(labels.tag_for_key(3), Some(&Tag::Claim));
        labels.rekey(&Tag::Claim, None).unwrap();
        assert_eq!(labels.tag_for_key(3), None);
        assert_eq!(labels.rekey(&Tag::Claim, Some(0)), Err(LabelError::BadKey));
    }

    #[test]
    fn renaming_keeps_the_id_and_refuses_a_taken_name() {
        let mut labels = LabelSet::default();
        labels.rename(&Tag::Claim, "Assertion").unwrap();
        assert_eq!(labels.name_of(&Tag::Claim), "Assertion");
        assert_eq!(labels.tag_for_key(1), Some(&Tag::Claim));
        assert!(labels.rename(&Tag::Quote, "assertion").is_err());
        labels.rename(&Tag::Claim, "assertion").unwrap();
    }

    #[test]
    fn a_removed_label_keeps_its_name_and_comes_back_when_restored_or_added_again() {
        let mut labels = LabelSet::default();
        labels.remove(&Tag::Quote).unwrap();
        assert_eq!(labels.tag_for_key(2), None);
        assert_eq!(labels.colour_of(&Tag::Quote), None);
        assert_eq!(labels.name_of(&Tag::Quote), "Quote");
        assert_eq!(labels.active().count(), 3);
        let tag = labels.add("Quote").unwrap();
        assert_eq!(tag, Tag::Quote);
        assert_eq!(labels.tag_for_key(2), Some(&Tag::Quote));
        labels.remove(&Tag::Quote).unwrap();
        labels.remove(&Tag::Claim).unwrap();
        labels.remove(&Tag::from(SOURCE)).unwrap();
        assert_eq!(labels.remove(&Tag::Condition), Err(LabelError::LastLabel));
        labels.restore(&Tag::Claim).unwrap();
        assert_eq!(labels.tag_for_key(1), Some(&Tag::Claim));
    }

    #[test]
    fn merging_thousands_of_labels_of_one_name_is_linear_and_names_stay_unique() {
        let labels: Vec<serde_json::Value> = (0..3000)
            .map(|i| serde_json::json!({"tag": format!("t{i}"), "name": "x", "colour": "blue"}))
            .collect();
        let labels: Vec<Label> = serde_json::from_value(serde_json::Value::Array(labels)).unwrap();
        let other = LabelSet::from_parts(labels, Vec::new());
        let mut set = LabelSet::default();
        assert_eq!(set.merge(&other), 3000);
        let names: HashSet<String> = set.active().map(|l| l.name.to_lowercase()).collect();
        assert_eq!(names.len(), 3004);
        assert_eq!(set.name_of(&Tag::from("t0")), "x");
        assert_eq!(set.name_of(&Tag::from("t2999")), "x 3000");
        // Keys 5 to 9 went to the first five; the rest have none.
        assert_eq!(set.tag_for_key(9), Some(&Tag::from("t4")));
        assert_eq!(set.get(&Tag::from("t5")).unwrap().key, None);
    }

    #[test]
    fn merging_adds_only_unknown_labels_and_never_steals_a_key() {
        let mut theirs = LabelSet::default();
        theirs.rename(&Tag::Claim, "Their claim").unwrap();
        let speaker = theirs.add("Speaker").unwrap();
        theirs.rekey(&speaker, Some(1)).unwrap();
        let cites = theirs.add_relation_type("Cites").unwrap();
        let mut ours = LabelSet::default();
        assert_eq!(ours.merge(&theirs), 2);
        assert_eq!(ours.name_of(&Tag::Claim), "Claim");
        assert_eq!(ours.get(&speaker).unwrap().key, Some(5));
        assert_eq!(ours.relation_name_of(&cites), "Cites");
        assert_eq!(ours.merge(&theirs), 0);
    }

    #[test]
    fn restoring_an_unknown_tag_makes_it_a_label() {
        let mut labels = LabelSet::default();
        labels
            .edit(LabelEdit::Restore(Tag::from("person")))
            .unwrap();
        assert_eq!(labels.name_of(&Tag::from("person")), "Person");
        assert_eq!(labels.tag_for_key(5), Some(&Tag::from("person")));
    }

    #[test]
    fn labels_round_trip_through_json() {
        let mut labels = LabelSet::default();
        labels.add("Speaker").unwrap();
        labels.remove(&Tag::Condition).unwrap();
        let json = serde_json::to_string(labels.all()).unwrap();
        assert!(json.contains(r#""colour":"vermilion""#), "{json}");
        assert!(json.contains(r#""type":"choice""#), "{json}");
        let read: Vec<Label> = serde_json::from_str(&json).unwrap();
        let types = serde_json::to_string(labels.relation_types()).unwrap();
        let types: Vec<RelationType> = serde_json::from_str(&types).unwrap();
        assert_eq!(LabelSet::from_parts(read, types), labels);
    }
}
