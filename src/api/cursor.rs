//! Opaque cursors for lists ordered by a time and an id: `<micros>.<uuid>`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::AppError;

/// The cursor that continues after `(at, id)`.
#[must_use]
pub fn encode((at, id): (DateTime<Utc>, Uuid)) -> String {
    format!("{}.{}", at.timestamp_micros(), id.simple())
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
    let (micros, id) = cursor.split_once('.').ok_or_else(invalid)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(invalid)?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok(Some((at, id)))
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};
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
    }
}
