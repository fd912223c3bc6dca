//! Builds the application from configuration and a listener, and runs it
//! until a shutdown signal, finishing requests in flight.

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context;
use poem::{
    get,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
    middleware::{CookieJarManager, Tracing},
    EndpointExt, Route, Server,
};

use crate::{
    api::{self, health, problems},
    clock::{SharedClock, SystemClock},
    config::Config,
    db::{self, Db},
    embed, headers,
    mail::Mailer,
    metrics::{self, Metrics},
    service::{
        gallery::version::ContentVersion,
        oauth::Providers,
        stats::{cache::PublicCache, views::ViewCounter},
        subject_key::SubjectKey,
    },
    state::AppState,
    storage::{FsStorage, Storage},
    web,
};

pub struct Application {
    acceptor: TcpAcceptor,
    port: u16,
    state: AppState,
}

/// State for building the OpenAPI document: nothing is connected or written.
///
/// # Errors
/// Never in practice.
pub fn offline_state() -> anyhow::Result<AppState> {
    let config = Config::default();
    Ok(AppState {
        storage: Storage::Fs(FsStorage::new(config.media_dir())),
        decodes: Arc::new(tokio::sync::Semaphore::new(1)),
        subject_key: SubjectKey::random(),
        providers: Arc::new(Providers::new(Vec::new())?),
        mailer: Mailer::offline(&config)?,
        config: Arc::new(config),
        db: Db::offline()?,
        clock: Arc::new(SystemClock),
        metrics: Arc::new(Metrics::default()),
        views: Arc::new(ViewCounter::new(1)),
        public_cache: PublicCache::new(0),
        gallery_cache: PublicCache::new(0),
        people: Arc::default(),
        content: Arc::new(ContentVersion::new(Duration::from_secs(1))),
    })
}

/// Connects the database (migrating it if configured) and the mailer.
///
/// # Errors
/// When the database cannot be reached or migrated, or mail is misconfigured.
pub async fn connect(config: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    let db = Db::connect_waiting(
        &config.database_url(),
        config.database.max_connections,
        Duration::from_secs(config.database.acquire_timeout_seconds.max(1)),
    )
    .await
    .context("cannot connect to the database")?;
    if config.database.migrate_on_start {
        db.migrate().await.context("cannot migrate the database")?;
    }
    let mailer = Mailer::from_config(&config)?;
    std::fs::create_dir_all(config.upload_dir()).context("cannot create the upload directory")?;
    let subject_key = SubjectKey::load(&config).context("cannot load the rate-limit key")?;
    Ok(AppState {
        storage: Storage::from_config(&config),
        subject_key,
        decodes: Arc::new(tokio::sync::Semaphore::new(
            config.media.concurrent_decodes.max(1),
        )),
        providers: Arc::new(Providers::new(config.auth.providers.clone())?),
        views: Arc::new(ViewCounter::new(config.stats.max_tracked_viewers)),
        public_cache: PublicCache::new(config.stats.cache_seconds),
        gallery_cache: PublicCache::bounded(
            config.gallery.cache_seconds,
            config.gallery.cache_bytes,
        ),
        people: Arc::default(),
        content: Arc::new(ContentVersion::new(Duration::from_millis(
            config.gallery.version_check_ms,
        ))),
        config: Arc::new(config),
        db,
        clock,
        mailer,
        metrics: Arc::new(Metrics::default()),
    })
}

