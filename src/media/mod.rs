//! Media: recognising a file by its own bytes, and making privacy-safe
//! renditions of photos (upright, every piece of metadata dropped).

pub mod fixtures;
pub mod image;
pub mod sniff;
