//! Everything an API path answers with on failure is problem+json: errors of
//! the service (`AppError`) and of the framework (routing, content type,
//! parameters, authorisation) alike. Bodies are capped before parsing.

use futures_util::StreamExt;
use poem::{http::StatusCode, Endpoint, IntoResponse, Request, Response, Result};
use poem_openapi::{
    error::{AuthorizationError, ContentTypeError, ParseParamError, ParsePathError},
    OperationId,
};

use crate::{
    domain::{FieldCode, Invalid, Locale},
    error::{problem_in, problem_response, AppError, FieldError},
    i18n::{self, PersonLocale},
};

/// Turns any error into a problem+json response with a stable code, its
/// words in `locale`.
#[must_use]
pub fn to_problem(err: &poem::Error, locale: Locale) -> Response {
    let operation = err.data::<OperationId>().copied();
    let mut response = if let Some(app) = err.downcast_ref::<AppError>() {
        app.response_in(locale)
    } else {
        framework_problem(err, locale)
    };
    if let Some(op) = operation {
        response.set_data(op);
    }
    response
}

fn framework_problem(err: &poem::Error, locale: Locale) -> Response {
    let status = err.status();
    let answer = |status: StatusCode, code: &str, english: String, errors: Vec<FieldError>| {
        let detail = i18n::detail(code, locale).map_or(english, str::to_owned);
        let errors = errors.iter().map(|e| e.localized(locale)).collect();
        problem_response(&problem_in(status, code, detail, errors, locale))
    };
    if let Some(param) = err.downcast_ref::<ParseParamError>() {
        if param.name == "cursor" {
            // Cursors keep their own code, whichever check refused them.
            return answer(
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                "the cursor is not one this API gave out".to_owned(),
                Vec::new(),
            );
        }
        return answer(
            status,
            "invalid_parameter",
            format!("the parameter `{}` is not valid", param.name),
            vec![FieldError::new(param.name, param_problem(&param.reason))],
        );
    }
    if err.is::<ParsePathError>() {
        // A malformed id in the path names nothing that exists.
        return answer(
            StatusCode::NOT_FOUND,
            "not_found",
            "nothing exists at this address".to_owned(),
            Vec::new(),
        );
    }
    if let Some(ct) = err.downcast_ref::<ContentTypeError>() {
        return answer(
            status,
            "unsupported_media_type",
            format!("{ct}; send application/json"),
            Vec::new(),
        );
    }
    if err.is::<AuthorizationError>() {
        return answer(
            status,
            "unauthorized",
            "sign-in required".to_owned(),
            Vec::new(),
        );
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    };
    let detail = if status.is_server_error() {
        tracing::error!(error = %err, "unhandled framework error");
        "an unexpected error occurred; it has been logged".to_owned()
    } else {
        err.to_string()
    };
    answer(status, code, detail, Vec::new())
}

/// The field code of a parameter the framework refused, from its reason.
fn param_problem(reason: &str) -> Invalid {
    let lower = reason.to_ascii_lowercase();
    let code = if lower.contains("required") || lower.contains("missing") {
        FieldCode::Required
    } else if lower.contains("maxlength") || lower.contains("max length") {
        FieldCode::TooLong
    } else if lower.contains("minlength") || lower.contains("min length") {
        FieldCode::TooShort
    } else if lower.contains("maximum") || lower.contains("minimum") {
        FieldCode::OutOfRange
    } else {
        FieldCode::InvalidFormat
    };
    Invalid::new(code, reason.to_owned())
}

/// Middleware: every error below becomes problem+json, in the signed-in
/// person's language, else the one the request asks for.
pub async fn problem_json<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    let person = PersonLocale::default();
    req.extensions_mut().insert(person.clone());
    let outage = super::auth_guard::AuthOutage::default();
    req.extensions_mut().insert(outage.clone());
    let requested = i18n::requested(&req);
    match next.call(req).await {
        Ok(resp) => Ok(resp.into_response()),
        Err(err) => {
            // The session could not be checked at all: not a sign-out.
            let err = if outage.happened() && err.status() == StatusCode::UNAUTHORIZED {
                poem::Error::from(AppError::Unavailable("the database"))
            } else {
                err
            };
            Ok(to_problem(&err, person.get().unwrap_or(requested)))
        }
    }
}

/// Middleware: refuses bodies over `limit` bytes with 413, whether or not
/// they announce their length, before any handler reads them.
pub async fn limit_body<E: Endpoint>(next: E, mut req: Request, limit: usize) -> Result<Response> {
    // Uploads stream under their own limits (see `upload`).
    if req
        .content_type()
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"))
    {
        return next.call(req).await.map(IntoResponse::into_response);
    }
    let too_large = || AppError::PayloadTooLarge { limit };
    if let Some(length) = req
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        if length > limit {
            return Err(too_large().into());
        }
    }
    let mut stream = req.take_body().into_bytes_stream();
    let mut buffer = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|_| AppError::MalformedJson("the body could not be read".into()))?;
        if buffer.len() + chunk.len() > limit {
            return Err(too_large().into());
        }
        buffer.extend_from_slice(&chunk);
    }
    req.set_body(buffer);
    next.call(req).await.map(IntoResponse::into_response)
}
