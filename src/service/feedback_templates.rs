//! Saved feedback: answers the facilitators of a programme reuse when they
//! decide, so the common ones ("please remove the phone number") are quick.

use crate::domain::Invalid;
use uuid::Uuid;

use super::{moderation::require_moderator, Principal};
use crate::{
    db::{self, moderation::TemplateRow},
    domain::{ModerationNote, Name},
    error::{AppError, AppResult},
    state::AppState,
};

/// Most templates one programme keeps.
pub const MAX_PER_PROGRAMME: i64 = 50;

async fn require(state: &AppState, principal: Principal, programme_id: Uuid) -> AppResult<()> {
    require_moderator(state, principal, Some(programme_id)).await?;
    Ok(())
}

/// # Errors
/// 404 for an unknown programme; 403 unless the caller moderates it.
pub async fn list(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
) -> AppResult<Vec<TemplateRow>> {
    require(state, principal, programme_id).await?;
    Ok(db::moderation::templates(&state.db, programme_id).await?)
}

/// # Errors
/// As [`list`]; 422 for an empty body; 409 `too_many_templates`.
pub async fn create(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
    title: Name,
    body: ModerationNote,
) -> AppResult<TemplateRow> {
    require(state, principal, programme_id).await?;
    let body = body.into_inner();
    if body.is_empty() {
        return Err(AppError::validation(
            "body",
            Invalid::required("this field is required"),
        ));
    }
    if db::moderation::count_templates(&state.db, programme_id).await? >= MAX_PER_PROGRAMME {
        return Err(AppError::conflict(
            "too_many_templates",
            format!("a programme keeps at most {MAX_PER_PROGRAMME} templates; delete one first"),
        ));
    }
    let row = TemplateRow {
        id: Uuid::now_v7(),
        programme_id,
        title: title.into_inner(),
        body,
        created_at: state.clock.now(),
    };
    db::moderation::insert_template(&state.db, &row, principal.user_id).await?;
    Ok(row)
}

/// # Errors
/// 404 unless the template exists and the caller moderates its programme.
pub async fn delete(state: &AppState, principal: Principal, id: Uuid) -> AppResult<()> {
    let template = db::moderation::template(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("template"))?;
    require(state, principal, template.programme_id)
        .await
        .map_err(|err| err.hidden_as("template"))?;
    db::moderation::delete_template(&state.db, id).await?;
    Ok(())
}
