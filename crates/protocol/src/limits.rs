//! The reader limits of every wire format, named once (CONTRACT §10: body 1 MiB, depth 32), and
//! [`ReadLimits`], the limits a server configures and passes to the readers' `…_within`
//! functions (the plain readers use [`ReadLimits::DEFAULT`]).

use posbridge_domain::limits::OutOfRange;

use crate::format_error::FormatError;

/// The largest body read, in bytes (1 MiB), by default. A full bill of 500 lines, or 500 clerks
/// with every field full, fits well below it; larger bodies are refused before any parsing.
pub const BODY_MAX_BYTES: usize = 1 << 20;

/// The deepest nesting read by default, the root being level 1. The deepest document, a page of
/// bills in an envelope, needs 7 levels (envelope, tag, `Bills`, bill, `Details`, line, member),
/// so 32 leaves room for every spelling while keeping hostile documents cheap.
pub const DEPTH_MAX: usize = 32;

/// The shallowest depth limit a server may configure: one level more than the deepest document
/// of the contract needs (7, see [`DEPTH_MAX`]), so that no setting refuses a valid document.
pub const DEPTH_MIN: usize = 8;

/// The deepest depth limit a server may configure. The BSON reader and serde_json recurse once
/// per level, and so does dropping a read tree; 64 keeps every reader far from the stack's end
/// and below serde_json's own 128, so that this limit, not a parser's, is the one that decides.
/// The master data document is read within it too.
pub const DEPTH_CEILING: usize = 64;

/// A nesting depth limit, the root being level 1: deeper documents are
/// [`FormatError::TooDeep`] (1001, HTTP 400). It lies
/// in [`DEPTH_MIN`]`..=`[`DEPTH_CEILING`].
///
/// ```
/// use posbridge_protocol::limits::DepthLimit;
///
/// assert_eq!(DepthLimit::new(12).map(DepthLimit::levels), Ok(12));
/// assert_eq!(DepthLimit::DEFAULT.levels(), 32);
/// assert_eq!(
///     DepthLimit::new(65).unwrap_err().to_string(),
///     "must be between 8 and 64, not 65"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DepthLimit(usize);

impl DepthLimit {
    /// The contract's depth, [`DEPTH_MAX`].
    pub const DEFAULT: DepthLimit = DepthLimit(DEPTH_MAX);

    /// At most `levels` levels, if `levels` lies in [`DEPTH_MIN`]`..=`[`DEPTH_CEILING`].
    pub fn new(levels: usize) -> Result<DepthLimit, OutOfRange> {
        OutOfRange::check(levels, DEPTH_MIN, DEPTH_CEILING).map(DepthLimit)
    }

    /// The deepest level read.
    pub fn levels(self) -> usize {
        self.0
    }
}

impl Default for DepthLimit {
    fn default() -> Self {
        DepthLimit::DEFAULT
    }
}

/// What the readers accept: a body of at most `body_bytes` bytes (else
/// [`FormatError::TooLarge`], 1005), nested at most
/// `depth` levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReadLimits {
    /// The largest body read, in bytes.
    pub body_bytes: usize,
    /// The deepest nesting read.
    pub depth: DepthLimit,
}

impl ReadLimits {
    /// The contract's limits: [`BODY_MAX_BYTES`] and [`DEPTH_MAX`].
    pub const DEFAULT: ReadLimits = ReadLimits {
        body_bytes: BODY_MAX_BYTES,
        depth: DepthLimit::DEFAULT,
    };

    /// [`FormatError::TooLarge`] if `body` is over the size limit.
    pub(crate) fn check_size(self, body: &[u8]) -> Result<(), FormatError> {
        if body.len() > self.body_bytes {
            return Err(FormatError::TooLarge {
                max: self.body_bytes,
            });
        }
        Ok(())
    }

    /// [`FormatError::TooDeep`] if `level` is deeper than the depth limit.
    pub(crate) fn check_level(self, level: usize) -> Result<(), FormatError> {
        if level > self.depth.levels() {
            return Err(FormatError::TooDeep {
                max: self.depth.levels(),
            });
        }
        Ok(())
    }
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::read_document_within;
    use crate::media::Format;
    use crate::qimen::{QimenFormat, QimenReadError, read_request_within};

    #[test]
    fn depth_is_configurable_from_8_to_64() {
        for levels in [DEPTH_MIN, DEPTH_MAX, DEPTH_CEILING] {
            assert_eq!(DepthLimit::new(levels).map(DepthLimit::levels), Ok(levels));
        }
        for levels in [0, 1, DEPTH_MIN - 1, DEPTH_CEILING + 1, usize::MAX] {
            assert_eq!(
                DepthLimit::new(levels),
                Err(OutOfRange {
                    min: 8,
                    max: 64,
                    given: levels
                })
            );
        }
        assert_eq!(ReadLimits::default().depth, DepthLimit::DEFAULT);
        assert_eq!(ReadLimits::default().body_bytes, 1 << 20);
    }

