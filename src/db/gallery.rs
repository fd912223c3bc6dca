//! The public gallery: the index of campaigns the public can see now, its
//! search, and the content version that public caches are keyed by.
//!
//! PostgreSQL searches with the text-search configuration of the programme's
//! language (stemmed, ranked); the title and summary are indexed unstemmed as
//! well, so a word finds its own form even where the stemmer cuts the two
//! apart (Norwegian stems "hils" to "hil" but "hilse" to "hils"). SQLite
//! searches with FTS5 (diacritics folded, words matched by prefix, newest first).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{media::MediaRow, on_db, on_tx, reports::PUBLIC, Db, Tx};
use crate::domain::Theme;

/// A campaign as a gallery lists it: its published text and where it belongs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GalleryRow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub theme: Theme,
    pub hashtag: Option<String>,
    pub team_name: String,
    pub city_slug: String,
    pub city_name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub country: crate::domain::Country,
    pub published_at: DateTime<Utc>,
    /// Verified reach.
    pub people_reached: i64,
    /// How well it matches a search (PostgreSQL only).
    pub rank: Option<f32>,
}

/// Where a page continues: after this rank (searches on PostgreSQL), time and id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GalleryKey {
    pub rank: Option<f32>,
    pub published_at: DateTime<Utc>,
    pub id: Uuid,
}

/// What a gallery shows.
#[derive(Debug, Clone, Default)]
pub struct GalleryFilter<'a> {
    pub city: Option<&'a str>,
    pub programme_id: Option<Uuid>,
    pub theme: Option<Theme>,
    /// The search as typed (PostgreSQL) or as an FTS5 query (SQLite).
    pub search: Option<&'a str>,
}

/// The text-search configuration of a programme's language, on alias `p`.
const CONFIG: &str = "(CASE p.locale WHEN 'nb' THEN 'norwegian' WHEN 'sv' THEN 'swedish' \
    WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'en' THEN 'english' \
    ELSE 'simple' END)::regconfig";

/// The configurations a gallery can be searched in; one branch each, so
/// every branch can use the index.
const CONFIGS: [&str; 6] = [
    "norwegian",
    "swedish",
    "danish",
    "finnish",
    "english",
    "simple",
];

/// The statements that (re)write gallery entries from published versions:
/// for one campaign (`$1`), or with `one` false for every public campaign.
fn writes(postgres: bool, one: bool) -> Vec<String> {
    let only = if one { "c.id = $1 AND " } else { "" };
    let source = format!(
        "FROM campaigns c JOIN programmes p ON p.id = c.programme_id \
         JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published' \
         WHERE {only}{PUBLIC}"
    );
    let scope = if one { " WHERE campaign_id = $1" } else { "" };
    if postgres {
        vec![
            format!("DELETE FROM gallery_entries{scope}"),
            format!(
                "INSERT INTO gallery_entries (campaign_id, programme_id, city_id, theme, published_at, \
                 config, document) SELECT c.id, c.programme_id, p.city_id, pc.theme, c.published_at, {CONFIG}, \
                 setweight(to_tsvector({CONFIG}, pc.title || ' ' || COALESCE(pc.hashtag, '')), 'A') \
                 || setweight(to_tsvector({CONFIG}, pc.summary), 'B') \
                 || setweight(to_tsvector({CONFIG}, pc.body), 'C') \
                 || setweight(to_tsvector('simple', pc.title || ' ' || pc.summary), 'D') {source}"
            ),
        ]
    } else {
        vec![
            format!("DELETE FROM gallery_entries{scope}"),
            format!("DELETE FROM gallery_search{scope}"),
            format!(
                "INSERT INTO gallery_entries (campaign_id, programme_id, city_id, theme, published_at) \
                 SELECT c.id, c.programme_id, p.city_id, pc.theme, c.published_at {source}"
            ),
            format!(
                "INSERT INTO gallery_search (campaign_id, title, hashtag, summary, body) \
                 SELECT c.id, pc.title, COALESCE(pc.hashtag, ''), pc.summary, pc.body {source}"
            ),
        ]
    }
}

