//! The CSV import corpus: one fixture per real-world shape of file, with
//! exact counts and exact error positions.

use chrono::{SubsecRound, TimeZone, Utc};
use herald_core::{EmailStatus, SmsStatus};
use herald_store::import::{ColumnReport, Duplicate, Encoding, ImportOptions, ImportReport};
use herald_store::StoreError;

use crate::helpers::*;

fn columns(pairs: &[(&str, &str)]) -> Vec<ColumnReport> {
    pairs
        .iter()
        .map(|(header, field)| ColumnReport {
            header: (*header).to_owned(),
            field: (*field).to_owned(),
        })
        .collect()
}

fn dup(line: u64, first_line: u64) -> Duplicate {
    Duplicate { line, first_line }
}

#[tokio::test]
async fn a_utf8_file_with_a_bom_imports_with_the_bom_stripped_from_the_first_header() {
    let (_dir, store) = fresh_store().await;
    let bytes = fixture("utf8_bom.csv");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let report = import_fixture(&store, "utf8_bom.csv", &defaults()).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    assert_eq!(report.encoding, Encoding::Utf8Bom);
    assert_eq!(report.delimiter, ',');
    assert_eq!(
        report.columns,
        columns(&[
            ("Email Address", "email"),
            ("First Name", "first_name"),
            ("Last Name", "last_name"),
            ("City", "city"),
            ("Country", "country"),
        ])
    );
    let zoe = by_email(&store, "zoe@example.com").await;
    assert_eq!(zoe.first_name.as_deref(), Some("Zoë"));
    assert_eq!(zoe.last_name.as_deref(), Some("Ångström"));
    assert_eq!(zoe.city.as_deref(), Some("Malmö"));
    assert_eq!(zoe.country.unwrap().as_str(), "SE");
    let rene = by_email(&store, "rene@example.com").await;
    assert_eq!(rene.first_name.as_deref(), Some("René"));
    assert_eq!(rene.city.as_deref(), Some("Zürich"));
    assert_eq!(rene.country.unwrap().as_str(), "CH");
}

#[tokio::test]
async fn an_excel_unicode_text_file_in_utf16_le_with_tabs_imports() {
    let (_dir, store) = fresh_store().await;
    let bytes = fixture("utf16le_excel.txt");
    assert_eq!(&bytes[..2], b"\xFF\xFE");
    let report = import_fixture(&store, "utf16le_excel.txt", &defaults()).await;
    assert_eq!(counts(&report), (3, 0, 0, 0, 0));
    assert_eq!(report.encoding, Encoding::Utf16Le);
    assert_eq!(report.delimiter, '\t');
    assert_eq!(
        report.columns,
        columns(&[
            ("First Name", "first_name"),
            ("Last Name", "last_name"),
            ("E-mail Address", "email"),
            ("Mobile Phone", "phone"),
            ("Company", "company"),
        ])
    );
    let expected = [
        (
            "lukasz@example.pl",
            "Łukasz",
            "Nowak",
            "+48512345678",
            "Polskie Sp. z o.o.",
        ),
        (
            "chloe@example.fr",
            "Chloé",
            "Dubois",
            "+33612345678",
            "Société Générale",
        ),
        (
            "misaki@example.jp",
            "美咲",
            "佐藤",
            "+819012345678",
            "株式会社テスト",
        ),
    ];
    for (mail, first, last, tel, company) in expected {
        let c = by_email(&store, mail).await;
        assert_eq!(c.first_name.as_deref(), Some(first));
        assert_eq!(c.last_name.as_deref(), Some(last));
        assert_eq!(c.phone.as_ref().map(|p| p.as_str()), Some(tel));
        assert_eq!(c.company.as_deref(), Some(company));
    }
}

#[tokio::test]
async fn a_semicolon_delimited_european_file_reads_decimal_comma_revenue() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "semicolon_european.csv", &defaults()).await;
    assert_eq!(report.delimiter, ';');
    assert_eq!(report.encoding, Encoding::Utf8);
    assert_eq!(counts(&report), (3, 0, 0, 1, 0));
    // "1.234,56" (dots grouping thousands) is ambiguous and refused, not guessed.
    assert_eq!(error_cells(&report), vec![at(5, "Revenue")]);
    assert_eq!(
        report.errors[0].reason,
        "invalid revenue: \"1.234,56\" is not an amount: the decimal part must be digits only"
    );
    let revenue = |c: &herald_store::contacts::Contact| {
        (c.revenue.minor(), c.revenue.currency().code().to_owned())
    };
    let hans = by_email(&store, "hans@example.de").await;
    assert_eq!(revenue(&hans), (123_450, "EUR".to_owned()));
    assert_eq!(hans.country.unwrap().as_str(), "DE");
    let marie = by_email(&store, "marie@example.fr").await;
    assert_eq!(revenue(&marie), (-9_990, "EUR".to_owned()));
    let ingrid = by_email(&store, "ingrid@example.no").await;
    assert_eq!(revenue(&ingrid), (123_450, "NOK".to_owned()));
    assert_eq!(ingrid.country.unwrap().as_str(), "NO");
    assert_eq!(count(&store).await, 3);
}

