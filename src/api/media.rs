//! Photos of campaigns: upload, details, alt text and consent, order, removal.

use std::collections::BTreeMap;

use poem::{
    handler,
    http::{header, StatusCode},
    web::Path as RoutePath,
    Body, IntoResponse, Response,
};
use poem_openapi::{
    param::{Header, Path},
    payload::{Binary, Json, Response as PayloadResponse},
    ApiResponse, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, json::JsonBody, upload::MediaUpload, ApiTags};
use crate::{
    db::media::MediaRow,
    domain::{MediaFailure, MediaKind, MediaStatus},
    error::AppError,
    service::media::{self, file_names, OpenFile},
    state::AppState,
};

pub struct MediaApi {
    pub state: AppState,
}

/// A photo (or video) of a campaign.
#[derive(Debug, Object)]
pub struct Media {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub status: MediaStatus,
    /// Why processing failed, in English (for support).
    #[oai(nullable)]
    pub error: Option<String>,
    /// Why processing failed, as a stable code the app shows in the person's language.
    #[oai(nullable)]
    pub error_code: Option<MediaFailure>,
    pub kind: MediaKind,
    #[oai(nullable)]
    pub width: Option<i32>,
    #[oai(nullable)]
    pub height: Option<i32>,
    pub alt_text: String,
    pub consent_confirmed: bool,
    pub position: i32,
    /// A placeholder to paint while the photo loads.
    #[oai(nullable)]
    pub blurhash: Option<String>,
    /// `#rrggbb`.
    #[oai(nullable)]
    pub dominant_color: Option<String>,
    /// Whether an approval made it public.
    pub public: bool,
    /// Whether the team changed its description or place since the approval
    /// that made it public: the public sees the approved ones until a
    /// moderator approves the campaign again.
    pub awaiting_review: bool,
    /// The files by name (`w320`, `w960`, `w1920` for a photo, `video` for a
    /// video): public, cacheable addresses once published; before that,
    /// addresses that need the session.
    pub urls: BTreeMap<String, String>,
}

/// Media as the API shows it.
#[must_use]
pub fn to_dto(row: MediaRow, widths: &[u32]) -> Media {
    let public = row.published_at.is_some();
    let awaiting_review = row.alt_text_awaits_review() || row.position_awaits_review();
    let urls = if row.status == MediaStatus::Ready {
        file_names(&row, widths)
            .into_iter()
            .map(|name| {
                let key = match name.split_once('.') {
                    Some(("video", _)) => "video".to_owned(),
                    _ => name.trim_end_matches(".jpg").to_owned(),
                };
                let url = if public {
                    format!("/media/{}/{name}", row.id)
                } else {
                    format!("/api/v1/media/{}/files/{name}", row.id)
                };
                (key, url)
            })
            .collect()
    } else {
        BTreeMap::new()
    };
    Media {
        id: row.id,
        campaign_id: row.campaign_id,
        status: row.status,
        error: row.error,
        error_code: row.error_code,
        kind: row.kind,
        width: row.width,
        height: row.height,
        alt_text: row.alt_text,
        consent_confirmed: row.consent_confirmed,
        position: row.position,
        blurhash: row.blurhash,
        dominant_color: row.dominant_color,
        public,
        awaiting_review,
        urls,
    }
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateMediaRequest {
    /// Up to 1000 characters.
    #[oai(nullable)]
    #[oai(validator(max_length = 1000))]
    pub alt_text: Option<String>,
    #[oai(nullable)]
    pub consent_confirmed: Option<bool>,
    /// Order within the campaign (smaller first).
    #[oai(nullable)]
    pub position: Option<i32>,
}

#[derive(ApiResponse)]
pub enum Accepted {
    /// Received; processing follows (poll until `ready` or `failed`).
    #[oai(status = 202)]
    Accepted(Json<Media>),
}

#[derive(ApiResponse)]
pub enum Removed {
    /// Removed.
    #[oai(status = 204)]
    Done,
}

#[derive(ApiResponse)]
pub enum File {
    /// The file: a JPEG rendition, or the video in its own container. A
    /// single `Range` is honoured with 206 and `Content-Range`.
    #[oai(status = 200, content_type = "application/octet-stream")]
    Whole(Binary<Body>),
}

/// The response for an open file: 200 with the whole of it, or 206 with
/// the part asked for.
fn file_response(file: OpenFile, cache_control: &str) -> PayloadResponse<File> {
    let body = Body::from_async_read(file.reader);
    let response = PayloadResponse::new(File::Whole(Binary(body)))
        .header(header::CONTENT_TYPE, file.content_type)
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::ACCEPT_RANGES, "bytes");
    match file.part {
        Some((first, last)) => response
            .status(StatusCode::PARTIAL_CONTENT)
            .header(header::CONTENT_LENGTH, (last - first + 1).to_string())
            .header(
                header::CONTENT_RANGE,
                format!("bytes {first}-{last}/{}", file.total),
            ),
        None => response.header(header::CONTENT_LENGTH, file.total.to_string()),
    }
}

