//! `MediaUpload`: a multipart upload whose file streams to disk under a
//! limit decided by its own first bytes. Too much is refused (413) as soon
//! as the limit is passed, never after the whole body is stored.

use crate::domain::Invalid;
use poem::{web::Multipart, FromRequest, Request, RequestBody};
use poem_openapi::{
    impl_apirequest_for_payload,
    payload::{ParsePayload, Payload},
    registry::{MetaSchemaRef, Registry},
    types::multipart::Upload,
    Multipart as MultipartSchema,
};
use std::{future::Future, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    time::Instant,
};

use crate::{
    error::AppError,
    media::sniff::{sniff, Sniffed},
    service::media::Uploaded,
    state::AppState,
};

/// The form a media upload sends (for the API document).
#[derive(Debug, MultipartSchema)]
pub struct MediaUploadForm {
    /// A photo (JPEG, PNG, WebP or GIF's first frame; up to 25 MB and 50
    /// megapixels by default) or a video (MP4, MOV or WebM; up to 200 MB).
    pub file: Upload,
    /// What a screen reader says about it; needed before the campaign is submitted.
    #[oai(validator(max_length = 1000))]
    pub alt_text: Option<String>,
    /// Everyone recognisable in it agreed to be shown.
    pub consent_confirmed: Option<bool>,
}

/// A parsed upload: the file waits in the upload directory.
pub struct MediaUpload {
    pub file: Uploaded,
    pub alt_text: String,
    pub consent_confirmed: bool,
}

impl Payload for MediaUpload {
    const CONTENT_TYPE: &'static str = "multipart/form-data";

    fn check_content_type(content_type: &str) -> bool {
        content_type
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    }

    fn schema_ref() -> MetaSchemaRef {
        <MediaUploadForm as Payload>::schema_ref()
    }

    fn register(registry: &mut Registry) {
        <MediaUploadForm as Payload>::register(registry);
    }
}

fn unsupported(sniffed: Sniffed) -> AppError {
    AppError::UnsupportedMediaType(match sniffed {
        Sniffed::Heic => "this is a HEIC photo, which the platform does not take. On an iPhone, choose \
                          Settings > Camera > Formats > Most Compatible, or share the photo and pick \
                          JPEG; most gallery apps can also save a copy as JPEG"
            .to_owned(),
        _ => "only photos (JPEG, PNG, WebP or GIF) and videos (MP4, MOV or WebM) can be added"
            .to_owned(),
    })
}

fn accepted(kind: Sniffed) -> bool {
    kind.is_image() || kind.is_video()
}

/// The size limit of a kind of file, and how to say it.
fn limit_for(state: &AppState, kind: Sniffed) -> (u64, &'static str) {
    if kind.is_video() {
        (state.config.media.max_video_bytes, "a video")
    } else {
        (state.config.media.max_image_bytes, "a photo")
    }
}

fn too_large(limit: u64, what: &str) -> AppError {
    let size = if limit >= 1024 * 1024 {
        format!("{} MB", limit / (1024 * 1024))
    } else {
        format!("{} KB", limit / 1024)
    };
    AppError::PayloadTooLargeWithReason(format!("{what} may be at most {size}"))
}

/// The most any upload may be, before its type is known.
fn largest(state: &AppState) -> u64 {
    state
        .config
        .media
        .max_image_bytes
        .max(state.config.media.max_video_bytes)
}

/// How long an upload may take: a grace time, then one more second for
/// every `upload_min_bytes_per_second` received (as Apache's
/// `mod_reqtimeout` does). A client sending a byte a second is cut off and
/// its connection freed; a phone on a poor connection is not.
struct Pace {
    started: Instant,
    grace: Duration,
    bytes_per_second: u64,
    received: u64,
}

impl Pace {
    fn new(state: &AppState) -> Self {
        let limits = &state.config.limits;
        Self {
            started: Instant::now(),
            grace: Duration::from_secs(limits.upload_grace_seconds),
            bytes_per_second: limits.upload_min_bytes_per_second.max(1),
            received: 0,
        }
    }

    fn deadline(&self) -> Instant {
        self.started + self.grace + Duration::from_secs(self.received / self.bytes_per_second)
    }

    /// Waits for `step` until the deadline; past it, the upload is too slow.
    async fn within<T>(&self, step: impl Future<Output = T>) -> Result<T, AppError> {
        tokio::time::timeout_at(self.deadline(), step)
            .await
            .map_err(|_| AppError::TooSlow)
    }
}

