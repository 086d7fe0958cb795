//! Background jobs a plugin defines: run on demand, or on an interval from startup (NetBox's
//! `JobRunner` and `@system_job`), on a named queue of the plugin.
//!
//! ```
//! use netbox_framework::jobs::{Job, JobOutcome};
//! use std::time::Duration;
//!
//! fn feed_animals() -> JobOutcome {
//!     JobOutcome::Completed("all animals fed".into())
//! }
//!
//! let job = Job::new("feed_animals", feed_animals).every(Duration::from_secs(3600));
//! assert_eq!(job.interval, Some(Duration::from_secs(3600)));
//! ```

use std::time::Duration;

/// How a job run ended; the message goes to the job log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The job did its work.
    Completed(String),
    /// The job ran but its work failed (e.g. a device did not answer).
    Failed(String),
    /// The job could not run (a bug or an unexpected state).
    Errored(String),
}

/// A job's entry point.
pub type JobFn = fn() -> JobOutcome;

/// A background job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Unique within the plugin.
    pub name: &'static str,
    /// Queue it runs on (`"default"` unless set).
    pub queue: &'static str,
    /// Scheduled at startup and then every interval, when set.
    pub interval: Option<Duration>,
    /// What it does.
    pub run: JobFn,
}

impl Job {
    /// A job on the default queue, run on demand.
    pub fn new(name: &'static str, run: JobFn) -> Self {
        Job {
            name,
            queue: "default",
            interval: None,
            run,
        }
    }

    /// Runs the job at startup and then every `interval`.
    pub fn every(mut self, interval: Duration) -> Self {
        self.interval = Some(interval);
        self
    }

    /// Puts the job on a named queue.
    pub fn queue(mut self, queue: &'static str) -> Self {
        self.queue = queue;
        self
    }
}
