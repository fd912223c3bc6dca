//! Photo renditions: decoded under strict limits, turned upright by their
//! EXIF orientation, scaled down (never up) and re-encoded as JPEG, so that
//! nothing of the original's metadata (GPS position, camera serial, EXIF at
//! all) leaves the platform. The colour profile is kept so colours stay right.

use std::io::Cursor;

use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{
    codecs::jpeg::JpegEncoder, DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder,
    ImageReader, Limits, RgbImage,
};

const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("the photo has {pixels} pixels; at most {max} are taken")]
    TooManyPixels { pixels: u64, max: u64 },
    #[error("the photo could not be read: {0}")]
    Decode(String),
    #[error(transparent)]
    Incomplete(#[from] super::complete::Incomplete),
    #[error(transparent)]
    TooManyScans(#[from] super::jpeg_scans::TooManyScans),
    #[error("the photo could not be saved: {0}")]
    Encode(String),
}

impl ImageError {
    /// The reason a team reads, in its own language, when this ends an upload.
    #[must_use]
    pub fn failure(&self) -> crate::domain::MediaFailure {
        use crate::domain::MediaFailure as F;
        match self {
            Self::TooManyPixels { .. } => F::TooManyPixels,
            Self::Incomplete(_) => F::Incomplete,
            Self::Decode(_) | Self::Encode(_) | Self::TooManyScans(_) => F::Unreadable,
        }
    }
}

/// One scaled copy of a photo.
#[derive(Debug, Clone)]
pub struct Rendition {
    /// The width asked for (the rendition is smaller when the photo is).
    pub target: u32,
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// Everything made from one photo.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Upright size of the photo.
    pub width: u32,
    pub height: u32,
    pub renditions: Vec<Rendition>,
    /// A compact placeholder to show while the photo loads.
    pub blurhash: String,
    /// `#rrggbb`.
    pub dominant_color: String,
}

fn reader<R: std::io::BufRead + std::io::Seek>(
    source: R,
    max_pixels: u64,
) -> Result<ImageReader<R>, ImageError> {
    let mut reader = ImageReader::new(source)
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut limits = Limits::default();
    // Room for the decoded pixels (up to 4 bytes each) and the decoder's own buffers.
    limits.max_alloc = Some(
        max_pixels
            .saturating_mul(4)
            .saturating_add(64 * 1024 * 1024),
    );
    reader.limits(limits);
    Ok(reader)
}

fn check_pixels(width: u32, height: u32, max_pixels: u64) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels || width == 0 || height == 0 {
        return Err(ImageError::TooManyPixels {
            pixels,
            max: max_pixels,
        });
    }
    Ok(())
}

/// The declared size, read from the header alone (cheap; nothing is decoded).
///
/// # Errors
/// `TooManyPixels` over the limit; `TooManyScans` for a progressive JPEG
/// of more scans than are decoded; `Decode` when the header cannot be read.
pub fn check_header(data: &[u8], max_pixels: u64) -> Result<(u32, u32), ImageError> {
    super::jpeg_scans::check(data, super::jpeg_scans::MAX_SCANS)?;
    let decoder = reader(Cursor::new(data), max_pixels)?
        .into_decoder()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, max_pixels)?;
    Ok((width, height))
}

/// Like [`check_header`] for a file on disk, reading only as far as the
/// header goes (never the whole file into memory).
///
/// # Errors
/// `TooManyPixels` over the limit; `Decode` when the header cannot be read.
pub fn check_header_file(
    path: &std::path::Path,
    max_pixels: u64,
) -> Result<(u32, u32), ImageError> {
    let open = || std::fs::File::open(path).map_err(|e| ImageError::Decode(e.to_string()));
    super::jpeg_scans::check(open()?, super::jpeg_scans::MAX_SCANS)?;
    let file = open()?;
    let decoder = reader(std::io::BufReader::new(file), max_pixels)?
        .into_decoder()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, max_pixels)?;
    Ok((width, height))
}

