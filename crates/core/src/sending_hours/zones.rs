//! Which countries have a single time zone, for contacts whose zone is not
//! known but whose country is.
//!
//! A country is listed only when one IANA zone gives the right wall clock
//! for (nearly) everyone there, so quiet hours are kept. Countries whose
//! people live in several zones (US, CA, AU, BR, RU, MX, ID, KZ, CL, CD,
//! MN, …) get `None`, and the caller falls back to the workspace zone.
//! Countries with several IANA zones that all keep the same clock today
//! (AR, CN, CY, MY, UA, UZ, DE with Büsingen) are listed under their main one.
//! Deliberate approximations, each a small remote minority an hour or less
//! off:
//! - ES is mainland Spain (Europe/Madrid); the Canary Islands are an hour
//!   behind.
//! - PT is mainland Portugal (Europe/Lisbon); the Azores are an hour behind.
//! - NZ is Pacific/Auckland; the Chatham Islands (about 600 people) are 45
//!   minutes ahead.
//! - EC is mainland Ecuador (America/Guayaquil); Galápagos is an hour behind.
//!
//! Overseas territories with their own ISO code (GL, RE, GP, PR, …) are
//! looked up by that code, never as their metropole; those not listed fall
//! back like any other country missing from the table.

use chrono_tz::{Africa, America, Asia, Atlantic, Europe, Indian, Pacific, Tz};

use crate::CountryCode;

/// The time zone of a country that has exactly one (see the module doc for
/// the few approximations); `None` for countries with several, and for
/// countries not in the table.
pub fn zone_of_country(country: &CountryCode) -> Option<Tz> {
    Some(match country.as_str() {
        // Europe
        "AD" => Europe::Andorra,
        "AL" => Europe::Tirane,
        "AT" => Europe::Vienna,
        "BA" => Europe::Sarajevo,
        "BE" => Europe::Brussels,
        "BG" => Europe::Sofia,
        "BY" => Europe::Minsk,
        "CH" => Europe::Zurich,
        "CY" => Asia::Nicosia,
        "CZ" => Europe::Prague,
        "DE" => Europe::Berlin,
        "DK" => Europe::Copenhagen,
        "EE" => Europe::Tallinn,
        "ES" => Europe::Madrid,
        "FI" => Europe::Helsinki,
        "FO" => Atlantic::Faroe,
        "FR" => Europe::Paris,
        "GB" => Europe::London,
        "GG" => Europe::Guernsey,
        "GI" => Europe::Gibraltar,
        "GR" => Europe::Athens,
        "HR" => Europe::Zagreb,
        "HU" => Europe::Budapest,
        "IE" => Europe::Dublin,
        "IM" => Europe::Isle_of_Man,
        "IS" => Atlantic::Reykjavik,
        "IT" => Europe::Rome,
        "JE" => Europe::Jersey,
        "LI" => Europe::Vaduz,
        "LT" => Europe::Vilnius,
        "LU" => Europe::Luxembourg,
        "LV" => Europe::Riga,
        "MC" => Europe::Monaco,
        "MD" => Europe::Chisinau,
        "ME" => Europe::Podgorica,
        "MK" => Europe::Skopje,
        "MT" => Europe::Malta,
        "NL" => Europe::Amsterdam,
        "NO" => Europe::Oslo,
        "PL" => Europe::Warsaw,
        "PT" => Europe::Lisbon,
        "RO" => Europe::Bucharest,
        "RS" => Europe::Belgrade,
        "SE" => Europe::Stockholm,
        "SI" => Europe::Ljubljana,
        "SK" => Europe::Bratislava,
        "SM" => Europe::San_Marino,
        "TR" => Europe::Istanbul,
        "UA" => Europe::Kyiv,
        "VA" => Europe::Vatican,
        // Asia and the Middle East
        "AE" => Asia::Dubai,
        "AM" => Asia::Yerevan,
        "AZ" => Asia::Baku,
        "BD" => Asia::Dhaka,
        "BH" => Asia::Bahrain,
        "CN" => Asia::Shanghai,
        "GE" => Asia::Tbilisi,
        "HK" => Asia::Hong_Kong,
        "IL" => Asia::Jerusalem,
        "IN" => Asia::Kolkata,
        "IQ" => Asia::Baghdad,
        "IR" => Asia::Tehran,
        "JO" => Asia::Amman,
        "JP" => Asia::Tokyo,
        "KH" => Asia::Phnom_Penh,
        "KR" => Asia::Seoul,
        "KW" => Asia::Kuwait,
        "LB" => Asia::Beirut,
        "LK" => Asia::Colombo,
        "MM" => Asia::Yangon,
        "MO" => Asia::Macau,
        "MY" => Asia::Kuala_Lumpur,
        "NP" => Asia::Kathmandu,
        "OM" => Asia::Muscat,
        "PH" => Asia::Manila,
        "PK" => Asia::Karachi,
        "QA" => Asia::Qatar,
        "SA" => Asia::Riyadh,
        "SG" => Asia::Singapore,
        "TH" => Asia::Bangkok,
        "TW" => Asia::Taipei,
        "UZ" => Asia::Tashkent,
        "VN" => Asia::Ho_Chi_Minh,
        // Africa
        "CI" => Africa::Abidjan,
        "DZ" => Africa::Algiers,
        "EG" => Africa::Cairo,
        "ET" => Africa::Addis_Ababa,
        "GH" => Africa::Accra,
        "KE" => Africa::Nairobi,
        "MA" => Africa::Casablanca,
        "MU" => Indian::Mauritius,
        "NG" => Africa::Lagos,
        "RW" => Africa::Kigali,
        "SN" => Africa::Dakar,
        "TN" => Africa::Tunis,
        "TZ" => Africa::Dar_es_Salaam,
        "UG" => Africa::Kampala,
        "ZA" => Africa::Johannesburg,
        "ZM" => Africa::Lusaka,
        "ZW" => Africa::Harare,
        // The Americas
        "AR" => America::Argentina::Buenos_Aires,
        "BO" => America::La_Paz,
        "CO" => America::Bogota,
        "CR" => America::Costa_Rica,
        "CU" => America::Havana,
        "DO" => America::Santo_Domingo,
        "EC" => America::Guayaquil,
        "GT" => America::Guatemala,
        "HN" => America::Tegucigalpa,
        "JM" => America::Jamaica,
        "NI" => America::Managua,
        "PA" => America::Panama,
        "PE" => America::Lima,
        "PR" => America::Puerto_Rico,
        "PY" => America::Asuncion,
        "SV" => America::El_Salvador,
        "TT" => America::Port_of_Spain,
        "UY" => America::Montevideo,
        "VE" => America::Caracas,
        // Oceania
        "FJ" => Pacific::Fiji,
        "NZ" => Pacific::Auckland,
        // Several zones (US, CA, AU, BR, RU, MX, ID, KZ, CL, CD, MN, …), or not listed.
        _ => return None,
    })
}
