#![no_main]
//! See `changemakers::fuzz_checks::video_container` for the property.

libfuzzer_sys::fuzz_target!(|data: &[u8]| changemakers::fuzz_checks::video_container(data));
