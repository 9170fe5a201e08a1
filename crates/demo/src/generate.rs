//! The generator. The same seed (and day) gives the same contacts, with tags, interactions, projects, revenue, countries and custom
//! fields. Dates are placed relative to today's date (UTC midnight) so that
//! "in the last 30 days" always finds someone.

use chrono::{Duration, NaiveTime, Utc};
use herald_core::PhoneNumber;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Sophia",
    "Elijah",
    "Mia",
    "Lucas",
    "Charlotte",
    "Mateo",
    "Ava",
    "Leo",
    "Isla",
    "Hugo",
    "Freya",
    "Arjun",
    "Priya",
    "Yuki",
    "Hana",
    "Lena",
    "Jonas",
    "Chloé",
    "Louis",
    "Sofía",
    "Diego",
    "Ana",
    "João",
    "Aisha",
    "Omar",
    "Zoë",
    "Finn",
    "Nora",
    "Kwame",
    "Ngozi",
    "Mei",
    "Wei",
    "Sven",
    "Ingrid",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Müller",
    "Schmidt",
    "Dubois",
    "Moreau",
    "Rossi",
    "Bianchi",
    "Silva",
    "Santos",
    "Tanaka",
    "Sato",
    "Kim",
    "Patel",
    "Sharma",
    "Nguyen",
    "O'Brien",
    "Kowalski",
    "Novak",
    "Jensen",
    "Larsen",
    "van Dijk",
    "de Vries",
    "Okafor",
    "Mensah",
    "Chen",
    "Wang",
    "Andersson",
    "Fischer",
];
const COMPANIES: &[&str] = &[
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Foods",
    "Hooli",
    "Vandelay Imports",
    "Pied Piper",
    "Soylent Labs",
    "Tyrell Systems",
    "Cyberdyne",
    "Northwind Traders",
    "Contoso",
    "Fabrikam",
    "Blue Yonder Air",
    "Litware",
    "Proseware",
];
const TAGS: &[&str] = &[
    "newsletter",
    "vip",
    "customer",
    "trial",
    "webinar-2026",
    "partner",
    "churn-risk",
    "beta-tester",
    "event-attendee",
    "wholesale",
];
const PLANS: &[&str] = &["free", "starter", "pro", "enterprise"];
const SOURCES: &[&str] = &[
    "website",
    "referral",
    "trade show",
    "webinar",
    "partner",
    "ads",
];
const INTERACTION_KINDS: &[(&str, &str)] = &[
    ("call", "Discovery call"),
    ("meeting", "Product demo"),
    ("email", "Replied to the onboarding email"),
    ("note", "Asked about volume pricing"),
    ("meeting", "Quarterly review"),
    ("call", "Renewal check-in"),
];
const PROJECT_NAMES: &[&str] = &[
    "Website redesign",
    "Annual licence",
    "Pilot rollout",
    "Support plan",
    "Data migration",
    "Team training",
];
const PROJECT_STATUSES: &[&str] = &["lead", "active", "on_hold", "won", "lost"];

