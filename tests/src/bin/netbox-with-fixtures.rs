//! The `netbox` binary plus the plugins of `fixture-plugins-a` and `fixture-typed`.

use fixture_plugins_a as _;
use fixture_typed as _;

fn main() -> std::process::ExitCode {
    netbox_app::cli::main()
}
