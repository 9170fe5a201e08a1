//! Spam-risk hints for the review step: things in a campaign that make
//! filters or people mark it as spam, each worded as advice. Heuristics,
//! not a verdict: the campaign can be sent whatever they say.

/// Words and phrases that filters weigh against a message.
const TRIGGERS: &[&str] = &[
    "act now",
    "buy now",
    "click here",
    "free money",
    "guaranteed",
    "limited time",
    "no cost",
    "risk-free",
    "winner",
    "you have been selected",
    "100% free",
    "$$$",
];

/// Link shorteners hide where a link goes; filters distrust them.
const SHORTENERS: &[&str] = &[
    "bit.ly/",
    "tinyurl.com/",
    "goo.gl/",
    "t.co/",
    "ow.ly/",
    "is.gd/",
];

/// Mailbox providers whose DMARC policy rejects mail sent in their name
/// from other servers.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "aol.com",
    "icloud.com",
];

/// Hints for a campaign with this `subject`, personalised `html` and `text`,
/// sent from `from_address` (with `smtp_host`, the server it goes through).
pub fn hints(
    subject: &str,
    html: &str,
    text: &str,
    from_address: &str,
    smtp_host: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let letters: Vec<char> = subject.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 8 && letters.iter().all(|c| c.is_uppercase()) {
        out.push(
            "The subject is all capitals, which reads as shouting and is a common spam sign."
                .to_owned(),
        );
    }
    if subject.matches('!').count() >= 2 {
        out.push("Several exclamation marks in the subject look like spam to filters.".to_owned());
    }
    if subject.chars().count() > 78 {
        out.push("The subject is long; most inboxes cut it after about 60 characters.".to_owned());
    }
    let lower = format!("{} {}", subject.to_lowercase(), text.to_lowercase());
    let found: Vec<&str> = TRIGGERS
        .iter()
        .copied()
        .filter(|t| lower.contains(t))
        .collect();
    if !found.is_empty() {
        out.push(format!(
            "Phrases that spam filters weigh against a message: {}.",
            found
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let html_lower = html.to_lowercase();
    if SHORTENERS.iter().any(|s| html_lower.contains(s)) {
        out.push("A link uses a URL shortener; filters distrust links that hide where they go. Link to the page itself.".to_owned());
    }
    let images = html_lower.matches("<img").count();
    let words = text.split_whitespace().count();
    if images > 0 && words < 50 {
        out.push("The message is mostly images with little text; add text so it reads well with images off and filters can judge it.".to_owned());
    }
    if !html_lower.contains("unsubscribe") {
        out.push("The body has no unsubscribe link. The email has an unsubscribe header, but a visible link ({{ unsubscribe_url }}) prevents spam complaints.".to_owned());
    }
    if let Some(domain) = from_address.rsplit('@').next() {
        let domain = domain.to_lowercase();
        if FREE_MAIL.contains(&domain.as_str())
            && !smtp_host
                .to_lowercase()
                .contains(domain.trim_end_matches(".com"))
        {
            out.push(format!(
                "The sender is a {domain} address sent through another server: {domain}'s DMARC policy makes many inboxes reject it. Use an address on your own domain."
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::hints;

    #[test]
    fn a_clean_campaign_has_no_hints() {
        let text = "Hello there. ".repeat(30) + "unsubscribe";
        let html = format!("<p>{text}</p><a href=\"{{{{ unsubscribe_url }}}}\">Unsubscribe</a>");
        assert!(hints(
            "Our spring news",
            &html,
            &text,
            "news@acme.example",
            "smtp.acme.example"
        )
        .is_empty());
    }

    #[test]
    fn shouting_triggers_shorteners_and_free_mail_are_each_named() {
        let found = hints(
            "ACT NOW, YOU WON!!",
            "<img src=x><a href=\"https://bit.ly/x\">go</a>",
            "act now",
            "me@gmail.com",
            "smtp.sendgrid.net",
        );
        let all = found.join("\n");
        for needle in [
            "capitals",
            "exclamation",
            "\"act now\"",
            "shortener",
            "mostly images",
            "unsubscribe link",
            "DMARC",
        ] {
            assert!(all.contains(needle), "missing {needle}: {all}");
        }
    }
}
