//! Checking a template when the campaign is saved (and `web_view_url`
//! when it is prepared): it must compile and read only variables that
//! exist, each problem reported at its line and column with a suggestion
//! for a near miss.

use super::personalize::{environment, Part, TemplateIssue, CONTACT_FIELDS};

/// Whether the workspace has a relay (its URL and signing key): the
/// variable `web_view_url` exists only then, as there is no web version
/// without one; and never in a text message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay {
    Set,
    NotSet,
    /// The template is a text message's: it has no web version, relay or not.
    TextMessage,
}

/// The variable holding the recipient's link to the web version.
pub(super) const WEB_VIEW_URL: &str = "web_view_url";

/// What `web_view_url` says when there is no relay to serve the web version.
const WEB_VIEW_NEEDS_RELAY: &str = "web_view_url needs a relay: set one up in Settings → Relay";

/// What `web_view_url` says in a text message.
const WEB_VIEW_NOT_IN_TEXTS: &str =
    "web_view_url is only for emails: a text message has no web version";

/// Checks a template when the campaign is saved: it must compile, and every
/// variable it reads must exist (`known_custom_fields` are the workspace's
/// custom field names; `relay` whether `web_view_url` exists). Reports
/// the first problem in the source.
pub fn validate<S: AsRef<str>>(
    source: &str,
    part: Part,
    known_custom_fields: &[S],
    relay: Relay,
) -> Result<(), TemplateIssue> {
    if let Some((offset, c)) = source
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(issue_at(
            part,
            source,
            offset,
            format!("contains the control character U+{:04X}", u32::from(c)),
        ));
    }
    let env = environment();
    let template = env
        .template_from_named_str(part.name(), source)
        .map_err(|e| syntax_issue(part, source, &e))?;
    let globals: Vec<&str> = env.globals().map(|(name, _)| name).collect();
    let mut found: Option<(usize, String)> = None;
    for name in template.undeclared_variables(true) {
        if globals.contains(&name.as_str()) {
            continue;
        }
        if let Some(problem) = unknown_variable(&name, known_custom_fields, relay) {
            let offset = find_variable(source, &name);
            if found.as_ref().is_none_or(|(best, _)| offset < *best) {
                found = Some((offset, problem));
            }
        }
    }
    match found {
        Some((offset, message)) => Err(issue_at(part, source, offset, message)),
        None => Ok(()),
    }
}

/// The first use of `web_view_url` in a compiled `template`, as the issue
/// a campaign without a relay has with it (`None` when it is not used).
pub(super) fn web_view_issue(
    template: &minijinja::Template<'_, '_>,
    part: Part,
) -> Option<TemplateIssue> {
    uses_web_view(template).then(|| {
        let source = template.source();
        let offset = find_variable(source, WEB_VIEW_URL);
        issue_at(part, source, offset, WEB_VIEW_NEEDS_RELAY.to_owned())
    })
}

/// Whether a compiled template reads `web_view_url`.
pub(super) fn uses_web_view(template: &minijinja::Template<'_, '_>) -> bool {
    template.undeclared_variables(false).contains(WEB_VIEW_URL)
}

pub(super) fn syntax_issue(part: Part, source: &str, err: &minijinja::Error) -> TemplateIssue {
    let detail = err
        .detail()
        .map_or_else(|| err.kind().to_string(), str::to_owned);
    let message = format!("syntax error: {detail}");
    match err.range() {
        Some(range) => issue_at(part, source, range.start, message),
        None => TemplateIssue {
            part,
            line: err.line().unwrap_or(1),
            column: 1,
            message,
        },
    }
}

fn issue_at(part: Part, source: &str, offset: usize, message: String) -> TemplateIssue {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    TemplateIssue {
        part,
        line,
        column,
        message,
    }
}

/// Why a dotted variable name does not exist, or `None` when it does.
fn unknown_variable<S: AsRef<str>>(name: &str, custom: &[S], relay: Relay) -> Option<String> {
    let segments: Vec<&str> = name.split('.').collect();
    let fields_hint = || {
        format!(
            "contacts have {} and custom.<field>",
            CONTACT_FIELDS.join(", ")
        )
    };
    match segments.as_slice() {
        ["contact"] | ["contact", "custom"] | ["campaign"] | ["campaign", "name", ..] => None,
        ["unsubscribe_url", ..] => None,
        ["web_view_url", ..] => match relay {
            Relay::Set => None,
            Relay::NotSet => Some(WEB_VIEW_NEEDS_RELAY.to_owned()),
            Relay::TextMessage => Some(WEB_VIEW_NOT_IN_TEXTS.to_owned()),
        },
        ["contact", "custom", field, ..] => {
            if custom.iter().any(|c| c.as_ref() == *field) {
                None
            } else {
                let names: Vec<&str> = custom.iter().map(AsRef::as_ref).collect();
                Some(format!(
                    "unknown custom field `{field}` in `{name}`{}",
                    suggestion(field, &names, "contact.custom.")
                        .or_else(|| (!names.is_empty())
                            .then(|| format!(" (this workspace has {})", names.join(", "))))
                        .unwrap_or_else(|| " (this workspace has no custom fields)".to_owned())
                ))
            }
        }
        ["contact", field, ..] if CONTACT_FIELDS.contains(field) => None,
        ["contact", field, ..] => Some(format!(
            "unknown variable `contact.{field}`{}",
            suggestion(field, CONTACT_FIELDS, "contact.")
                .unwrap_or_else(|| format!(": {}", fields_hint()))
        )),
        ["campaign", field, ..] => Some(format!(
            "unknown variable `campaign.{field}`: campaigns have name"
        )),
        [first, ..] => Some(format!(
            "unknown variable `{first}`: use contact.<field>, contact.custom.<field>, \
             campaign.name, unsubscribe_url or web_view_url"
        )),
        [] => None,
    }
}

/// `; did you mean ...?` for a near miss (at most two edits).
fn suggestion(typo: &str, candidates: &[&str], prefix: &str) -> Option<String> {
    candidates
        .iter()
        .map(|c| (edit_distance(typo, c), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("; did you mean `{prefix}{c}`?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The byte offset of the first use of `name` (dotted) in `source`, or of
/// its first segment when written differently (`contact["x"]`); 0 if none.
fn find_variable(source: &str, name: &str) -> usize {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let find_word = |needle: &str| {
        source.match_indices(needle).map(|(i, _)| i).find(|&i| {
            let before_ok = source[..i].chars().next_back().is_none_or(|c| !is_ident(c));
            let after = &source[i + needle.len()..];
            let after_ok = after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            before_ok && after_ok
        })
    };
    find_word(name)
        .or_else(|| find_word(name.split('.').next().unwrap_or(name)))
        .unwrap_or(0)
}
