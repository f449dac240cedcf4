//! Query strings: `name=value` pairs, percent-decoded, looked up by name in any letter case (as
//! ASP.NET binds them).

/// The parameters of a query string, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads `a=1&b=x%20y`; `+` is a space; a name without `=` has an empty value.
    pub fn parse(text: &str) -> Query {
        let pairs = text
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        Query { pairs }
    }

    /// The first value of `name` (any letter case); an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }
}

/// Percent-decoding; malformed escapes stay as they are, invalid UTF-8 becomes U+FFFD.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok());
                if let Some(value) = hex {
                    out.push(value);
                    i += 2;
                } else {
                    out.push(byte);
                }
            }
            _ => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_case_and_escapes() {
        let query = Query::parse("billnum=SB%2F1&SenderBillNum=a+b&x&y=%zz&z=%e4%b8%ad");
        assert_eq!(query.get("BillNum"), Some("SB/1"));
        assert_eq!(query.get("senderbillnum"), Some("a b"));
        assert_eq!(query.get("x"), None);
        assert_eq!(query.get("y"), Some("%zz"));
        assert_eq!(query.get("z"), Some("中"));
        assert_eq!(Query::parse("").get("a"), None);
    }
}
