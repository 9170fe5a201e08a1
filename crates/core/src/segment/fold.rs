//! How segment filters compare text.

/// Trims surrounding whitespace and applies Unicode default case folding, so
/// "  ÖLAF " and "ölaf" compare equal, and so do "STRASSE" and "straße".
/// The SQL compiler registers this very function with SQLite
/// (`herald_fold`), so the database and the oracle fold identically.
pub fn fold(text: &str) -> String {
    caseless::default_case_fold_str(text.trim())
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_beyond_ascii_and_trims() {
        assert_eq!(fold("  ÖLAF "), "ölaf");
        assert_eq!(fold("Ölaf"), fold("ölaf"));
        assert_eq!(fold("STRASSE"), fold("straße"));
        assert_eq!(fold("ΣΊΣΥΦΟΣ"), fold("σίσυφος"));
        assert_eq!(fold("\t\n"), "");
    }
}
