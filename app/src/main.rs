//! The `netbox` binary.

fn main() -> std::process::ExitCode {
    netbox_app::cli::main()
}
