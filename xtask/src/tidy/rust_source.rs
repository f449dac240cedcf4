//! Just enough Rust lexing for the token checks: blank out comments and literals, find where a
//! file's test code starts, and split a line into identifier-like words.
//!
//! This is deliberately not a parser. It is right for the code we write (comments, string, raw
//! string, byte and char literals, lifetimes) and errs towards reporting when in doubt.

use crate::files::SourceFile;

/// The attribute that marks a test-only item (in our code, the `tests` module).
const TEST_ATTRIBUTE: &str = "#[cfg(test)]";

/// A file's non-test code as numbered lines (1-based) with comments and literals blanked out, or
/// `None` when the whole file is test code.
///
/// Test code is a file named `tests.rs` or `proptests.rs`, a file under a `tests/` directory, and
/// the item that follows a `#[cfg(test)]` attribute: `mod tests;` up to its `;`, or a block item
/// up to its matching closing brace. Code after a test module is checked again.
pub fn non_test_lines(file: &SourceFile) -> Option<Vec<(usize, String)>> {
    if is_test_file(&file.path) {
        return None;
    }
    let scrubbed = scrub(&file.text);
    let mut kept = Vec::new();
    let mut test_item: Option<TestItem> = None;
    for (idx, line) in scrubbed.lines().enumerate() {
        let rest = match &mut test_item {
            Some(item) => item.consume(line),
            None => match line.trim_start().strip_prefix(TEST_ATTRIBUTE) {
                Some(after) => {
                    let mut item = TestItem::default();
                    let rest = item.consume(after);
                    test_item = Some(item);
                    rest
                }
                None => {
                    kept.push((idx + 1, line.to_owned()));
                    continue;
                }
            },
        };
        if let Some(rest) = rest {
            test_item = None;
            if !rest.trim().is_empty() {
                kept.push((idx + 1, rest.to_owned()));
            }
        }
    }
    Some(kept)
}

/// Tracks the braces of the item after `#[cfg(test)]` (comments and literals already blanked).
#[derive(Default)]
struct TestItem {
    depth: usize,
    opened: bool,
}

impl TestItem {
    /// Consumes `text`; once the item ends, what follows it on the line.
    fn consume<'a>(&mut self, text: &'a str) -> Option<&'a str> {
        for (pos, c) in text.char_indices() {
            match c {
                '{' => {
                    self.depth += 1;
                    self.opened = true;
                }
                '}' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.opened && self.depth == 0 {
                        return Some(&text[pos + 1..]);
                    }
                }
                ';' if !self.opened => return Some(&text[pos + 1..]),
                _ => {}
            }
        }
        None
    }
}

/// Whether the whole file is test code by its name or directory.
pub fn is_test_file(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    name == "tests.rs" || name == "proptests.rs" || parts.contains(&"tests")
}

