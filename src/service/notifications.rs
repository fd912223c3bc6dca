//! The signed-in person's notifications and their choice of what is mailed.

use crate::{
    db::{self, notifications::NotificationRow},
    domain::NotificationKind,
    error::{AppError, AppResult},
    service::{
        pagination::{page_size, paginate, rows_to_fetch, Page},
        Principal,
    },
    state::AppState,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A page of the person's notifications, newest first, and how many are unread.
///
/// # Errors
/// Database failures.
pub async fn list(
    state: &AppState,
    principal: Principal,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> AppResult<(Page<NotificationRow>, i64)> {
    let size = page_size(limit);
    let rows =
        db::notifications::page(&state.db, principal.user_id, after, rows_to_fetch(size)).await?;
    let unread = db::notifications::unread(&state.db, principal.user_id).await?;
    Ok((paginate(rows, size, |n| (n.created_at, n.id)), unread))
}

/// # Errors
/// Database failures.
pub async fn unread(state: &AppState, principal: Principal) -> AppResult<i64> {
    Ok(db::notifications::unread(&state.db, principal.user_id).await?)
}

/// Marks one notification read; opening it twice changes nothing.
///
/// # Errors
/// 404 when it is not the person's.
pub async fn mark_read(state: &AppState, principal: Principal, id: Uuid) -> AppResult<()> {
    if db::notifications::mark_read(&state.db, principal.user_id, id, state.clock.now()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("notification"))
    }
}

/// # Errors
/// Database failures.
pub async fn mark_all_read(state: &AppState, principal: Principal) -> AppResult<()> {
    Ok(db::notifications::mark_all_read(&state.db, principal.user_id, state.clock.now()).await?)
}

/// For each kind, whether the person also wants it by email (yes unless they said no).
///
/// # Errors
/// Database failures.
pub async fn email_choices(
    state: &AppState,
    principal: Principal,
) -> AppResult<Vec<(NotificationKind, bool)>> {
    let chosen = db::notifications::preferences(&state.db, principal.user_id).await?;
    Ok(NotificationKind::ALL
        .iter()
        .map(|kind| {
            let email = chosen
                .iter()
                .find(|(k, _)| k == kind)
                .is_none_or(|(_, email)| *email);
            (*kind, email)
        })
        .collect())
}

/// Records the person's choices, all at once.
///
/// # Errors
/// Database failures.
pub async fn choose_email(
    state: &AppState,
    principal: Principal,
    choices: &[(NotificationKind, bool)],
) -> AppResult<Vec<(NotificationKind, bool)>> {
    let mut tx = state.db.begin().await?;
    for (kind, email) in choices {
        db::notifications::set_preference(&mut tx, principal.user_id, *kind, *email).await?;
    }
    tx.commit().await?;
    email_choices(state, principal).await
}
