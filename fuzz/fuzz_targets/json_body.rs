#![no_main]
//! See `changemakers::fuzz_checks::json_body` for the property.

libfuzzer_sys::fuzz_target!(|data: &[u8]| changemakers::fuzz_checks::json_body(data));