    /// A document of `format` nested exactly `levels` deep, as each reader counts levels.
    fn nested(format: Format, levels: usize) -> Vec<u8> {
        match format {
            // Objects, then the innermost scalar: a level of its own in JSON.
            Format::Json => format!(
                "{}1{}",
                r#"{"a":"#.repeat(levels - 1),
                "}".repeat(levels - 1)
            )
            .into_bytes(),
            // Elements, the innermost holding text.
            Format::Xml => {
                format!("{}1{}", "<a>".repeat(levels), "</a>".repeat(levels)).into_bytes()
            }
            // Documents, the innermost holding a scalar.
            Format::Bson => {
                let mut document = bson::doc! { "a": 1 };
                for _ in 1..levels {
                    document = bson::doc! { "a": document };
                }
                document.to_vec().unwrap()
            }
        }
    }

    #[test]
    fn every_reader_takes_the_configured_depth() {
        let eight = ReadLimits {
            depth: DepthLimit::new(8).unwrap(),
            ..ReadLimits::DEFAULT
        };
        for format in [Format::Json, Format::Xml, Format::Bson] {
            let read =
                |levels, limits| read_document_within(format, &nested(format, levels), limits);
            assert!(read(8, eight).is_ok(), "{format:?}");
            assert_eq!(
                read(9, eight),
                Err(FormatError::TooDeep { max: 8 }),
                "{format:?}"
            );
            // The same document within the contract's 32 levels.
            assert!(read(9, ReadLimits::DEFAULT).is_ok(), "{format:?}");
            assert!(read(32, ReadLimits::DEFAULT).is_ok(), "{format:?}");
            assert_eq!(
                read(33, ReadLimits::DEFAULT),
                Err(FormatError::TooDeep { max: 32 }),
                "{format:?}"
            );
            let ceiling = ReadLimits {
                depth: DepthLimit::new(DEPTH_CEILING).unwrap(),
                ..ReadLimits::DEFAULT
            };
            assert!(read(64, ceiling).is_ok(), "{format:?}");
            assert_eq!(
                read(65, ceiling),
                Err(FormatError::TooDeep { max: 64 }),
                "{format:?}"
            );
        }
        // The Qimen reader too, in both of its formats.
        let request = |levels: usize| {
            format!(
                "<request>{}",
                String::from_utf8_lossy(&nested(Format::Xml, levels - 1))
            ) + "</request>"
        };
        let xml = request(9);
        assert!(read_request_within(xml.as_bytes(), QimenFormat::Xml, ReadLimits::DEFAULT).is_ok());
        assert_eq!(
            read_request_within(xml.as_bytes(), QimenFormat::Xml, eight),
            Err(QimenReadError::Format(FormatError::TooDeep { max: 8 }))
        );
        let json = format!(
            r#"{{"request":{}}}"#,
            String::from_utf8_lossy(&nested(Format::Json, 8))
        );
        assert!(
            read_request_within(json.as_bytes(), QimenFormat::Json, ReadLimits::DEFAULT).is_ok()
        );
        assert_eq!(
            read_request_within(json.as_bytes(), QimenFormat::Json, eight),
            Err(QimenReadError::Format(FormatError::TooDeep { max: 8 }))
        );
    }

    #[test]
    fn every_reader_takes_the_configured_body_size() {
        // A 1.5 MiB document: over the contract's 1 MiB, within a server's 2 MiB.
        let memory = "x".repeat(3 << 19);
        let bodies = [
            (
                Format::Json,
                format!(r#"{{"Memory":"{memory}"}}"#).into_bytes(),
            ),
            (
                Format::Xml,
                format!("<a><Memory>{memory}</Memory></a>").into_bytes(),
            ),
            (
                Format::Bson,
                bson::doc! { "Memory": &memory }.to_vec().unwrap(),
            ),
        ];
        let two_mib = ReadLimits {
            body_bytes: 2 << 20,
            ..ReadLimits::DEFAULT
        };
        let tiny = ReadLimits {
            body_bytes: 16,
            ..ReadLimits::DEFAULT
        };
        for (format, body) in &bodies {
            let read = |limits| read_document_within(*format, body, limits);
            assert!(read(two_mib).is_ok(), "{format:?}");
            assert_eq!(
                read(ReadLimits::DEFAULT),
                Err(FormatError::TooLarge { max: 1 << 20 })
            );
            assert_eq!(read(tiny), Err(FormatError::TooLarge { max: 16 }));
        }
        let request = format!("<request><actionType>{memory}</actionType></request>");
        assert!(read_request_within(request.as_bytes(), QimenFormat::Xml, two_mib).is_ok());
        assert_eq!(
            read_request_within(request.as_bytes(), QimenFormat::Xml, ReadLimits::DEFAULT),
            Err(QimenReadError::Format(FormatError::TooLarge {
                max: 1 << 20
            }))
        );
    }
}
