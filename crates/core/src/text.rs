//! Small text helpers shared by the parsers: accent folding for matching
//! user-typed names against canonical ones.

/// The plain-ASCII spelling of a common accented Latin letter, so that
/// "Curacao" matches "Curaçao" and "Favourite Café" becomes `favourite_cafe`.
pub(crate) fn fold_accent(c: char) -> Option<&'static str> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'ğ' => "g",
        'Ğ' => "G",
        'ř' => "r",
        'Ř' => "R",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        _ => return None,
    };
    Some(folded)
}

/// Lowercase, accent-folded, whitespace-collapsed form used to compare names.
pub(crate) fn match_key(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            match (c, fold_accent(c)) {
                // Typographic apostrophes arrive from word processors and phones.
                ('\u{2019}' | '\u{2018}' | '`', _) => key.push('\''),
                (_, Some(folded)) => key.push_str(&folded.to_ascii_lowercase()),
                (_, None) => key.extend(c.to_lowercase()),
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_key_folds_case_accents_spacing_and_apostrophes() {
        assert_eq!(match_key("  Côte  d’Ivoire "), "cote d'ivoire");
        assert_eq!(match_key("ÅLAND Islands"), "aland islands");
    }

    #[test]
    fn unknown_characters_are_not_folded() {
        assert_eq!(fold_accent('x'), None);
        assert_eq!(fold_accent('日'), None);
        assert_eq!(fold_accent('ß'), Some("ss"));
    }
}