#[OpenApi(tag = "ApiTags::Campaigns")]
impl MediaApi {
    /// Add a photo or video
    ///
    /// Team members, while the campaign is being edited. The type comes from
    /// the file's own bytes: JPEG, PNG, WebP, GIF, MP4, MOV, WebM; HEIC
    /// (iPhone) and everything else get 415 `unsupported_media_type`, as does
    /// a damaged video; a photo over 25 MB or 50 megapixels or a video over
    /// 200 MB gets 413 `payload_too_large` (limits configurable), as does a
    /// progressive JPEG of more than 100 scans; an upload slower than about
    /// 1 KB/s after its first 30 s gets 408 `request_too_slow`. Processing
    /// makes upright photo renditions without any metadata (the original is
    /// not kept); a video keeps its container with its metadata blanked.
    #[oai(
        path = "/campaigns/:id/media",
        method = "post",
        operation_id = "uploadMedia"
    )]
    async fn upload(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        form: MediaUpload,
    ) -> Result<Accepted, AppError> {
        let row = media::upload(
            &self.state,
            auth.principal(),
            id.0,
            form.file,
            form.alt_text,
            form.consent_confirmed,
        )
        .await?;
        Ok(Accepted::Accepted(Json(to_dto(
            row,
            &self.state.config.media.rendition_widths,
        ))))
    }

    /// Get a photo's details
    #[oai(path = "/media/:id", method = "get", operation_id = "getMedia")]
    async fn get(&self, auth: Auth, id: Path<Uuid>) -> Result<Json<Media>, AppError> {
        let row = media::get(&self.state, auth.principal(), id.0).await?;
        Ok(Json(to_dto(row, &self.state.config.media.rendition_widths)))
    }

    /// Change alt text, consent or order
    ///
    /// On a published campaign the new description and order wait for the
    /// campaign's next approval (`awaiting_review`); withdrawing consent takes
    /// the photo off every public page at once. The evidence of a decided
    /// reach report cannot change: 409 `reach_decided`.
    #[oai(path = "/media/:id", method = "patch", operation_id = "updateMedia")]
    async fn update(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        body: JsonBody<UpdateMediaRequest>,
    ) -> Result<Json<Media>, AppError> {
        let b = body.0;
        let row = media::update(
            &self.state,
            auth.principal(),
            id.0,
            b.alt_text,
            b.consent_confirmed,
            b.position,
        )
        .await?;
        Ok(Json(to_dto(row, &self.state.config.media.rendition_widths)))
    }

    /// Remove a photo
    ///
    /// It leaves every public page at once. The evidence of a decided reach
    /// report cannot be removed: 409 `reach_decided`.
    #[oai(path = "/media/:id", method = "delete", operation_id = "deleteMedia")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<Removed, AppError> {
        media::delete(&self.state, auth.principal(), id.0).await?;
        Ok(Removed::Done)
    }

    /// A file (rendition or video), for the team and facilitators
    ///
    /// Never cached by shared caches. Published media also has public
    /// addresses. Honours a single `Range` (206), as video players need.
    #[oai(
        path = "/media/:id/files/:name",
        method = "get",
        operation_id = "getMediaFile"
    )]
    async fn file(
        &self,
        auth: Auth,
        id: Path<Uuid>,
        name: Path<String>,
        #[oai(name = "Range")] range: Header<Option<String>>,
    ) -> Result<PayloadResponse<File>, AppError> {
        let file = media::private_file(&self.state, auth.principal(), id.0, &name.0).await?;
        let open = media::open_file(&self.state, &file, range.0.as_deref()).await?;
        Ok(file_response(open, "private, no-store"))
    }
}

/// Public renditions of published media, at stable, cacheable addresses.
/// Caches keep them a minute, so a campaign taken down is gone everywhere soon after.
#[handler]
pub async fn public_file(
    RoutePath((id, name)): RoutePath<(String, String)>,
    state: poem::web::Data<&AppState>,
    request: &poem::Request,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return AppError::NotFound("file").response_in(crate::i18n::requested(request));
    };
    let range = request.header(header::RANGE);
    let opened = async {
        let file = media::public_file(&state, id, &name).await?;
        media::open_file(&state, &file, range).await
    }
    .await;
    match opened {
        Ok(open) => {
            let mut response = file_response(open, "public, max-age=60").into_response();
            response.headers_mut().insert(
                "cross-origin-resource-policy",
                poem::http::HeaderValue::from_static("cross-origin"),
            );
            response
        }
        Err(err) => err.into_response(),
    }
}
