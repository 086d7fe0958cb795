//! Defaults taken from the plugin crate's own Cargo.toml. Cargo passes them to the compiler
//! as environment variables, which a procedural macro can read while it expands.

/// `version`, `description` and the first of `authors` of the crate being compiled.
pub struct CargoDefaults {
    pub version: String,
    pub description: String,
    pub author: String,
    pub author_email: String,
}

impl CargoDefaults {
    pub fn from_env() -> Self {
        let read = |key: &str| std::env::var(key).unwrap_or_default();
        let authors = read("CARGO_PKG_AUTHORS");
        let first = authors.split(':').next().unwrap_or_default();
        let (author, author_email) = split_author(first);
        CargoDefaults {
            version: read("CARGO_PKG_VERSION"),
            description: read("CARGO_PKG_DESCRIPTION"),
            author,
            author_email,
        }
    }
}

/// Splits `"Jane Doe <jane@example.com>"` into name and address.
fn split_author(entry: &str) -> (String, String) {
    match (entry.find('<'), entry.rfind('>')) {
        (Some(open), Some(close)) if open < close => (
            entry[..open].trim().to_string(),
            entry[open + 1..close].trim().to_string(),
        ),
        _ => (entry.trim().to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::split_author;

    #[test]
    fn splits_name_and_email() {
        assert_eq!(
            split_author("Jane Doe <jane@example.com>"),
            ("Jane Doe".to_string(), "jane@example.com".to_string())
        );
        assert_eq!(split_author("Jane"), ("Jane".to_string(), String::new()));
        assert_eq!(split_author(""), (String::new(), String::new()));
    }
}
