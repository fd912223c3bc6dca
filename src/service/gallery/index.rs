//! Keeping the gallery true: every change to what the public sees of a
//! campaign updates its index entry and bumps the content version in the
//! transaction that makes the change.

use uuid::Uuid;

use crate::{db, db::Tx, error::AppResult, state::AppState};

/// A campaign was published, unpublished, hidden, restored, archived or
/// re-approved: its entry follows, and public caches will miss. Returns the
/// version to hand to [`super::version::ContentVersion::advance`] once committed.
pub async fn campaign_changed(tx: &mut Tx, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    db::gallery::refresh(tx, campaign_id).await?;
    db::gallery::bump(tx).await
}

/// Something a public page shows changed (verified reach, a team's name).
pub async fn shown_changed(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    db::gallery::bump(tx).await
}

/// A published photo changed or went away outside a campaign's own
/// transaction: public caches miss from now on.
///
/// # Errors
/// Database failures.
pub async fn published_media_changed(state: &AppState) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let version = db::gallery::bump(&mut tx).await?;
    tx.commit().await?;
    state.content.advance(version);
    Ok(())
}
