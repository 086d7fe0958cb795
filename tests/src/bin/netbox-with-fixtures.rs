//! The `netbox` binary plus the plugins of `fixture-plugins-a`.

use fixture_plugins_a as _;

fn main() -> std::process::ExitCode {
    netbox_app::cli::main()
}
