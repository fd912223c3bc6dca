//! Every input the fuzzers kept (`fuzz/corpus/<target>/`) and every crash
//! they found (`fuzz/artifacts/<target>/`), replayed through the same
//! properties as ordinary tests, with the project's own seed inputs.

use std::path::Path;

use changemakers::{fuzz_checks::TARGETS, media::fixtures};

fn saved(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for kind in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(data) = std::fs::read(entry.path()) {
                inputs.push((entry.path().display().to_string(), data));
            }
        }
    }
    inputs
}

/// Inputs every target starts from: real files of each kind and their edges.
fn seeds() -> Vec<Vec<u8>> {
    let photo = fixtures::photo(Some(&fixtures::exif_with_gps()));
    let mut seeds = vec![
        Vec::new(),
        photo.clone(),
        photo[..photo.len() / 2].to_vec(),
        fixtures::png_declaring(100_000, 100_000),
        fixtures::mp4_with_location(),
        fixtures::webm_with_tags(),
        b"<svg><script>alert(1)</script></svg>".to_vec(),
        b"Se [nettsiden](https://larvik.kommune.no) og [x](javascript:alert(1))\n\n- en\n- to"
            .to_vec(),
        b"Ring 010203 12345 eller 311299-1234, 0101701234 og 131052-308T.".to_vec(),
        br#"{"title":"Hils","count":3,"tags":["a","b"]}"#.to_vec(),
        b"{\"title\":".repeat(200),
    ];
    let mp4 = fixtures::mp4_with_location();
    seeds.push(mp4[..mp4.len() - 7].to_vec());
    seeds
}

#[test]
fn every_saved_and_seed_input_keeps_its_property() {
    let mut ran = 0;
    for (target, check) in TARGETS {
        for seed in seeds() {
            check(&seed);
            ran += 1;
        }
        for (name, data) in saved(target) {
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} fails on {name}");
            ran += 1;
        }
    }
    println!("replayed {ran} inputs through {} properties", TARGETS.len());
}

/// Writes the seed inputs into every target's corpus, so fuzzing starts from
/// real files of each kind (`bench/fuzz.sh` runs it before fuzzing).
#[test]
#[ignore = "run by bench/fuzz.sh"]
fn write_seeds_into_the_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus");
    for (target, _) in TARGETS {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (n, seed) in seeds().iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{n:02}")), seed).unwrap();
        }
    }
}
