//! The type of a file from its first bytes, never from its name or the
//! client's word.

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Jpeg,
    Png,
    Gif,
    WebP,
    Mp4,
    QuickTime,
    WebM,
    /// A photo format phones use (HEIC/HEIF/AVIF) that the platform does not take.
    Heic,
    /// Anything else (SVG, HTML, documents, ...).
    Other,
}

impl Sniffed {
    /// How many leading bytes `sniff` wants.
    pub const HEADER_LEN: usize = 32;

    #[must_use]
    pub fn is_image(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Gif | Self::WebP)
    }

    #[must_use]
    pub fn is_video(self) -> bool {
        matches!(self, Self::Mp4 | Self::QuickTime | Self::WebM)
    }

    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::WebP => "image/webp",
            Self::Mp4 => "video/mp4",
            Self::QuickTime => "video/quicktime",
            Self::WebM => "video/webm",
            Self::Heic => "image/heic",
            Self::Other => "application/octet-stream",
        }
    }
}

/// Recognises a file from its first bytes.
#[must_use]
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Jpeg;
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Png;
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Sniffed::Gif;
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Sniffed::WebP;
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Sniffed::WebM;
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        return match brand {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1"
            | b"avif" | b"avis" => Sniffed::Heic,
            b"qt  " => Sniffed::QuickTime,
            // Audio-only and camera-raw files share the container.
            b"M4A " | b"M4B " | b"M4P " | b"F4A " | b"F4B " | b"crx " => Sniffed::Other,
            _ => Sniffed::Mp4,
        };
    }
    Sniffed::Other
}

#[cfg(test)]
mod tests {
    use super::{sniff, Sniffed};

    #[test]
    fn recognises_by_content() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Sniffed::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniffed::Png);
        assert_eq!(sniff(b"GIF89a..."), Sniffed::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Sniffed::WebP);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Sniffed::Mp4);
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0"), Sniffed::QuickTime);
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 0x9F]), Sniffed::WebM);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Sniffed::Heic);
    }

    #[test]
    fn refuses_documents_whatever_they_are_called() {
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Sniffed::Other);
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            Sniffed::Other
        );
        assert_eq!(sniff(b"%PDF-1.7"), Sniffed::Other);
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0\0\0"), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Other);
    }
}
