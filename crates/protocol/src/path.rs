//! Where in a document a reader is, built on the stack and turned into a field path only when
//! something is wrong there.

use posbridge_domain::field::FieldPath;

/// A position in a document: the root, a member of a position, or an item of a list.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The document's root object.
    Root,
    /// A member of an object.
    Member(&'a Path<'a>, &'static str),
    /// An item of a list, from 0.
    Item(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The member `name` of this position.
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        Path::Member(self, name)
    }

    /// The item `index` of this position.
    pub fn item(&'a self, index: usize) -> Path<'a> {
        Path::Item(self, index)
    }

    /// The contract-style field path (`Details[2].Amount`); the root has the empty path.
    pub fn to_field_path(&self) -> FieldPath {
        match self {
            Path::Root => FieldPath::new(""),
            Path::Member(parent, name) => match parent {
                Path::Root => FieldPath::new(name),
                _ => parent.to_field_path().member(name),
            },
            Path::Item(parent, index) => parent.to_field_path().at(*index),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_contract() {
        let root = Path::Root;
        let details = root.member("Details");
        let second = details.item(1);
        let amount = second.member("Amount");
        assert_eq!(amount.to_field_path().to_string(), "Details[1].Amount");
        assert_eq!(
            root.member("SenderBillNum").to_field_path().to_string(),
            "SenderBillNum"
        );
    }
}
