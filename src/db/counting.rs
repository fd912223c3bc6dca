//! What the rollups count, read from the raw rows: a campaign's counted
//! days, teams, views. The recount reads all of it; changes read one row.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};
use crate::domain::{CampaignStatus, Country};

/// A campaign as the rollups see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignCounting {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub country: Country,
    pub status: CampaignStatus,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub first_published_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub hidden_at: Option<DateTime<Utc>>,
    /// The days the rollups count it on now.
    pub counted_submitted_on: Option<NaiveDate>,
    pub counted_approved_on: Option<NaiveDate>,
}

const CAMPAIGN: &str = "SELECT c.id, c.programme_id, ci.country, c.status, c.first_submitted_at, \
    c.first_published_at, c.published_at, c.hidden_at, c.counted_submitted_on, c.counted_approved_on \
    FROM campaigns c JOIN programmes p ON p.id = c.programme_id JOIN cities ci ON ci.id = p.city_id";

pub async fn campaign(tx: &mut Tx, id: Uuid) -> Result<Option<CampaignCounting>, sqlx::Error> {
    let sql = format!("{CAMPAIGN} WHERE c.id = $1");
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await)
}

pub async fn campaigns(db: &Db) -> Result<Vec<CampaignCounting>, sqlx::Error> {
    on_db!(db, |pool| sqlx::query_as(CAMPAIGN).fetch_all(pool).await)
}

/// Records the days the rollups now count a campaign on.
pub async fn set_counted(
    tx: &mut Tx,
    id: Uuid,
    submitted_on: Option<NaiveDate>,
    approved_on: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    let sql =
        "UPDATE campaigns SET counted_submitted_on = $2, counted_approved_on = $3 WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(id)
        .bind(submitted_on)
        .bind(approved_on)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every team: (programme, country, created).
pub async fn teams(db: &Db) -> Result<Vec<(Uuid, Country, DateTime<Utc>)>, sqlx::Error> {
    let sql = "SELECT t.programme_id, ci.country, t.created_at FROM teams t \
               JOIN programmes p ON p.id = t.programme_id JOIN cities ci ON ci.id = p.city_id";
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}

/// The country a programme's figures are dated in.
pub async fn programme_country(tx: &mut Tx, programme_id: Uuid) -> Result<Country, sqlx::Error> {
    let sql =
        "SELECT ci.country FROM programmes p JOIN cities ci ON ci.id = p.city_id WHERE p.id = $1";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(programme_id)
        .fetch_one(conn)
        .await)
}

/// Adds views and gallery impressions of a campaign on a day; the
/// campaign's programme, or `None` when the campaign is gone.
pub async fn add_views(
    tx: &mut Tx,
    campaign_id: Uuid,
    day: NaiveDate,
    views: i64,
    impressions: i64,
) -> Result<Option<Uuid>, sqlx::Error> {
    let programme = "SELECT programme_id FROM campaigns WHERE id = $1";
    let programme_id: Option<Uuid> = on_tx!(tx, |conn| sqlx::query_scalar(programme)
        .bind(campaign_id)
        .fetch_optional(conn)
        .await)?;
    if programme_id.is_some() {
        let sql = "INSERT INTO campaign_views (campaign_id, day, views, impressions) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, day) DO UPDATE SET \
                   views = campaign_views.views + excluded.views, \
                   impressions = campaign_views.impressions + excluded.impressions";
        on_tx!(tx, |conn| sqlx::query(sql)
            .bind(campaign_id)
            .bind(day)
            .bind(views)
            .bind(impressions)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(programme_id)
}

/// Every campaign's views per day: (programme, day, views).
pub async fn views(db: &Db) -> Result<Vec<(Uuid, NaiveDate, i64)>, sqlx::Error> {
    let sql = "SELECT c.programme_id, v.day, v.views FROM campaign_views v \
               JOIN campaigns c ON c.id = v.campaign_id";
    on_db!(db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
}

/// Gallery impressions of one campaign, all days together.
pub async fn campaign_impressions(db: &Db, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT CAST(COALESCE(SUM(impressions), 0) AS BIGINT) FROM campaign_views \
               WHERE campaign_id = $1";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(pool)
        .await)
}

/// Views of one campaign, all days together.
pub async fn campaign_views(db: &Db, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql =
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM campaign_views WHERE campaign_id = $1";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(pool)
        .await)
}
