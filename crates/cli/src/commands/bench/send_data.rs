//! The send benchmark's data: N contacts (a first name, a plan in a custom
//! field, a unique address each), written in multi-row INSERTs in one
//! transaction; and the campaign's ~50 KB newsletter body with 20 distinct
//! links and personalisation throughout.

use anyhow::Context;
use herald_store::Store;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

/// Distinct links in the body (each gets its own signed tracking token).
pub const LINKS: usize = 20;
/// Contacts per INSERT: 7 values each, under SQLite's 32,766 bound values.
const PER_STATEMENT: usize = 4_000;

const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Mia", "James",
    "Chloé", "Zoë", "Björn", "Aoife", "Mateo", "Yuki", "Priya", "Lukas", "Inès", "Kwame",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Müller", "García", "Dubois", "Rossi", "Tanaka", "Kowalski", "O'Brien", "Nguyen",
    "Jensen",
];
const PLANS: &[&str] = &["free", "starter", "pro", "enterprise"];

/// Writes `n` subscribed contacts, each with an email address.
pub async fn contacts(store: &Store, n: u32, seed: u64) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = herald_store::now_millis();
    let mut tx = store.begin_write().await?;
    let mut i = 0u32;
    while i < n {
        let rows: Vec<(Uuid, &str, &str, String, String)> = (i..n.min(i + PER_STATEMENT as u32))
            .map(|k| {
                let first = *FIRST_NAMES.choose(&mut rng).expect("names");
                let last = *LAST_NAMES.choose(&mut rng).expect("names");
                let plan = *PLANS.choose(&mut rng).expect("plans");
                // The number leads, so the unique email index grows at its end.
                let email = format!("{k:08}.{}@bench.herald.test", ascii_lower(first));
                (
                    Uuid::now_v7(),
                    first,
                    last,
                    email,
                    format!("{{\"plan\":\"{plan}\"}}"),
                )
            })
            .collect();
        i += rows.len() as u32;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO contacts (id, first_name, last_name, email, custom, created_at, updated_at) ",
        );
        q.push_values(&rows, |mut b, (id, first, last, email, custom)| {
            b.push_bind(*id)
                .push_bind(*first)
                .push_bind(*last)
                .push_bind(email.as_str())
                .push_bind(custom.as_str())
                .push_bind(now)
                .push_bind(now);
        });
        q.build()
            .execute(&mut *tx)
            .await
            .context("generating contacts")?;
    }
    tx.commit().await.context("generating contacts")?;
    Ok(())
}

/// A name as the local part of an address: lower case ASCII letters only.
fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const PARAGRAPH: &str = "Spring is when the garden wakes and so does the inbox. We read \
    every reply you send us, and this season the most asked question was how to get more \
    from the tools you already have. Below are the stories our team picked, with short notes \
    on why each one matters, what changed since the last issue, and where to find the \
    details. Nothing here needs a new subscription: every feature mentioned is part of the \
    plan you are on today, and the guides link straight to the right settings page.";

/// The newsletter: a styled table layout, 20 stories each with a distinct
/// link, the reader's name and plan in several places; ~50 KB.
pub fn html() -> String {
    let mut html = String::with_capacity(56 * 1024);
    html.push_str(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Spring update</title>\
         <style>body{margin:0;background:#f4f4f7;font-family:Helvetica,Arial,sans-serif}\
         .wrap{max-width:640px;margin:0 auto;background:#ffffff}\
         h1{font-size:26px;color:#1f2937}h2{font-size:19px;color:#111827}\
         p{font-size:15px;line-height:1.6;color:#374151}\
         a.button{display:inline-block;padding:10px 18px;background:#2563eb;color:#ffffff;\
         text-decoration:none;border-radius:4px}</style></head><body>\
         <table class=\"wrap\" role=\"presentation\" width=\"100%\"><tr><td>\
         <h1>Hello {{ contact.first_name | default('there') }}, here is your spring update</h1>\n",
    );
    let mut story = 0;
    while html.len() < 48 * 1024 || story < LINKS {
        let k = story % LINKS + 1;
        html.push_str(&format!(
            "<h2>Story {story}: what is new for {{{{ contact.custom.plan }}}} plans</h2>\n"
        ));
        for _ in 0..2 {
            html.push_str("<p>");
            html.push_str(PARAGRAPH);
            html.push_str("</p>\n");
        }
        html.push_str(&format!(
            "<p>{{{{ contact.first_name | default('Friend') }}}}, read the full story: \
             <a class=\"button\" href=\"https://news.example.com/spring/story-{k}?ref=newsletter\">\
             Story {k}</a></p>\n"
        ));
        story += 1;
    }
    html.push_str(
        "<p>Thanks for reading, {{ contact.first_name | default('friend') }}.</p>\
         </td></tr></table></body></html>\n",
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_about_fifty_kilobytes_with_twenty_distinct_links() {
        let html = html();
        assert!(
            (48 * 1024..56 * 1024).contains(&html.len()),
            "{}",
            html.len()
        );
        let mut links: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        links.sort();
        links.dedup();
        assert_eq!(links.len(), LINKS);
    }
}
