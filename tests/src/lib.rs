//! End-to-end tests across crates live in `tests/`; the binaries in `src/bin/` are the app
//! with fixture plugins linked in.