#[tokio::test]
async fn a_windows_1252_file_without_a_bom_is_decoded() {
    let (_dir, store) = fresh_store().await;
    let bytes = fixture("windows1252.csv");
    assert!(std::str::from_utf8(&bytes).is_err());
    let report = import_fixture(&store, "windows1252.csv", &defaults()).await;
    assert_eq!(report.encoding, Encoding::Windows1252);
    assert_eq!(counts(&report), (3, 0, 0, 0, 0));
    let jose = by_email(&store, "jose@example.es").await;
    assert_eq!(
        (
            jose.first_name.as_deref(),
            jose.last_name.as_deref(),
            jose.city.as_deref(),
            jose.company.as_deref()
        ),
        (Some("José"), Some("Núñez"), Some("Cádiz"), Some("Café Olé"))
    );
    let jurgen = by_email(&store, "jurgen@example.de").await;
    assert_eq!(jurgen.last_name.as_deref(), Some("Groß"));
    assert_eq!(jurgen.company.as_deref(), Some("Bäckerei Müller"));
    let francois = by_email(&store, "francois@example.fr").await;
    assert_eq!(francois.first_name.as_deref(), Some("François"));
    assert_eq!(
        francois.company.as_deref(),
        Some("Crème — \u{201c}Fine\u{201d} 5 €")
    );
}

#[tokio::test]
async fn crlf_line_endings_report_the_lines_rows_start_on_and_keep_a_quoted_crlf() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "crlf.csv", &defaults()).await;
    assert_eq!(counts(&report), (3, 0, 0, 1, 0));
    assert_eq!(error_cells(&report), vec![at(5, "email")]);
    let dee = by_email(&store, "d4@example.com").await;
    assert_eq!(dee.last_name.as_deref(), Some("Dunn"));
    assert_eq!(dee.company.as_deref(), Some("Bath plc"));
    let bob = by_email(&store, "b2@example.com").await;
    assert_eq!(bob.company.as_deref(), Some("Baker & Sons\r\nYork branch"));
}

#[tokio::test]
async fn quoted_fields_with_newlines_delimiters_and_doubled_quotes_keep_later_line_numbers_right() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "quoted_multiline.csv", &defaults()).await;
    assert_eq!(counts(&report), (5, 0, 0, 2, 0));
    // Line 6 follows a record spanning lines 3-5; line 11 one spanning 8-9.
    assert_eq!(error_cells(&report), vec![at(6, "email"), at(11, "email")]);
    let reasons: Vec<&str> = report.errors.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "invalid email: \"not-an-email\" is not a valid email address: the @ sign is missing",
            "the row has neither an email address nor a phone number",
        ]
    );
    let q1 = by_email(&store, "q1@example.com").await;
    assert_eq!(q1.last_name.as_deref(), Some("O'Brien"));
    assert_eq!(q1.company.as_deref(), Some("Acme, Inc."));
    let q2 = by_email(&store, "q2@example.com").await;
    assert_eq!(
        q2.company.as_deref(),
        Some("Line one\nline two\nline three")
    );
    assert_eq!(q2.city.as_deref(), Some("Montgomery"));
    let q4 = by_email(&store, "q4@example.com").await;
    assert_eq!(q4.last_name.as_deref(), Some("Durbey \"Tess\""));
    assert_eq!(q4.company.as_deref(), Some("He said \"hi, there\""));
    let q5 = by_email(&store, "q5@example.com").await;
    assert_eq!(q5.last_name.as_deref(), Some("Multi\nLine"));
    let q6 = by_email(&store, "q6@example.com").await;
    assert_eq!((q6.company, q6.city), (None, None));
}

