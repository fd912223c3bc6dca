//! The properties the fuzz targets check (under `fuzz/`), shared with the
//! ordinary test that replays every saved input (`tests/fuzz_corpus.rs`), so
//! a crash found once stays a test forever. Each function panics when its
//! property fails.

use crate::{
    api::json,
    domain::{national_id, national_id_reference, rich_text},
    media::{complete, image, sniff::sniff, video},
};

/// The upload sniffer and the completeness check never panic, on anything.
pub fn sniffer(data: &[u8]) {
    let kind = sniff(data);
    let _ = complete::check(data, kind);
}

/// Reading a photo's header never panics and never accepts more pixels than allowed.
pub fn photo_header(data: &[u8]) {
    const MAX: u64 = 4_000_000;
    if let Ok((width, height)) = image::check_header(data, MAX) {
        assert!(
            u64::from(width) * u64::from(height) <= MAX,
            "{width}x{height} passed a {MAX}-pixel limit"
        );
    }
}

/// The MP4/MOV and WebM walkers never panic, and blanking metadata never
/// changes a file's length (it overwrites in place).
pub fn video_container(data: &[u8]) {
    let kind = sniff(data);
    if !kind.is_video() {
        return;
    }
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("clip");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let _ = video::check_and_clean(&path, kind);
    let after = std::fs::metadata(&path).map_or(0, |m| m.len());
    assert_eq!(
        after,
        data.len() as u64,
        "blanking changed the file's length"
    );
}

/// The light-markup renderer's output never holds a script, an event
/// handler or a `javascript:` link, and rendering is stable.
pub fn markup(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let html = rich_text::render(&text);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script in {html}");
    // Every tag is one the renderer makes, so nothing but a link's href and
    // rel gets in, and an href is always http(s).
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        assert!(
            matches!(
                name.as_str(),
                "p" | "/p" | "br" | "ul" | "/ul" | "ol" | "/ol" | "li" | "/li" | "a" | "/a"
            ),
            "an unexpected tag <{name}> in {html}"
        );
        let end = tag.find('>').unwrap_or(tag.len());
        let inside = &tag[..end];
        if name == "a" {
            let href = inside
                .strip_prefix("a href=\"")
                .and_then(|rest| rest.strip_suffix("\" rel=\"nofollow noopener noreferrer ugc\""))
                .unwrap_or_else(|| panic!("a link with other attributes: <{inside}>"));
            assert!(
                href.starts_with("https://") || href.starts_with("http://"),
                "a link that is not http(s): <{inside}>"
            );
            assert!(!href.contains('"'), "a quote inside an href: <{inside}>");
        } else {
            assert_eq!(inside, name, "attributes on <{inside}>");
        }
        rest = &tag[end..];
    }
    assert_eq!(rich_text::render(&text), html, "rendering is not stable");
}

/// The identity-number finder never panics, reports matches in order, on
/// character boundaries, without overlap, each made of digits and at most
/// one separator, and finds exactly what the slow reference finds.
pub fn identity_numbers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let found = national_id::find(&text);
    let mut last = 0;
    for hit in &found {
        assert!(hit.start >= last && hit.start < hit.end && hit.end <= text.len());
        assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
        let part = &text[hit.start..hit.end];
        let digits = part.bytes().filter(u8::is_ascii_digit).count();
        assert!((10..=12).contains(&digits) || digits == 9, "{part:?}");
        assert!(
            part.bytes().filter(|b| !b.is_ascii_digit()).count() <= 2,
            "{part:?}"
        );
        last = hit.end;
    }
    let fast: Vec<_> = found
        .iter()
        .map(|hit| (hit.country, hit.start, hit.end))
        .collect();
    assert_eq!(
        fast,
        national_id_reference::find(&text),
        "the finder and the reference disagree on {text:?}"
    );
}

/// The JSON body parser never panics and sorts every input into a value,
/// malformed JSON or a validation problem.
pub fn json_body(data: &[u8]) {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        title: String,
        count: Option<i64>,
        tags: Option<Vec<String>>,
    }
    let _ = json::parse::<Body>(data);
}

/// A property over any bytes.
pub type Property = fn(&[u8]);

/// Every property, by the target's name.
pub const TARGETS: &[(&str, Property)] = &[
    ("sniffer", sniffer),
    ("photo_header", photo_header),
    ("video_container", video_container),
    ("markup", markup),
    ("identity_numbers", identity_numbers),
    ("json_body", json_body),
];
