//! Media: recognising a file by its own bytes, and making privacy-safe
//! renditions of photos (upright, every piece of metadata dropped), and
//! checking videos with their metadata blanked.

pub mod complete;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
pub mod image;
pub mod jpeg_scans;
pub mod sniff;
pub mod video;
