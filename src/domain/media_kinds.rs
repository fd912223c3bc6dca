//! What a media item is, where its processing stands, and why it failed.

super::enums::str_enum!(
    /// Work the durable job queue does.
    JobKind {
        /// Make a photo's renditions, or move a checked video to its place.
        ProcessMedia = "process_media",
    }
);

super::enums::str_enum!(
    /// A photo or a video.
    MediaKind {
        Image = "image",
        Video = "video",
    }
);

super::enums::str_enum!(
    /// Where an uploaded file's processing stands.
    MediaStatus {
        /// Uploaded; renditions are being made.
        Processing = "processing",
        /// Its files can be shown.
        Ready = "ready",
        /// It could not be used; `error_code` says why.
        Failed = "failed",
    }
);

super::enums::str_enum!(
    /// Why a file could not be used, for the team to read in its language.
    MediaFailure {
        /// The file stops before its end, as when an upload is cut off.
        Incomplete = "incomplete",
        /// The file is damaged or not what it says it is.
        Unreadable = "unreadable",
        /// The photo has more pixels than the platform takes.
        TooManyPixels = "too_many_pixels",
        /// The uploaded file was lost before it was processed.
        Lost = "lost",
        /// Processing failed again and again for reasons outside the file.
        ProcessingFailed = "processing_failed",
    }
);
