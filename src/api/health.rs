//! Liveness, readiness and metrics for operators.

use poem::{
    handler,
    http::{header, StatusCode},
    web::Data,
    IntoResponse, Request, Response,
};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// 200 while the process runs.
#[handler]
pub fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database answers and every migration is applied, else 503.
#[handler]
pub async fn readyz(Data(state): Data<&AppState>) -> Response {
    if state.db.is_ready().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready").into_response()
    }
}

/// Prometheus text format, for a scraper with the configured bearer token;
/// 401 without it, 404 when no token is configured.
#[handler]
pub fn metrics(request: &Request, Data(state): Data<&AppState>) -> Response {
    let configured = state.config.metrics.token.as_ref();
    let Some(token) = configured.filter(|t| !t.expose_secret().is_empty()) else {
        return (StatusCode::NOT_FOUND, "metrics are off: set metrics.token").into_response();
    };
    let offered = request
        .header(header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Digests of equal length, compared whole: the time taken says nothing
    // about how much of a guess was right.
    if Sha256::digest(offered.as_bytes()) != Sha256::digest(token.expose_secret().as_bytes()) {
        return Response::builder()
            .status(StatusCode::UNAUTHORIZED)
            .header(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")
            .body("a bearer token is needed");
    }
    Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