#[tokio::test]
async fn a_mailchimp_export_imports_tags_optin_time_and_extra_columns() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "mailchimp.csv", &defaults()).await;
    assert_eq!(counts(&report), (3, 0, 0, 0, 0));
    assert_eq!(
        report.columns,
        columns(&[
            ("Email Address", "email"),
            ("First Name", "first_name"),
            ("Last Name", "last_name"),
            ("Address", "custom.address"),
            ("Phone Number", "phone"),
            ("MEMBER_RATING", "custom.member_rating"),
            ("OPTIN_TIME", "email_consent_at"),
            ("CONFIRM_TIME", "custom.confirm_time"),
            ("TAGS", "tags"),
            ("NOTES", "custom.notes"),
        ])
    );
    let maya = by_email(&store, "maya.chen@example.com").await;
    assert_eq!(maya.tags, strings(&["Newsletter", "VIP"]));
    assert_eq!(maya.phone.as_ref().unwrap().as_str(), "+12175550143");
    assert_eq!(
        maya.custom,
        custom(&[
            ("address", text("1 Main St, Springfield, IL 62701")),
            ("confirm_time", text("2023-05-01 10:16:02")),
            ("member_rating", int(4)),
            ("notes", text("Met at expo")),
        ])
    );
    let optin = Utc.with_ymd_and_hms(2023, 5, 1, 10, 15, 0).unwrap();
    let consent = maya.email_consent.clone().expect("OPTIN_TIME is consent");
    assert_eq!(
        (consent.at, consent.source.as_str(), consent.method.as_str()),
        (optin, "import", "import")
    );
    let events = ledger(&store, maya.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].channel.as_str(),
            events[0].action.as_str(),
            events[0].status.as_str(),
            events[0].at
        ),
        ("email", "granted", "subscribed", optin)
    );

    let li = by_email(&store, "li.wei@example.com").await;
    assert_eq!(li.tags, strings(&["Newsletter"]));
    assert_eq!(li.phone, None);
    assert_eq!(li.custom, custom(&[("member_rating", int(2))]));
    let omar = by_email(&store, "OMAR@example.com").await;
    assert_eq!(omar.email.as_ref().unwrap().as_str(), "omar@example.com");
    assert_eq!(omar.phone.as_ref().unwrap().as_str(), "+442079460958");
    assert_eq!(omar.tags, Vec::<String>::new());
    assert_eq!(omar.email_consent, None);
    assert_eq!(ledger(&store, omar.id).await, vec![]);
    assert_eq!(
        tag_counts(&store).await,
        vec![("Newsletter".to_owned(), 2), ("VIP".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_hubspot_export_imports_company_country_region_and_create_date() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "hubspot.csv", &defaults()).await;
    assert_eq!(counts(&report), (3, 0, 0, 2, 0));
    assert_eq!(
        error_cells(&report),
        vec![at(5, "Country/Region"), at(6, "Create Date")]
    );
    assert_eq!(
        report.columns,
        columns(&[
            ("Record ID", "custom.record_id"),
            ("First Name", "first_name"),
            ("Last Name", "last_name"),
            ("Email", "email"),
            ("Phone Number", "phone"),
            ("Company Name", "company"),
            ("Country/Region", "country"),
            ("Create Date", "created_at"),
            ("Lifecycle Stage", "custom.lifecycle_stage"),
        ])
    );
    let grace = by_email(&store, "grace@navy.example").await;
    assert_eq!(grace.company.as_deref(), Some("US Navy"));
    assert_eq!(grace.country.unwrap().as_str(), "US");
    assert_eq!(grace.phone.as_ref().unwrap().as_str(), "+12015550101");
    assert_eq!(
        grace.created_at,
        Utc.with_ymd_and_hms(2024, 1, 15, 9, 30, 0).unwrap()
    );
    assert_eq!(
        grace.custom,
        custom(&[
            ("lifecycle_stage", text("customer")),
            ("record_id", int(1001))
        ])
    );
    let alan = by_email(&store, "alan@example.co.uk").await;
    assert_eq!(alan.country.unwrap().as_str(), "GB");
    assert_eq!(alan.phone.as_ref().unwrap().as_str(), "+442079460000");
    let emmy = by_email(&store, "emmy@example.de").await;
    assert_eq!(emmy.company.as_deref(), Some("Universität Göttingen"));
    assert_eq!(
        emmy.created_at,
        Utc.with_ymd_and_hms(2024, 3, 10, 0, 0, 0).unwrap()
    );
}

#[tokio::test]
async fn a_google_contacts_export_imports_given_and_family_names_and_group_membership() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "google_contacts.csv", &defaults()).await;
    assert_eq!(counts(&report), (3, 0, 0, 0, 0));
    assert_eq!(
        report.columns,
        columns(&[
            ("Name", "name"),
            ("Given Name", "first_name"),
            ("Additional Name", "custom.additional_name"),
            ("Family Name", "last_name"),
            ("Nickname", "custom.nickname"),
            ("Birthday", "custom.birthday"),
            ("Notes", "custom.notes"),
            ("Group Membership", "tags"),
            ("E-mail 1 - Type", "custom.e_mail_1_type"),
            ("E-mail 1 - Value", "email"),
            ("Phone 1 - Type", "custom.phone_1_type"),
            ("Phone 1 - Value", "phone"),
            ("Organization 1 - Name", "company"),
            ("Address 1 - City", "city"),
            ("Address 1 - Country", "country"),
        ])
    );
    let ada = by_email(&store, "ada@example.org").await;
    assert_eq!(ada.first_name.as_deref(), Some("Ada"));
    assert_eq!(ada.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(ada.tags, strings(&["Friends", "Mathematicians"]));
    assert_eq!(ada.phone.as_ref().unwrap().as_str(), "+442079460123");
    assert_eq!(ada.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(ada.country.unwrap().as_str(), "GB");
    assert_eq!(
        ada.custom,
        custom(&[
            ("additional_name", text("King")),
            ("birthday", date("1815-12-10")),
            ("e_mail_1_type", text("* Home")),
            ("notes", text("Analyst")),
            ("phone_1_type", text("Mobile")),
        ])
    );
    let charles = by_email(&store, "charles@example.org").await;
    assert_eq!(charles.tags, strings(&["Engineers", "Friends"]));
    assert_eq!(charles.country.unwrap().as_str(), "GB");
    assert_eq!(
        charles.custom,
        custom(&[
            ("e_mail_1_type", text("* Work")),
            ("nickname", text("Charlie"))
        ])
    );
    // Google's " ::: " separates groups; its built-in "* myContacts" is dropped.
    let mary = by_phone(&store, "+44 20 7946 0456").await;
    assert_eq!(mary.email, None);
    assert_eq!(mary.city.as_deref(), Some("Jedburgh"));
    assert_eq!(mary.tags, strings(&["Friends"]));
    assert_eq!(
        tag_counts(&store).await,
        vec![
            ("Engineers".to_owned(), 1),
            ("Friends".to_owned(), 3),
            ("Mathematicians".to_owned(), 1),
        ]
    );
}

#[tokio::test]
async fn tags_split_on_commas_semicolons_and_pipes_and_match_case_insensitively() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "tag_separators.csv", &defaults()).await;
    assert_eq!(counts(&report), (5, 0, 0, 0, 0));
    let expected = [
        ("t1@example.com", vec!["alpha", "beta"]),
        ("t2@example.com", vec!["alpha", "gamma"]),
        ("t3@example.com", vec!["beta", "delta", "gamma"]),
        ("t4@example.com", vec!["alpha", "beta"]),
        ("t5@example.com", vec![]),
    ];
    for (mail, tags) in expected {
        assert_eq!(by_email(&store, mail).await.tags, strings(&tags), "{mail}");
    }
    assert_eq!(
        tag_counts(&store).await,
        vec![
            ("alpha".to_owned(), 3),
            ("beta".to_owned(), 3),
            ("delta".to_owned(), 1),
            ("gamma".to_owned(), 2),
        ]
    );
}