/// Whether `c` can be part of an identifier or a number.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier-like words of a line (runs of letters, digits and `_`) with their byte
/// offsets: `(start, end, word)`.
pub fn words(line: &str) -> Vec<(usize, usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (idx, c) in line.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(idx),
            (false, Some(from)) => {
                words.push((from, idx, &line[from..idx]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((from, line.len(), &line[from..]));
    }
    words
}

/// The text with every comment and string, byte-string, raw-string and char literal replaced by
/// spaces. Newlines are kept, so line numbers still match.
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut idx = 0;
    while idx < chars.len() {
        match literal_or_comment_end(&chars, idx) {
            Some(end) => {
                for &c in &chars[idx..end] {
                    out.push(if c == '\n' { '\n' } else { ' ' });
                }
                idx = end;
            }
            None => {
                out.push(chars[idx]);
                idx += 1;
            }
        }
    }
    out
}

/// When a comment or literal starts at `idx`, the index just past its end.
fn literal_or_comment_end(chars: &[char], idx: usize) -> Option<usize> {
    let next = chars.get(idx + 1).copied();
    match chars[idx] {
        '/' if next == Some('/') => Some(line_end(chars, idx)),
        '/' if next == Some('*') => Some(block_comment_end(chars, idx)),
        '"' => Some(string_end(chars, idx)),
        '\'' => char_literal_end(chars, idx),
        'r' if starts_token(chars, idx) => raw_string_end(chars, idx),
        _ => None,
    }
}

fn line_end(chars: &[char], idx: usize) -> usize {
    chars[idx..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |offset| idx + offset)
}

/// Block comments nest in Rust.
fn block_comment_end(chars: &[char], idx: usize) -> usize {
    let mut depth = 0usize;
    let mut pos = idx;
    while pos < chars.len() {
        match (chars[pos], chars.get(pos + 1).copied()) {
            ('/', Some('*')) => {
                depth += 1;
                pos += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                pos += 2;
                if depth == 0 {
                    return pos;
                }
            }
            _ => pos += 1,
        }
    }
    chars.len()
}

/// A `"…"` literal with backslash escapes; a `b` or `c` prefix stays behind as a lone letter.
fn string_end(chars: &[char], idx: usize) -> usize {
    let mut pos = idx + 1;
    while pos < chars.len() {
        match chars[pos] {
            '\\' => pos += 2,
            '"' => return pos + 1,
            _ => pos += 1,
        }
    }
    chars.len()
}

/// A char literal (`'a'`, `'\n'`, `'\u{1F600}'`, `'"'`); `None` for a lifetime or label.
fn char_literal_end(chars: &[char], idx: usize) -> Option<usize> {
    match chars.get(idx + 1).copied() {
        Some('\\') => {
            let close = chars
                .iter()
                .skip(idx + 3)
                .take(10)
                .position(|&c| c == '\'')?;
            Some(idx + 3 + close + 1)
        }
        Some(c) if c != '\'' && chars.get(idx + 2) == Some(&'\'') => Some(idx + 3),
        _ => None,
    }
}

/// Whether the `r` at `idx` begins a token: nothing word-like before it, or only a `b`/`c`
/// prefix (`br"…"`, `cr"…"`).
fn starts_token(chars: &[char], idx: usize) -> bool {
    let before = |back: usize| idx.checked_sub(back).map(|pos| chars[pos]);
    match before(1) {
        None => true,
        Some('b' | 'c') => before(2).is_none_or(|c| !is_word_char(c)),
        Some(c) => !is_word_char(c),
    }
}

/// A raw string `r"…"` or `r#"…"#` starting at the `r`; `None` when the `r` starts something
/// else (an identifier, or a raw identifier such as `r#type`).
fn raw_string_end(chars: &[char], idx: usize) -> Option<usize> {
    let hashes = chars[idx + 1..].iter().take_while(|&&c| c == '#').count();
    let open = idx + 1 + hashes;
    if chars.get(open) != Some(&'"') {
        return None;
    }
    let mut pos = open + 1;
    while pos < chars.len() {
        if chars[pos] == '"'
            && chars[pos + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(pos + 1 + hashes);
        }
        pos += 1;
    }
    Some(chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_scrub(input: &str, expect: &str) {
        assert_eq!(scrub(input), expect, "scrubbing {input:?}");
    }

    #[test]
    fn scrub_blanks_comments_and_literals_only() {
        check_scrub("let x: u8 = 1; // f64\n", "let x: u8 = 1;       \n");
        check_scrub(
            "a /* f64 /* nested */ f32 */ b",
            "a                            b",
        );
        check_scrub("/* one\ntwo */ c", "      \n       c");
        check_scrub(r#"f("f64", x)"#, r#"f(     , x)"#);
        check_scrub(r#"f("a\"f64", x)"#, r#"f(        , x)"#);
        check_scrub(r###"f(r#"a "f64" b"#, x)"###, r###"f(              , x)"###);
        check_scrub(r#"f(br"f64", b"f32")"#, r#"f(b      , b     )"#);
        check_scrub("let c = '\"'; f64", "let c =    ; f64");
        check_scrub("let c = '\\''; f64", "let c =     ; f64");
        check_scrub("fn f<'a>(x: &'a f64)", "fn f<'a>(x: &'a f64)");
        check_scrub("let r#type = 1; for_each", "let r#type = 1; for_each");
        check_scrub("let s = \"open", "let s =      ");
    }

    fn check_non_test(path: &str, text: &str, expect: Option<&[&str]>) {
        let file = SourceFile::new(path, text);
        let lines = non_test_lines(&file);
        let got: Option<Vec<&str>> = lines
            .as_ref()
            .map(|lines| lines.iter().map(|(_, line)| line.trim_end()).collect());
        assert_eq!(got.as_deref(), expect, "{path}");
    }

    #[test]
    fn test_code_is_cut_by_name_directory_and_cfg_test() {
        let text = "fn a() {}\n#[cfg(test)]\nmod tests {}\n";
        check_non_test("crates/domain/src/lib.rs", text, Some(&["fn a() {}"]));
        check_non_test("crates/domain/src/pricing/tests.rs", text, None);
        check_non_test("crates/domain/src/sell_bill/proptests.rs", text, None);
        check_non_test("crates/domain/src/tests/helpers.rs", text, None);
        check_non_test(
            "crates/domain/src/testing/mod.rs",
            text,
            Some(&["fn a() {}"]),
        );
        // An indented test item is skipped too, and only that item.
        let nested = "mod a {\n    #[cfg(test)]\n    fn t() { f64 }\n    fn b() {}\n}\n";
        check_non_test(
            "crates/domain/src/a.rs",
            nested,
            Some(&["mod a {", "    fn b() {}", "}"]),
        );
        // Code after a test module is checked again, whether the module is inline or a file.
        let after =
            "#[cfg(test)]\nmod tests {\n    fn t() { let x = { 1 }; }\n}\nfn leak(x: f64) {}\n";
        check_non_test(
            "crates/domain/src/a.rs",
            after,
            Some(&["fn leak(x: f64) {}"]),
        );
        let declared = "#[cfg(test)]\nmod tests;\nfn leak(x: f64) {}\n";
        check_non_test(
            "crates/domain/src/a.rs",
            declared,
            Some(&["fn leak(x: f64) {}"]),
        );
        let one_line = "#[cfg(test)] mod tests; fn leak(x: f64) {}\n";
        check_non_test(
            "crates/domain/src/a.rs",
            one_line,
            Some(&[" fn leak(x: f64) {}"]),
        );
        let feature = "#[cfg(any(test, feature = \"testing\"))]\npub mod testing;\n";
        check_non_test(
            "crates/domain/src/lib.rs",
            feature,
            Some(&["#[cfg(any(test, feature =          ))]", "pub mod testing;"]),
        );
    }

    #[test]
    fn words_split_on_non_word_chars() {
        let got: Vec<&str> = words("x.unwrap() as f64 + 1.5f32")
            .iter()
            .map(|w| w.2)
            .collect();
        assert_eq!(got, ["x", "unwrap", "as", "f64", "1", "5f32"]);
    }
}
