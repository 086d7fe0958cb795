//! The `netbox` binary.

/// mimalloc: requests allocate many small, short-lived values (rows, JSON, pages), which it
/// serves faster than the system allocator across worker threads (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    netbox_app::cli::main()
}
