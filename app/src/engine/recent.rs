//! Values read from the database that many requests need and that seldom change (custom-field
//! definitions, the tag list, users' table columns), kept for a few seconds: this instance
//! forgets them when it changes them, other instances' changes show once they are older than
//! [`FRESH_FOR`]. Each database (by URL) has its own entries.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a value read serves reads.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// The most entries one cache keeps (older ones go first when full).
const MOST: usize = 10_000;

/// Recently read values of one kind, by key.
pub struct Recent<T> {
    entries: Mutex<Vec<(String, Instant, Arc<T>)>>,
    /// Grows at every [`Recent::clear`]: a value read before a clear is not kept after it.
    generation: AtomicU64,
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
            generation: AtomicU64::new(0),
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

    /// What to give [`Recent::put`] for a value read from now on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `value`, read since `generation`, under `key` unless the cache was cleared since
    /// (the value may be older than the change that cleared it); returns it.
    pub fn put(&self, generation: u64, key: String, value: T) -> Arc<T> {
        let value = Arc::new(value);
        if let Ok(mut entries) = self.entries.lock()
            && self.generation() == generation
        {
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
            self.generation.fetch_add(1, Ordering::SeqCst);
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
        let now = cache.generation();
        cache.put(now, "a".into(), 1);
        cache.put(now, "b".into(), 2);
        cache.put(now, "a".into(), 3);
        assert_eq!(cache.get("a").as_deref(), Some(&3));
        assert_eq!(cache.get("b").as_deref(), Some(&2));
        cache.clear();
        assert!(cache.get("b").is_none());
        // A value read before a clear is given back but not kept.
        assert_eq!(*cache.put(now, "c".into(), 4), 4);
        assert!(cache.get("c").is_none());
    }
}
