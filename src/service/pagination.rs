//! Cursor pagination shared by every list: a page asks the database for one
//! row more than it shows, and that extra row says whether a next page exists.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Items shown when the caller names no limit.
pub const DEFAULT_LIMIT: u32 = 24;
/// The most items one page shows.
pub const MAX_LIMIT: u32 = 100;

/// One page, and where the next one starts (`None` on the last page).
#[derive(Debug, Clone)]
pub struct Page<T, K = (DateTime<Utc>, Uuid)> {
    pub items: Vec<T>,
    pub next: Option<K>,
}

/// The page size for `limit`, within 1 to `MAX_LIMIT`.
#[must_use]
pub fn page_size(limit: u32) -> i64 {
    i64::from(limit.clamp(1, MAX_LIMIT))
}

/// How many rows to ask for: one more than the page shows.
#[must_use]
pub fn rows_to_fetch(size: i64) -> i64 {
    size + 1
}

/// Cuts `items` (fetched with `rows_to_fetch(size)`) to `size` and makes the
/// page, its cursor the key of its last item when more follow.
pub fn paginate<T, K>(mut items: Vec<T>, size: i64, key: impl Fn(&T) -> K) -> Page<T, K> {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let next = if items.len() > size {
        items.truncate(size);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next }
}

#[cfg(test)]
mod tests {
    use super::{page_size, paginate, rows_to_fetch};

    #[test]
    fn the_extra_row_means_a_next_page() {
        let size = page_size(2);
        let page = paginate(vec![1, 2, 3], size, |n| *n);
        assert_eq!((page.items, page.next), (vec![1, 2], Some(2)));
        let last = paginate(vec![1, 2], size, |n| *n);
        assert_eq!((last.items, last.next), (vec![1, 2], None));
        assert_eq!(rows_to_fetch(size), 3);
        assert_eq!((page_size(0), page_size(500)), (1, 100));
    }
}
