//! Prometheus metrics: request counts and latencies by route and status.

use std::{sync::Mutex, time::Instant};

use poem::{Endpoint, IntoResponse, Request, Response, Result};
use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet},
    metrics::{
        counter::Counter,
        family::Family,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

type LatencyFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    mail: Family<MailLabels, Counter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, prometheus_client::encoding::EncodeLabelSet)]
pub struct MailLabels {
    pub outcome: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("changemakers");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_requests",
            "HTTP requests answered, by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route and status",
            latency.clone(),
        );
        let mail = Family::<MailLabels, Counter>::default();
        registry.register(
            "notification_mail",
            "Notification mail attempts from the outbox, by outcome (sent, retry, failed)",
            mail.clone(),
        );
        Self {
            registry: Mutex::new(registry),
            requests,
            latency,
            mail,
        }
    }
}

impl Metrics {
    pub fn observe(&self, labels: &RequestLabels, seconds: f64) {
        self.requests.get_or_create(labels).inc();
        self.latency.get_or_create(labels).observe(seconds);
    }

    /// Counts one attempt to send a notification mail.
    pub fn mail_attempt(&self, outcome: &'static str) {
        self.mail.get_or_create(&MailLabels { outcome }).inc();
    }

    /// The registry in Prometheus text format.
    #[must_use]
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = self
            .registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}

/// A route label with bounded cardinality: the API operation id, or the kind of page.
fn route_label(path: &str, response: &Response) -> String {
    if let Some(op) = response.data::<poem_openapi::OperationId>() {
        return op.0.to_owned();
    }
    let label = match path {
        "/healthz" | "/readyz" | "/metrics" | "/openapi.json" => path,
        p if p.starts_with("/docs") => "/docs",
        p if p.starts_with("/api/") => "api_unmatched",
        p if p.starts_with("/assets/") => "/assets",
        _ => "app",
    };
    label.to_owned()
}

/// Middleware that records every request.
pub async fn track<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    let metrics = req.data::<std::sync::Arc<Metrics>>().cloned();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    // Elapsed time for the latency histogram, not a rule a test moves.
    #[allow(clippy::disallowed_methods)]
    let started = Instant::now();
    let response = match next.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => err.into_response(),
    };
    if let Some(metrics) = metrics {
        let labels = RequestLabels {
            method,
            route: route_label(&path, &response),
            status: response.status().as_u16(),
        };
        metrics.observe(&labels, started.elapsed().as_secs_f64());
    }
    Ok(response)
}
