//! The changemaker ledger: one row per person per programme, from their
//! enrolment on, with the day they were trained. A row outlives the account
//! (its `user_id` is cleared), so the figures never drop when someone leaves.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, Db, Tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub programme_id: Uuid,
    pub person_key: Uuid,
    pub enrolled_on: NaiveDate,
    pub trained_on: Option<NaiveDate>,
    pub first_enrolled: bool,
    pub first_trained: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "programme_id, person_key, enrolled_on, trained_on, first_enrolled, first_trained, created_at";

/// Adds the person's row for a programme; `Some(first)` when it is new, with
/// whether it is their first enrolment anywhere.
pub async fn enrol(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<bool>, sqlx::Error> {
    let existing = "SELECT person_key FROM changemaker_ledger WHERE user_id = $1 LIMIT 1";
    let key: Option<Uuid> = on_tx!(tx, |conn| sqlx::query_scalar(existing)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?;
    let first = key.is_none();
    let sql = format!(
        "INSERT INTO changemaker_ledger ({COLUMNS}, user_id) VALUES ($1, $2, $3, NULL, $4, FALSE, $5, $6) \
         ON CONFLICT DO NOTHING"
    );
    let inserted = on_tx!(tx, |conn| sqlx::query(&sql)
        .bind(programme_id)
        .bind(key.unwrap_or_else(Uuid::new_v4))
        .bind(day)
        .bind(first)
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok((inserted > 0).then_some(first))
}

/// Sets the training day of the person's row; the row as it was, if any.
pub async fn set_trained(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    trained_on: Option<NaiveDate>,
) -> Result<Option<LedgerRow>, sqlx::Error> {
    let read = format!(
        "SELECT {COLUMNS} FROM changemaker_ledger WHERE programme_id = $1 AND user_id = $2"
    );
    let before: Option<LedgerRow> = on_tx!(tx, |conn| sqlx::query_as(&read)
        .bind(programme_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await)?;
    if before.is_some() {
        let sql =
            "UPDATE changemaker_ledger SET trained_on = $3 WHERE programme_id = $1 AND user_id = $2";
        on_tx!(tx, |conn| sqlx::query(sql)
            .bind(programme_id)
            .bind(user_id)
            .bind(trained_on)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(before)
}

/// Every row of one person.
pub async fn of_person(tx: &mut Tx, person_key: Uuid) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM changemaker_ledger WHERE person_key = $1");
    on_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(person_key)
        .fetch_all(conn)
        .await)
}

/// Marks which of a person's rows is their first training.
pub async fn set_first_trained(
    tx: &mut Tx,
    programme_id: Uuid,
    person_key: Uuid,
    first: bool,
) -> Result<(), sqlx::Error> {
    let sql = "UPDATE changemaker_ledger SET first_trained = $3 \
               WHERE programme_id = $1 AND person_key = $2";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(programme_id)
        .bind(person_key)
        .bind(first)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The whole ledger, for the recount.
pub async fn all(db: &Db) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM changemaker_ledger");
    on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
}
