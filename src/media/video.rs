//! Videos are kept as uploaded, with their container checked and their
//! descriptive metadata blanked in place (no re-encoding).
//!
//! - MP4 and QuickTime (ISO base media): every box at the top level, in the
//!   movie (`moov`) and in each track (`trak`) is walked; the boxes that carry
//!   descriptive metadata (`udta`, `meta`, `uuid`, where phones put the GPS
//!   position, the camera model and XMP) are renamed to `free`, which every
//!   player skips, and their contents are zeroed. Sizes and offsets stay as
//!   they were, so the media data is untouched. The file must be a complete,
//!   well-formed box tree with a movie box.
//! - WebM (Matroska): the EBML header must name `webm` and a `Segment` must
//!   follow; `Tags` and `Attachments` are overwritten with zeroed `Void`
//!   elements.
//!
//! Only box and element headers are read, so a 200 MB video costs a few
//! kilobytes of reads.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom, Write},
    path::Path,
};

use super::sniff::Sniffed;

/// What the check found out about a video.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VideoInfo {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration_ms: Option<u64>,
    /// How many metadata boxes or elements were blanked.
    pub blanked: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error("the video could not be read ({0}); export or record it again and retry")]
    Malformed(String),
    #[error("the video could not be read: {0}")]
    Io(#[from] std::io::Error),
}

fn malformed(what: impl Into<String>) -> VideoError {
    VideoError::Malformed(what.into())
}

/// Checks the container of the file at `path` and blanks its metadata in place.
///
/// # Errors
/// `Malformed` when the container is damaged, incomplete or not what its
/// first bytes claimed.
pub fn check_and_clean(path: &Path, kind: Sniffed) -> Result<VideoInfo, VideoError> {
    let mut file = File::options().read(true).write(true).open(path)?;
    let len = file.metadata()?.len();
    let info = match kind {
        Sniffed::Mp4 | Sniffed::QuickTime => clean_iso(&mut file, len)?,
        Sniffed::WebM => clean_webm(&mut file, len)?,
        _ => return Err(malformed("not a video")),
    };
    file.sync_all()?;
    Ok(info)
}

// ---- ISO base media (MP4, MOV) ----

struct BoxHeader {
    kind: [u8; 4],
    start: u64,
    header_len: u64,
    end: u64,
}

fn read_box(file: &mut File, at: u64, limit: u64) -> Result<BoxHeader, VideoError> {
    if limit - at < 8 {
        return Err(malformed("a box is cut off"));
    }
    let mut head = [0_u8; 8];
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(&mut head)?;
    let size32 = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
    let kind = [head[4], head[5], head[6], head[7]];
    let (size, header_len) = match size32 {
        0 => (limit - at, 8),
        1 => {
            let mut large = [0_u8; 8];
            file.read_exact(&mut large)?;
            (u64::from_be_bytes(large), 16)
        }
        n => (n, 8),
    };
    if size < header_len || size > limit - at {
        return Err(malformed(format!(
            "box '{}' has an impossible size",
            String::from_utf8_lossy(&kind)
        )));
    }
    Ok(BoxHeader {
        kind,
        start: at,
        header_len,
        end: at + size,
    })
}

fn children(file: &mut File, parent: &BoxHeader) -> Result<Vec<BoxHeader>, VideoError> {
    let mut boxes = Vec::new();
    let mut at = parent.start + parent.header_len;
    while at < parent.end {
        let child = read_box(file, at, parent.end)?;
        at = child.end;
        boxes.push(child);
        if boxes.len() > 100_000 {
            return Err(malformed("too many boxes"));
        }
    }
    Ok(boxes)
}

const METADATA_BOXES: [&[u8; 4]; 3] = [b"udta", b"meta", b"uuid"];

/// Renames a box to `free` and zeroes what it held.
fn blank_box(file: &mut File, header: &BoxHeader) -> Result<(), VideoError> {
    file.seek(SeekFrom::Start(header.start + 4))?;
    file.write_all(b"free")?;
    file.seek(SeekFrom::Start(header.start + header.header_len))?;
    write_zeros(file, header.end - header.start - header.header_len)
}

fn write_zeros(file: &mut File, mut left: u64) -> Result<(), VideoError> {
    let zeros = [0_u8; 8192];
    while left > 0 {
        let n = left.min(zeros.len() as u64);
        file.write_all(&zeros[..usize::try_from(n).unwrap_or(0)])?;
        left -= n;
    }
    Ok(())
}

