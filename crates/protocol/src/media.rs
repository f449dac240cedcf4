//! Content negotiation (CONTRACT §4): which format a request body is in, and which format the
//! answer is written in.

/// A wire format of the Web API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/json`, `text/json`.
    Json,
    /// `application/xml`, `text/xml`: .NET DataContract XML.
    Xml,
    /// `application/bson`.
    Bson,
}

/// A supported media type: its format and the name to answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaType {
    /// The format.
    pub format: Format,
    /// The type's name, as it is written in `Content-Type`.
    pub name: &'static str,
}

/// Every supported media type, in the order the contract lists them.
pub const SUPPORTED: [MediaType; 5] = [
    MediaType {
        format: Format::Json,
        name: "application/json",
    },
    MediaType {
        format: Format::Json,
        name: "text/json",
    },
    MediaType {
        format: Format::Xml,
        name: "application/xml",
    },
    MediaType {
        format: Format::Xml,
        name: "text/xml",
    },
    MediaType {
        format: Format::Bson,
        name: "application/bson",
    },
];

/// The answer in JSON when nothing says otherwise.
pub const DEFAULT: MediaType = SUPPORTED[0];

/// A request body in a type posbridge does not read (errcode 1006).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unsupported media type {0}; send application/json, text/json, application/xml, text/xml or application/bson (UTF-8)"
)]
pub struct UnsupportedMediaType(pub String);

impl MediaType {
    /// The `Content-Type` header of an answer: text formats say their charset.
    pub fn content_type(self) -> String {
        match self.format {
            Format::Bson => self.name.to_owned(),
            Format::Json | Format::Xml => format!("{}; charset=utf-8", self.name),
        }
    }
}

/// The type of a request body from its `Content-Type`. A missing header reads as JSON, the
/// default of the Web API; a charset other than UTF-8 is refused, since bodies are read as UTF-8.
///
/// ```
/// use posbridge_protocol::media::{request_type, Format};
///
/// assert_eq!(request_type(Some("text/xml; charset=utf-8")).unwrap().format, Format::Xml);
/// assert!(request_type(Some("application/x-www-form-urlencoded")).is_err());
/// assert!(request_type(Some("application/json; charset=gbk")).is_err());
/// ```
pub fn request_type(content_type: Option<&str>) -> Result<MediaType, UnsupportedMediaType> {
    let Some(header) = content_type.filter(|h| !h.trim().is_empty()) else {
        return Ok(DEFAULT);
    };
    let (name, params) = split_params(header);
    let refuse = || UnsupportedMediaType(header.trim().to_owned());
    let media = supported(name).ok_or_else(refuse)?;
    let charset = params
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("charset"));
    match charset {
        Some((_, value))
            if !value.eq_ignore_ascii_case("utf-8") && !value.eq_ignore_ascii_case("utf8") =>
        {
            Err(refuse())
        }
        _ => Ok(media),
    }
}

/// The type of the answer: the first supported type in `Accept` (`*/*` and `application/*` say
/// nothing, `q=0` refuses), else the request's type, else JSON.
///
/// ```
/// use posbridge_protocol::media::{response_type, Format, SUPPORTED};
///
/// let xml = Some(SUPPORTED[2]);
/// assert_eq!(response_type(Some("*/*"), xml).format, Format::Xml);
/// assert_eq!(response_type(Some("text/html, application/json;q=0.5"), xml).format, Format::Json);
/// assert_eq!(response_type(None, None).format, Format::Json);
/// ```
pub fn response_type(accept: Option<&str>, request: Option<MediaType>) -> MediaType {
    let from_accept = accept.and_then(|accept| {
        accept.split(',').find_map(|entry| {
            let (name, params) = split_params(entry);
            let refused = params
                .iter()
                .any(|(key, value)| key.eq_ignore_ascii_case("q") && is_zero_quality(value));
            if refused { None } else { supported(name) }
        })
    });
    from_accept.or(request).unwrap_or(DEFAULT)
}

fn supported(name: &str) -> Option<MediaType> {
    SUPPORTED
        .into_iter()
        .find(|media| media.name.eq_ignore_ascii_case(name))
}

/// `type/subtype; key=value; …` into the type and its parameters, trimmed and unquoted.
fn split_params(header: &str) -> (&str, Vec<(&str, &str)>) {
    let mut parts = header.split(';');
    let name = parts.next().unwrap_or_default().trim();
    let params = parts
        .filter_map(|part| part.split_once('='))
        .map(|(key, value)| (key.trim(), value.trim().trim_matches('"')))
        .collect();
    (name, params)
}

fn is_zero_quality(value: &str) -> bool {
    crate::decimal_text::parse_decimal(value).is_ok_and(|quality| quality.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_response(accept: Option<&str>, request: Option<&str>, expect: &str) {
        let request = request.map(|name| request_type(Some(name)).unwrap());
        assert_eq!(
            response_type(accept, request).name,
            expect,
            "Accept {accept:?}, request {request:?}"
        );
    }

    #[test]
    fn the_answer_follows_accept_then_the_request_then_json() {
        check_response(
            Some("application/xml"),
            Some("application/json"),
            "application/xml",
        );
        check_response(Some("text/xml, application/json"), None, "text/xml");
        check_response(Some("application/bson"), None, "application/bson");
        check_response(Some("*/*"), Some("text/xml"), "text/xml");
        check_response(
            Some("application/*"),
            Some("application/bson"),
            "application/bson",
        );
        check_response(
            Some("text/html"),
            Some("application/xml"),
            "application/xml",
        );
        check_response(
            Some("application/xml;q=0, application/json"),
            None,
            "application/json",
        );
        check_response(
            Some("application/xml;q=0.0"),
            Some("text/json"),
            "text/json",
        );
        check_response(Some("APPLICATION/XML; q=0.9"), None, "application/xml");
        check_response(None, None, "application/json");
        check_response(Some(""), None, "application/json");
    }

    #[test]
    fn request_types_and_charsets() {
        assert_eq!(request_type(None), Ok(DEFAULT));
        assert_eq!(
            request_type(Some("application/bson")).map(|m| m.format),
            Ok(Format::Bson)
        );
        assert_eq!(
            request_type(Some("Application/JSON; Charset=\"UTF-8\"")).map(|m| m.format),
            Ok(Format::Json)
        );
        assert!(request_type(Some("multipart/form-data; boundary=x")).is_err());
        assert!(request_type(Some("text/xml; charset=gb2312")).is_err());
    }

    #[test]
    fn answers_say_their_charset() {
        assert_eq!(SUPPORTED[3].content_type(), "text/xml; charset=utf-8");
        assert_eq!(SUPPORTED[4].content_type(), "application/bson");
    }

    #[test]
    fn zero_quality_is_only_zero() {
        for (value, zero) in [
            ("0", true),
            ("0.0", true),
            ("0.000", true),
            ("0.5", false),
            ("1", false),
            ("0.01", false),
        ] {
            assert_eq!(is_zero_quality(value), zero, "{value}");
        }
    }
}
