//! What backup and restore ask of the database itself: a consistent copy of
//! an SQLite file, whether a database is still empty, and the counts a
//! restore is checked against.

use std::path::Path;

use super::Db;

/// The tables whose row counts a backup records and a restore must match.
pub const COUNTED: &[&str] = &[
    "users",
    "programmes",
    "teams",
    "campaigns",
    "media",
    "reach_reports",
    "campaign_reports",
    "moderation_audit",
    "notifications",
];

/// Writes a consistent copy of an SQLite database to `to` (`VACUUM INTO`,
/// which reads one snapshot while writers carry on).
pub async fn sqlite_snapshot(db: &Db, to: &Path) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(sqlite) => {
            sqlx::query("VACUUM INTO $1")
                .bind(to.to_string_lossy().into_owned())
                .execute(&sqlite.pool)
                .await?;
            Ok(())
        }
        Db::Postgres(_) => Err(sqlx::Error::Configuration(
            "VACUUM INTO is for SQLite".into(),
        )),
    }
}

/// Whether the database has no tables yet (nothing to overwrite).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let tables: i64 = match db {
        Db::Sqlite(sqlite) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_one(&sqlite.pool)
        .await?,
        Db::Postgres(postgres) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_one(&postgres.pool)
        .await?,
    };
    Ok(tables == 0)
}

/// The row count of each table in `COUNTED`.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut found = Vec::new();
    for table in COUNTED {
        // The names are this module's constants, never input.
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = super::on_db!(db, |pool| sqlx::query_scalar(&sql).fetch_one(pool).await)?;
        found.push(((*table).to_owned(), n));
    }
    Ok(found)
}
