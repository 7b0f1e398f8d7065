//! Recognising ladder structure in documents.
//!
//! One module per authoring shape. Each recogniser claims the part of a
//! document it understands (byte ranges of the body), reports what it could
//! not place as warnings, and leaves the rest to render as ordinary content,
//! so two recognisers never claim the same blocks.
//!
//! [`recognise`] runs every recogniser over every document and assembles the
//! [`model::Handbook`].

pub mod labels;
pub mod matrix_table;
pub mod model;
pub mod pipe_table;
pub mod table_grid;

use std::ops::Range;

/// What a recogniser understood of a document, and which byte ranges of
/// the document body it took to understand it.
#[derive(Debug, Clone)]
pub struct Claim<T> {
    pub value: T,
    /// Byte ranges of `SourceDoc::body`, sorted, not overlapping.
    pub spans: Vec<Range<usize>>,
}

impl<T> Claim<T> {
    pub fn new(value: T, mut spans: Vec<Range<usize>>) -> Claim<T> {
        spans.sort_by_key(|r| r.start);
        Claim { value, spans }
    }

    /// Does this claim overlap any of `other`?
    pub fn overlaps(&self, other: &[Range<usize>]) -> bool {
        self.spans
            .iter()
            .any(|a| other.iter().any(|b| a.start < b.end && b.start < a.end))
    }
}
