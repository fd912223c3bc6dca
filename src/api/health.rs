//! Liveness, readiness and metrics for operators.

use poem::{handler, http::StatusCode, web::Data, IntoResponse, Response};

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

/// Prometheus text format.
#[handler]
pub fn metrics(Data(state): Data<&AppState>) -> Response {
    Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
