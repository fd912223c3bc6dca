//! Photos of campaigns: upload, details, alt text and consent, order, removal.

use std::collections::BTreeMap;

use poem::{handler, web::Path as RoutePath, IntoResponse, Response};
use poem_openapi::{
    param::Path,
    payload::{Binary, Json},
    ApiResponse, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, json::JsonBody, upload::MediaUpload, ApiTags};
use crate::{
    db::media::MediaRow,
    error::AppError,
    service::media::{self, rendition_names},
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
    /// `processing`, `ready` or `failed`.
    pub status: String,
    /// Why processing failed, for the team.
    pub error: Option<String>,
    /// `image` or `video`.
    pub kind: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub alt_text: String,
    pub consent_confirmed: bool,
    pub position: i32,
    /// A placeholder to paint while the photo loads.
    pub blurhash: Option<String>,
    /// `#rrggbb`.
    pub dominant_color: Option<String>,
    /// Whether an approval made it public.
    pub public: bool,
    /// The renditions by name (`w320`, `w960`, `w1920`): public, cacheable
    /// addresses once published; before that, addresses that need the session.
    pub urls: BTreeMap<String, String>,
}

/// Media as the API shows it.
#[must_use]
pub fn to_dto(row: MediaRow, widths: &[u32]) -> Media {
    let public = row.published_at.is_some();
    let urls = if row.status == "ready" {
        rendition_names(widths)
            .into_iter()
            .map(|name| {
                let key = name.trim_end_matches(".jpg").to_owned();
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
        kind: row.kind,
        width: row.width,
        height: row.height,
        alt_text: row.alt_text,
        consent_confirmed: row.consent_confirmed,
        position: row.position,
        blurhash: row.blurhash,
        dominant_color: row.dominant_color,
        public,
        urls,
    }
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct UpdateMediaRequest {
    /// Up to 1000 characters.
    pub alt_text: Option<String>,
    pub consent_confirmed: Option<bool>,
    /// Order within the campaign (smaller first).
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
    /// The rendition.
    #[oai(status = 200, content_type = "image/jpeg")]
    Jpeg(Binary<Vec<u8>>, #[oai(header = "Cache-Control")] String),
}

#[OpenApi(tag = "ApiTags::Campaigns")]
impl MediaApi {
    /// Add a photo
    ///
    /// Team members, while the campaign is being edited. The type comes from
    /// the file's own bytes: JPEG, PNG, WebP, GIF; HEIC (iPhone) and
    /// everything else get 415 `unsupported_media_type`; over 25 MB or 50
    /// megapixels get 413 `payload_too_large`. Processing makes upright
    /// renditions without any metadata; the original is not kept.
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
    #[oai(path = "/media/:id", method = "delete", operation_id = "deleteMedia")]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<Removed, AppError> {
        media::delete(&self.state, auth.principal(), id.0).await?;
        Ok(Removed::Done)
    }

    /// A rendition, for the team and facilitators
    ///
    /// Never cached by shared caches. Published photos also have public addresses.
    #[oai(
        path = "/media/:id/files/:name",
        method = "get",
        operation_id = "getMediaFile"
    )]
    async fn file(&self, auth: Auth, id: Path<Uuid>, name: Path<String>) -> Result<File, AppError> {
        let data = media::private_file(&self.state, auth.principal(), id.0, &name.0).await?;
        Ok(File::Jpeg(
            Binary(data.to_vec()),
            "private, no-store".to_owned(),
        ))
    }
}

/// Public renditions of published media, at stable, cacheable addresses.
#[handler]
pub async fn public_file(
    RoutePath((id, name)): RoutePath<(String, String)>,
    state: poem::web::Data<&AppState>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return super::problems::to_problem(&AppError::NotFound("file").into());
    };
    match media::public_file(&state, id, &name).await {
        Ok(data) => Response::builder()
            .content_type("image/jpeg")
            .header("cache-control", "public, max-age=3600")
            .header("cross-origin-resource-policy", "cross-origin")
            .body(data),
        Err(err) => err.into_response(),
    }
}
