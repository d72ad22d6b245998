//! Ids for annotations that arrive without one (doccano, brat, CoNLL lines). The app uses
//! random UUIDs; the command line derives them from the document's SHA-256 and a counter, so
//! converting the same file twice gives the same output, and ids stay unique across documents.

use marginalia::model::{AnnotationId, Document};
use sha2::{Digest, Sha256};

/// Makes the ids of one document's new annotations.
pub struct IdMaker {
    document_hash: String,
    made: u64,
}

impl IdMaker {
    /// Ids for annotations on `document`.
    pub fn new(document: &Document) -> Self {
        IdMaker {
            document_hash: document.sha256().to_owned(),
            made: 0,
        }
    }

    /// The next id, shaped like a UUID (version 8: made from a hash) as the app's ids are.
    pub fn next_id(&mut self) -> AnnotationId {
        self.made += 1;
        let digest = Sha256::new()
            .chain_update(self.document_hash.as_bytes())
            .chain_update(self.made.to_le_bytes())
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        AnnotationId::uuid(bytes, 8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid_shaped_distinct_and_reproducible() {
        let document = Document::from_raw("Hello");
        let mut first = IdMaker::new(&document);
        let (a, b) = (first.next_id(), first.next_id());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 36);
        assert_eq!(&a.as_str()[14..15], "8");
        assert_eq!(IdMaker::new(&document).next_id(), a);
        assert_ne!(IdMaker::new(&Document::from_raw("Other")).next_id(), a);
    }
}