/// Lays transparent pixels onto white, the background photos are shown on.
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut out = RgbImage::new(width, height);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let alpha = u16::from(src[3]);
        for c in 0..3 {
            let blended = (u16::from(src[c]) * alpha + 255 * (255 - alpha)) / 255;
            dst[c] = u8::try_from(blended).unwrap_or(255);
        }
    }
    out
}

fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    icc: Option<&Vec<u8>>,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    if let Some(profile) = icc {
        // A colour profile says how to show the pixels; it carries nothing about the person.
        let _ = encoder.set_icc_profile(profile.clone());
    }
    encoder
        .write_image(pixels, width, height, ExtendedColorType::Rgb8)
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(out)
}

fn resize(source: &Image<'_>, width: u32, height: u32) -> Result<Image<'static>, ImageError> {
    let mut target = Image::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(
            source,
            &mut target,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(target)
}

fn placeholder(image: &Image<'_>) -> (String, String) {
    let (width, height) = (image.width(), image.height());
    let rgb = image.buffer();
    let mut rgba = Vec::with_capacity(rgb.len() / 3 * 4);
    let mut sums = [0_u64; 3];
    for pixel in rgb.chunks_exact(3) {
        rgba.extend_from_slice(&[pixel[0], pixel[1], pixel[2], 255]);
        for c in 0..3 {
            sums[c] += u64::from(pixel[c]);
        }
    }
    let count = (rgb.len() / 3).max(1) as u64;
    let colour = format!(
        "#{:02x}{:02x}{:02x}",
        sums[0] / count,
        sums[1] / count,
        sums[2] / count
    );
    let hash = blurhash::encode(4, 3, width, height, &rgba).unwrap_or_default();
    (hash, colour)
}

/// Decodes a photo and makes its renditions at `widths`.
///
/// # Errors
/// `TooManyPixels`, `TooManyScans`, `Incomplete` for a file cut off before
/// its end, `Decode` for a broken one, `Encode`.
/// The size of the rendition made for `target` from a `width` x `height`
/// photo: never wider than the photo, the height rounded to keep its shape.
#[must_use]
pub fn rendition_size(width: u32, height: u32, target: u32) -> (u32, u32) {
    let w = target.min(width).max(1);
    let h =
        (u64::from(height) * u64::from(w) + u64::from(width.max(1)) / 2) / u64::from(width.max(1));
    (w, u32::try_from(h.max(1)).unwrap_or(1))
}

pub fn process(data: &[u8], widths: &[u32], max_pixels: u64) -> Result<Processed, ImageError> {
    super::jpeg_scans::check(data, super::jpeg_scans::MAX_SCANS)?;
    let mut decoder = reader(Cursor::new(data), max_pixels)?
        .into_decoder()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, max_pixels)?;
    let kind = super::sniff::sniff(&data[..data.len().min(super::sniff::Sniffed::HEADER_LEN)]);
    super::complete::check(data, kind)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut decoded =
        DynamicImage::from_decoder(decoder).map_err(|e| ImageError::Decode(e.to_string()))?;
    decoded.apply_orientation(orientation);
    let upright = flatten(decoded);
    let (width, height) = upright.dimensions();
    let full = Image::from_vec_u8(width, height, upright.into_raw(), PixelType::U8x3)
        .map_err(|e| ImageError::Decode(e.to_string()))?;

    // Largest first, each made from the one before: fast, and sharp enough.
    let mut targets: Vec<u32> = widths.to_vec();
    targets.sort_unstable_by(|a, b| b.cmp(a));
    let mut renditions = Vec::with_capacity(targets.len());
    let mut previous: Option<Image<'static>> = None;
    let mut smallest: Option<Image<'static>> = None;
    for target in targets {
        let (w, h) = rendition_size(width, height, target);
        let source = previous.as_ref().unwrap_or(&full);
        let scaled = if source.width() == w && source.height() == h {
            Image::from_vec_u8(w, h, source.buffer().to_vec(), PixelType::U8x3)
                .map_err(|e| ImageError::Encode(e.to_string()))?
        } else {
            resize(source, w, h)?
        };
        renditions.push(Rendition {
            target,
            width: w,
            height: h,
            jpeg: encode(scaled.buffer(), w, h, icc.as_ref())?,
        });
        smallest = Some(scaled.copy());
        previous = Some(scaled);
    }
    let (blurhash, dominant_color) = placeholder(smallest.as_ref().unwrap_or(&full));
    Ok(Processed {
        width,
        height,
        renditions,
        blurhash,
        dominant_color,
    })
}

#[cfg(test)]
mod tests {
    use super::{check_header, process, ImageError};
    use crate::media::fixtures::{exif_with_gps, photo, png_declaring};
    use image::{codecs::jpeg::JpegEncoder, ImageEncoder, Rgb, RgbImage};

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn photos_come_out_upright_without_metadata() {
        let input = photo(Some(&exif_with_gps()));
        assert!(contains(&input, b"Exif"));
        let out = process(&input, &[320, 960, 1920], 50_000_000).unwrap();
        // Orientation 6 turns the 40x20 photo into 20x40, the red half on top.
        assert_eq!((out.width, out.height), (20, 40));
        for rendition in &out.renditions {
            assert_eq!(
                (rendition.width, rendition.height),
                (20, 40),
                "never upscaled"
            );
            assert!(!contains(&rendition.jpeg, b"Exif"), "no EXIF block");
            assert!(
                !contains(&rendition.jpeg, &[0xFF, 0xE1]),
                "no APP1 segment at all"
            );
            let decoded = image::load_from_memory(&rendition.jpeg)
                .unwrap()
                .into_rgb8();
            let top = decoded.get_pixel(10, 3);
            let bottom = decoded.get_pixel(10, 36);
            assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
            assert!(
                bottom[2] > 150 && bottom[0] < 100,
                "bottom is blue: {bottom:?}"
            );
        }
        assert!(out.dominant_color.starts_with('#') && out.dominant_color.len() == 7);
        assert!(!out.blurhash.is_empty());
    }

    #[test]
    fn large_photos_are_scaled_to_each_width() {
        let image = RgbImage::from_fn(2400, 1600, |x, y| {
            Rgb([(x % 255) as u8, (y % 255) as u8, 128])
        });
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 80)
            .write_image(image.as_raw(), 2400, 1600, image::ExtendedColorType::Rgb8)
            .unwrap();
        let out = process(&jpeg, &[320, 960, 1920], 50_000_000).unwrap();
        let sizes: Vec<(u32, u32)> = out.renditions.iter().map(|r| (r.width, r.height)).collect();
        assert_eq!(sizes, [(1920, 1280), (960, 640), (320, 213)]);
    }

    #[test]
    fn oversized_declarations_are_refused_before_decoding() {
        let bomb = png_declaring(50_000, 50_000);
        let err = check_header(&bomb, 50_000_000).unwrap_err();
        assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err}");
        assert!(matches!(
            process(&bomb, &[320], 50_000_000),
            Err(ImageError::TooManyPixels { .. })
        ));
    }

    #[test]
    fn truncated_photos_fail_clearly() {
        for format in [
            image::ImageFormat::Jpeg,
            image::ImageFormat::Png,
            image::ImageFormat::WebP,
        ] {
            let whole = crate::media::fixtures::photo_as(format, 640, 480);
            assert!(
                process(&whole, &[320], 50_000_000).is_ok(),
                "{format:?} whole"
            );
            let quarter = &whole[..whole.len() / 4];
            let err = process(quarter, &[320], 50_000_000).unwrap_err();
            assert!(
                matches!(err, ImageError::Incomplete(_)),
                "{format:?}: {err}"
            );
        }
    }
}
