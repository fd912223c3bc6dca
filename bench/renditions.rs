//! Benchmark: a 12-megapixel phone JPEG to the three renditions (320, 960
//! and 1920 px wide), side by side with libvips' `vipsthumbnail` making the
//! same three sizes, in the same run. Wall time and peak memory (resident
//! set, from `/usr/bin/time`) of whole processes, median of several runs.
//!
//! Run with `./bench/renditions.sh` (it installs libvips-tools if missing),
//! or `cargo bench --bench renditions`.

// A benchmark measures wall time and may stop at the first failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::pedantic,
    clippy::disallowed_methods
)]

use std::{
    process::Command,
    time::{Duration, Instant},
};

use changemakers::media::{fixtures::exif_with_gps, image::process};

const WIDTHS: [u32; 3] = [320, 960, 1920];
const RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--once") {
        let data = std::fs::read(&args[at + 1]).expect("photo");
        let out = process(&data, &WIDTHS, 50_000_000).expect("renditions");
        assert_eq!(out.renditions.len(), 3);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let photo = dir.path().join("phone.jpg");
    std::fs::write(&photo, phone_photo()).expect("write photo");
    let size = std::fs::metadata(&photo).map(|m| m.len()).unwrap_or(0);
    println!(
        "input: 4000x3000 JPEG (12 MP), {} kB, EXIF orientation 6",
        size / 1024
    );

    let me = std::env::current_exe().expect("own path");
    let mut ours = Vec::new();
    let mut vips = Vec::new();
    for _ in 0..RUNS {
        ours.push(measure(&[&[
            me.to_string_lossy().as_ref(),
            "--once",
            photo.to_string_lossy().as_ref(),
        ]]));
        let commands: Vec<Vec<String>> = WIDTHS
            .iter()
            .map(|w| {
                vec![
                    "vipsthumbnail".to_owned(),
                    photo.to_string_lossy().into_owned(),
                    "--size".to_owned(),
                    format!("{w}x"),
                    "-o".to_owned(),
                    dir.path()
                        .join(format!("vips-w{w}.jpg[Q=82,strip]"))
                        .to_string_lossy()
                        .into_owned(),
                ]
            })
            .collect();
        let borrowed: Vec<Vec<&str>> = commands
            .iter()
            .map(|c| c.iter().map(String::as_str).collect())
            .collect();
        let slices: Vec<&[&str]> = borrowed.iter().map(Vec::as_slice).collect();
        vips.push(measure(&slices));
    }
    let (our_time, our_mem) = medians(&ours);
    let (vips_time, vips_mem) = medians(&vips);
    println!(
        "changemakers:  {:>7.1} ms  {:>7.1} MB peak",
        our_time.as_secs_f64() * 1000.0,
        our_mem as f64 / 1024.0
    );
    println!(
        "vipsthumbnail: {:>7.1} ms  {:>7.1} MB peak (three runs, one per size)",
        vips_time.as_secs_f64() * 1000.0,
        vips_mem as f64 / 1024.0
    );
    println!(
        "ratio (changemakers / libvips): time {:.2}x, peak memory {:.2}x",
        our_time.as_secs_f64() / vips_time.as_secs_f64(),
        our_mem as f64 / vips_mem as f64
    );
}

/// A phone-like photo: smooth gradients with sensor-like noise, with EXIF.
fn phone_photo() -> Vec<u8> {
    use image::{codecs::jpeg::JpegEncoder, ImageEncoder};
    let (w, h) = (4000_u32, 3000_u32);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    let mut seed = 0x2545_F491_u32;
    for y in 0..h {
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 17) as i32 - 8;
            let r = (x * 255 / w) as i32 + noise;
            let g = (y * 255 / h) as i32 + noise;
            let b = (((x + y) / 31) % 256) as i32 + noise;
            pixels.extend([r, g, b].map(|v| v.clamp(0, 255) as u8));
        }
    }
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
        .expect("encode");
    // Insert the EXIF segment (APP1) after SOI, as a camera writes it.
    let exif = exif_with_gps();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).expect("small").to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Runs the commands one after another: total wall time, largest peak RSS (kB).
fn measure(commands: &[&[&str]]) -> (Duration, u64) {
    let mut elapsed = Duration::ZERO;
    let mut peak = 0;
    for command in commands {
        let started = Instant::now();
        let output = Command::new("/usr/bin/time")
            .args(["-f", "%M"])
            .args(*command)
            .output()
            .expect("run /usr/bin/time (Debian package `time`)");
        elapsed += started.elapsed();
        assert!(
            output.status.success(),
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        let kb: u64 = stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .expect("peak memory");
        peak = peak.max(kb);
    }
    (elapsed, peak)
}

fn medians(samples: &[(Duration, u64)]) -> (Duration, u64) {
    let mut times: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    let mut mems: Vec<u64> = samples.iter().map(|s| s.1).collect();
    times.sort();
    mems.sort_unstable();
    (times[times.len() / 2], mems[mems.len() / 2])
}
