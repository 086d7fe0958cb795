//! The `netbox` binary plus two crates that both declare a plugin named `twin`.

use fixture_plugins_a as _;
use fixture_plugins_b as _;

fn main() -> std::process::ExitCode {
    netbox_app::cli::main()
}
