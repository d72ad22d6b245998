//! Function components. They receive data and callbacks as props (no services, no storage).

mod agreement_panel;
mod annotation_detail;
mod annotation_list;
mod article;
mod attribute_editor;
mod attribute_fields;
mod comparison_lanes;
mod dialog;
mod document_list;
mod header;
mod hover_card;
mod label_buttons;
mod label_editor;
mod orphan_list;
mod paste_dialog;
mod relation_connectors;
mod relation_list;
mod relation_type_editor;
mod search_bar;
mod selection_toolbar;
mod shortcut_sheet;
mod span_handles;
mod status_region;
mod storage_usage;
mod tag_counts;
mod update_ready;

pub use agreement_panel::AgreementPanel;
pub use annotation_detail::AnnotationDetail;
pub use annotation_list::{
    AnnotationItem, AnnotationItemProps, AnnotationList, AnnotationListProps,
};
pub use article::{Article, ArticleProps, ParagraphProps, ParagraphView};
pub use attribute_editor::AttributeEditor;
pub use attribute_fields::AttributeFields;
pub use comparison_lanes::ComparisonLanes;
pub use dialog::Dialog;
pub use document_list::DocumentList;
pub use header::Header;
pub use hover_card::HoverCard;
pub use label_buttons::{use_labels, LabelButtons};
pub use label_editor::LabelEditor;
pub use orphan_list::{OrphanList, OrphanListProps};
pub use paste_dialog::PasteDialog;
pub use relation_connectors::RelationConnectors;
pub use relation_list::{RelationList, RelationRow};
pub use relation_type_editor::RelationTypeEditor;
pub use search_bar::{SearchBar, SearchBarProps};
pub use selection_toolbar::SelectionToolbar;
pub use shortcut_sheet::{ShortcutSheet, ShortcutSheetProps};
pub use span_handles::SpanHandles;
pub use status_region::StatusRegion;
pub use storage_usage::StorageUsage;
pub use tag_counts::TagCounts;
pub use update_ready::UpdateReady;
