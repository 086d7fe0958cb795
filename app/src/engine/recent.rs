//! Values read from the database that many requests need and that seldom change (custom-field
//! definitions, the tag list, users' table columns), kept for a few seconds: this instance
//! forgets them when it changes them, other instances' changes show once they are older than
//! [`FRESH_FOR`]. Each database (by URL) has its own entries.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a value read serves reads.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// The most entries one cache keeps (older ones go first when full).
const MOST: usize = 10_000;

/// Recently read values of one kind, by key.
pub struct Recent<T> {
    entries: Mutex<Vec<(String, Instant, Arc<T>)>>,
}

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Recent<T> {
    /// An empty cache.
    pub const fn new() -> Self {
        Recent {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value kept under `key`, if read in the last [`FRESH_FOR`].
    pub fn get(&self, key: &str) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .find(|(kept, at, _)| kept == key && at.elapsed() < FRESH_FOR)
            .map(|(_, _, value)| value.clone())
    }

    /// Keeps `value` under `key`; returns it.
    pub fn put(&self, key: String, value: T) -> Arc<T> {
        let value = Arc::new(value);
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(kept, at, _)| *kept != key && at.elapsed() < FRESH_FOR);
            if entries.len() >= MOST {
                entries.remove(0);
            }
            entries.push((key, Instant::now(), value.clone()));
        }
        value
    }

    /// Forgets everything (what it holds changed).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_until_cleared() {
        let cache: Recent<u32> = Recent::new();
        assert!(cache.get("a").is_none());
        cache.put("a".into(), 1);
        cache.put("b".into(), 2);
        cache.put("a".into(), 3);
        assert_eq!(cache.get("a").as_deref(), Some(&3));
        assert_eq!(cache.get("b").as_deref(), Some(&2));
        cache.clear();
        assert!(cache.get("b").is_none());
    }
}
