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

/// A value bound to a gallery query.
#[derive(Debug, Clone, Copy)]
enum Bind<'a> {
    Text(&'a str),
    Id(Uuid),
    Time(DateTime<Utc>),
    Rank(f32),
    Count(i64),
}

/// A query's text with its values, numbered as they are added.
#[derive(Default)]
struct Sql<'a> {
    conditions: Vec<String>,
    binds: Vec<Bind<'a>>,
}

impl<'a> Sql<'a> {
    /// `$n` for a new value.
    fn bind(&mut self, value: Bind<'a>) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }
}

/// Public campaigns matching `filter`, newest first (best match first for
/// a search on PostgreSQL), after `after`, at most `limit`. Only the
/// conditions that apply are written, so each filter can walk its index
/// (`gallery_entries_city`, `_programme`, `_newest`) in order and stop.
pub async fn list(
    db: &Db,
    filter: &GalleryFilter<'_>,
    after: Option<GalleryKey>,
    limit: i64,
) -> Result<Vec<GalleryRow>, sqlx::Error> {
    let postgres = matches!(db, Db::Postgres(_));
    let mut q = Sql::default();
    if let Some(city) = filter.city {
        let n = q.bind(Bind::Text(city));
        q.conditions.push(format!(
            "g.city_id = (SELECT id FROM cities WHERE slug = {n})"
        ));
    }
    if let Some(programme) = filter.programme_id {
        let n = q.bind(Bind::Id(programme));
        q.conditions.push(format!("g.programme_id = {n}"));
    }
    if let Some(theme) = filter.theme {
        let n = q.bind(Bind::Text(theme.as_str()));
        q.conditions.push(format!("g.theme = {n}"));
    }
    let mut rank = "CAST(NULL AS REAL)".to_owned();
    let ranked = postgres && filter.search.is_some();
    if let Some(search) = filter.search {
        let n = q.bind(Bind::Text(search));
        if postgres {
            let branches: Vec<String> = CONFIGS
                .iter()
                .map(|c| format!("(g.config = '{c}'::regconfig AND g.document @@ websearch_to_tsquery('{c}', {n}))"))
                .collect();
            q.conditions.push(format!("({})", branches.join(" OR ")));
            rank = format!("ts_rank(g.document, websearch_to_tsquery(g.config, {n}))");
        } else {
            q.conditions.push(format!(
                "g.campaign_id IN (SELECT campaign_id FROM gallery_search WHERE gallery_search MATCH {n})"
            ));
        }
    }
    let (keyset, order) = if ranked {
        (
            "(s.rank, s.published_at, s.id)",
            "s.rank DESC, s.published_at DESC, s.id DESC",
        )
    } else {
        ("(s.published_at, s.id)", "s.published_at DESC, s.id DESC")
    };
    let mut outer = Vec::new();
    if let Some(k) = after {
        let mut values = Vec::new();
        if ranked {
            values.push(q.bind(Bind::Rank(k.rank.unwrap_or(0.0))));
        }
        values.push(q.bind(Bind::Time(k.published_at)));
        values.push(q.bind(Bind::Id(k.id)));
        outer.push(format!("{keyset} < ({})", values.join(", ")));
    }
    let limit = q.bind(Bind::Count(limit));
    let inner_where = if q.conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", q.conditions.join(" AND "))
    };
    let outer_where = if outer.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", outer.join(" AND "))
    };
    // The page is chosen on the index alone; text, places and reach are
    // read for its rows only.
    let sql = format!(
        "SELECT c.id, c.slug, pc.title, pc.summary, pc.theme, pc.hashtag, \
         t.name AS team_name, ci.slug AS city_slug, ci.name AS city_name, p.id AS programme_id, \
         p.name AS programme_name, ci.country, s.published_at, \
         CAST((SELECT COALESCE(SUM(r.people_verified), 0) FROM reach_reports r \
               WHERE r.campaign_id = s.id AND r.status = 'verified') AS BIGINT) AS people_reached, \
         s.rank \
         FROM (SELECT g.campaign_id AS id, g.published_at, g.programme_id, g.city_id, {rank} AS rank \
               FROM gallery_entries g {inner_where}) s \
         JOIN campaigns c ON c.id = s.id \
         JOIN campaign_contents pc ON pc.campaign_id = s.id AND pc.kind = 'published' \
         JOIN teams t ON t.id = c.team_id JOIN programmes p ON p.id = s.programme_id \
         JOIN cities ci ON ci.id = s.city_id \
         {outer_where} ORDER BY {order} LIMIT {limit}"
    );
    on_db!(db, |pool| {
        let mut query = sqlx::query_as(&sql);
        for value in &q.binds {
            query = match *value {
                Bind::Text(v) => query.bind(v),
                Bind::Id(v) => query.bind(v),
                Bind::Time(v) => query.bind(v),
                Bind::Rank(v) => query.bind(v),
                Bind::Count(v) => query.bind(v),
            };
        }
        query.fetch_all(pool).await
    })
}

/// The published, ready photos of these campaigns, in each campaign's order.
pub async fn photos(db: &Db, campaign_ids: &[Uuid]) -> Result<Vec<MediaRow>, sqlx::Error> {
    if campaign_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=campaign_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT {} FROM media WHERE kind = 'image' AND {} AND campaign_id IN ({}) \
         ORDER BY campaign_id, published_position, created_at",
        super::media::PUBLIC_COLUMNS,
        super::media::PUBLIC,
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
