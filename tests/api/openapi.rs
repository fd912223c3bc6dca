//! The committed OpenAPI document must match what the code serves.

#[tokio::test]
async fn the_committed_spec_matches_the_code() {
    let generated = changemakers::api::spec_json().expect("spec");
    let committed = std::fs::read_to_string("openapi/openapi.json").unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
}
