//! `AppError` and its one mapping to an RFC 9457 problem+json response.

use poem::{error::ResponseError, http::StatusCode, Body, Response};
use poem_openapi::{
    registry::{MetaMediaType, MetaResponse, MetaResponses, Registry},
    types::Type,
    ApiResponse, Object,
};
use serde::Serialize;

use crate::{
    domain::{FieldCode, Invalid, Locale},
    i18n,
};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One problem with one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Object)]
pub struct FieldError {
    /// The field, as a dotted path into the request body (`email`, `items.0.name`).
    pub field: String,
    /// What is wrong with it, stable for clients to translate.
    pub code: FieldCode,
    /// What is wrong with it, in the person's language.
    pub message: String,
    /// The lowest allowed number or length, when the code has one.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// The highest allowed number or length, when the code has one.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, invalid: Invalid) -> Self {
        Self {
            field: field.into(),
            code: invalid.code,
            message: invalid.message.into_owned(),
            min: invalid.min,
            max: invalid.max,
        }
    }

    /// The same error, its message in `locale` (English stays as written).
    #[must_use]
    pub fn localized(&self, locale: Locale) -> Self {
        if locale == Locale::En {
            return self.clone();
        }
        Self {
            message: i18n::field_message(self.code, self.min, self.max, locale),
            ..self.clone()
        }
    }
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(rename = "Problem")]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[oai(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, human-readable summary, in the person's language.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in the person's language.
    pub detail: String,
    /// A stable, machine-readable snake_case code (e.g. `validation_failed`).
    pub code: String,
    /// Field-level problems, when the request body did not validate.
    pub errors: Vec<FieldError>,
}

/// Every error the service answers with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON at all.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// The request is well-formed but values are wrong.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("sign-in required")]
    Unauthorized,
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("{detail}")]
    Gone { code: &'static str, detail: String },
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    PayloadTooLargeWithReason(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body came too slowly and was cut off.
    #[error("the upload came too slowly and was stopped; try again on a better connection or with a smaller file")]
    TooSlow,
    #[error("too many requests")]
    RateLimited { retry_after_seconds: u64 },
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    /// The disk is full: nothing was written.
    #[error("the platform's storage is full, so nothing was saved; please try again later")]
    InsufficientStorage,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// SQLite's `SQLITE_FULL` and PostgreSQL's `disk_full`.
fn is_disk_full(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("13" | "53100")),
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if is_disk_full(&err) {
            tracing::error!(error = %err, "the database's disk is full");
            return Self::InsufficientStorage;
        }
        match &err {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %err, "database unavailable");
                Self::Unavailable("the database")
            }
            _ => Self::Internal(err.into()),
        }
    }
}

impl AppError {
    /// For what the caller may not see: "not allowed" reads as "not found",
    /// so nothing tells them it exists. Every other error (a database or
    /// storage failure) stays what it is.
    #[must_use]
    pub fn hidden_as(self, what: &'static str) -> Self {
        match self {
            Self::NotFound(_) | Self::Forbidden { .. } => Self::NotFound(what),
            other => other,
        }
    }

    pub fn validation(field: impl Into<String>, invalid: Invalid) -> Self {
        Self::Validation(vec![FieldError::new(field, invalid)])
    }

    /// A full disk, logged once where it is met.
    pub fn insufficient_storage() -> Self {
        tracing::error!("a disk the platform writes to is full");
        Self::InsufficientStorage
    }

    /// A file the platform writes (an upload streaming in) could not be
    /// written: a full disk is 507, anything else an internal error.
    pub fn from_io(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::StorageFull {
            Self::insufficient_storage()
        } else {
            Self::Internal(err.into())
        }
    }

