//! Small images made on the fly, for tests and benchmarks: a photo carrying
//! EXIF orientation and a GPS position, and a PNG that declares a huge size.

use image::{codecs::jpeg::JpegEncoder, ImageEncoder, Rgb, RgbImage};

/// An EXIF block with Orientation 6 (rotate 90° clockwise) and a GPS position.
#[must_use]
pub fn exif_with_gps() -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8_u32.to_le_bytes());
    // IFD0: Orientation, GPSInfo pointer.
    tiff.extend_from_slice(&2_u16.to_le_bytes());
    tiff.extend_from_slice(&0x0112_u16.to_le_bytes());
    tiff.extend_from_slice(&3_u16.to_le_bytes());
    tiff.extend_from_slice(&1_u32.to_le_bytes());
    tiff.extend_from_slice(&6_u32.to_le_bytes());
    tiff.extend_from_slice(&0x8825_u16.to_le_bytes());
    tiff.extend_from_slice(&4_u16.to_le_bytes());
    tiff.extend_from_slice(&1_u32.to_le_bytes());
    tiff.extend_from_slice(&38_u32.to_le_bytes());
    tiff.extend_from_slice(&0_u32.to_le_bytes());
    // GPS IFD at 38: GPSLatitudeRef = "N", and a made-up serial-like marker.
    tiff.extend_from_slice(&1_u16.to_le_bytes());
    tiff.extend_from_slice(&0x0001_u16.to_le_bytes());
    tiff.extend_from_slice(&2_u16.to_le_bytes());
    tiff.extend_from_slice(&2_u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0_u32.to_le_bytes());
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&tiff);
    exif
}

/// A 40x20 JPEG, red on the left and blue on the right, with `exif` spliced in.
#[must_use]
pub fn photo(exif: Option<&[u8]>) -> Vec<u8> {
    let image = RgbImage::from_fn(40, 20, |x, _| {
        if x < 20 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    // Encoding a small in-memory image cannot fail; an empty result would show in any test.
    let _ = JpegEncoder::new_with_quality(&mut jpeg, 95).write_image(
        image.as_raw(),
        40,
        20,
        image::ExtendedColorType::Rgb8,
    );
    if let Some(exif) = exif {
        let len = u16::try_from(exif.len() + 2).unwrap_or(u16::MAX);
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&len.to_be_bytes());
        segment.extend_from_slice(exif);
        jpeg.splice(2..2, segment);
    }
    jpeg
}

/// A PNG header declaring `width` x `height`, with no real pixel data.
#[must_use]
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&13_u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc(&ihdr).to_be_bytes());
    // A tiny data chunk: decoders read up to it before they report the size.
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01".to_vec();
    png.extend_from_slice(&8_u32.to_be_bytes());
    png.extend_from_slice(&idat);
    png.extend_from_slice(&crc(&idat).to_be_bytes());
    png
}

fn crc(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
