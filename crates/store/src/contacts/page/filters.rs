//! The contact table's filters as SQL: search, tag and statuses.

use sqlx::{QueryBuilder, Sqlite};

use super::PageQuery;

/// The filters, ready to bind.
pub(super) struct Filters {
    segment: Option<crate::segments::Compiled>,
    pattern: Option<String>,
    phone_pattern: Option<String>,
    tag: Option<String>,
    email_status: Option<&'static str>,
    sms_status: Option<&'static str>,
}

impl Filters {
    pub(super) fn new(query: &PageQuery) -> Filters {
        let search = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let pattern = search.map(|s| format!("%{}%", escape_like(s)));
        let phone_pattern = search.map(|s| {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            if digits.len() >= 3 {
                format!("%{digits}%")
            } else {
                format!("%{}%", escape_like(s))
            }
        });
        Filters {
            segment: query.segment.clone(),
            pattern,
            phone_pattern,
            tag: query
                .tag
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            email_status: query.email_status.map(|s| s.as_str()),
            sms_status: query.sms_status.map(|s| s.as_str()),
        }
    }

    /// Appends ` AND …` for every filter set. The search is a scan (no index
    /// serves an infix match); everything else uses an index.
    pub(super) fn push(&self, q: &mut QueryBuilder<'_, Sqlite>) {
        if let Some(segment) = &self.segment {
            q.push(" AND ");
            segment.push_to(q);
        }
        if let (Some(pattern), Some(phone)) = (&self.pattern, &self.phone_pattern) {
            q.push(" AND (first_name LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR last_name LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR email LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR company LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR phone LIKE ")
                .push_bind(phone.clone())
                .push(" ESCAPE '\\')");
        }
        if let Some(tag) = &self.tag {
            // tags.name is COLLATE NOCASE, so this matches "vip" to "VIP".
            q.push(
                " AND id IN (SELECT ct.contact_id FROM contact_tags ct \
                 JOIN tags t ON t.id = ct.tag_id WHERE t.name = ",
            )
            .push_bind(tag.clone())
            .push(")");
        }
        // A channel's status only means something for contacts reachable on
        // it: a contact without a phone is not "subscribed to SMS".
        if let Some(status) = self.email_status {
            q.push(" AND email IS NOT NULL AND email_status = ")
                .push_bind(status);
        }
        if let Some(status) = self.sms_status {
            q.push(" AND phone IS NOT NULL AND sms_status = ")
                .push_bind(status);
        }
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
