//! Model-based property test of persistence between tabs: two or three simulated tabs over one
//! in-memory store, driven through the same core functions the app's persistence hook uses
//! (diff → stamp → one transaction → announcement → read → apply), in random interleavings of
//! create / edit / delete / import / rename label / rename, finish or delete the document, and
//! crashes at any point between writes (a tab loses what it had not committed, and its
//! undelivered announcements).
//!
//! After every step: no change a tab saw committed is lost (storage holds it, or a record of the
//! same key with a higher revision: a later change, never an absence). Once every tab has saved
//! and every announcement is delivered, all tabs hold what storage holds.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};

use marginalia::model::{
    Annotation, AnnotationStore, Command, DeletedDocument, LabelEdit, Library, LibraryEntry,
    Orphan, Span, Tag,
};
use marginalia::persist::load::{load_document, load_library, read_incoming};
use marginalia::persist::store::ready;
use marginalia::persist::{changes, MemoryStore, Record, RecordStore, Replica, Revision};
use proptest::prelude::*;

const DOC: &str = "d0c";
const TEXT_LEN: usize = 60;

/// One simulated tab: its state as the app holds it, what it last committed, its replica and
/// its inbox of announcements.
struct Tab {
    replica: RefCell<Replica>,
    store: AnnotationStore,
    committed: AnnotationStore,
    library: Library,
    committed_library: Library,
    inbox: VecDeque<Vec<String>>,
    next_id: usize,
}

impl Tab {
    /// A tab that starts (or reloads) on what `db` holds.
    fn open(db: &MemoryStore, tab_id: u64) -> Self {
        let replica = RefCell::new(Replica::new(tab_id));
        let library = ready(load_library(db, &replica)).unwrap().library;
        let document = ready(load_document(db, &replica, DOC)).unwrap();
        assert_eq!(document.misfits, 0);
        let mut store = AnnotationStore::new(TEXT_LEN);
        for annotation in document.store.in_document_order() {
            store
                .apply(Command::Create {
                    annotation: (**annotation).clone(),
                })
                .unwrap();
        }
        for orphan in document.store.orphans() {
            store
                .apply(Command::AddOrphan {
                    orphan: (**orphan).clone(),
                })
                .unwrap();
        }
        for (span, tag) in document.store.rejections().iter() {
            let (span, tag) = (*span, tag.clone());
            store.apply(Command::Reject { span, tag }).unwrap();
        }
        for relation in document.store.relations() {
            store
                .apply(Command::CreateRelation {
                    relation: (**relation).clone(),
                })
                .unwrap();
        }
        Self {
            replica,
            committed: store.clone(),
            store,
            committed_library: library.clone(),
            library,
            inbox: VecDeque::new(),
            next_id: 0,
        }
    }

    /// A new annotation id, unique across tabs and reloads (the app draws random UUIDs).
    fn fresh_id(&mut self) -> String {
        self.next_id += 1;
        format!("t{}-{}", self.replica.borrow().tab(), self.next_id)
    }

    /// The library as the app saves it: the document's live count.
    fn snapshot(&self) -> Library {
        let mut library = self.library.clone();
        for entry in &mut library.documents {
            if entry.id == DOC {
                entry.count = self.store.len();
            }
        }
        library
    }
}

#[derive(Debug, Clone)]
enum Step {
    Create {
        tab: usize,
        start: usize,
        len: usize,
        tag: u8,
    },
    Note {
        tab: usize,
        pick: usize,
        note: String,
    },
    Delete {
        tab: usize,
        pick: usize,
    },
    /// A relation between two annotations (as `r` and Enter make it).
    Relate {
        tab: usize,
        from: usize,
        to: usize,
    },
    /// A suggestion rejected, or its rejection taken back.
    Reject {
        tab: usize,
        start: usize,
    },
    /// A relation retyped or deleted.
    EditRelation {
        tab: usize,
        pick: usize,
        delete: bool,
    },
    Import {
        tab: usize,
        count: usize,
        orphans: usize,
    },
    RenameLabel {
        tab: usize,
        pick: usize,
        name: String,
    },
    RenameDocument {
        tab: usize,
        name: String,
    },
    MarkDone {
        tab: usize,
        done: bool,
    },
    TrashDocument {
        tab: usize,
    },
    Save {
        tab: usize,
    },
    Deliver {
        tab: usize,
    },
    Crash {
        tab: usize,
    },
}

