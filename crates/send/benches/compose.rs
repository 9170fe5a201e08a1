//! The per-recipient cost of composing campaign email: one complete raw
//! message from a ~50 KB personalised HTML template with 20 tracked links,
//! prepared once. Run with `cargo bench -p herald-send --bench compose`;
//! the figures are in docs/benchmarks.md ("Email composition").

use std::collections::BTreeMap;
use std::hint::black_box;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use herald_core::token::SigningKey;
use herald_core::EmailAddress;
use herald_send::email::compose::{
    prepare, CampaignContent, ComposeContext, DkimSettings, PreparedCampaign, RecipientData,
};
use herald_send::relay::RelayUrl;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use uuid::Uuid;

/// ~50 KB of newsletter: a style sheet, 20 tracked links (one of them
/// personalised), personalised text throughout.
fn newsletter() -> String {
    let mut html = String::from(
        "<html><head><style>body{font-family:Arial,sans-serif} p{color:#333;line-height:1.5} \
         .cta{background:#0a7;color:#fff;padding:8px} h2{font-size:20px}</style></head><body>\
         <h1>Hello {{ contact.first_name | default(\"there\") }}</h1>",
    );
    let filler = "Our spring collection brings fresh colours and light fabrics for every \
                  occasion, made to last and priced to please. ";
    for i in 0..20 {
        html.push_str(&format!("<h2>Story {i}</h2>"));
        for _ in 0..6 {
            html.push_str("<p>");
            html.push_str(&filler.repeat(3));
            html.push_str("</p>");
        }
        if i == 19 {
            html.push_str(
                "<p class=\"cta\"><a href=\"https://shop.example.com/account?c={{ contact.id }}\">\
                 Your account, {{ contact.first_name }}</a></p>",
            );
        } else {
            html.push_str(&format!(
                "<p class=\"cta\"><a href=\"https://shop.example.com/story/{i}?utm_source=herald\">\
                 Read more, {{{{ contact.first_name }}}}</a></p>"
            ));
        }
    }
    html.push_str("<p><a href=\"{{ unsubscribe_url }}\">Unsubscribe</a></p></body></html>");
    html
}

fn campaign(dkim: Option<DkimSettings>) -> PreparedCampaign {
    let content = CampaignContent {
        subject: "Spring news for {{ contact.first_name }}".into(),
        preheader: Some("New colours, {{ contact.first_name }}".into()),
        from_name: "Herald Shop".into(),
        from_address: EmailAddress::parse("news@shop.example.com").unwrap(),
        reply_to: None,
        reply_to_name: None,
        html: newsletter(),
        text: None,
        tracking: true,
    };
    let ctx = ComposeContext {
        campaign_id: Uuid::now_v7(),
        campaign_name: "Spring".into(),
        relay: Some((
            RelayUrl::parse("https://relay.example.com").unwrap(),
            SigningKey::new(1, [7; 32]).unwrap(),
        )),
        unsubscribe_mailto: Some(EmailAddress::parse("unsubscribe@shop.example.com").unwrap()),
        dkim,
        attachments: Vec::new(),
    };
    prepare(&content, ctx).unwrap()
}

fn recipient() -> RecipientData {
    RecipientData {
        contact_id: Uuid::now_v7(),
        email: Some(EmailAddress::parse("ada@example.com").unwrap()),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone: None,
        company: Some("Analytical Engines".into()),
        country: Some("GB".into()),
        custom: BTreeMap::from([("plan".to_owned(), serde_json::json!("gold"))]),
    }
}

fn ed25519_pem() -> String {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(&[42; 32]);
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        STANDARD.encode(der)
    )
}

fn rsa_pem() -> String {
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    key.to_pkcs1_pem(rsa::pkcs1::LineEnding::LF)
        .unwrap()
        .to_string()
}

fn bench(c: &mut Criterion) {
    let r = recipient();
    let mut group = c.benchmark_group("compose");
    group.throughput(Throughput::Elements(1));

    let plain = campaign(None);
    let size = plain.render(&r, false).unwrap().raw.len();
    println!(
        "template {} bytes, message {size} bytes, {} tracked links",
        newsletter().len(),
        plain.tracked_urls().len() + plain.personalised_links().len()
    );
    group.bench_function("render_50kb_20_links", |b| {
        b.iter(|| black_box(plain.render(black_box(&r), false).unwrap()))
    });

    let ed = campaign(Some(
        DkimSettings::new("shop.example.com", "herald1", &ed25519_pem()).unwrap(),
    ));
    group.bench_function("render_50kb_20_links_dkim_ed25519", |b| {
        b.iter(|| black_box(ed.render(black_box(&r), false).unwrap()))
    });

    let rsa = campaign(Some(
        DkimSettings::new("shop.example.com", "herald1", &rsa_pem()).unwrap(),
    ));
    group.bench_function("render_50kb_20_links_dkim_rsa2048", |b| {
        b.iter(|| black_box(rsa.render(black_box(&r), false).unwrap()))
    });

    group.bench_function("prepare_once_per_campaign", |b| {
        b.iter(|| black_box(campaign(None)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