    pub fn forbidden() -> Self {
        Self::Forbidden {
            code: "forbidden",
            detail: "you do not have permission to do this".to_owned(),
        }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            detail: detail.into(),
        }
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson(_) => "malformed_json",
            Self::Validation(_) => "validation_failed",
            Self::BadRequest { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Gone { code, .. } => code,
            Self::Unauthorized => "unauthorized",
            Self::NotFound(_) => "not_found",
            Self::PayloadTooLarge { .. } | Self::PayloadTooLargeWithReason(_) => {
                "payload_too_large"
            }
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooSlow => "request_too_slow",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable(_) => "service_unavailable",
            Self::InsufficientStorage => "insufficient_storage",
            Self::Internal(_) => "internal_error",
        }
    }

    #[must_use]
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::MalformedJson(_) | Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Gone { .. } => StatusCode::GONE,
            Self::PayloadTooLarge { .. } | Self::PayloadTooLargeWithReason(_) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooSlow => StatusCode::REQUEST_TIMEOUT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem body in English; an internal error never reveals its cause.
    #[must_use]
    pub fn problem(&self) -> Problem {
        self.problem_in(Locale::En)
    }

    /// The problem body with its title, detail and field messages in `locale`.
    #[must_use]
    pub fn problem_in(&self, locale: Locale) -> Problem {
        let status = self.status_code();
        let code = self.code();
        let detail = match i18n::detail(code, locale) {
            Some(text) => text.to_owned(),
            None => match self {
                Self::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
                Self::Validation(_) => "the request has invalid fields".to_owned(),
                other => other.to_string(),
            },
        };
        let errors = match self {
            Self::Validation(errors) => errors.iter().map(|e| e.localized(locale)).collect(),
            _ => Vec::new(),
        };
        problem_in(status, code, detail, errors, locale)
    }
}

/// Builds a problem body for any status and code, titled in English.
#[must_use]
pub fn problem(status: StatusCode, code: &str, detail: String, errors: Vec<FieldError>) -> Problem {
    problem_in(status, code, detail, errors, Locale::En)
}

/// Builds a problem body titled in `locale`; `detail` is used as given.
#[must_use]
pub fn problem_in(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<FieldError>,
    locale: Locale,
) -> Problem {
    let english = status.canonical_reason().unwrap_or("Error");
    Problem {
        kind: format!("urn:changemakers:problem:{code}"),
        title: i18n::title(status.as_u16(), english, locale).to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors,
    }
}

/// Renders a problem as an `application/problem+json` response.
#[must_use]
pub fn problem_response(problem: &Problem) -> Response {
    let body = serde_json::to_vec(problem).unwrap_or_default();
    Response::builder()
        .status(StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type(PROBLEM_CONTENT_TYPE)
        .body(Body::from(body))
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        self.status_code()
    }

    fn as_response(&self) -> Response {
        self.response_in(Locale::En)
    }
}

impl AppError {
    /// The problem+json response in `locale`, with `Retry-After` when limited.
    #[must_use]
    pub fn response_in(&self, locale: Locale) -> Response {
        if let Self::Internal(err) = self {
            tracing::error!(error = ?err, "internal error");
        }
        let mut response = problem_response(&self.problem_in(locale));
        if let Self::RateLimited {
            retry_after_seconds,
        } = self
        {
            if let Ok(value) = retry_after_seconds.to_string().parse() {
                response.headers_mut().insert("retry-after", value);
            }
        }
        response
    }
}

/// Every status an operation may answer with a problem, and what it means.
/// Each operation declares them all: which of them a given call meets
/// depends on its input and on who calls.
const PROBLEM_STATUSES: &[(u16, &str)] = &[
    (
        400,
        "The request is malformed (`malformed_json`, a bad cursor or parameter).",
    ),
    (401, "Sign-in required (`unauthorized`)."),
    (
        403,
        "Signed in, but not allowed (`forbidden`, `under_minimum_age`, ...).",
    ),
    (
        404,
        "Not found, or not visible to the caller (`not_found`).",
    ),
    (
        409,
        "In conflict with the current state (`version_conflict`, `invalid_transition`, ...).",
    ),
    (
        408,
        "The body came too slowly and was cut off (`request_too_slow`).",
    ),
    (410, "No longer usable (a spent or expired sign-in link)."),
    (413, "Too large (`payload_too_large`)."),
    (
        415,
        "A type the platform does not take (`unsupported_media_type`).",
    ),
    (
        422,
        "Values that do not validate (`validation_failed`, with field errors).",
    ),
    (
        429,
        "Too many requests (`rate_limited`); `Retry-After` says when to try again.",
    ),
    (
        500,
        "An unexpected error (`internal_error`); the cause is logged, never shown.",
    ),
    (
        503,
        "A part the platform needs is unavailable (`service_unavailable`).",
    ),
    (
        507,
        "A disk the platform writes to is full; nothing was saved (`insufficient_storage`).",
    ),
];

impl ApiResponse for AppError {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: PROBLEM_STATUSES
                .iter()
                .map(|&(status, description)| MetaResponse {
                    description,
                    status: Some(status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: PROBLEM_CONTENT_TYPE,
                        schema: Problem::schema_ref(),
                    }],
                    headers: vec![],
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

impl poem::IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.as_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;