impl Application {
    /// # Errors
    /// See [`connect`]; also when the address cannot be bound.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// # Errors
    /// See [`Application::build`].
    pub async fn build_with_clock(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let listen = config.listen;
        let state = connect(config, clock).await?;
        let acceptor = TcpListener::bind(listen)
            .into_acceptor()
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let port = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().map(std::net::SocketAddr::port))
            .unwrap_or_default();
        Ok(Self {
            acceptor,
            port,
            state,
        })
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then drains for up to 10 seconds.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut workers = Vec::new();
        if self.state.config.background_workers {
            crate::service::recovery::after_restart(&self.state).await;
            workers.push(tokio::spawn(run_janitor(self.state.clone())));
            workers.extend(
                (0..self.state.config.media.workers)
                    .map(|_| tokio::spawn(run_worker(self.state.clone()))),
            );
            workers.push(tokio::spawn(crate::mail::outbox::run(self.state.clone())));
            workers.push(tokio::spawn(crate::service::notify::run_digests(
                self.state.clone(),
            )));
            workers.push(tokio::spawn(run_view_flusher(self.state.clone())));
        }
        let endpoint = routes(&self.state);
        let result = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(endpoint, shutdown, Some(Duration::from_secs(10)))
            .await;
        for worker in workers {
            worker.abort();
        }
        // Views counted since the last flush are written before the pool closes.
        if let Err(err) = crate::service::stats::views::flush(&self.state).await {
            tracing::warn!(error = %err, "page views counted at shutdown were lost");
        }
        self.state.db.close().await;
        result
    }
}

/// Every route of the platform, with its middleware.
pub fn routes(state: &AppState) -> impl poem::Endpoint {
    let api = api::service(state);
    let raw = api.spec();
    let document = match api::spec::Document::complete(&raw) {
        Ok(document) => Arc::new(document),
        Err(err) => {
            tracing::error!(error = %err, "could not complete the OpenAPI document");
            Arc::new(api::spec::Document::plain(raw.clone()))
        }
    };
    let docs_html = api.swagger_ui_html().replace(&raw, document.json());
    let spec_json = document.json().to_owned();
    let limit = state.config.limits.json_body_bytes;
    let api = api
        .around(move |ep, req| problems::limit_body(ep, req, limit))
        .around(problems::problem_json)
        .around(move |ep, req| api::spec::allow_header(ep, req, document.clone()));
    Route::new()
        .nest("/api/v1", api)
        .at(
            "/openapi.json",
            get(poem::endpoint::make_sync(move |_| {
                poem::Response::builder()
                    .content_type("application/json; charset=utf-8")
                    .body(spec_json.clone())
            })),
        )
        .at(
            "/docs",
            get(poem::endpoint::make_sync(move |_| {
                poem::web::Html(docs_html.clone())
            })),
        )
        .at("/healthz", get(health::healthz))
        .at("/readyz", get(health::readyz))
        .at("/metrics", get(health::metrics))
        .at("/media/:id/:name", get(api::media::public_file))
        .at("/embed/gallery", get(embed::gallery_page))
        .at("/embed/campaigns/:slug", get(embed::campaign_card))
        .at("/oembed", get(embed::oembed::oembed))
        .at("/embed.js", get(web::embed_script))
        .at("/", web::app)
        .at("/*path", web::app)
        .with(CookieJarManager::new())
        .around(crate::compression::compress)
        .around(headers::security_headers)
        .around(metrics::track)
        .with(Tracing)
        .data(state.metrics.clone())
        .data(state.clone())
}

/// How long a claimed job is a worker's before another may take it.
#[must_use]
pub fn job_lease(state: &AppState) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(state.config.media.job_lease_seconds).unwrap_or(300))
}

/// Takes jobs off the durable queue and runs them; idles briefly when there are none.
async fn run_worker(state: AppState) {
    let lease = job_lease(&state);
    loop {
        match db::jobs::claim(&state.db, state.clock.now(), lease).await {
            Ok(Some(job)) => crate::service::media::run_job(&state, &job).await,
            Ok(None) => tokio::time::sleep(Duration::from_millis(250)).await,
            Err(err) => {
                tracing::warn!(error = %err, "could not claim a job");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Hourly housekeeping (see `service::housekeeping`). The first sweep comes
/// an hour after start, so a sweep never races the start-up of a process (or
/// a test that sweeps on its own).
async fn run_janitor(state: AppState) {
    let period = Duration::from_secs(3600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        if let Ok(swept) = crate::service::housekeeping::sweep(&state).await {
            tracing::debug!(?swept, "janitor swept");
        }
    }
}

/// Writes counted page views every few seconds.
async fn run_view_flusher(state: AppState) {
    let period = Duration::from_secs(state.config.stats.view_flush_seconds.max(1));
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        let _ = crate::service::stats::views::flush(&state).await;
    }
}