fn step(tabs: usize) -> impl Strategy<Value = Step> {
    let tab = 0..tabs;
    prop_oneof![
        3 => (tab.clone(), 0..TEXT_LEN - 1, 1..8usize, 0..3u8)
            .prop_map(|(tab, start, len, tag)| Step::Create { tab, start, len, tag }),
        2 => (tab.clone(), any::<usize>(), "[a-z]{0,6}").prop_map(|(tab, pick, note)| Step::Note { tab, pick, note }),
        1 => (tab.clone(), any::<usize>()).prop_map(|(tab, pick)| Step::Delete { tab, pick }),
        2 => (tab.clone(), any::<usize>(), any::<usize>()).prop_map(|(tab, from, to)| Step::Relate { tab, from, to }),
        1 => (tab.clone(), 0..TEXT_LEN - 2).prop_map(|(tab, start)| Step::Reject { tab, start }),
        1 => (tab.clone(), any::<usize>(), any::<bool>()).prop_map(|(tab, pick, delete)| Step::EditRelation { tab, pick, delete }),
        1 => (tab.clone(), 1..6usize, 0..3usize).prop_map(|(tab, count, orphans)| Step::Import { tab, count, orphans }),
        1 => (tab.clone(), any::<usize>(), "[A-Z][a-z]{2,6}").prop_map(|(tab, pick, name)| Step::RenameLabel { tab, pick, name }),
        1 => (tab.clone(), "[a-z]{1,6}").prop_map(|(tab, name)| Step::RenameDocument { tab, name }),
        1 => (tab.clone(), any::<bool>()).prop_map(|(tab, done)| Step::MarkDone { tab, done }),
        1 => tab.clone().prop_map(|tab| Step::TrashDocument { tab }),
        4 => tab.clone().prop_map(|tab| Step::Save { tab }),
        4 => tab.clone().prop_map(|tab| Step::Deliver { tab }),
        1 => tab.prop_map(|tab| Step::Crash { tab }),
    ]
}

/// The simulation: the store, the tabs, and the highest revision each key was acknowledged at.
struct World {
    db: MemoryStore,
    tabs: Vec<Tab>,
    acknowledged: HashMap<String, Revision>,
    next_tab_id: u64,
}

impl World {
    fn new(tabs: usize) -> Self {
        let db = MemoryStore::default();
        // A library with the document, as the app leaves it after opening it.
        let entry = LibraryEntry {
            id: DOC.into(),
            name: "doc.txt".into(),
            count: 0,
            done: false,
            order: 1,
        };
        let library = Library {
            documents: vec![entry],
            ..Library::default()
        };
        let mut replica = Replica::new(1_000);
        let mut writes = changes::library_writes(None, &library);
        writes.push(marginalia::persist::Write::put(
            marginalia::persist::RecordKey::Text(DOC.into()),
            &"x".repeat(TEXT_LEN),
        ));
        ready(db.commit(&replica.stamp(writes, 1))).unwrap();
        let tabs = (0..tabs).map(|i| Tab::open(&db, i as u64 + 1)).collect();
        Self {
            db,
            tabs,
            acknowledged: HashMap::new(),
            next_tab_id: 100,
        }
    }

    /// Commits what tab `i` changed since its last commit; announces it to the others.
    fn save(&mut self, i: usize, now: u64) {
        let tab = &mut self.tabs[i];
        let library = tab.snapshot();
        let mut writes = changes::document_writes(DOC, Some(&tab.committed), &tab.store);
        writes.extend(changes::library_writes(
            Some(&tab.committed_library),
            &library,
        ));
        let records = tab.replica.borrow_mut().stamp(writes, now);
        tab.committed = tab.store.clone();
        tab.committed_library = library;
        self.commit(i, records);
    }

    /// Commits tab `i`'s records in one transaction and announces them to the other tabs.
    fn commit(&mut self, i: usize, records: Vec<Record>) {
        let written = ready(self.db.commit(&records)).expect("no quota in this test");
        for record in &written {
            let acked = self
                .acknowledged
                .entry(record.key.clone())
                .or_insert(record.rev);
            *acked = (*acked).max(record.rev);
        }
        let keys: Vec<String> = records.into_iter().map(|r| r.key).collect();
        if keys.is_empty() {
            return;
        }
        for (j, other) in self.tabs.iter_mut().enumerate() {
            if j != i {
                other.inbox.push_back(keys.clone());
            }
        }
    }

