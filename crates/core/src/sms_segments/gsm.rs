//! The GSM 03.38 alphabet (3GPP TS 23.038 §6.2.1) and the everyday
//! characters that have a GSM look-alike.

/// The default alphabet, in code order (0x00–0x7F). Position 0x1B is the
/// escape to the extension table, not a character, so it holds a space
/// placeholder that [`septets`] never reports for U+001B.
const BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', ' ', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
];

/// The extension table: each is sent as ESC + a code, so it costs two septets.
const EXTENSION: [char; 10] = ['\u{0C}', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

/// How many septets `c` costs in GSM-7: 1 (default alphabet), 2 (extension
/// table) or `None` when it has no GSM-7 encoding at all.
pub(super) fn septets(c: char) -> Option<usize> {
    if EXTENSION.contains(&c) {
        Some(2)
    } else if c != '\u{1B}' && BASIC.contains(&c) {
        Some(1)
    } else {
        None
    }
}

/// The GSM stand-in for a character that forces UCS-2, when one reads the
/// same to a person. Only typography is replaced (quotes, dashes, spaces,
/// ellipsis, bullets, invisible marks): letters are left alone, because
/// "Francois" for "François" changes a name.
pub(super) fn equivalent(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2039}'
        | '\u{203A}' | '`' | '´' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '«' | '»' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        // No-break, thin, hair, figure, ideographic … spaces, and tabs.
        '\t' | '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '\u{2022}' | '\u{2023}' | '\u{2043}' | '\u{2219}' => "-",
        // Invisible marks pasted from web pages and word processors: they
        // force UCS-2 for nothing a reader could see.
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basic_table_has_128_distinct_positions_besides_the_escape() {
        let mut seen: Vec<char> = BASIC.to_vec();
        seen.remove(0x1B);
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 127);
    }

    #[test]
    fn no_character_is_in_both_tables() {
        assert!(EXTENSION.iter().all(|c| !BASIC.contains(c)));
    }

    #[test]
    fn every_equivalent_is_plain_gsm() {
        for c in [
            '\u{2019}', '\u{201C}', '\u{2014}', '\u{2026}', '\u{A0}', '\u{2022}',
        ] {
            let replacement = equivalent(c).expect("has an equivalent");
            assert!(replacement.chars().all(|r| septets(r) == Some(1)), "{c:?}");
            assert_eq!(septets(c), None, "{c:?} must not be GSM itself");
        }
    }
}