struct Place {
    country: &'static str,
    currency: &'static str,
    cities: &'static [(&'static str, &'static str)],
    /// Phone number shapes: a prefix and how many random digits follow.
    phone: (&'static str, usize),
    weight: u32,
}

const PLACES: &[Place] = &[
    Place {
        country: "US",
        currency: "USD",
        cities: &[
            ("New York", "NY"),
            ("San Francisco", "CA"),
            ("Austin", "TX"),
            ("Seattle", "WA"),
            ("Chicago", "IL"),
        ],
        phone: ("+1415", 7),
        weight: 30,
    },
    Place {
        country: "GB",
        currency: "GBP",
        cities: &[
            ("London", "England"),
            ("Manchester", "England"),
            ("Edinburgh", "Scotland"),
        ],
        phone: ("+4477", 8),
        weight: 12,
    },
    Place {
        country: "DE",
        currency: "EUR",
        cities: &[
            ("Berlin", "Berlin"),
            ("Munich", "Bavaria"),
            ("Hamburg", "Hamburg"),
        ],
        phone: ("+49151", 8),
        weight: 12,
    },
    Place {
        country: "FR",
        currency: "EUR",
        cities: &[("Paris", "Île-de-France"), ("Lyon", "Auvergne-Rhône-Alpes")],
        phone: ("+336", 8),
        weight: 8,
    },
    Place {
        country: "CA",
        currency: "CAD",
        cities: &[("Toronto", "ON"), ("Vancouver", "BC")],
        phone: ("+1416", 7),
        weight: 7,
    },
    Place {
        country: "AU",
        currency: "AUD",
        cities: &[("Sydney", "NSW"), ("Melbourne", "VIC")],
        phone: ("+614", 8),
        weight: 6,
    },
    Place {
        country: "NL",
        currency: "EUR",
        cities: &[("Amsterdam", "North Holland"), ("Utrecht", "Utrecht")],
        phone: ("+316", 8),
        weight: 5,
    },
    Place {
        country: "ES",
        currency: "EUR",
        cities: &[("Madrid", "Madrid"), ("Barcelona", "Catalonia")],
        phone: ("+346", 8),
        weight: 5,
    },
    Place {
        country: "BR",
        currency: "BRL",
        cities: &[("São Paulo", "SP"), ("Rio de Janeiro", "RJ")],
        phone: ("+55119", 8),
        weight: 5,
    },
    Place {
        country: "IN",
        currency: "INR",
        cities: &[("Bengaluru", "Karnataka"), ("Mumbai", "Maharashtra")],
        phone: ("+919", 9),
        weight: 5,
    },
    Place {
        country: "JP",
        currency: "JPY",
        cities: &[("Tokyo", "Tokyo"), ("Osaka", "Osaka")],
        phone: ("+8190", 8),
        weight: 5,
    },
];

/// One generated contact with its timeline and projects.
#[derive(Debug, Clone)]
pub struct DemoContact {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub revenue: String,
    pub currency: String,
    pub tags: Vec<&'static str>,
    pub email_status: &'static str,
    pub created_at: i64,
    pub plan: &'static str,
    pub source: &'static str,
    pub nps: u8,
    pub interactions: Vec<(&'static str, i64, &'static str)>,
    pub projects: Vec<(&'static str, &'static str, i64)>,
}

/// The CSV header [`DemoContact::csv_record`] matches.
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "First Name",
    "Last Name",
    "Email Address",
    "Mobile",
    "Company",
    "City",
    "State/Province",
    "Country",
    "Revenue",
    "Currency",
    "Tags",
    "Email Status",
    "Created At",
    "Plan",
    "Lead Source",
    "NPS",
];

impl DemoContact {
    pub fn csv_record(&self) -> Vec<String> {
        let created = chrono::DateTime::from_timestamp_millis(self.created_at)
            .unwrap_or_default()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        vec![
            self.id.to_string(),
            self.first_name.clone(),
            self.last_name.clone(),
            self.email.clone().unwrap_or_default(),
            self.phone.clone().unwrap_or_default(),
            self.company.clone(),
            self.city.clone(),
            self.region.clone(),
            self.country.clone(),
            self.revenue.clone(),
            self.currency.clone(),
            self.tags.join(";"),
            self.email_status.to_owned(),
            created,
            self.plan.to_owned(),
            self.source.to_owned(),
            self.nps.to_string(),
        ]
    }
}