    /// Tab `i` takes its oldest announcement, as the app's persistence hook does.
    fn deliver(&mut self, i: usize) {
        let tab = &mut self.tabs[i];
        let Some(keys) = tab.inbox.pop_front() else {
            return;
        };
        let (mut incoming, unreadable) =
            ready(read_incoming(&self.db, &tab.replica, &keys, DOC)).unwrap();
        assert!(unreadable.is_empty());
        // A document deleted elsewhere while open here is kept, its entry restored at once.
        let kept = incoming
            .keep_open(DOC)
            .map(|(write, _)| tab.replica.borrow_mut().stamp(vec![write], 500_000));
        tab.store.apply_remote(&incoming.change);
        // As the workspace does: a relation left without an end goes (saved as a tombstone).
        if let Some(sweep) = tab.store.dangling_relation_deletes() {
            tab.store.apply(sweep).unwrap();
        }
        // What storage holds as far as the tab knows now includes the other tab's change, so
        // deleting what it brought is a tombstone like any deletion.
        tab.committed.apply_remote(&incoming.change);
        let mut library = tab.snapshot();
        incoming.apply_to_library(&mut library, DOC);
        tab.library = library;
        incoming.apply_to_library(&mut tab.committed_library, DOC);
        if let Some(records) = kept {
            self.commit(i, records);
        }
    }

