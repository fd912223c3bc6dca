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

/// A PNG chunk of `kind` around `data`, with its length and CRC.
#[must_use]
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let mut chunk = u32::try_from(data.len())
        .unwrap_or(u32::MAX)
        .to_be_bytes()
        .to_vec();
    chunk.extend_from_slice(&body);
    chunk.extend_from_slice(&crc(&body).to_be_bytes());
    chunk
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

fn iso_box(kind: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let size = u32::try_from(payload.len() + 8).unwrap_or(u32::MAX);
    let mut out = size.to_be_bytes().to_vec();
    out.extend_from_slice(&kind);
    out.extend_from_slice(payload);
    out
}

/// A small MP4 as a phone writes it: a movie header (2.5 s), one 1080x1920
/// track with its own user data, and the movie's user data and metadata
/// carrying a GPS position (`©xyz` and Apple's ISO 6709 key).
#[must_use]
pub fn mp4_with_location() -> Vec<u8> {
    let ftyp = iso_box(*b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    let mut mvhd = vec![0_u8; 4 + 8];
    mvhd.extend_from_slice(&1000_u32.to_be_bytes());
    mvhd.extend_from_slice(&2500_u32.to_be_bytes());
    mvhd.extend_from_slice(&[0_u8; 80]);
    let mut tkhd = vec![0_u8; 76];
    tkhd.extend_from_slice(&(1080_u32 << 16).to_be_bytes());
    tkhd.extend_from_slice(&(1920_u32 << 16).to_be_bytes());
    let location = iso_box(*b"\xA9xyz", b"\0\x12\x15\xC7+59.0500+010.0300/");
    let trak = [
        iso_box(*b"tkhd", &tkhd),
        iso_box(*b"udta", &iso_box(*b"\xA9mak", b"\0\x05\0\0Phone")),
    ]
    .concat();
    let keys = iso_box(*b"keys", b"com.apple.quicktime.location.ISO6709");
    let moov = [
        iso_box(*b"mvhd", &mvhd),
        iso_box(*b"trak", &trak),
        iso_box(*b"udta", &location),
        iso_box(*b"meta", &keys),
    ]
    .concat();
    [
        ftyp,
        iso_box(*b"moov", &moov),
        iso_box(*b"mdat", b"MEDIA-BYTES"),
    ]
    .concat()
}

fn ebml(id: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    // An eight-byte size, as muxers often write.
    let size = 0x0100_0000_0000_0000_u64 | payload.len() as u64;
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// A small WebM: its header, an Info element, a Tags element naming a place
/// and a live-recording cluster of unknown size.
#[must_use]
pub fn webm_with_tags() -> Vec<u8> {
    let header = ebml(
        &[0x1A, 0x45, 0xDF, 0xA3],
        &[ebml(&[0x42, 0x82], b"webm"), ebml(&[0x42, 0x87], &[4])].concat(),
    );
    let info = ebml(
        &[0x15, 0x49, 0xA9, 0x66],
        &ebml(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]),
    );
    let tags = ebml(
        &[0x12, 0x54, 0xC3, 0x67],
        &ebml(
            &[0x73, 0x73],
            &ebml(&[0x67, 0xC8], &ebml(&[0x44, 0x87], b"Oslo")),
        ),
    );
    let mut cluster = vec![
        0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
    cluster.extend_from_slice(&ebml(&[0xE7], &[0]));
    cluster.extend_from_slice(&ebml(&[0xA3], b"FRAME"));
    let mut segment = vec![
        0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
    segment.extend_from_slice(&[info, tags, cluster].concat());
    [header, segment].concat()
}

/// A `width` x `height` picture of smooth bands and fine detail, deterministic,
/// so an encoded copy has real scan data to cut.
#[must_use]
pub fn noise(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let mixed = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
        let [a, b, c, _] = mixed.to_le_bytes();
        Rgb([a, b.wrapping_add(u8::try_from(x % 256).unwrap_or(0)), c])
    })
}

/// `noise` encoded as `format` (JPEG, PNG or WebP).
#[must_use]
pub fn photo_as(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding a small in-memory image cannot fail; an empty result would show in any test.
    let _ = image::DynamicImage::ImageRgb8(noise(width, height)).write_to(&mut out, format);
    out.into_inner()
}

/// A JPEG of `noise` carrying `exif_with_gps`, like a phone photo.
#[must_use]
pub fn photo_with_exif(width: u32, height: u32) -> Vec<u8> {
    let mut jpeg = photo_as(image::ImageFormat::Jpeg, width, height);
    let exif = exif_with_gps();
    let len = u16::try_from(exif.len() + 2).unwrap_or(u16::MAX);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&len.to_be_bytes());
    segment.extend_from_slice(&exif);
    jpeg.splice(2..2, segment);
    jpeg
}