async fn stream_file(
    state: &AppState,
    pace: &mut Pace,
    field: poem::web::Field,
) -> Result<Uploaded, AppError> {
    // Until the first bytes tell the type, the larger limit holds.
    let mut limit = (largest(state), "a file");
    let path = state
        .config
        .upload_dir()
        .join(uuid::Uuid::now_v7().simple().to_string());
    let mut reader = field.into_async_read();
    let mut out = tokio::fs::File::create(&path)
        .await
        .map_err(AppError::from_io)?;
    let result = async {
        let mut buffer = vec![0_u8; 64 * 1024];
        let mut total: u64 = 0;
        let mut sniffed = None;
        let mut head = Vec::with_capacity(Sniffed::HEADER_LEN);
        loop {
            let read =
                pace.within(reader.read(&mut buffer))
                    .await?
                    .map_err(|_| AppError::BadRequest {
                        code: "upload_interrupted",
                        detail: "the upload was cut off; please try again".to_owned(),
                    })?;
            if read == 0 {
                break;
            }
            total += read as u64;
            pace.received += read as u64;
            if sniffed.is_none() {
                head.extend_from_slice(
                    &buffer[..read.min(Sniffed::HEADER_LEN - head.len().min(Sniffed::HEADER_LEN))],
                );
                if head.len() >= Sniffed::HEADER_LEN || read < buffer.len() {
                    let kind = sniff(&head);
                    if !accepted(kind) {
                        return Err(unsupported(kind));
                    }
                    limit = limit_for(state, kind);
                    sniffed = Some(kind);
                }
            }
            if total > limit.0 {
                return Err(too_large(limit.0, limit.1));
            }
            out.write_all(&buffer[..read])
                .await
                .map_err(AppError::from_io)?;
        }
        out.flush().await.map_err(AppError::from_io)?;
        let kind = match sniffed {
            Some(kind) => kind,
            None => sniff(&head),
        };
        if total == 0 {
            return Err(AppError::validation(
                "file",
                Invalid::required("the file is empty"),
            ));
        }
        if !accepted(kind) {
            return Err(unsupported(kind));
        }
        Ok(Uploaded {
            path: path.clone(),
            sniffed: kind,
            bytes: total,
        })
    }
    .await;
    if result.is_err() {
        crate::service::media::discard_upload(&path).await;
    }
    result
}

impl ParsePayload for MediaUpload {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let state = request
            .data::<AppState>()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))?;
        // Refuse at once what announces itself as too large.
        let cap = largest(state) + 64 * 1024;
        if request
            .header("content-length")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|len| len > cap)
        {
            return Err(too_large(largest(state), "a file").into());
        }
        let mut multipart = Multipart::from_request(request, body).await?;
        let mut file = None;
        let read = read_form(state, &mut multipart, &mut file).await;
        let (alt_text, consent_confirmed) = match read {
            Ok(fields) => fields,
            Err(err) => {
                // Whatever made the form fail, the file already on disk goes.
                if let Some(Uploaded { path, .. }) = &file {
                    crate::service::media::discard_upload(path).await;
                }
                return Err(err.into());
            }
        };
        let Some(file) = file else {
            return Err(AppError::validation(
                "file",
                Invalid::required("choose a photo or video to upload"),
            )
            .into());
        };
        Ok(Self {
            file,
            alt_text,
            consent_confirmed,
        })
    }
}

/// Reads the form's fields, streaming the file into `file` as it comes;
/// returns the alt text and the consent.
async fn read_form(
    state: &AppState,
    multipart: &mut Multipart,
    file: &mut Option<Uploaded>,
) -> Result<(String, bool), AppError> {
    let bad_form = |detail: &str| AppError::validation("body", Invalid::format(detail.to_owned()));
    let mut alt_text = String::new();
    let mut consent_confirmed = false;
    let mut pace = Pace::new(state);
    while let Some(field) = pace
        .within(multipart.next_field())
        .await?
        .map_err(|_| bad_form("the form could not be read"))?
    {
        match field.name() {
            Some("file") if file.is_none() => {
                *file = Some(stream_file(state, &mut pace, field).await?);
            }
            Some("alt_text") => {
                alt_text = pace
                    .within(field.text())
                    .await?
                    .map_err(|_| bad_form("alt_text is not text"))?;
            }
            Some("consent_confirmed") => {
                let text = pace
                    .within(field.text())
                    .await?
                    .map_err(|_| bad_form("consent_confirmed is not text"))?;
                consent_confirmed = match text.trim() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(AppError::validation(
                            "consent_confirmed",
                            Invalid::format("consent_confirmed is true or false"),
                        ))
                    }
                };
            }
            _ => {}
        }
    }
    Ok((alt_text, consent_confirmed))
}

impl_apirequest_for_payload!(MediaUpload);