    fn apply(&mut self, step: Step, now: u64) {
        match step {
            Step::Create {
                tab,
                start,
                len,
                tag,
            } => {
                let id = self.tabs[tab].fresh_id();
                let tag = [Tag::Claim, Tag::Quote, Tag::Condition][tag as usize].clone();
                let span = Span::new(start, (start + len).min(TEXT_LEN)).unwrap();
                let annotation = Annotation::new(id.as_str().into(), span, tag, "t");
                let _ = self.tabs[tab].store.apply(Command::Create { annotation });
            }
            Step::Note { tab, pick, note } => {
                let store = &mut self.tabs[tab].store;
                let ids: Vec<_> = store.in_document_order().map(|a| a.id.clone()).collect();
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    if let Some(command) = store.set_note(id, &note, "t2") {
                        store.apply(command).unwrap();
                    }
                }
            }
            Step::Delete { tab, pick } => {
                let store = &mut self.tabs[tab].store;
                let ids: Vec<_> = store.in_document_order().map(|a| a.id.clone()).collect();
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    // With its relations, as the app deletes.
                    let command = store.delete(id).unwrap();
                    store.apply(command).unwrap();
                }
            }
            Step::Relate { tab, from, to } => {
                let id = self.tabs[tab].fresh_id();
                let store = &mut self.tabs[tab].store;
                let ids: Vec<_> = store.in_document_order().map(|a| a.id.clone()).collect();
                if !ids.is_empty() {
                    let (from, to) = (&ids[from % ids.len()], &ids[to % ids.len()]);
                    if let Some(command) = store.relate(id.as_str().into(), "qualifies", from, to) {
                        store.apply(command).unwrap();
                    }
                }
            }
            Step::Reject { tab, start } => {
                let store = &mut self.tabs[tab].store;
                let (span, tag) = (Span::new(start, start + 2).unwrap(), Tag::Quote);
                let command = if store.rejections().contains(span, &tag) {
                    Command::Unreject { span, tag }
                } else {
                    Command::Reject { span, tag }
                };
                store.apply(command).unwrap();
            }
            Step::EditRelation { tab, pick, delete } => {
                let store = &mut self.tabs[tab].store;
                let ids: Vec<_> = store.relations().map(|r| r.id.clone()).collect();
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    let command = if delete {
                        Some(Command::DeleteRelation { id: id.clone() })
                    } else {
                        store.update_relation(id, |r| r.kind = "attributed-to".into())
                    };
                    if let Some(command) = command {
                        store.apply(command).unwrap();
                    }
                }
            }
            Step::Import {
                tab,
                count,
                orphans,
            } => {
                let mut commands = Vec::new();
                for k in 0..count + orphans {
                    let id = self.tabs[tab].fresh_id();
                    let span = Span::new(k, k + 2).unwrap();
                    let annotation = Annotation::new(id.as_str().into(), span, Tag::Quote, "t");
                    commands.push(if k < count {
                        Command::Create { annotation }
                    } else {
                        Command::AddOrphan {
                            orphan: Orphan {
                                annotation,
                                quote: Some("zz".into()),
                            },
                        }
                    });
                }
                self.tabs[tab]
                    .store
                    .apply(Command::Batch { commands })
                    .unwrap();
            }
            Step::RenameLabel { tab, pick, name } => {
                let labels = &mut self.tabs[tab].library.labels;
                let tags: Vec<Tag> = labels.active().map(|l| l.tag.clone()).collect();
                let tag = tags[pick % tags.len()].clone();
                let _ = labels.edit(LabelEdit::Rename(tag, name));
            }
            Step::RenameDocument { tab, name } => {
                for entry in &mut self.tabs[tab].library.documents {
                    entry.name = name.clone();
                }
            }
            Step::MarkDone { tab, done } => {
                for entry in &mut self.tabs[tab].library.documents {
                    entry.done = done;
                }
            }
            Step::TrashDocument { tab } => {
                // The document list's ×, taken as a record here; the tabs that have the document
                // open restore it when they hear of it (see `settle`), as the app does.
                let library = &mut self.tabs[tab].library;
                if let Some(entry) = library.documents.pop() {
                    library.deleted = Some(DeletedDocument { entry, position: 0 });
                }
            }
            Step::Save { tab } => self.save(tab, now),
            Step::Deliver { tab } => self.deliver(tab),
            Step::Crash { tab } => {
                self.next_tab_id += 1;
                self.tabs[tab] = Tab::open(&self.db, self.next_tab_id);
            }
        }
    }

    /// No acknowledged change is lost: every acknowledged key is stored at a revision at least
    /// as high as the one acknowledged.
    fn check_nothing_acknowledged_is_lost(&self) {
        let stored = self.db.dump();
        for (key, acked) in &self.acknowledged {
            let raw = stored
                .get(key)
                .unwrap_or_else(|| panic!("{key} was acknowledged and is gone"));
            let record = Record::from_json(raw).unwrap();
            assert!(
                record.rev >= *acked,
                "{key} went back from {acked:?} to {:?}",
                record.rev
            );
        }
    }

    /// Tab 0 makes one annotation and saves it; its record's key.
    fn one_saved_annotation(&mut self) -> String {
        self.apply(
            Step::Create {
                tab: 0,
                start: 1,
                len: 3,
                tag: 0,
            },
            5,
        );
        self.save(0, 6);
        let key = self.acknowledged.keys().find(|k| k.starts_with("ann/"));
        key.unwrap().clone()
    }

    /// Every tab saves and hears every announcement, until nothing moves.
    fn settle(&mut self) {
        for round in 0..20 {
            for i in 0..self.tabs.len() {
                self.save(i, 1_000_000 + round);
            }
            let mut delivered = false;
            for i in 0..self.tabs.len() {
                while !self.tabs[i].inbox.is_empty() {
                    self.deliver(i);
                    delivered = true;
                }
            }
            if !delivered {
                return;
            }
        }
        panic!("the tabs did not settle");
    }
}

/// What storage holds for the document, by annotation id; and the labels and entry.
fn stored_view(db: &MemoryStore) -> (BTreeMap<String, String>, BTreeMap<String, String>, String) {
    let fresh = Tab::open(db, 9_999);
    view(&fresh)
}

fn view(tab: &Tab) -> (BTreeMap<String, String>, BTreeMap<String, String>, String) {
    let annotations = tab
        .store
        .iter()
        .map(|a| (a.id.to_string(), serde_json::to_string(&**a).unwrap()))
        .chain(tab.store.orphans().iter().map(|o| {
            (
                format!("orphan:{}", o.annotation.id),
                serde_json::to_string(&**o).unwrap(),
            )
        }))
        .chain(tab.store.rejections().iter().map(|(span, tag)| {
            (
                format!("rejected:{}-{}-{tag}", span.start, span.end),
                String::new(),
            )
        }))
        .chain(tab.store.relations().map(|r| {
            (
                format!("relation:{}", r.id),
                serde_json::to_string(&**r).unwrap(),
            )
        }))
        .collect();
    let labels = tab
        .library
        .labels
        .all()
        .iter()
        .map(|l| (l.tag.to_string(), serde_json::to_string(l).unwrap()))
        .collect();
    let entry = format!("{:?}", tab.snapshot().documents);
    (annotations, labels, entry)
}

