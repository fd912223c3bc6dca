//! Whether a photo file is whole. Decoders fill what is missing from a file
//! cut off mid-transfer (a JPEG with grey below the cut), so completeness is
//! checked from the file's own structure before decoding: a JPEG must reach
//! its end-of-image marker, a PNG its `IEND` chunk, and a WebP must hold as
//! many bytes as its RIFF header declares.

use super::sniff::Sniffed;

/// The file ends before its format says it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file is incomplete: it was cut off before its end, perhaps during the upload")]
pub struct Incomplete;

/// Checks that `data`, a file of type `kind`, is whole. Types without a
/// structural check here (GIF) pass.
///
/// # Errors
/// `Incomplete` when the file stops before its format's end.
pub fn check(data: &[u8], kind: Sniffed) -> Result<(), Incomplete> {
    let whole = match kind {
        Sniffed::Jpeg => jpeg_is_whole(data),
        Sniffed::Png => png_is_whole(data),
        Sniffed::WebP => webp_is_whole(data),
        _ => true,
    };
    if whole {
        Ok(())
    } else {
        Err(Incomplete)
    }
}

/// Walks the marker segments from SOI to the first EOI, skipping each
/// segment by its length and each scan's entropy-coded data up to the next
/// marker. Data after EOI (maker notes, a second MPF image) is not read.
fn jpeg_is_whole(data: &[u8]) -> bool {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut pos = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while data.get(pos) == Some(&0xFF) && data.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        if data.get(pos) != Some(&0xFF) {
            return false;
        }
        let Some(&marker) = data.get(pos + 1) else {
            return false;
        };
        pos += 2;
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(len) = data
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            return false;
        };
        if len < 2 || pos + len > data.len() {
            return false;
        }
        pos += len;
        if marker == 0xDA {
            // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte)
            // or a restart marker; anything else is the next marker.
            loop {
                let Some(offset) = data
                    .get(pos..)
                    .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
                else {
                    return false;
                };
                pos += offset;
                match data.get(pos + 1) {
                    None => return false,
                    Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos += 1,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Walks the chunks after the signature up to `IEND`.
fn png_is_whole(data: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !data.starts_with(SIGNATURE) {
        return false;
    }
    let mut pos = SIGNATURE.len();
    while let Some(header) = data.get(pos..pos + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let Ok(len) = usize::try_from(len) else {
            return false;
        };
        // Length, type, data and CRC.
        let end = pos.saturating_add(12).saturating_add(len);
        if end > data.len() {
            return false;
        }
        if &header[4..8] == b"IEND" {
            return true;
        }
        pos = end;
    }
    false
}

/// The RIFF container declares its own size after the first 8 bytes.
fn webp_is_whole(data: &[u8]) -> bool {
    let Some(size) = data.get(4..8) else {
        return false;
    };
    let declared = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
    usize::try_from(declared)
        .ok()
        .and_then(|d| d.checked_add(8))
        .is_some_and(|needed| data.len() >= needed && data.get(8..12) == Some(b"WEBP"))
}

#[cfg(test)]
mod tests {
    use super::{check, Incomplete};
    use crate::media::{fixtures, sniff::Sniffed};

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        fixtures::photo_as(format, 96, 64)
    }

    #[test]
    fn whole_files_pass_and_cut_files_do_not() {
        for (format, kind) in [
            (image::ImageFormat::Jpeg, Sniffed::Jpeg),
            (image::ImageFormat::Png, Sniffed::Png),
            (image::ImageFormat::WebP, Sniffed::WebP),
        ] {
            let data = encoded(format);
            assert_eq!(check(&data, kind), Ok(()), "{kind:?} whole");
            for cut in [data.len() / 4, data.len() / 2, data.len() - 1] {
                assert_eq!(
                    check(&data[..cut], kind),
                    Err(Incomplete),
                    "{kind:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn a_real_phone_photo_with_exif_passes_and_its_first_quarter_does_not() {
        let data = fixtures::photo_with_exif(640, 480);
        assert_eq!(check(&data, Sniffed::Jpeg), Ok(()));
        assert_eq!(
            check(&data[..data.len() / 4], Sniffed::Jpeg),
            Err(Incomplete)
        );
    }

    #[test]
    fn data_after_the_end_of_a_jpeg_is_left_alone() {
        let mut data = encoded(image::ImageFormat::Jpeg);
        data.extend_from_slice(b"trailing maker data \xFF\xD8 and more");
        assert_eq!(check(&data, Sniffed::Jpeg), Ok(()));
    }

    #[test]
    fn gif_is_not_checked() {
        assert_eq!(check(b"GIF89a", Sniffed::Gif), Ok(()));
    }
}
