//! Passwords: stored as Argon2id PHC strings (memory-hard, salted), checked for strength when
//! set, and generated for the first superuser.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::distr::{Alphanumeric, SampleString};

/// The shortest password accepted (NetBox's rule: 12 characters).
pub const MIN_LENGTH: usize = 12;
/// The longest password accepted, so that hashing stays cheap for any input.
pub const MAX_LENGTH: usize = 256;

/// Why a password is refused, in words for the user; `Ok` when it may be used.
///
/// ```
/// use netbox_app::auth::passwords::check_strength;
/// assert!(check_strength("Correct-horse-9").is_ok());
/// assert!(check_strength("short1A").unwrap_err().contains("at least 12"));
/// assert!(check_strength("alllowercase123").unwrap_err().contains("upper-case"));
/// ```
pub fn check_strength(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(format!(
            "The password must have at least {MIN_LENGTH} characters (it has {length})."
        ));
    }
    if length > MAX_LENGTH {
        return Err(format!(
            "The password must have at most {MAX_LENGTH} characters."
        ));
    }
    if password.contains('\0') {
        return Err("The password may not contain a NUL character.".to_string());
    }
    let has = |test: fn(char) -> bool| password.chars().any(test);
    if !(has(|c| c.is_ascii_digit()) && has(char::is_uppercase) && has(char::is_lowercase)) {
        return Err(
            "The password must contain a digit, an upper-case and a lower-case letter.".to_string(),
        );
    }
    Ok(())
}

/// The stored form of `password`: an Argon2id PHC string with a random salt.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| format!("cannot hash the password: {error}"))
}

/// Whether `password` matches the stored hash (an unusable or malformed hash matches nothing).
pub fn verify(stored: &str, password: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash no password matches, compared against when a user does not exist so that a
/// sign-in takes as long for an unknown user as for a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&random_password()).unwrap_or_default())
}

/// A random password that passes [`check_strength`]: 20 letters and digits.
pub fn random_password() -> String {
    loop {
        let candidate = Alphanumeric.sample_string(&mut rand::rng(), 20);
        if check_strength(&candidate).is_ok() {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let stored = hash("Correct-horse-9").expect("hashes");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify(&stored, "Correct-horse-9"));
        assert!(!verify(&stored, "Correct-horse-8"));
        assert!(!verify("", "anything"));
        assert_ne!(stored, hash("Correct-horse-9").expect("hashes"), "salted");
    }

    #[test]
    fn random_passwords_are_strong_and_differ() {
        let (a, b) = (random_password(), random_password());
        assert!(check_strength(&a).is_ok());
        assert_ne!(a, b);
    }

    #[test]
    fn too_long_is_refused() {
        let long = format!("Aa1{}", "x".repeat(MAX_LENGTH));
        assert!(check_strength(&long).unwrap_err().contains("at most"));
    }
}
