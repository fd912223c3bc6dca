//! Counting a JPEG's scans before it is decoded. A progressive JPEG is
//! drawn in scans, and a decoder passes over the whole picture for each, so
//! a small file of thousands of tiny scans costs thousands of full decodes
//! (the "scan bomb" libjpeg-turbo's `-maxscans` exists for). Cameras and
//! encoders write 1 (baseline) to about 10 (progressive); the platform
//! takes up to [`MAX_SCANS`].

use std::io::Read;

/// The most scans a photo may have.
pub const MAX_SCANS: u32 = 100;

/// A JPEG with more scans than the platform decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the photo is drawn in more than {max} passes (scans); save it again as an ordinary JPEG")]
pub struct TooManyScans {
    pub max: u32,
}

const START_OF_SCAN: u8 = 0xDA;
const END_OF_IMAGE: u8 = 0xD9;

/// Walks the JPEG's markers (and the entropy-coded data between them) and
/// counts its scans, stopping as soon as there are more than `max`. A file
/// that is not a JPEG, or is cut off, counts what it has: reading it is
/// the decoder's job, this only bounds what decoding it may cost.
///
/// # Errors
/// `TooManyScans` past `max`.
pub fn check(source: impl Read, max: u32) -> Result<u32, TooManyScans> {
    let mut bytes = std::io::BufReader::with_capacity(64 * 1024, source)
        .bytes()
        .map_while(Result::ok);
    if (bytes.next(), bytes.next()) != (Some(0xFF), Some(0xD8)) {
        return Ok(0);
    }
    let mut scans = 0;
    // The marker found while skipping entropy-coded data, if any.
    let mut pending = None;
    loop {
        let marker = match pending.take() {
            Some(marker) => marker,
            None => match next_marker(&mut bytes) {
                Some(marker) => marker,
                None => return Ok(scans),
            },
        };
        match marker {
            END_OF_IMAGE => return Ok(scans),
            // Restart markers and TEM stand alone, with no length.
            0x01 | 0xD0..=0xD7 => {}
            _ => {
                let (Some(high), Some(low)) = (bytes.next(), bytes.next()) else {
                    return Ok(scans);
                };
                let length = usize::from(u16::from_be_bytes([high, low]));
                if length < 2 || bytes.by_ref().take(length - 2).count() < length - 2 {
                    return Ok(scans);
                }
                if marker == START_OF_SCAN {
                    scans += 1;
                    if scans > max {
                        return Err(TooManyScans { max });
                    }
                    pending = skip_entropy_coded(&mut bytes);
                    if pending.is_none() {
                        return Ok(scans);
                    }
                }
            }
        }
    }
}

/// The next marker code: skips to a 0xFF and past fill bytes.
fn next_marker(bytes: &mut impl Iterator<Item = u8>) -> Option<u8> {
    loop {
        if bytes.next()? != 0xFF {
            continue;
        }
        let mut code = bytes.next()?;
        while code == 0xFF {
            code = bytes.next()?;
        }
        if code != 0x00 {
            return Some(code);
        }
    }
}

/// Skips a scan's entropy-coded data (where 0xFF 0x00 is a stuffed byte and
/// restart markers belong to the scan) and returns the marker that ends it.
fn skip_entropy_coded(bytes: &mut impl Iterator<Item = u8>) -> Option<u8> {
    loop {
        let code = next_marker(bytes)?;
        if !(0xD0..=0xD7).contains(&code) {
            return Some(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG-shaped file: a frame header, then `scans` scans of a few
    /// entropy-coded bytes each (with a stuffed byte and a restart marker).
    fn with_scans(scans: usize) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8];
        // SOF2 (progressive), 8x8, one component.
        jpeg.extend_from_slice(&[
            0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
        ]);
        for _ in 0..scans {
            jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00]);
            jpeg.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        }
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn a_camera_photo_has_one_scan() {
        let photo = crate::media::fixtures::photo(None);
        assert_eq!(check(photo.as_slice(), MAX_SCANS), Ok(1));
    }

    #[test]
    fn scans_are_counted_past_stuffed_bytes_and_restarts() {
        assert_eq!(check(with_scans(10).as_slice(), MAX_SCANS), Ok(10));
        assert_eq!(check(with_scans(100).as_slice(), 100), Ok(100));
    }

    #[test]
    fn thousands_of_scans_are_refused_without_reading_them_all() {
        assert_eq!(
            check(with_scans(5000).as_slice(), MAX_SCANS),
            Err(TooManyScans { max: MAX_SCANS })
        );
        assert_eq!(
            check(with_scans(101).as_slice(), 100),
            Err(TooManyScans { max: 100 })
        );
    }

    #[test]
    fn what_is_not_a_jpeg_or_is_cut_off_counts_what_it_has() {
        assert_eq!(check(&b"\x89PNG\r\n\x1a\n"[..], MAX_SCANS), Ok(0));
        let cut = with_scans(3);
        assert_eq!(check(&cut[..cut.len() - 9], MAX_SCANS), Ok(3));
        assert_eq!(check(&[0xFF, 0xD8, 0xFF, 0xDA, 0x00][..], MAX_SCANS), Ok(0));
    }
}