#[tokio::test]
async fn duplicate_rows_differing_in_case_are_merged_and_reported() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "duplicates_case.csv", &defaults()).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 2));
    assert_eq!(report.duplicates, vec![dup(4, 2), dup(5, 2)]);
    assert_eq!(count(&store).await, 2);
    let ann = by_email(&store, "ann@example.com").await;
    // Later non-empty cells win, empty ones keep what earlier rows said.
    assert_eq!(ann.first_name.as_deref(), Some("Annie"));
    assert_eq!(ann.last_name.as_deref(), Some("Smith"));
    assert_eq!(ann.city.as_deref(), Some("Boston"));
    assert_eq!(ann.company.as_deref(), Some("Annco"));
    assert_eq!(ann.tags, strings(&["customer", "VIP"]));
    let bob = by_email(&store, "bob@example.com").await;
    assert_eq!(bob.company.as_deref(), Some("Bobco"));
    assert_eq!(
        tag_counts(&store).await,
        vec![("customer".to_owned(), 1), ("VIP".to_owned(), 1)]
    );
}

/// Every bad row of `bad_rows_50.csv` (see generate.py), by kind.
fn bad_rows_50_errors() -> Vec<(u64, String)> {
    let mut cells = Vec::new();
    let mut add = |column: &str, lines: &[u64]| {
        for line in lines {
            cells.push(at(*line, column));
        }
    };
    add("email", &[4, 34, 64, 94, 124]); // invalid email
    add("country", &[124]); // ...and, on the same row, an unknown country
    add("phone", &[7, 37, 67, 97, 127]); // unparseable phone
    add("created_at", &[10, 40, 70, 100, 130]); // bad date
    add("*", &[13, 43, 73, 103]); // wrong column count
    add("country", &[16, 46, 76, 106, 133]); // unknown country
    add("revenue", &[19, 49, 79, 109, 136]); // invalid revenue
    add("revenue_currency", &[22, 52, 82, 112]); // bad currency
    add("email_status", &[25, 55, 85, 115]); // invalid status
    add("email", &[28, 58, 88, 118]); // neither email nor phone
    add("tags", &[31, 61, 91, 121]); // invalid tag name
    add("phone", &[139, 142, 145, 148, 151]); // phone of another contact
    cells.sort();
    cells
}

