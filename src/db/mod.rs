//! The only place with SQL. `Db` is SQLite (the embedded default) or
//! PostgreSQL (production); one SQL string serves both wherever the dialects
//! agree, and the `on_db!`/`on_tx!` macros run it against whichever pool or
//! transaction is at hand.

pub mod backup;
pub mod campaigns;
pub mod cities;
pub mod counting;
pub mod enrolments;
pub mod evidence;
pub mod gallery;
pub mod identities;
pub mod janitor;
pub mod jobs;
pub mod ledger;
pub mod media;
pub mod moderation;
pub mod notifications;
pub mod oauth_flows;
pub mod outbox;
pub mod overview;
pub mod privacy;
pub mod privacy_registry;
pub mod programmes;
pub mod rate_limits;
pub mod reach;
pub mod reports;
pub mod roles;
pub mod sessions;
pub mod sign_in_links;
pub mod stats;
pub mod teams;
pub mod training;
pub mod users;

use std::{str::FromStr, time::Duration};

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, Postgres, Sqlite, SqlitePool, Transaction,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// An SQLite pool with its one writer's turn. SQLite lets one transaction
/// write at a time; taking turns here, before a connection is taken, means
/// a transaction never waits on the file's lock while holding a connection
/// that the one writing needs, so concurrent writers queue instead of
/// timing out with `SQLITE_BUSY`.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    pub pool: SqlitePool,
    writer: std::sync::Arc<tokio::sync::Semaphore>,
}

impl SqliteDb {
    fn new(pool: SqlitePool) -> Self {
        Self {
            pool,
            writer: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
        }
    }
}

/// An open SQLite transaction, holding the writer's turn until it ends.
pub struct SqliteTx {
    pub tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

/// A PostgreSQL pool and the turns its transactions take. A transaction may
/// read through the pool while it is open, so at most half the connections
/// are ever held by transactions: the other half stay free for those reads,
/// and a burst of writers queues instead of taking every connection and
/// waiting on each other until the pool times out.
#[derive(Debug, Clone)]
pub struct PgDb {
    pub pool: PgPool,
    turns: std::sync::Arc<tokio::sync::Semaphore>,
}

/// An open PostgreSQL transaction, holding its turn until it ends.
pub struct PgTx {
    pub tx: Transaction<'static, Postgres>,
    _turn: tokio::sync::OwnedSemaphorePermit,
}

/// An open transaction on either backend.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(PgTx),
}

/// Runs `$body` with `$pool` bound to the concrete pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(sqlite) => {
                let $pool = &sqlite.pool;
                $body
            }
            $crate::db::Db::Postgres(postgres) => {
                let $pool = &postgres.pool;
                $body
            }
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(sqlite) => {
                let $conn = &mut *sqlite.tx;
                $body
            }
            $crate::db::Tx::Postgres(postgres) => {
                let $conn = &mut *postgres.tx;
                $body
            }
        }
    };
}

pub use crate::{on_db, on_tx};

impl Db {
    /// Opens a pool for `url` (`sqlite:` or `postgres:`), lazily or not.
    ///
    /// # Errors
    /// When the URL is not understood or the database cannot be reached.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        Self::connect_waiting(url, max_connections, Duration::from_secs(10)).await
    }

    /// Like [`Db::connect`]; a request waits at most `acquire_timeout` for
    /// a connection (then gets 503), as long as the database is away.
    ///
    /// # Errors
    /// When the URL is not understood or the database cannot be reached.
    pub async fn connect_waiting(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(acquire_timeout)
                // SQLite rolls a transaction back by itself on some errors
                // (SQLITE_FULL: a full disk); the driver's ROLLBACK then fails
                // and it still counts the connection in a transaction, so
                // every later BEGIN on it would fail. Such a connection is
                // closed instead of lent again.
                .before_acquire(|conn, _| {
                    Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
                })
                .connect_with(options)
                .await?;
            Ok(Self::Sqlite(SqliteDb::new(pool)))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(acquire_timeout)
                .connect_with(options)
                .await?;
            let turns = usize::try_from(max_connections / 2).unwrap_or(1).max(1);
            Ok(Self::Postgres(PgDb {
                pool,
                turns: std::sync::Arc::new(tokio::sync::Semaphore::new(turns)),
            }))
        } else {
            anyhow::bail!("the database URL must start with sqlite: or postgres:")
        }
    }

    /// A pool that never connects; lets the OpenAPI document be built offline.
    ///
    /// # Errors
    /// Never in practice; the in-memory URL always parses.
    pub fn offline() -> anyhow::Result<Self> {
        Ok(Self::Sqlite(SqliteDb::new(
            SqlitePoolOptions::new().connect_lazy("sqlite::memory:")?,
        )))
    }

    #[must_use]
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Self::Sqlite(_) => &SQLITE_MIGRATIONS,
            Self::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations.
    ///
    /// # Errors
    /// When a migration fails or an applied one was changed.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        let migrator = self.migrator();
        on_db!(self, |pool| migrator.run(pool).await)
    }

    /// True when the database answers and every known migration is applied.
    pub async fn is_ready(&self) -> bool {
        let latest = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        let sql = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        let applied: Result<i64, sqlx::Error> =
            on_db!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await);
        matches!(applied, Ok(version) if version >= latest)
    }

    /// Starts a transaction that takes the write lock at once on SQLite, so
    /// concurrent writers wait for each other instead of failing.
    ///
    /// # Errors
    /// When no connection can be had.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Self::Sqlite(sqlite) => {
                let turn = sqlite
                    .writer
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                Tx::Sqlite(SqliteTx {
                    tx: sqlite.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _turn: turn,
                })
            }
            Self::Postgres(postgres) => {
                let turn = postgres
                    .turns
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                Tx::Postgres(PgTx {
                    tx: postgres.pool.begin().await?,
                    _turn: turn,
                })
            }
        })
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await);
    }
}

impl Tx {
    /// # Errors
    /// When the commit fails; nothing of the transaction is then kept.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(sqlite) => sqlite.tx.commit().await,
            Self::Postgres(postgres) => postgres.tx.commit().await,
        }
    }
}

/// `Ok(true)` when a write went through, `Ok(false)` when a unique
/// constraint refused it, and the error for anything else.
///
/// # Errors
/// Any database error but a unique violation.
pub fn unless_duplicate<T>(result: Result<T, sqlx::Error>) -> Result<bool, sqlx::Error> {
    match result {
        Ok(_) => Ok(true),
        Err(err) if is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err),
    }
}

/// True when `err` is a unique-constraint violation (on either backend).
#[must_use]
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
