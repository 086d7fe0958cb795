//! Names the derives make from Rust identifiers: labels, verbose names, URL segments.

/// `AccessListRule` → `["Access", "List", "Rule"]`.
pub fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' {
            previous_lower = false;
            words.push(String::new());
            continue;
        }
        if (c.is_uppercase() && previous_lower) || words.is_empty() {
            words.push(String::new());
        }
        if let Some(word) = words.last_mut() {
            word.push(c);
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    words.retain(|w| !w.is_empty());
    words
}

/// `default_action` → `Default action` (a field's label).
pub fn field_label(name: &str) -> String {
    let text = name.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// `AccessList` → `Access List`.
pub fn verbose_name(name: &str) -> String {
    camel_words(name).join(" ")
}

/// English plural of a verbose name: `Access List` → `Access Lists`, `Policy` → `Policies`.
pub fn plural(name: &str) -> String {
    let lower = name.to_lowercase();
    if lower.ends_with("ss")
        || lower.ends_with('x')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
    {
        format!("{name}es")
    } else if lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy")
    {
        format!("{}ies", &name[..name.len() - 1])
    } else if lower.ends_with("lf") || lower.ends_with("eaf") || lower.ends_with("oaf") {
        // shelf → shelves, leaf → leaves (roof, chief and proof keep their f).
        format!("{}ves", &name[..name.len() - 1])
    } else if lower.ends_with("ife") {
        // knife → knives.
        format!("{}ves", &name[..name.len() - 2])
    } else if lower.ends_with('z') {
        // quiz → quizzes, waltz → waltzes.
        let vowel = lower
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| "aeiou".contains(c));
        format!("{name}{}", if vowel { "zes" } else { "es" })
    } else if lower.ends_with('s') {
        name.to_string()
    } else {
        format!("{name}s")
    }
}

/// `Access Lists` → `access-lists`.
pub fn url_segment(verbose_plural: &str) -> String {
    verbose_plural
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// `SomeThing` → `some_thing` (a choice's value).
pub fn snake(name: &str) -> String {
    camel_words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A lowercase identifier: letters, digits, `_`, starting with a letter.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_identifiers() {
        assert_eq!(verbose_name("AccessListRule"), "Access List Rule");
        assert_eq!(verbose_name("IPAddress"), "IPAddress");
        assert_eq!(plural("Access List"), "Access Lists");
        assert_eq!(plural("Policy"), "Policies");
        assert_eq!(plural("Address"), "Addresses");
        assert_eq!(plural("Key"), "Keys");
        assert_eq!(plural("Shelf"), "Shelves");
        assert_eq!(plural("Leaf"), "Leaves");
        assert_eq!(plural("Knife"), "Knives");
        assert_eq!(plural("Roof"), "Roofs");
        assert_eq!(plural("Guy"), "Guys");
        assert_eq!(plural("Quiz"), "Quizzes");
        assert_eq!(plural("Waltz"), "Waltzes");
        assert_eq!(url_segment("Access List Rules"), "access-list-rules");
        assert_eq!(field_label("default_action"), "Default action");
        assert_eq!(snake("SetNull"), "set_null");
        assert!(is_identifier("access_lists") && !is_identifier("Access") && !is_identifier("1a"));
    }
}
