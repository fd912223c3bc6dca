//! Opaque cursors for lists ordered by a time and an id: `<nanos>.<uuid>`,
//! at the full precision the database stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{db::gallery::GalleryKey, error::AppError};

/// The cursor that continues after `(at, id)`.
#[must_use]
pub fn encode((at, id): (DateTime<Utc>, Uuid)) -> String {
    format!(
        "{}.{}",
        at.timestamp_nanos_opt().unwrap_or(i64::MAX),
        id.simple()
    )
}

/// # Errors
/// 400 `invalid_cursor` for a cursor this API did not give out.
pub fn decode(cursor: Option<&str>) -> Result<Option<(DateTime<Utc>, Uuid)>, AppError> {
    let Some(cursor) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let invalid = || AppError::BadRequest {
        code: "invalid_cursor",
        detail: "the cursor is not one this API gave out".to_owned(),
    };
    let (nanos, id) = cursor.split_once('.').ok_or_else(invalid)?;
    let at = nanos
        .parse::<i64>()
        .map(DateTime::from_timestamp_nanos)
        .map_err(|_| invalid())?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok(Some((at, id)))
}

/// The cursor of a gallery page: a ranked search's key is prefixed by the
/// rank's bits, so it round-trips exactly.
#[must_use]
pub fn encode_gallery(key: GalleryKey) -> String {
    let at = encode((key.published_at, key.id));
    match key.rank {
        Some(rank) => format!("{:08x}~{at}", rank.to_bits()),
        None => at,
    }
}

/// # Errors
/// 400 `invalid_cursor` for a cursor this API did not give out.
pub fn decode_gallery(cursor: Option<&str>) -> Result<Option<GalleryKey>, AppError> {
    let (rank, rest) = match cursor.and_then(|c| c.split_once('~')) {
        Some((bits, rest)) => {
            let bits = u32::from_str_radix(bits, 16).map_err(|_| AppError::BadRequest {
                code: "invalid_cursor",
                detail: "the cursor is not one this API gave out".to_owned(),
            })?;
            (Some(f32::from_bits(bits)), Some(rest))
        }
        None => (None, cursor),
    };
    Ok(decode(rest)?.map(|(published_at, id)| GalleryKey {
        rank,
        published_at,
        id,
    }))
}

#[cfg(test)]
mod tests {
    use super::{decode, decode_gallery, encode, encode_gallery};
    use crate::db::gallery::GalleryKey;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    #[test]
    fn round_trips_and_refuses_junk() {
        let key = (
            Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
            Uuid::now_v7(),
        );
        assert_eq!(decode(Some(&encode(key))).unwrap(), Some(key));
        assert!(decode(Some("x.y")).is_err());
        assert!(decode(Some("12")).is_err());
        assert_eq!(decode(None).unwrap(), None);
        let ranked = GalleryKey {
            rank: Some(0.060_792_71),
            published_at: key.0,
            id: key.1,
        };
        let plain = GalleryKey {
            rank: None,
            ..ranked
        };
        for k in [ranked, plain] {
            assert_eq!(decode_gallery(Some(&encode_gallery(k))).unwrap(), Some(k));
        }
        assert!(decode_gallery(Some("zz~1.x")).is_err());
    }
}