fn run(tabs: usize, steps: Vec<Step>) {
    let mut world = World::new(tabs);
    for (n, step) in steps.into_iter().enumerate() {
        world.apply(step, 10 + n as u64);
        world.check_nothing_acknowledged_is_lost();
    }
    world.settle();
    world.check_nothing_acknowledged_is_lost();
    let stored = stored_view(&world.db);
    for (i, tab) in world.tabs.iter().enumerate() {
        let held = view(tab);
        let differing: Vec<_> = held
            .0
            .iter()
            .filter(|(k, v)| stored.0.get(*k) != Some(v))
            .chain(stored.0.iter().filter(|(k, _)| !held.0.contains_key(*k)))
            .collect();
        assert!(
            differing.is_empty(),
            "tab {i} holds other annotations than storage: {differing:?}"
        );
        assert_eq!(held.1, stored.1, "tab {i} holds other labels than storage");
        assert_eq!(
            held.2, stored.2,
            "tab {i} holds another library entry than storage"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn two_tabs_never_lose_an_acknowledged_change_and_converge(steps in prop::collection::vec(step(2), 1..60)) {
        run(2, steps);
    }

    #[test]
    fn three_tabs_never_lose_an_acknowledged_change_and_converge(steps in prop::collection::vec(step(3), 1..60)) {
        run(3, steps);
    }
}

/// The eight lost-work scenarios of the old layout, as far as the core decides them.
mod scenarios {
    use super::*;

    /// 2: a record that cannot be read is never a deletion, and a write over it quarantines
    /// it first.
    #[test]
    fn an_unreadable_record_is_quarantined_not_taken_as_a_deletion() {
        let mut world = World::new(2);
        let key = world.one_saved_annotation();
        world.db.plant(&key, "{broken");
        // A reload shows what can be read and quarantines the rest; nothing is deleted.
        let tab = Tab::open(&world.db, 77);
        assert_eq!(tab.store.len(), 0);
        assert!(world.db.dump().contains_key(&key));
        assert_eq!(world.db.quarantined().len(), 1);
    }

    /// 3: orphans are records of their own: two imports in two tabs both keep theirs.
    #[test]
    fn orphans_of_two_tabs_both_survive() {
        let mut world = World::new(2);
        world.apply(
            Step::Import {
                tab: 0,
                count: 1,
                orphans: 2,
            },
            5,
        );
        world.apply(
            Step::Import {
                tab: 1,
                count: 1,
                orphans: 2,
            },
            6,
        );
        world.save(0, 7);
        world.save(1, 8);
        let reloaded = Tab::open(&world.db, 50);
        assert_eq!(reloaded.store.orphans().len(), 4);
    }

    /// 5: a change that does not fit is refused whole and nothing stored changes.
    #[test]
    fn a_change_over_the_quota_is_refused_whole() {
        let mut world = World::new(1);
        world.apply(
            Step::Create {
                tab: 0,
                start: 1,
                len: 3,
                tag: 0,
            },
            5,
        );
        world.save(0, 6);
        let before = world.db.dump();
        let used: usize = before.iter().map(|(k, v)| k.len() + v.len()).sum();
        world.db.capacity = Some(used + 400);
        world.apply(
            Step::Import {
                tab: 0,
                count: 5,
                orphans: 0,
            },
            7,
        );
        let tab = &mut world.tabs[0];
        let writes = changes::document_writes(DOC, Some(&tab.committed), &tab.store);
        let records = tab.replica.borrow_mut().stamp(writes, 8);
        assert_eq!(
            ready(world.db.commit(&records)),
            Err(marginalia::persist::StoreFault::Full)
        );
        assert_eq!(world.db.dump(), before);
    }

    /// 6: a rename in one tab is not reverted by a save in the other.
    #[test]
    fn a_rename_is_not_reverted_by_another_tabs_save() {
        let mut world = World::new(2);
        world.apply(
            Step::RenameDocument {
                tab: 0,
                name: "renamed".into(),
            },
            5,
        );
        world.apply(
            Step::RenameLabel {
                tab: 0,
                pick: 0,
                name: "Assertion".into(),
            },
            6,
        );
        world.save(0, 7);
        // Tab B has not heard of it yet and saves an annotation.
        world.apply(
            Step::Create {
                tab: 1,
                start: 2,
                len: 2,
                tag: 1,
            },
            8,
        );
        world.save(1, 9);
        let reloaded = Tab::open(&world.db, 60);
        assert_eq!(reloaded.library.documents[0].name, "renamed");
        assert!(reloaded
            .library
            .labels
            .all()
            .iter()
            .any(|l| l.name == "Assertion"));
        assert_eq!(reloaded.store.len(), 1);
    }

    /// 1: a document deleted in one tab while another works on it is kept by that tab: its
    /// restore outranks the deletion, so a purge guarded by the trashed entry removes nothing.
    #[test]
    fn a_document_deleted_elsewhere_while_open_is_kept() {
        let mut world = World::new(2);
        world.apply(Step::TrashDocument { tab: 0 }, 5);
        world.save(0, 6);
        let guard = ready(world.db.read_keys(&["doc/d0c".to_string()]))
            .unwrap()
            .remove(0);
        // Tab B hears of it, keeps the document (as the app does), and tags on.
        world.deliver(1);
        assert!(world.tabs[1].library.deleted.is_none());
        world.apply(
            Step::Create {
                tab: 1,
                start: 2,
                len: 2,
                tag: 1,
            },
            7,
        );
        world.save(1, 8);
        assert!(!ready(marginalia::persist::load::purge(&world.db, DOC, &guard)).unwrap());
        let reloaded = Tab::open(&world.db, 61);
        assert_eq!(reloaded.library.documents.len(), 1);
        assert_eq!(reloaded.store.len(), 1);
    }

    /// A tombstone is collected once it is older than its lifetime, and only if nobody wrote
    /// the record again since it was read; a fresh one stays.
    #[test]
    fn old_tombstones_are_collected_and_fresh_ones_kept() {
        use marginalia::persist::load::{
            collect_tombstones, expired_tombstones, TOMBSTONE_LIFETIME_MS,
        };
        let mut world = World::new(1);
        world.apply(
            Step::Create {
                tab: 0,
                start: 1,
                len: 3,
                tag: 0,
            },
            5,
        );
        world.apply(
            Step::Create {
                tab: 0,
                start: 9,
                len: 3,
                tag: 0,
            },
            6,
        );
        world.save(0, 7);
        world.apply(Step::Delete { tab: 0, pick: 0 }, 8);
        world.save(0, 9);
        world.apply(Step::Delete { tab: 0, pick: 0 }, 10);
        world.save(0, TOMBSTONE_LIFETIME_MS + 100);
        let loaded = ready(load_document(
            &world.db,
            &RefCell::new(Replica::new(5)),
            DOC,
        ))
        .unwrap();
        assert_eq!(loaded.tombstones.len(), 2);
        let expired = expired_tombstones(&loaded.tombstones, TOMBSTONE_LIFETIME_MS + 50);
        assert_eq!(expired.len(), 1, "only the week-old one");
        assert_eq!(ready(collect_tombstones(&world.db, &expired)).unwrap(), 1);
        let left = ready(load_document(
            &world.db,
            &RefCell::new(Replica::new(6)),
            DOC,
        ))
        .unwrap();
        assert_eq!(left.tombstones.len(), 1);
        assert!(left.store.is_empty());
    }

    /// Only edited labels are written: a library whose claim was renamed still has quote and
    /// condition after a reload.
    #[test]
    fn built_in_labels_never_written_are_still_there() {
        let mut world = World::new(1);
        world.apply(
            Step::RenameLabel {
                tab: 0,
                pick: 0,
                name: "Assertion".into(),
            },
            5,
        );
        world.save(0, 6);
        let tab = Tab::open(&world.db, 63);
        let names: Vec<&str> = tab
            .library
            .labels
            .all()
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(names, ["Assertion", "Quote", "Condition", "Source"]);
        let keys: Vec<Option<u8>> = tab.library.labels.all().iter().map(|l| l.key).collect();
        assert_eq!(keys, [Some(1), Some(2), Some(3), Some(4)]);
    }

    /// 7: a label of a colour this version does not know keeps the library loading, and the
    /// stored record is left as it is.
    #[test]
    fn an_unknown_colour_does_not_send_the_library_aside() {
        let world = World::new(1);
        let raw = r#"{"key":"label/x","rev":{"time":5,"tab":9},"schema":3,"value":{"tag":"x","name":"X","colour":"ultraviolet","order":9}}"#;
        world.db.plant("label/x", raw);
        let tab = Tab::open(&world.db, 62);
        assert!(tab.library.labels.all().iter().any(|l| l.name == "X"));
        assert_eq!(tab.library.documents.len(), 1);
        assert_eq!(world.db.dump()["label/x"], raw);
    }

    /// 4 (the rule that serves it): records of a newer schema stop this tab from writing.
    #[test]
    fn a_newer_schema_stops_the_writer_and_changes_nothing() {
        let mut world = World::new(1);
        let key = world.one_saved_annotation();
        let schema = marginalia::persist::SCHEMA;
        let newer = world.db.dump()[&key].replace(
            &format!("\"schema\":{schema}"),
            &format!("\"schema\":{}", schema + 1),
        );
        world.db.plant(&key, &newer);
        let tab = &mut world.tabs[0];
        let id = tab.store.in_document_order().next().unwrap().id.clone();
        let command = tab.store.set_note(&id, "mine", "t3").unwrap();
        tab.store.apply(command).unwrap();
        let writes = changes::document_writes(DOC, Some(&tab.committed), &tab.store);
        let records = tab.replica.borrow_mut().stamp(writes, 9);
        assert_eq!(
            ready(world.db.commit(&records)),
            Err(marginalia::persist::StoreFault::NewerVersion)
        );
        assert_eq!(world.db.dump()[&key], newer);
    }

    /// 8: a library of many documents and annotations saves and reloads (the browser
    /// benchmark measures 500 documents and 200,000 annotations; this checks the logic at a
    /// size a test runs fast).
    #[test]
    fn a_large_library_saves_and_reloads() {
        let db = MemoryStore::default();
        let mut replica = Replica::new(1);
        let mut library = Library::default();
        let mut writes = Vec::new();
        for d in 0..50 {
            let id = format!("doc{d}");
            let mut store = AnnotationStore::new(1_000);
            for a in 0..200 {
                let annotation = Annotation::new(
                    format!("a{a}").as_str().into(),
                    Span::new(a * 4, a * 4 + 3).unwrap(),
                    Tag::Claim,
                    "t",
                );
                store.apply(Command::Create { annotation }).unwrap();
            }
            library.documents.push(LibraryEntry {
                id: id.clone(),
                name: format!("{id}.txt"),
                count: store.len(),
                done: false,
                order: d,
            });
            writes.push(marginalia::persist::Write::put(
                marginalia::persist::RecordKey::Text(id.clone()),
                &"y".repeat(1_000),
            ));
            writes.extend(changes::document_writes(&id, None, &store));
        }
        writes.extend(changes::library_writes(None, &library));
        ready(db.commit(&replica.stamp(writes, 1))).unwrap();
        let reader = RefCell::new(Replica::new(2));
        let loaded = ready(load_library(&db, &reader)).unwrap().library;
        assert_eq!(loaded.documents.len(), 50);
        assert!(loaded.documents.iter().all(|e| e.count == 200));
        let document = ready(load_document(&db, &reader, "doc49")).unwrap();
        assert_eq!(document.store.len(), 200);
    }

    /// The annotator name is a record of the library: saved, read back, and taken by another
    /// tab that hears of it.
    #[test]
    fn the_annotator_name_is_saved_and_reaches_another_tab() {
        let mut world = World::new(2);
        world.tabs[0].library.annotator = "Ana".into();
        world.save(0, 5);
        assert_eq!(Tab::open(&world.db, 70).library.annotator, "Ana");
        world.deliver(1);
        assert_eq!(world.tabs[1].library.annotator, "Ana");
        assert!(
            changes::library_writes(Some(&world.tabs[1].library), &world.tabs[1].library)
                .is_empty()
        );
    }
}
