//! Compile-time checks of the attribute's values. Each returns an error spanned on the
//! offending literal with a hint how to fix it.

use syn::LitStr;

/// A plugin name: a lowercase identifier, as used in the operator's `plugins` list.
pub fn is_valid_name(name: &str) -> bool {
    let mut characters = name.chars();
    matches!(characters.next(), Some('a'..='z'))
        && characters.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// A URL slug: lowercase letters and digits in runs joined by single `-` or `_`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .split(['-', '_'])
            .all(|run| !run.is_empty() && run.chars().all(|c| matches!(c, 'a'..='z' | '0'..='9')))
}

/// The known key most like `key` (Jaro-Winkler above 0.8), for "did you mean".
pub fn nearest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|candidate| (strsim::jaro_winkler(key, candidate), *candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

pub fn name(literal: &LitStr) -> syn::Result<String> {
    let name = literal.value();
    if is_valid_name(&name) {
        Ok(name)
    } else {
        Err(syn::Error::new_spanned(
            literal,
            format!(
                "plugin name `{name}` is not valid: use lowercase letters, digits and `_`, starting with a letter (e.g. \"animal_sounds\")"
            ),
        ))
    }
}

pub fn base_url(literal: &LitStr) -> syn::Result<String> {
    let base_url = literal.value();
    if is_slug(&base_url) {
        Ok(base_url)
    } else {
        Err(syn::Error::new_spanned(
            literal,
            format!(
                "base_url `{base_url}` is not a URL slug: use lowercase letters and digits joined by single `-` or `_`, without slashes (e.g. \"animal-sounds\"); pages mount at /plugins/<base_url>/"
            ),
        ))
    }
}

pub fn semver(literal: &LitStr, key: &str) -> syn::Result<semver::Version> {
    semver::Version::parse(&literal.value()).map_err(|error| {
        syn::Error::new_spanned(
            literal,
            format!(
                "{key} `{}` is not a semantic version ({error}): write MAJOR.MINOR.PATCH, e.g. \"1.2.0\"",
                literal.value()
            ),
        )
    })
}

pub fn version_range(
    min: Option<(&LitStr, &semver::Version)>,
    max: Option<(&LitStr, &semver::Version)>,
) -> syn::Result<()> {
    if let (Some((min_literal, min)), Some((_, max))) = (min, max)
        && min > max
    {
        return Err(syn::Error::new_spanned(
            min_literal,
            format!(
                "min_version {min} is greater than max_version {max}: no host version could load this plugin; swap them or widen the range"
            ),
        ));
    }
    Ok(())
}

pub fn email(literal: &LitStr) -> syn::Result<String> {
    let email = literal.value();
    match email.split_once('@') {
        Some((user, domain)) if !user.is_empty() && !domain.is_empty() && !email.contains(' ') => {
            Ok(email)
        }
        _ => Err(syn::Error::new_spanned(
            literal,
            format!("author_email `{email}` is not an e-mail address (e.g. \"jane@example.com\")"),
        )),
    }
}

pub fn release_track(literal: &LitStr) -> syn::Result<String> {
    let track = literal.value();
    if is_slug(&track) {
        Ok(track)
    } else {
        Err(syn::Error::new_spanned(
            literal,
            format!(
                "release_track `{track}` must be a short word such as \"beta\" or \"dev\" (lowercase letters, digits, `-`)"
            ),
        ))
    }
}

/// The default base URL and display name derived from a plugin name.
pub fn default_base_url(name: &str) -> String {
    name.replace('_', "-")
}

pub fn default_verbose_name(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut characters = word.chars();
            match characters.next() {
                Some(first) => first.to_uppercase().chain(characters).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("animal_sounds"));
        assert!(is_valid_name("acl2"));
        assert!(!is_valid_name("Animal"));
        assert!(!is_valid_name("2acl"));
        assert!(!is_valid_name("animal-sounds"));
        assert!(!is_valid_name(""));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("animal-sounds"));
        assert!(is_slug("acl_2"));
        assert!(!is_slug("animal--sounds"));
        assert!(!is_slug("-animal"));
        assert!(!is_slug("animal/sounds"));
        assert!(!is_slug("Animal"));
        assert!(!is_slug(""));
    }

    #[test]
    fn derived_defaults() {
        assert_eq!(default_base_url("animal_sounds"), "animal-sounds");
        assert_eq!(default_verbose_name("animal_sounds"), "Animal Sounds");
        assert_eq!(default_verbose_name("acl"), "Acl");
    }
}
