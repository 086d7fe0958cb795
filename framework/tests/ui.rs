//! Compile tests of `#[netbox_plugin]`: what must compile (and register the right metadata),
//! and every error the macro reports, pinned with its exact message and span.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
