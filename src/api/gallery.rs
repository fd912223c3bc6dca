//! The public gallery as JSON: approved campaigns, newest first, for the
//! platform's own gallery page, the web component and anyone else.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, Utc};
use poem::Request;
use poem_openapi::{param::Query, Object, OpenApi};
use uuid::Uuid;

use super::{
    cursor,
    public::{PublicPlace, PublicProgramme},
    rendered::{answer, PublicResponse, RenderedJson, PUBLIC},
    ApiTags,
};
use crate::{
    db::media::MediaRow,
    domain::{Country, Theme},
    error::AppError,
    service::{
        gallery::{self, GalleryItem, GalleryQuery},
        pagination::DEFAULT_LIMIT,
        stats::cache::Rendered,
    },
    state::AppState,
};

pub struct GalleryApi {
    pub state: AppState,
}

/// A campaign's cover: its first published photo.
#[derive(Debug, Clone, Object)]
pub struct PublicCover {
    /// Renditions by name (`w320`, `w960`, `w1920`), public and cacheable.
    pub urls: BTreeMap<String, String>,
    #[oai(nullable)]
    pub blurhash: Option<String>,
    /// The photo's average colour, `#rrggbb`, to show while it loads.
    #[oai(nullable)]
    pub dominant_color: Option<String>,
    /// The text alternative its team wrote.
    pub alt: String,
    #[oai(nullable)]
    pub width: Option<i32>,
    #[oai(nullable)]
    pub height: Option<i32>,
}

/// A campaign in a gallery.
#[derive(Debug, Clone, Object)]
pub struct GalleryCampaign {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub theme: Theme,
    #[oai(nullable)]
    pub hashtag: Option<String>,
    pub team_name: String,
    pub city: PublicPlace,
    pub programme: PublicProgramme,
    #[oai(nullable)]
    pub cover: Option<PublicCover>,
    pub published_at: DateTime<Utc>,
    /// People reached, as verified by facilitators.
    pub people_reached: i64,
}

/// One page of the gallery.
#[derive(Debug, Clone, Object)]
pub struct GalleryPage {
    pub items: Vec<GalleryCampaign>,
    /// Where the next page starts; null on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// The cover of `row`, its renditions at the public addresses.
#[must_use]
pub fn cover(row: MediaRow, widths: &[u32]) -> PublicCover {
    let dto = super::media::to_dto(row, widths);
    PublicCover {
        urls: dto.urls,
        blurhash: dto.blurhash,
        dominant_color: dto.dominant_color,
        alt: dto.alt_text,
        width: dto.width,
        height: dto.height,
    }
}

/// The gallery item as the public sees it.
#[must_use]
pub fn item(item: GalleryItem, widths: &[u32]) -> GalleryCampaign {
    let c = item.campaign;
    GalleryCampaign {
        id: c.id,
        slug: c.slug,
        title: c.title,
        summary: c.summary,
        theme: c.theme,
        hashtag: c.hashtag,
        team_name: c.team_name,
        city: PublicPlace {
            slug: c.city_slug,
            name: c.city_name,
        },
        programme: PublicProgramme {
            id: c.programme_id,
            name: c.programme_name,
        },
        cover: item.cover.map(|m| cover(m, widths)),
        published_at: c.published_at,
        people_reached: c.people_reached,
    }
}

/// The campaigns a page shows, for counting impressions.
#[must_use]
pub fn shown(items: &[GalleryItem]) -> Arc<[(Uuid, Country)]> {
    items
        .iter()
        .map(|i| (i.campaign.id, i.campaign.country))
        .collect()
}

/// The cache key of a gallery query at content `version`.
#[must_use]
pub fn cache_key(kind: &str, version: i64, query: &GalleryQuery, extra: &str) -> String {
    format!(
        "{kind}|{version}|{}|{}|{}|{}|{}|{}|{extra}",
        query.city.as_deref().unwrap_or(""),
        query
            .programme_id
            .map(|p| p.simple().to_string())
            .unwrap_or_default(),
        query.theme.map_or("", |t| t.as_str()),
        query.search().unwrap_or_default().to_lowercase(),
        query.limit,
        query.after.map(cursor::encode_gallery).unwrap_or_default(),
    )
}

#[OpenApi(prefix_path = "/public", tag = "ApiTags::Public")]
impl GalleryApi {
    /// The public gallery
    ///
    /// Approved campaigns that are public now, newest first, with their
    /// cover photo and verified reach; a search (`q`, in the words of the
    /// campaign's language) lists the best matches first on PostgreSQL.
    /// Cacheable by anyone; an unknown city or programme is 404.
    #[oai(path = "/campaigns", method = "get", operation_id = "publicCampaigns")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        req: &Request,
        /// A city's slug; one that names no city is 404. (No pattern here:
        /// poem-openapi compiles a pattern on every request, and this is the
        /// platform's busiest read.)
        #[oai(validator(max_length = 60))]
        city: Query<Option<String>>,
        programme_id: Query<Option<Uuid>>,
        theme: Query<Option<Theme>>,
        /// Words to search for (empty: no search).
        #[oai(validator(
            max_length = 200,
            pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
        ))]
        q: Query<Option<String>>,
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(
            pattern = "^(([0-9a-f]{8}~)?-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"
        ))]
        cursor: Query<Option<String>>,
    ) -> Result<PublicResponse<GalleryPage>, AppError> {
        let query = GalleryQuery {
            city: city.0.filter(|c| !c.is_empty()),
            programme_id: programme_id.0,
            theme: theme.0,
            q: q.0,
            limit: limit.0.unwrap_or(DEFAULT_LIMIT),
            after: cursor::decode_gallery(cursor.0.as_deref())?,
        };
        let state = &self.state;
        let version = state.content.current(&state.db).await;
        let key = cache_key("json", version, &query, "");
        let rendered = if let Some(hit) = state.gallery_cache.get(&key) {
            hit
        } else {
            let page = gallery::list(state, &query).await?;
            let shown = shown(&page.items);
            let widths = &state.config.media.rendition_widths;
            let dto = GalleryPage {
                items: page.items.into_iter().map(|i| item(i, widths)).collect(),
                next_cursor: page.next.map(cursor::encode_gallery),
            };
            let rendered = Rendered::showing(RenderedJson::<GalleryPage>::render(&dto), shown);
            state.gallery_cache.put(key, rendered.clone());
            rendered
        };
        state.views.record_load(&rendered.shown);
        Ok(answer(req, rendered, PUBLIC, None))
    }
}