/// Generates `n` contacts. `validate_phones` checks each generated number
/// with the real parser and drops the few that are not valid (the demo must
/// import cleanly); the import benchmark skips it to keep generation cheap
/// and lets the importer do the validating.
pub fn generate(seed: u64, n: u32, validate_phones: bool) -> impl Iterator<Item = DemoContact> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Random numbers collide now and then; a demo never gives two people one
    // phone (the importer would rightly refuse the second).
    let mut phones_used = std::collections::HashSet::new();
    let today = Utc::now().date_naive().and_time(NaiveTime::MIN).and_utc();
    let anchor = today.timestamp_millis();
    let total_weight: u32 = PLACES.iter().map(|p| p.weight).sum();
    (0..n).map(move |i| {
        let mut pick = rng.gen_range(0..total_weight);
        let place = PLACES
            .iter()
            .find(|p| {
                if pick < p.weight {
                    true
                } else {
                    pick -= p.weight;
                    false
                }
            })
            .expect("weights cover the range");
        let first = *FIRST_NAMES.choose(&mut rng).expect("names");
        let last = *LAST_NAMES.choose(&mut rng).expect("names");
        let company = *COMPANIES.choose(&mut rng).expect("companies");
        let (city, region) = *place.cities.choose(&mut rng).expect("cities");
        let created_days_ago = rng.gen_range(0..730);
        let created_at = anchor - Duration::days(created_days_ago).num_milliseconds()
            + rng.gen_range(0..86_400_000);
        let mut id_random = [0u8; 10];
        rng.fill(&mut id_random);
        let id = uuid::Builder::from_unix_timestamp_millis(created_at.max(0) as u64, &id_random)
            .into_uuid();
        let has_email = rng.gen_bool(0.95);
        let email = has_email.then(|| {
            let local: String = format!("{first}.{last}")
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            let domain = company.to_lowercase().replace(' ', "");
            format!("{local}.{i}@{domain}.example")
        });
        let wants_phone = !has_email || rng.gen_bool(0.6);
        let phone = wants_phone
            .then(|| {
                let (prefix, digits) = place.phone;
                let mut number = prefix.to_owned();
                for _ in 0..digits {
                    number.push(char::from(b'0' + rng.gen_range(0..10u8)));
                }
                number
            })
            .filter(|p| !validate_phones || PhoneNumber::parse(p, None).is_ok())
            .filter(|p| !validate_phones || phones_used.insert(p.clone()));
        // Every contact needs an email or a phone: fall back to an email.
        let email = if email.is_none() && phone.is_none() {
            Some(format!("contact.{i}@example.org"))
        } else {
            email
        };
        let tag_count = rng.gen_range(0..=3);
        let mut tags: Vec<&'static str> =
            TAGS.choose_multiple(&mut rng, tag_count).copied().collect();
        tags.sort_unstable();
        let revenue_minor: i64 = if rng.gen_bool(0.4) {
            0
        } else {
            rng.gen_range(0..5_000_000)
        };
        let revenue = if place.currency == "JPY" {
            (revenue_minor / 100).to_string()
        } else {
            format!("{}.{:02}", revenue_minor / 100, revenue_minor % 100)
        };
        let email_status = match rng.gen_range(0..100) {
            0..=89 => "subscribed",
            90..=96 => "unsubscribed",
            97..=98 => "bounced",
            _ => "complained",
        };
        let interactions = (0..rng.gen_range(0..=4))
            .map(|_| {
                let (kind, summary) = *INTERACTION_KINDS.choose(&mut rng).expect("kinds");
                let days = rng.gen_range(0..=created_days_ago.max(1));
                (
                    kind,
                    anchor - Duration::days(days).num_milliseconds() + rng.gen_range(0..86_400_000),
                    summary,
                )
            })
            .collect();
        let projects = (0..rng.gen_range(0..=2))
            .map(|_| {
                (
                    *PROJECT_NAMES.choose(&mut rng).expect("projects"),
                    *PROJECT_STATUSES.choose(&mut rng).expect("statuses"),
                    rng.gen_range(1..500) * 10_000,
                )
            })
            .collect();
        DemoContact {
            id,
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            email,
            phone,
            company: company.to_owned(),
            city: city.to_owned(),
            region: region.to_owned(),
            country: place.country.to_owned(),
            revenue,
            currency: place.currency.to_owned(),
            tags,
            email_status,
            created_at,
            plan: PLANS.choose(&mut rng).expect("plans"),
            source: SOURCES.choose(&mut rng).expect("sources"),
            nps: rng.gen_range(0..=10),
            interactions,
            projects,
        }
    })
}