/// Brings the campaign's gallery entry in line with what the public may see:
/// removed, or written afresh from its published version.
pub async fn refresh(tx: &mut Tx, campaign_id: Uuid) -> Result<(), sqlx::Error> {
    let postgres = matches!(tx, Tx::Postgres(_));
    for sql in writes(postgres, true) {
        on_tx!(tx, |conn| sqlx::query(&sql)
            .bind(campaign_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Rewrites the whole gallery index from the campaigns (after a bulk load).
pub async fn rebuild(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for sql in writes(matches!(db, Db::Postgres(_)), false) {
        on_tx!(&mut tx, |conn| sqlx::query(&sql)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    bump(&mut tx).await?;
    tx.commit().await
}

/// Marks a change to what the public sees; returns the new content version.
pub async fn bump(tx: &mut Tx) -> Result<i64, sqlx::Error> {
    let sql = "UPDATE public_content SET version = version + 1 WHERE id = 1 RETURNING version";
    on_tx!(tx, |conn| sqlx::query_scalar(sql).fetch_one(conn).await)
}

/// The content version now.
pub async fn version(db: &Db) -> Result<i64, sqlx::Error> {
    let sql = "SELECT version FROM public_content WHERE id = 1";
    on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await)
}

/// Public campaigns matching `filter`, newest first (best match first for
/// a search on PostgreSQL), after `after`, at most `limit`.
pub async fn list(
    db: &Db,
    filter: &GalleryFilter<'_>,
    after: Option<GalleryKey>,
    limit: i64,
) -> Result<Vec<GalleryRow>, sqlx::Error> {
    let postgres = matches!(db, Db::Postgres(_));
    let searching = filter.search.is_some();
    let (matching, rank) = match (searching, postgres) {
        // No search is the empty search: `$7` is bound either way.
        (false, _) => (" AND $7 = ''".to_owned(), "CAST(NULL AS REAL)".to_owned()),
        (true, true) => {
            let branches: Vec<String> = CONFIGS
                .iter()
                .map(|c| {
                    format!(
                        "(g.config = '{c}'::regconfig AND g.document @@ websearch_to_tsquery('{c}', $7))"
                    )
                })
                .collect();
            (
                format!(" AND ({})", branches.join(" OR ")),
                "ts_rank(g.document, websearch_to_tsquery(g.config, $7))".to_owned(),
            )
        }
        (true, false) => (
            " AND g.campaign_id IN (SELECT campaign_id FROM gallery_search WHERE gallery_search MATCH $7)"
                .to_owned(),
            "CAST(NULL AS REAL)".to_owned(),
        ),
    };
    // Without a ranked search every rank is null and `$4` too, so the
    // keyset is the time and the id.
    let keyset = "($5 IS NULL OR COALESCE(s.rank, 0) < COALESCE($4, 0) \
        OR (COALESCE(s.rank, 0) = COALESCE($4, 0) AND (s.published_at < $5 \
        OR (s.published_at = $5 AND s.id < $6))))";
    let order = if searching && postgres {
        "s.rank DESC, s.published_at DESC, s.id DESC"
    } else {
        "s.published_at DESC, s.id DESC"
    };
    let sql = format!(
        "SELECT * FROM (SELECT c.id, c.slug, pc.title, pc.summary, pc.theme, pc.hashtag, \
         t.name AS team_name, ci.slug AS city_slug, ci.name AS city_name, p.id AS programme_id, \
         p.name AS programme_name, ci.country, g.published_at, \
         CAST((SELECT COALESCE(SUM(r.people_verified), 0) FROM reach_reports r \
               WHERE r.campaign_id = c.id AND r.status = 'verified') AS BIGINT) AS people_reached, \
         {rank} AS rank \
         FROM gallery_entries g JOIN campaigns c ON c.id = g.campaign_id \
         JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published' \
         JOIN teams t ON t.id = c.team_id JOIN programmes p ON p.id = g.programme_id \
         JOIN cities ci ON ci.id = g.city_id \
         WHERE ($1 IS NULL OR ci.slug = $1) AND ($2 IS NULL OR g.programme_id = $2) \
         AND ($3 IS NULL OR g.theme = $3){matching}) s \
         WHERE {keyset} ORDER BY {order} LIMIT $8"
    );
    let (rank_after, at, id) = match after {
        Some(k) => (k.rank, Some(k.published_at), Some(k.id)),
        None => (None, None, None),
    };
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(filter.city)
        .bind(filter.programme_id)
        .bind(filter.theme)
        .bind(rank_after)
        .bind(at)
        .bind(id)
        .bind(filter.search.unwrap_or(""))
        .bind(limit)
        .fetch_all(pool)
        .await)
}

/// The published, ready photos of these campaigns, in each campaign's order.
pub async fn photos(db: &Db, campaign_ids: &[Uuid]) -> Result<Vec<MediaRow>, sqlx::Error> {
    if campaign_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=campaign_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT {} FROM media WHERE kind = 'image' AND status = 'ready' \
         AND published_at IS NOT NULL AND reach_report_id IS NULL AND campaign_id IN ({}) \
         ORDER BY campaign_id, position, created_at",
        super::media::COLUMNS,
        placeholders.join(", ")
    );
    on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for id in campaign_ids {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })
}

/// Verified reach of one campaign.
pub async fn people_reached(db: &Db, campaign_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT CAST(COALESCE(SUM(people_verified), 0) AS BIGINT) FROM reach_reports \
               WHERE campaign_id = $1 AND status = 'verified'";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(campaign_id)
        .fetch_one(pool)
        .await)
}
