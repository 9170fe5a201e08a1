//! The plain-text alternative, generated from the prepared HTML when the
//! campaign has no text body of its own.
//!
//! Runs once per campaign on the HTML template (template tags are still
//! placeholders then, so they pass through as words). Links become
//! `label (url)`, where `url` is the tracked-link marker, so the text part
//! shows the same tracked URL as the HTML part.

use super::links::{unescape_html, LINK_START, OPEN_PIXEL, PREHEADER};

/// Elements whose content is not text a reader sees.
const SKIPPED: &[&str] = &["head", "style", "script", "title", "template"];
/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "table",
    "tr",
    "ul",
    "ol",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "center",
    "pre",
];

/// Converts HTML to readable plain text.
pub(super) fn html_to_text(html: &str) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    let mut skip_until: Option<String> = None;
    let mut link: Option<(String, usize)> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                w.text(rest);
            }
            break;
        };
        if skip_until.is_none() {
            w.text(&rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = &skip_until {
            if closing && &name == until {
                skip_until = None;
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            skip_until = Some(name);
            continue;
        }
        match name.as_str() {
            "br" => w.newline(1),
            "hr" => {
                w.newline(2);
                w.raw("----------");
                w.newline(2);
            }
            "li" if !closing => {
                w.newline(1);
                w.raw("- ");
            }
            "td" | "th" if !closing => w.space(),
            "a" if !closing => {
                if let Some(href) = attribute(tag, "href") {
                    link = Some((href, w.out.len()));
                }
            }
            "a" => {
                if let Some((href, start)) = link.take() {
                    let label = w.out[start..].trim().to_owned();
                    w.link(&href, &label);
                }
            }
            n if BLOCKS.contains(&n) => w.newline(2),
            _ => {}
        }
    }
    w.finish()
}

/// The index just past the `>` closing the tag at the start of `s`,
/// skipping `>` inside quoted attribute values.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// An attribute's decoded value from a tag's text (`a href="..."`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - after.len() + 1;
        let value = tag[value_start..].trim_start();
        let (value, _) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &value[1..];
                (inner.split(q).next().unwrap_or(inner), ())
            }
            _ => (
                value
                    .split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
                (),
            ),
        };
        return Some(unescape_html(value).into_owned());
    }
    None
}

#[derive(Default)]
struct Writer {
    out: String,
    /// A space is owed before the next word.
    pending_space: bool,
}

impl Writer {
    fn text(&mut self, html: &str) {
        let text = unescape_html(html);
        for (i, word) in text
            .split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .enumerate()
        {
            if i > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            self.raw(&word.replace('\u{a0}', " "));
        }
    }

    fn raw(&mut self, s: &str) {
        if self.pending_space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.out.push_str(s);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn newline(&mut self, count: usize) {
        self.pending_space = false;
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if self.out.is_empty() {
            return;
        }
        let have = self.out.len() - self.out.trim_end_matches('\n').len();
        for _ in have..count {
            self.out.push('\n');
        }
    }

    /// Writes a finished link: `label (url)`, the url alone when the label
    /// is empty or the url itself, and the label alone for anchors and
    /// phone or mail links whose label already says where they go.
    fn link(&mut self, href: &str, label: &str) {
        let shown = href.trim_start_matches(LINK_START);
        let bare = shown.trim_end_matches(super::links::LINK_END).trim();
        if bare.starts_with('#') || bare.is_empty() {
            return;
        }
        let plain = bare
            .strip_prefix("mailto:")
            .or_else(|| bare.strip_prefix("tel:"))
            .unwrap_or(bare);
        if label.is_empty() {
            self.raw(href);
        } else if label != bare && label != plain {
            self.pending_space = true;
            self.raw(&format!("({href})"));
        }
    }

    fn finish(self) -> String {
        let cleaned: String = self
            .out
            .chars()
            .filter(|c| *c != PREHEADER && *c != OPEN_PIXEL)
            .collect();
        let mut lines: Vec<&str> = cleaned.lines().map(str::trim).collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let mut out = String::with_capacity(cleaned.len());
        let mut blank = 0;
        for line in lines {
            if line.is_empty() {
                blank += 1;
                if blank > 1 || out.is_empty() {
                    continue;
                }
            } else {
                blank = 0;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// Wraps lines longer than 76 characters at spaces, outside link markers,
/// so that the text part can usually go as 7bit and reads well in clients
/// that do not wrap.
pub(super) fn wrap(text: &str) -> String {
    const WIDTH: usize = 76;
    let mut out = String::with_capacity(text.len() + text.len() / WIDTH);
    for line in text.split_inclusive('\n') {
        let mut column = 0;
        let mut in_link = false;
        for word in line.split_inclusive(' ') {
            let width = word.trim_end().chars().count();
            if column > 0 && !in_link && column + width > WIDTH {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('\n');
                column = 0;
            }
            for c in word.chars() {
                if c == LINK_START {
                    in_link = true;
                } else if c == super::links::LINK_END {
                    in_link = false;
                }
            }
            out.push_str(word);
            column += word.chars().count();
        }
    }
    out
}