#[tokio::test]
async fn fifty_bad_rows_of_every_kind_are_skipped_with_their_exact_lines_and_columns() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "bad_rows_50.csv", &defaults()).await;
    assert_eq!(counts(&report), (100, 0, 0, 50, 0));
    assert_eq!(report.errors.len(), 51, "one row has two problems");
    assert_eq!(error_cells(&report), bad_rows_50_errors());

    let reason = |line: u64, column: &str| {
        report
            .errors
            .iter()
            .find(|e| e.line == line && e.column == column)
            .map(|e| e.reason.clone())
            .unwrap_or_else(|| panic!("no error at {line}/{column}"))
    };
    assert_eq!(
        reason(13, "*"),
        "wrong column count: expected 10 columns, found 3"
    );
    assert_eq!(
        reason(43, "*"),
        "wrong column count: expected 10 columns, found 12"
    );
    assert_eq!(
        reason(28, "email"),
        "the row has neither an email address nor a phone number"
    );
    assert_eq!(
        reason(139, "phone"),
        "the phone number +12015551000 already belongs to another contact (good000@example.com)"
    );
    assert_eq!(
        reason(16, "country"),
        "invalid country: \"Atlantis\" is not a country: use an ISO 3166-1 alpha-2 code such as US or DE"
    );
    assert_eq!(
        reason(7, "phone"),
        "unparseable phone: \"12345\" has no country code: write it with a + and the country code \
         (such as +44 20 7946 0958) or set a default region"
    );

    // Every good row is in, with its phone where it had one.
    assert_eq!(count(&store).await, 100);
    for g in 0..100 {
        let c = by_email(&store, &format!("good{g:03}@example.com")).await;
        assert_eq!(c.last_name, Some(format!("Row{g:03}")));
        assert_eq!(
            c.phone.map(|p| p.as_str().to_owned()),
            (g % 2 == 0).then(|| format!("+1201555{:04}", 1000 + g))
        );
        assert_eq!(c.tags, strings(&["good"]));
        assert_eq!(c.revenue.minor(), g * 100 + 50);
    }
    assert_eq!(tag_counts(&store).await, vec![("good".to_owned(), 100)]);
}

