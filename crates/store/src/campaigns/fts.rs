//! The campaigns' full-text index (`campaigns_fts`, rowid = campaigns.rowid):
//! keeping it in step inside the caller's write transaction, the text of an
//! HTML body, and turning what a user types into a safe FTS5 query.

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::Result;

/// Indexes (or re-indexes) one campaign's name, subject and body text.
pub(crate) async fn put(
    tx: &mut SqliteConnection,
    rowid: i64,
    name: &str,
    subject: &str,
    html: &str,
) -> Result<()> {
    remove(tx, rowid).await?;
    sqlx::query("INSERT INTO campaigns_fts (rowid, name, subject, body) VALUES (?, ?, ?, ?)")
        .bind(rowid)
        .bind(name)
        .bind(subject)
        .bind(html_text(html))
        .execute(&mut *tx)
        .await
        .context("indexing a campaign for search")?;
    Ok(())
}

/// Drops one campaign from the index.
pub(crate) async fn remove(tx: &mut SqliteConnection, rowid: i64) -> Result<()> {
    sqlx::query("DELETE FROM campaigns_fts WHERE rowid = ?")
        .bind(rowid)
        .execute(tx)
        .await
        .context("removing a campaign from the search index")?;
    Ok(())
}

/// The readable text of an HTML body, cheaply: tags, comments, `<style>`
/// and `<script>` contents and template tags (`{{ … }}`, `{% … %}`) are
/// dropped; the common entities are decoded and the others become spaces.
/// Good enough for search; never used for display.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            out.push(' ');
        } else if rest.starts_with('<') {
            let lower: String = rest.chars().take(8).collect::<String>().to_lowercase();
            let skip_to = if lower.starts_with("<style") {
                Some("</style")
            } else if lower.starts_with("<script") {
                Some("</script")
            } else {
                None
            };
            if let Some(close) = skip_to {
                let lowered = rest.to_ascii_lowercase();
                rest = lowered.find(close).map_or("", |i| &rest[i..]);
            }
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            out.push(' ');
        } else if let Some(after) = rest.strip_prefix("{{").or_else(|| rest.strip_prefix("{%")) {
            let close = if rest.starts_with("{{") { "}}" } else { "%}" };
            rest = after.find(close).map_or("", |i| &after[i + 2..]);
            out.push(' ');
        } else if c == '&' {
            let (decoded, len) = entity(rest);
            out.push(decoded);
            rest = &rest[len..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character an entity at the start of `s` stands for and its length;
/// an unknown entity is a space, a lone `&` is itself.
fn entity(s: &str) -> (char, usize) {
    let Some(end) = s
        .char_indices()
        .take(12)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i)
    else {
        return ('&', 1);
    };
    let name = &s[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some(' '),
        _ => name.strip_prefix('#').and_then(|num| {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    };
    (decoded.unwrap_or(' '), end + 1)
}

/// An FTS5 query for what a user typed: its words, each quoted as an FTS5
/// string (so `OR`, `(`, `"` and `*` mean nothing), all required, the last
/// one as a prefix so results follow the typing. `None` when there are no
/// words to look for.
pub fn match_expression(typed: &str) -> Option<String> {
    let words: Vec<&str> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (last, init) = words.split_last()?;
    let mut terms: Vec<String> = init.iter().map(|w| format!("\"{w}\"")).collect();
    terms.push(format!("\"{last}\"*"));
    Some(terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html_drops_markup_styles_and_template_tags() {
        let html = "<html><head><style>p { color: red }</style></head><body>\
                    <!-- hidden --><p>Hello {{ contact.first_name }},</p>\
                    <script>var x = 1;</script><p>Caf&eacute; &amp; b&#233;b&#xE9; &lt;3</p></body></html>";
        assert_eq!(html_text(html), "Hello , Caf & bébé <3");
    }

    #[test]
    fn unclosed_markup_does_not_panic() {
        assert_eq!(html_text("a <b"), "a");
        assert_eq!(html_text("a {{ b"), "a");
        assert_eq!(html_text("a & b"), "a & b");
        assert_eq!(html_text("<style>x"), "");
    }

    #[test]
    fn typed_search_becomes_quoted_words_with_a_prefix_on_the_last() {
        assert_eq!(
            match_expression("spring news").as_deref(),
            Some("\"spring\" \"news\"*")
        );
        assert_eq!(
            match_expression("a\"b OR (").as_deref(),
            Some("\"a\" \"b\" \"OR\"*")
        );
        assert_eq!(match_expression("  \"()* "), None);
    }
}
