//! Evidence photos of reach reports: media rows that belong to a report.

use uuid::Uuid;

use super::{
    media::{MediaRow, COLUMNS},
    on_db, on_tx, Db, Tx,
};

/// The evidence of the given reports, in upload order.
pub async fn for_reports(db: &Db, reports: &[Uuid]) -> Result<Vec<MediaRow>, sqlx::Error> {
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=reports.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM media WHERE reach_report_id IN ({}) ORDER BY created_at, id",
        marks.join(", ")
    );
    on_db!(db, |pool| {
        let mut q = sqlx::query_as(&sql);
        for id in reports {
            q = q.bind(*id);
        }
        q.fetch_all(pool).await
    })
}

/// Locks the report for the rest of the transaction, so the count read after
/// it holds until commit (concurrent uploads queue here).
pub async fn lock_report(tx: &mut Tx, report_id: Uuid) -> Result<(), sqlx::Error> {
    let sql = "UPDATE reach_reports SET updated_at = updated_at WHERE id = $1";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(report_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many photos a report has, inside a transaction (after `lock_report`).
pub async fn count_in_tx(tx: &mut Tx, report_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM media WHERE reach_report_id = $1";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(report_id)
        .fetch_one(conn)
        .await)
}

/// Removes a report's evidence rows, in the report's deletion; their ids, for
/// removing the stored files after the commit.
pub async fn delete_for_report(tx: &mut Tx, report_id: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    let sql = "DELETE FROM media WHERE reach_report_id = $1 RETURNING id";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(report_id)
        .fetch_all(conn)
        .await)
}
