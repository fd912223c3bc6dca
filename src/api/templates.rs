//! Saved feedback templates of a programme's facilitators.

use chrono::{DateTime, Utc};
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    ApiResponse, Object, OpenApi,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{auth_guard::Auth, check::Check, json::JsonBody, ApiTags};
use crate::{
    db::moderation::TemplateRow,
    domain::{ModerationNote, Name},
    error::AppError,
    service::feedback_templates,
    state::AppState,
};

pub struct TemplatesApi {
    pub state: AppState,
}

/// A saved answer for feedback.
#[derive(Debug, Object)]
pub struct FeedbackTemplate {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

fn dto(row: TemplateRow) -> FeedbackTemplate {
    FeedbackTemplate {
        id: row.id,
        programme_id: row.programme_id,
        title: row.title,
        body: row.body,
        created_at: row.created_at,
    }
}

#[derive(Debug, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CreateTemplateRequest {
    pub programme_id: Uuid,
    /// A short name to pick it by; up to 120 characters.
    #[oai(validator(
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub title: String,
    /// The feedback text; up to 4000 characters.
    #[oai(validator(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    ))]
    pub body: String,
}

#[derive(ApiResponse)]
pub enum TemplateCreated {
    #[oai(status = 201)]
    Created(Json<FeedbackTemplate>),
}

#[derive(ApiResponse)]
pub enum TemplateDeleted {
    #[oai(status = 204)]
    Deleted,
}

#[OpenApi(prefix_path = "/moderation/templates", tag = "ApiTags::Moderation")]
impl TemplatesApi {
    /// A programme's feedback templates
    ///
    /// For its facilitators (and the city's admins), oldest first.
    #[oai(path = "/", method = "get", operation_id = "listFeedbackTemplates")]
    async fn list(
        &self,
        auth: Auth,
        programme_id: Query<Uuid>,
    ) -> Result<Json<Vec<FeedbackTemplate>>, AppError> {
        let rows = feedback_templates::list(&self.state, auth.principal(), programme_id.0).await?;
        Ok(Json(rows.into_iter().map(dto).collect()))
    }

    /// Save a feedback template
    ///
    /// At most 50 per programme (409 `too_many_templates`).
    #[oai(path = "/", method = "post", operation_id = "createFeedbackTemplate")]
    async fn create(
        &self,
        auth: Auth,
        body: JsonBody<CreateTemplateRequest>,
    ) -> Result<TemplateCreated, AppError> {
        let b = body.0;
        let mut check = Check::default();
        let title = check.field("title", Name::parse(&b.title));
        let text = check.field("body", ModerationNote::parse(&b.body));
        let (Some(title), Some(text), true) = (title, text, check.is_ok()) else {
            return Err(check.into_error());
        };
        let row =
            feedback_templates::create(&self.state, auth.principal(), b.programme_id, title, text)
                .await?;
        Ok(TemplateCreated::Created(Json(dto(row))))
    }

    /// Delete a feedback template
    #[oai(
        path = "/:id",
        method = "delete",
        operation_id = "deleteFeedbackTemplate"
    )]
    async fn delete(&self, auth: Auth, id: Path<Uuid>) -> Result<TemplateDeleted, AppError> {
        feedback_templates::delete(&self.state, auth.principal(), id.0).await?;
        Ok(TemplateDeleted::Deleted)
    }
}
