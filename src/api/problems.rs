//! Everything an API path answers with on failure is problem+json: errors of
//! the service (`AppError`) and of the framework (routing, content type,
//! parameters, authorisation) alike. Bodies are capped before parsing.

use futures_util::StreamExt;
use poem::{http::StatusCode, Endpoint, IntoResponse, Request, Response, Result};
use poem_openapi::{
    error::{AuthorizationError, ContentTypeError, ParseParamError, ParsePathError},
    OperationId,
};

use crate::error::{problem, problem_response, AppError, FieldError};

/// Turns any error into a problem+json response with a stable code.
#[must_use]
pub fn to_problem(err: &poem::Error) -> Response {
    let operation = err.data::<OperationId>().copied();
    let mut response = if let Some(app) = err.downcast_ref::<AppError>() {
        poem::error::ResponseError::as_response(app)
    } else {
        framework_problem(err)
    };
    if let Some(op) = operation {
        response.set_data(op);
    }
    response
}

fn framework_problem(err: &poem::Error) -> Response {
    let status = err.status();
    let (code, detail, errors) = if let Some(param) = err.downcast_ref::<ParseParamError>() {
        if param.name == "cursor" {
            // Cursors keep their own code, whichever check refused them.
            return problem_response(&problem(
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                "the cursor is not one this API gave out".to_owned(),
                Vec::new(),
            ));
        }
        (
            "invalid_parameter",
            format!("the parameter `{}` is not valid", param.name),
            vec![FieldError::new(param.name, param.reason.clone())],
        )
    } else if err.is::<ParsePathError>() {
        // A malformed id in the path names nothing that exists.
        return problem_response(&problem(
            StatusCode::NOT_FOUND,
            "not_found",
            "nothing exists at this address".to_owned(),
            Vec::new(),
        ));
    } else if let Some(ct) = err.downcast_ref::<ContentTypeError>() {
        (
            "unsupported_media_type",
            format!("{ct}; send application/json"),
            Vec::new(),
        )
    } else if err.is::<AuthorizationError>() {
        ("unauthorized", "sign-in required".to_owned(), Vec::new())
    } else {
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
        (code, detail, Vec::new())
    };
    problem_response(&problem(status, code, detail, errors))
}

/// Middleware: every error below becomes problem+json.
pub async fn problem_json<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    match next.call(req).await {
        Ok(resp) => Ok(resp.into_response()),
        Err(err) => Ok(to_problem(&err)),
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