#[tokio::test]
async fn ten_thousand_rows_with_a_thousand_bad_ones_import_all_the_good_ones() {
    let (_dir, store) = fresh_store().await;
    let bytes = fixture("large_10000.csv");
    let mut calls = Vec::new();
    let report = herald_store::import::import_csv(
        &store,
        bytes.as_slice(),
        &defaults(),
        &mut |bytes_read, rows_read| calls.push((bytes_read, rows_read)),
    )
    .await
    .unwrap();

    // Data row i is on line i + 2. Rows with i % 10 == 7 are bad, in six
    // kinds by (i / 10) % 6; rows 9995, 9996 and 9998 repeat rows 5, 1500
    // and 4000 with the email in upper case.
    let expected_errors: Vec<(u64, String)> = (0..10_000u64)
        .filter(|i| i % 10 == 7)
        .map(|i| {
            let column =
                ["email", "phone", "country", "revenue", "*", "email"][(i / 10 % 6) as usize];
            at(i + 2, column)
        })
        .collect();
    assert_eq!(counts(&report), (8_997, 0, 0, 1_000, 3));
    assert_eq!(report.errors.len(), 1_000);
    assert_eq!(error_cells(&report), expected_errors);
    assert_eq!(
        report.duplicates,
        vec![dup(9_997, 7), dup(9_998, 1_502), dup(10_000, 4_002)]
    );
    assert_eq!(count(&store).await, 8_997);

    // One progress call per 1000 good rows, and one at the end (at the start
    // of the last record).
    assert_eq!(calls.len(), 10);
    let last_line_len = bytes[..bytes.len() - 1]
        .iter()
        .rev()
        .take_while(|b| **b != b'\n')
        .count()
        + 1;
    assert_eq!(
        calls.last(),
        Some(&((bytes.len() - last_line_len) as u64, 10_000))
    );

    let five = by_email(&store, "user00005@example.com").await;
    assert_eq!(five.city.as_deref(), Some("Dupcity"));
    assert_eq!(five.first_name.as_deref(), Some("First5"));
    let fifteen_hundred = by_phone(&store, "+1 201 555 1500").await;
    assert_eq!(
        fifteen_hundred.email.as_ref().unwrap().as_str(),
        "user01500@example.com"
    );
    assert_eq!(fifteen_hundred.city.as_deref(), Some("Dupcity"));
    let last = by_email(&store, "user09999@example.com").await;
    assert_eq!(last.tags, strings(&["alpha", "delta"]));
    assert_eq!(last.country.unwrap().as_str(), "IE");
    assert_eq!(last.custom, custom(&[("signup_date", date("2023-04-04"))]));

    let good = |i: &u64| i % 10 != 7 && ![9_995, 9_996, 9_998].contains(i);
    let with = |rems: &[u64]| {
        (0..10_000u64)
            .filter(good)
            .filter(|i| rems.contains(&(i % 4)))
            .count() as i64
    };
    assert_eq!(
        tag_counts(&store).await,
        vec![
            ("alpha".to_owned(), with(&[0, 3])),
            ("beta".to_owned(), with(&[1])),
            ("delta".to_owned(), with(&[3])),
            ("gamma".to_owned(), with(&[1])),
        ]
    );
}

#[tokio::test]
async fn unknown_columns_become_custom_fields_with_snake_case_keys_and_inferred_types() {
    let (_dir, store) = fresh_store().await;
    let report = import_fixture(&store, "custom_fields.csv", &defaults()).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    assert_eq!(
        report.columns,
        columns(&[
            ("email", "email"),
            ("Plan", "custom.plan"),
            ("Seats", "custom.seats"),
            ("Active", "custom.active"),
            ("Renewal Date", "custom.renewal_date"),
            ("Zip Code", "custom.zip_code"),
            ("Balance", "custom.balance"),
            ("MRR", "custom.mrr"),
            ("signupDate", "custom.signup_date"),
            ("Notes", "custom.notes"),
        ])
    );
    let cf1 = by_email(&store, "cf1@example.com").await;
    assert_eq!(
        cf1.custom,
        custom(&[
            ("active", herald_core::CustomValue::Bool(true)),
            ("balance", int(-3)),
            ("mrr", float(99.5)),
            ("notes", text("Likes the blue theme")),
            ("plan", text("Pro")),
            ("renewal_date", date("2024-07-01")),
            ("seats", int(12)),
            ("signup_date", date("2023-01-31")),
            // A leading zero keeps a zip code as text.
            ("zip_code", text("02134")),
        ])
    );
    let cf2 = by_email(&store, "cf2@example.com").await;
    assert_eq!(
        cf2.custom,
        custom(&[
            ("active", herald_core::CustomValue::Bool(false)),
            ("balance", int(0)),
            ("mrr", float(0.25)),
            ("plan", text("Basic")),
            ("seats", int(1)),
            ("zip_code", int(90210)),
        ])
    );
}

#[tokio::test]
async fn ignore_unknown_drops_unrecognised_columns() {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        ignore_unknown: true,
        ..defaults()
    };
    let report = import_fixture(&store, "custom_fields.csv", &options).await;
    assert_eq!(counts(&report), (2, 0, 0, 0, 0));
    let fields: Vec<&str> = report.columns.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["email"]
            .into_iter()
            .chain(["ignore"; 9])
            .collect::<Vec<_>>()
    );
    for mail in ["cf1@example.com", "cf2@example.com"] {
        assert!(by_email(&store, mail).await.custom.is_empty(), "{mail}");
    }
}