fn payload(file: &mut File, header: &BoxHeader, max: u64) -> Result<Vec<u8>, VideoError> {
    let len = (header.end - header.start - header.header_len).min(max);
    let mut data = vec![0_u8; usize::try_from(len).unwrap_or(0)];
    file.seek(SeekFrom::Start(header.start + header.header_len))?;
    file.read_exact(&mut data)?;
    Ok(data)
}

fn be_u32(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn be_u64(data: &[u8], at: usize) -> Option<u64> {
    data.get(at..at + 8)
        .map(|b| u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
}

/// Duration from a `mvhd` payload (version 0 or 1).
fn movie_duration(mvhd: &[u8]) -> Option<u64> {
    let (timescale, duration) = if mvhd.first() == Some(&1) {
        (be_u32(mvhd, 20)?, be_u64(mvhd, 24)?)
    } else {
        (be_u32(mvhd, 12)?, u64::from(be_u32(mvhd, 16)?))
    };
    (timescale > 0).then(|| duration.saturating_mul(1000) / u64::from(timescale))
}

/// Display size from a `tkhd` payload: its last eight bytes, 16.16 fixed point.
fn track_size(tkhd: &[u8]) -> Option<(u32, u32)> {
    let at = tkhd.len().checked_sub(8)?;
    let width = be_u32(tkhd, at)? >> 16;
    let height = be_u32(tkhd, at + 4)? >> 16;
    (width > 0 && height > 0).then_some((width, height))
}

fn clean_iso(file: &mut File, len: u64) -> Result<VideoInfo, VideoError> {
    let root = BoxHeader {
        kind: *b"root",
        start: 0,
        header_len: 0,
        end: len,
    };
    let top = children(file, &root)?;
    if top.first().map(|b| &b.kind) != Some(b"ftyp") {
        return Err(malformed("it does not start with a file type box"));
    }
    let movies: Vec<&BoxHeader> = top.iter().filter(|b| &b.kind == b"moov").collect();
    let [moov] = movies.as_slice() else {
        return Err(malformed("it needs exactly one movie box"));
    };
    if !top.iter().any(|b| &b.kind == b"mdat") {
        return Err(malformed("it holds no media data"));
    }
    let mut info = VideoInfo::default();
    for header in &top {
        if METADATA_BOXES.contains(&&header.kind) {
            blank_box(file, header)?;
            info.blanked += 1;
        }
    }
    for child in children(file, moov)? {
        match &child.kind {
            b"mvhd" => info.duration_ms = movie_duration(&payload(file, &child, 64)?),
            b"trak" => {
                for part in children(file, &child)? {
                    if &part.kind == b"tkhd" && info.width.is_none() {
                        if let Some((w, h)) = track_size(&payload(file, &part, 128)?) {
                            info.width = Some(w);
                            info.height = Some(h);
                        }
                    } else if METADATA_BOXES.contains(&&part.kind) {
                        blank_box(file, &part)?;
                        info.blanked += 1;
                    }
                }
            }
            kind if METADATA_BOXES.contains(&kind) => {
                blank_box(file, &child)?;
                info.blanked += 1;
            }
            _ => {}
        }
    }
    Ok(info)
}

// ---- WebM (EBML) ----

const EBML_HEADER: u32 = 0x1A45_DFA3;
const DOC_TYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const CLUSTER: u32 = 0x1F43_B675;
const TAGS: u32 = 0x1254_C367;
const ATTACHMENTS: u32 = 0x1941_A469;
const VOID: u8 = 0xEC;
/// The elements that may follow a cluster of unknown size.
const LEVEL_ONE: [u32; 8] = [
    0x114D_9B74, // SeekHead
    0x1549_A966, // Info
    0x1654_AE6B, // Tracks
    CLUSTER,
    0x1C53_BB6B, // Cues
    0x1043_A770, // Chapters
    TAGS,
    ATTACHMENTS,
];

struct Element {
    id: u32,
    start: u64,
    id_len: u64,
    size_len: u64,
    /// `None` for the "unknown size" of live recordings.
    size: Option<u64>,
}

impl Element {
    fn data_start(&self) -> u64 {
        self.start + self.id_len + self.size_len
    }
}

fn read_vint(file: &mut File, keep_marker: bool) -> Result<(u64, u64, bool), VideoError> {
    let mut first = [0_u8; 1];
    file.read_exact(&mut first)?;
    let len = u64::from(first[0].leading_zeros()) + 1;
    if len > 8 {
        return Err(malformed("an element header is invalid"));
    }
    let data_mask = 0xFF_u64 >> len;
    let mut value = if keep_marker {
        u64::from(first[0])
    } else {
        u64::from(first[0]) & data_mask
    };
    let mut all_ones = u64::from(first[0]) & data_mask == data_mask;
    for _ in 1..len {
        let mut byte = [0_u8; 1];
        file.read_exact(&mut byte)?;
        all_ones &= byte[0] == 0xFF;
        value = (value << 8) | u64::from(byte[0]);
    }
    Ok((value, len, all_ones))
}

fn read_element(file: &mut File, at: u64, limit: u64) -> Result<Element, VideoError> {
    file.seek(SeekFrom::Start(at))?;
    let (id, id_len, _) = read_vint(file, true)?;
    let (size, size_len, unknown) = read_vint(file, false)?;
    let element = Element {
        id: u32::try_from(id).map_err(|_| malformed("an element id is invalid"))?,
        start: at,
        id_len,
        size_len,
        size: (!unknown).then_some(size),
    };
    if let Some(size) = element.size {
        if element.data_start().saturating_add(size) > limit {
            return Err(malformed("an element runs past the end"));
        }
    }
    Ok(element)
}

/// Overwrites an element with a `Void` element of the same total length.
fn blank_element(file: &mut File, element: &Element, size: u64) -> Result<(), VideoError> {
    let total = element.id_len + element.size_len + size;
    let size_len: u64 = if total >= 9 { 8 } else { total - 1 };
    let data_len = total - 1 - size_len;
    let mut header = vec![VOID];
    let marker = 1_u64 << (7 * size_len);
    let encoded = marker | data_len;
    for i in (0..size_len).rev() {
        header.push(u8::try_from((encoded >> (8 * i)) & 0xFF).unwrap_or(0));
    }
    file.seek(SeekFrom::Start(element.start))?;
    file.write_all(&header)?;
    write_zeros(file, data_len)
}

fn clean_webm(file: &mut File, len: u64) -> Result<VideoInfo, VideoError> {
    let header = read_element(file, 0, len)?;
    let header_size = header.size.ok_or_else(|| malformed("no EBML header"))?;
    if header.id != EBML_HEADER {
        return Err(malformed("no EBML header"));
    }
    let header_end = header.data_start() + header_size;
    let mut at = header.data_start();
    let mut doc_type = None;
    while at < header_end {
        let child = read_element(file, at, header_end)?;
        let size = child
            .size
            .ok_or_else(|| malformed("the EBML header is invalid"))?;
        if child.id == DOC_TYPE && size <= 16 {
            let mut text = vec![0_u8; usize::try_from(size).unwrap_or(0)];
            file.seek(SeekFrom::Start(child.data_start()))?;
            file.read_exact(&mut text)?;
            doc_type = Some(
                String::from_utf8_lossy(&text)
                    .trim_end_matches('\0')
                    .to_owned(),
            );
        }
        at = child.data_start() + size;
    }
    if doc_type.as_deref() != Some("webm") {
        return Err(malformed("it is not a WebM file"));
    }
    let segment = read_element(file, header_end, len)?;
    if segment.id != SEGMENT {
        return Err(malformed("it holds no segment"));
    }
    let segment_end = segment.size.map_or(len, |size| segment.data_start() + size);
    let mut info = VideoInfo::default();
    let mut at = segment.data_start();
    let mut elements = 0;
    while at < segment_end {
        elements += 1;
        if elements > 1_000_000 {
            return Err(malformed("too many elements"));
        }
        let element = read_element(file, at, segment_end)?;
        let end = match element.size {
            Some(size) => element.data_start() + size,
            None if element.id == CLUSTER => end_of_open_cluster(file, &element, segment_end)?,
            None => return Err(malformed("an element of unknown size")),
        };
        if element.id == TAGS || element.id == ATTACHMENTS {
            blank_element(file, &element, end - element.data_start())?;
            info.blanked += 1;
        }
        at = end;
    }
    Ok(info)
}

/// Where a cluster of unknown size ends: at the next level-one element.
fn end_of_open_cluster(file: &mut File, cluster: &Element, limit: u64) -> Result<u64, VideoError> {
    let mut at = cluster.data_start();
    while at < limit {
        let child = read_element(file, at, limit)?;
        if LEVEL_ONE.contains(&child.id) {
            return Ok(at);
        }
        let size = child
            .size
            .ok_or_else(|| malformed("a block of unknown size"))?;
        at = child.data_start() + size;
    }
    Ok(limit)
}

#[cfg(test)]
#[path = "video_tests.rs"]
mod tests;
