//! The public gallery: approved campaigns, newest first, filtered by city,
//! programme and theme, searched in the campaign's language, each with its
//! cover photo. Never anything about a person.

pub mod index;
pub mod version;

use uuid::Uuid;

use super::pagination::{page_size, paginate, rows_to_fetch, Page};
use crate::{
    db::{
        self,
        gallery::{GalleryFilter, GalleryKey, GalleryRow},
        media::MediaRow,
        Db,
    },
    domain::Theme,
    error::{AppError, AppResult},
    state::AppState,
};

/// What a gallery asks for.
#[derive(Debug, Clone, Default)]
pub struct GalleryQuery {
    pub city: Option<String>,
    pub programme_id: Option<Uuid>,
    pub theme: Option<Theme>,
    pub q: Option<String>,
    pub limit: u32,
    pub after: Option<GalleryKey>,
}

impl GalleryQuery {
    /// The search as it is matched: words separated by single spaces;
    /// nothing when it is blank.
    #[must_use]
    pub fn search(&self) -> Option<String> {
        let words: Vec<&str> = self.q.as_deref().unwrap_or("").split_whitespace().collect();
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// A listed campaign and its cover.
#[derive(Debug, Clone)]
pub struct GalleryItem {
    pub campaign: GalleryRow,
    /// Its first published, ready photo.
    pub cover: Option<MediaRow>,
}

/// An FTS5 query matching every word of `search` as a prefix, with the
/// words quoted so that nothing typed is taken as query syntax.
#[must_use]
pub fn fts5_query(search: &str) -> String {
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One page of the gallery.
///
/// # Errors
/// 404 for an unknown city or programme.
pub async fn list(
    state: &AppState,
    query: &GalleryQuery,
) -> AppResult<Page<GalleryItem, GalleryKey>> {
    if let Some(city) = &query.city {
        db::cities::by_slug(&state.db, city)
            .await?
            .ok_or(AppError::NotFound("city"))?;
    }
    if let Some(id) = query.programme_id {
        db::programmes::by_id(&state.db, id)
            .await?
            .ok_or(AppError::NotFound("programme"))?;
    }
    let size = page_size(query.limit);
    let typed = query.search();
    let search = match (&state.db, typed) {
        (_, None) => None,
        (Db::Postgres(_), Some(text)) => Some(text),
        (Db::Sqlite(_), Some(text)) => {
            let fts = fts5_query(&text);
            if fts.is_empty() {
                // Only punctuation: nothing can match.
                return Ok(Page {
                    items: Vec::new(),
                    next: None,
                });
            }
            Some(fts)
        }
    };
    let filter = GalleryFilter {
        city: query.city.as_deref(),
        programme_id: query.programme_id,
        theme: query.theme,
        search: search.as_deref(),
    };
    let rows = db::gallery::list(&state.db, &filter, query.after, rows_to_fetch(size)).await?;
    let page = paginate(rows, size, |r| GalleryKey {
        rank: r.rank,
        published_at: r.published_at,
        id: r.id,
    });
    let ids: Vec<Uuid> = page.items.iter().map(|r| r.id).collect();
    let mut covers = std::collections::HashMap::new();
    for photo in db::gallery::photos(&state.db, &ids).await? {
        covers.entry(photo.campaign_id).or_insert(photo);
    }
    let items = page
        .items
        .into_iter()
        .map(|campaign| GalleryItem {
            cover: covers.remove(&campaign.id),
            campaign,
        })
        .collect();
    Ok(Page {
        items,
        next: page.next,
    })
}

#[cfg(test)]
mod tests {
    use super::{fts5_query, GalleryQuery};

    #[test]
    fn searches_are_words_never_syntax() {
        assert_eq!(fts5_query("hils for"), "\"hils\"* \"for\"*");
        assert_eq!(
            fts5_query("a\" OR b*) NEAR("),
            "\"a\"* \"OR\"* \"b\"* \"NEAR\"*"
        );
        assert_eq!(fts5_query("Malmö!"), "\"Malmö\"*");
        assert_eq!(fts5_query("\"()*"), "");
        let q = GalleryQuery {
            q: Some("  hils \t for  ".to_owned()),
            ..GalleryQuery::default()
        };
        assert_eq!(q.search().as_deref(), Some("hils for"));
        assert_eq!(GalleryQuery::default().search(), None);
    }
}