#[tokio::test]
async fn explicit_mappings_override_detection() {
    let (_dir, store) = fresh_store().await;

    // Detected: "Status" is the email status, and "vip" is not one.
    let options = ImportOptions {
        dry_run: true,
        ..defaults()
    };
    let report = import_fixture(&store, "mapping.csv", &options).await;
    assert_eq!(
        report.columns,
        columns(&[
            ("Work Address", "custom.work_address"),
            ("Cell", "phone"),
            ("Status", "email_status"),
            ("Customer Ref", "custom.customer_ref"),
        ])
    );
    assert_eq!(counts(&report), (0, 0, 0, 1, 0));
    assert_eq!(error_cells(&report), vec![at(2, "Status")]);

    let options = ImportOptions {
        mappings: vec![
            ("work address".into(), "email".into()),
            ("STATUS".into(), "tags".into()),
            ("Customer Ref".into(), "custom.crm_ref".into()),
            (" Cell ".into(), "ignore".into()),
        ],
        ..defaults()
    };
    let report = import_fixture(&store, "mapping.csv", &options).await;
    assert_eq!(
        report.columns,
        columns(&[
            ("Work Address", "email"),
            ("Cell", "ignore"),
            ("Status", "tags"),
            ("Customer Ref", "custom.crm_ref"),
        ])
    );
    assert_eq!(counts(&report), (1, 0, 0, 0, 0));
    let m1 = by_email(&store, "m1@example.com").await;
    assert_eq!(m1.phone, None);
    assert_eq!(m1.tags, strings(&["vip"]));
    assert_eq!(m1.custom, custom(&[("crm_ref", text("A-17"))]));
}

async fn assert_refused_mapping(mappings: &[(&str, &str)], expected_message: &str) {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        mappings: mappings
            .iter()
            .map(|(h, f)| ((*h).to_owned(), (*f).to_owned()))
            .collect(),
        ..defaults()
    };
    let bytes = fixture("mapping.csv");
    match try_import(&store, &bytes, &options).await {
        Err(StoreError::Validation { field, message }) => {
            assert_eq!(field, "map");
            assert_eq!(message, expected_message);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(count(&store).await, 0);
    assert_eq!(generation(&store).await, 0);
    assert_eq!(tag_counts(&store).await, vec![]);
}

#[tokio::test]
async fn a_mapping_for_a_missing_header_is_refused_and_nothing_is_written() {
    assert_refused_mapping(
        &[("Work Address", "email"), ("Fax", "phone")],
        "--map names the column \"Fax\", which the file does not have",
    )
    .await;
}

#[tokio::test]
async fn a_mapping_to_an_unknown_field_is_refused_and_nothing_is_written() {
    assert_refused_mapping(
        &[("Work Address", "email"), ("Status", "favourite")],
        "\"favourite\" is not a contact field (use e.g. email, first_name, phone, tags, custom.<key> or ignore)",
    )
    .await;
}

#[tokio::test]
async fn a_mapping_that_sends_two_columns_to_one_field_is_refused_and_nothing_is_written() {
    assert_refused_mapping(
        &[("Work Address", "email"), ("Customer Ref", "email")],
        "the columns \"Work Address\" and \"Customer Ref\" both map to email; map one of them elsewhere with --map",
    )
    .await;
}

#[tokio::test]
async fn the_tags_option_adds_its_tags_to_every_row() {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        tags: strings(&["Spring Fair", "ALPHA"]),
        ..defaults()
    };
    let report = import_fixture(&store, "tag_separators.csv", &options).await;
    assert_eq!(counts(&report), (5, 0, 0, 0, 0));
    assert_eq!(
        by_email(&store, "t5@example.com").await.tags,
        strings(&["alpha", "Spring Fair"])
    );
    assert_eq!(
        tag_counts(&store).await,
        vec![
            ("alpha".to_owned(), 5),
            ("beta".to_owned(), 3),
            ("delta".to_owned(), 1),
            ("gamma".to_owned(), 2),
            ("Spring Fair".to_owned(), 5),
        ]
    );
}

