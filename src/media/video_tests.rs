//! Tests of video checking and metadata blanking.

use std::io::Write;

use super::{check_and_clean, VideoError};
use crate::media::{
    fixtures::{mp4_with_location, webm_with_tags},
    sniff::{sniff, Sniffed},
};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn cleaned(data: &[u8]) -> (Result<super::VideoInfo, VideoError>, Vec<u8>) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(data).unwrap();
    let result = check_and_clean(file.path(), sniff(data));
    (result, std::fs::read(file.path()).unwrap())
}

#[test]
fn an_mp4_loses_its_location_and_keeps_its_media() {
    let original = mp4_with_location();
    assert_eq!(sniff(&original), Sniffed::Mp4);
    assert!(contains(&original, b"+59.0500+010.0300/"));
    let (info, after) = cleaned(&original);
    let info = info.unwrap();
    assert_eq!(after.len(), original.len(), "sizes and offsets unchanged");
    assert!(!contains(&after, b"udta") && !contains(&after, b"meta"));
    assert!(!contains(&after, b"+59.0500+010.0300/") && !contains(&after, b"Phone"));
    assert!(!contains(&after, b"ISO6709"));
    assert!(contains(&after, b"MEDIA-BYTES"), "media data untouched");
    assert_eq!((info.width, info.height), (Some(1080), Some(1920)));
    assert_eq!(info.duration_ms, Some(2500));
    assert_eq!(info.blanked, 3);
    // Cleaning is idempotent.
    let (again, _) = cleaned(&after);
    assert_eq!(again.unwrap().blanked, 0);
}

#[test]
fn a_damaged_mp4_is_refused() {
    let original = mp4_with_location();
    let (result, _) = cleaned(&original[..original.len() - 5]);
    assert!(
        matches!(result, Err(VideoError::Malformed(_))),
        "{result:?}"
    );
    let (result, _) = cleaned(b"\0\0\0\x18ftypisom\0\0\0\0isommp42");
    assert!(
        matches!(result, Err(VideoError::Malformed(_))),
        "no movie box"
    );
}

#[test]
fn a_webm_loses_its_tags() {
    let original = webm_with_tags();
    assert_eq!(sniff(&original), Sniffed::WebM);
    let (info, after) = cleaned(&original);
    assert_eq!(info.unwrap().blanked, 1);
    assert_eq!(after.len(), original.len());
    assert!(!contains(&after, b"Oslo"), "tag values are gone");
    assert!(contains(&after, b"FRAME"), "blocks untouched");
    let (again, _) = cleaned(&after);
    assert_eq!(again.unwrap().blanked, 0, "a Void element is left alone");
}

#[test]
fn a_matroska_file_is_not_webm() {
    let mut data = webm_with_tags();
    let at = data.windows(4).position(|w| w == b"webm").unwrap();
    data[at..at + 4].copy_from_slice(b"mkv\0");
    let (result, _) = cleaned(&data);
    assert!(matches!(result, Err(VideoError::Malformed(_))));
}
