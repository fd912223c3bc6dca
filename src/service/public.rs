//! What anyone may read without an account: published campaigns. Approved
//! content only, and only while the campaign is public (never approved,
//! taken down after a report, or archived is 404).

use crate::{
    db::{self, campaigns::Content, media::MediaRow, reports::PublicCampaignRow},
    domain::{ContentKind, MediaKind},
    error::{AppError, AppResult},
    state::AppState,
};

/// A public campaign: where it belongs, its published text and media.
#[derive(Debug, Clone)]
pub struct PublishedCampaign {
    pub campaign: PublicCampaignRow,
    pub content: Content,
    /// Published, processed media, in order.
    pub media: Vec<MediaRow>,
    /// Verified reach.
    pub people_reached: i64,
}

impl PublishedCampaign {
    /// Its cover: the first published photo.
    #[must_use]
    pub fn cover(&self) -> Option<&MediaRow> {
        self.media.iter().find(|m| m.kind == MediaKind::Image)
    }
}

/// The public version of the campaign at `slug`.
///
/// # Errors
/// 404 unless it is public.
pub async fn campaign(state: &AppState, slug: &str) -> AppResult<PublishedCampaign> {
    let campaign = db::reports::public_by_slug(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound("campaign"))?;
    let content = db::campaigns::content(&state.db, campaign.id, ContentKind::Published)
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!("public campaign {} has no published version", campaign.id)
        })?;
    let media = db::media::published_for_campaign(&state.db, campaign.id).await?;
    let people_reached = db::gallery::people_reached(&state.db, campaign.id).await?;
    Ok(PublishedCampaign {
        campaign,
        content,
        media,
        people_reached,
    })
}
