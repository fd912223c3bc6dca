//! Looking through every column of every table, for tests that prove
//! something is stored nowhere.

use changemakers::db::{on_db, privacy};

use super::TestApp;

/// The `table.column`s holding text that contains `needle`.
pub async fn find_text(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column) in privacy::schema(&app.state.db).await.unwrap() {
        let sql =
            format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1");
        let like = format!("%{needle}%");
        let n: i64 = on_db!(&app.state.db, |pool| sqlx::query_scalar(&sql)
            .bind(&like)
            .fetch_one(pool)
            .await
            .unwrap());
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

/// The `table.column`s holding the id `id`.
pub async fn find_uuid(app: &TestApp, id: &str) -> Vec<String> {
    let id = uuid::Uuid::parse_str(id).unwrap();
    let mut found = Vec::new();
    for (table, column) in privacy::schema(&app.state.db).await.unwrap() {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = $1");
        // Columns of other types refuse the comparison on PostgreSQL: skip them.
        let n: Result<i64, _> = on_db!(&app.state.db, |pool| sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(pool)
            .await);
        if n.is_ok_and(|n| n > 0) {
            found.push(format!("{table}.{column}"));
        }
    }
    found.sort();
    found
}