#[tokio::test]
async fn an_invalid_tags_option_is_refused_and_nothing_is_written() {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        tags: strings(&["a|b"]),
        ..defaults()
    };
    let bytes = fixture("tag_separators.csv");
    match try_import(&store, &bytes, &options).await {
        Err(StoreError::Validation { field, .. }) => assert_eq!(field, "tag"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(count(&store).await, 0);
    assert_eq!(tag_counts(&store).await, vec![]);
}

#[tokio::test]
async fn consent_source_records_consent_for_subscribed_contacts_only() {
    let (_dir, store) = fresh_store().await;
    let options = ImportOptions {
        consent_source: Some("webinar-2024".into()),
        ..defaults()
    };
    // Instants are stored in whole milliseconds: one taken in the same
    // millisecond as `before` is truncated below it.
    let before = Utc::now().trunc_subsecs(3);
    let report = import_fixture(&store, "consent.csv", &options).await;
    let after = Utc::now();
    assert_eq!(counts(&report), (3, 0, 0, 0, 0));

    let c1 = by_email(&store, "c1@example.com").await;
    let consent = c1
        .email_consent
        .clone()
        .expect("a subscribed row gets consent");
    assert_eq!(
        (consent.source.as_str(), consent.method.as_str()),
        ("webinar-2024", "import")
    );
    assert!(before <= consent.at && consent.at <= after);
    assert_eq!(c1.sms_consent, None, "no phone, no SMS consent");
    assert_eq!(
        ledger_summary(&store, c1.id).await,
        vec![ledger_row(
            "email",
            "granted",
            "subscribed",
            "webinar-2024",
            "import"
        )]
    );

    let c2 = by_email(&store, "c2@example.com").await;
    assert_eq!(c2.email_status, EmailStatus::Unsubscribed);
    assert_eq!(c2.email_consent, None);
    assert_eq!(
        ledger_summary(&store, c2.id).await,
        vec![ledger_row(
            "email",
            "withdrawn",
            "unsubscribed",
            "import",
            "import"
        )]
    );

    let c3 = by_email(&store, "c3@example.com").await;
    assert_eq!(c3.email_status, EmailStatus::Subscribed);
    assert_eq!(c3.sms_status, SmsStatus::OptedOut);
    assert_eq!(
        c3.email_consent.map(|c| c.source),
        Some("webinar-2024".into())
    );
    assert_eq!(c3.sms_consent, None);
    assert_eq!(
        ledger_summary(&store, c3.id).await,
        vec![
            ledger_row("email", "granted", "subscribed", "webinar-2024", "import"),
            ledger_row("sms", "withdrawn", "opted_out", "import", "import"),
        ]
    );
    assert_eq!(total_ledger_rows(&store).await, 4);

    // Importing again with a consent source grants nothing new.
    let report = import_fixture(&store, "consent.csv", &options).await;
    assert_eq!(counts(&report), (0, 0, 3, 0, 0));
    assert_eq!(total_ledger_rows(&store).await, 4);
}

#[tokio::test]
async fn without_consent_source_an_import_records_no_consent() {
    let (_dir, store) = fresh_store().await;
    import_fixture(&store, "consent.csv", &defaults()).await;
    let c1 = by_email(&store, "c1@example.com").await;
    assert_eq!(c1.email_consent, None);
    assert_eq!(ledger(&store, c1.id).await, vec![]);
    // Only the two withdrawals the rows themselves state.
    assert_eq!(total_ledger_rows(&store).await, 2);
}

async fn dry_then_real(store: &herald_store::Store, bytes: &[u8]) -> (ImportReport, ImportReport) {
    let dry_options = ImportOptions {
        dry_run: true,
        ..defaults()
    };
    let generation_before = generation(store).await;
    let count_before = count(store).await;
    let tags_before = tag_counts(store).await;
    let ledger_before = total_ledger_rows(store).await;
    let export_before = export_string(store, herald_store::export::Format::Csv).await;

    let dry = import(store, bytes, &dry_options).await;
    assert!(dry.dry_run);
    assert_eq!(generation(store).await, generation_before);
    assert_eq!(count(store).await, count_before);
    assert_eq!(tag_counts(store).await, tags_before);
    assert_eq!(total_ledger_rows(store).await, ledger_before);
    assert_eq!(
        export_string(store, herald_store::export::Format::Csv).await,
        export_before
    );

    let real = import(store, bytes, &defaults()).await;
    assert!(!real.dry_run);
    (dry, real)
}

#[tokio::test]
async fn a_dry_run_reports_what_a_real_run_does_and_writes_nothing() {
    let (_dir, store) = fresh_store().await;

    let bytes = fixture("bad_rows_50.csv");
    let (dry, real) = dry_then_real(&store, &bytes).await;
    assert_eq!(counts(&dry), (100, 0, 0, 50, 0));
    assert_eq!(
        real,
        ImportReport {
            dry_run: false,
            ..dry
        }
    );
    assert_eq!(count(&store).await, 100);
    assert_eq!(generation(&store).await, 1);

    // On a workspace with contacts: new, changed and unchanged rows.
    let bytes = b"email,city\ngood000@example.com,Paris\ngood001@example.com,\nnew@example.com,Rome\nnew@example.com,Roma\n";
    let (dry, real) = dry_then_real(&store, bytes).await;
    assert_eq!(counts(&dry), (1, 1, 1, 0, 1));
    assert_eq!(
        real,
        ImportReport {
            dry_run: false,
            ..dry
        }
    );
    assert_eq!(count(&store).await, 101);
    assert_eq!(
        by_email(&store, "good000@example.com")
            .await
            .city
            .as_deref(),
        Some("Paris")
    );
    assert_eq!(generation(&store).await, 2);
}
