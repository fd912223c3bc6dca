//! Security headers on every response: a strict content security policy for
//! the app, a looser one for the interactive API docs, framing refused
//! everywhere except embeds, and HSTS when served over https.

use poem::{http::HeaderValue, Endpoint, IntoResponse, Request, Response, Result};

use crate::state::AppState;

const APP_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/// The API docs viewer ships its script and styles inline.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
base-uri 'self'; frame-ancestors 'none'";
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// Photos and videos are data, never a document: even a file that is also
/// valid HTML runs nothing, in a sandbox with nothing allowed.
const MEDIA_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

fn set(response: &mut Response, name: &'static str, value: &'static str) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
}

/// Reads anyone may make from another site: public, never personal, no cookies.
/// Everything else gets no CORS headers, so browsers keep other sites out.
#[must_use]
pub fn is_public_read(path: &str) -> bool {
    if path == "/openapi.json"
        || path == "/embed.js"
        || path == "/oembed"
        || path.starts_with("/embed/")
    {
        return true;
    }
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    matches!(
        parts.as_slice(),
        ["cities" | "stats"]
            | ["cities" | "programmes", _]
            | ["cities", _, "programmes"]
            | ["auth", "providers"]
            | ["stats", "goal"]
            | ["public", ..]
    )
}

/// The one write anyone may make from another site, without credentials:
/// reporting a public campaign (from an embed, say).
#[must_use]
pub fn is_public_write(path: &str) -> bool {
    path.strip_prefix("/api/v1/public/campaigns/")
        .and_then(|rest| rest.strip_suffix("/reports"))
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// The answer to a browser asking whether another site may post a report.
fn preflight() -> Response {
    Response::builder()
        .status(poem::http::StatusCode::NO_CONTENT)
        .header("access-control-allow-origin", "*")
        .header("access-control-allow-methods", "POST")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "86400")
        .finish()
}

/// Middleware adding the headers.
pub async fn security_headers<E: Endpoint>(next: E, req: Request) -> Result<Response> {
    use poem::http::Method;
    let path = req.uri().path().to_owned();
    if *req.method() == Method::OPTIONS
        && is_public_write(&path)
        && req.header("access-control-request-method") == Some("POST")
    {
        return Ok(preflight());
    }
    let cors = match *req.method() {
        Method::GET | Method::HEAD => is_public_read(&path),
        Method::POST => is_public_write(&path),
        _ => false,
    };
    let https = req
        .data::<AppState>()
        .is_some_and(|s| s.config.secure_cookies());
    let mut response = match next.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => err.into_response(),
    };
    set(&mut response, "x-content-type-options", "nosniff");
    set(
        &mut response,
        "referrer-policy",
        "strict-origin-when-cross-origin",
    );
    set(
        &mut response,
        "permissions-policy",
        "camera=(self), microphone=(), geolocation=(), payment=()",
    );
    // Embed pages set their own policy, which lets any site frame them.
    let embed = path.starts_with("/embed/");
    if !embed {
        set(&mut response, "x-frame-options", "DENY");
    }
    let csp = if path.starts_with("/api/") || path == "/openapi.json" || path == "/metrics" {
        API_CSP
    } else if path.starts_with("/media/") {
        MEDIA_CSP
    } else if path.starts_with("/docs") {
        DOCS_CSP
    } else if embed {
        ""
    } else {
        APP_CSP
    };
    if !csp.is_empty() {
        set(&mut response, "content-security-policy", csp);
    }
    if path.starts_with("/api/") && !response.headers().contains_key("cache-control") {
        set(&mut response, "cache-control", "no-store");
    }
    if cors {
        set(&mut response, "access-control-allow-origin", "*");
    }
    if https {
        set(
            &mut response,
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::is_public_read;

    #[test]
    fn only_public_reads_are_open() {
        for open in [
            "/api/v1/cities",
            "/api/v1/cities/larvik",
            "/api/v1/cities/larvik/programmes",
            "/api/v1/programmes/0190",
            "/api/v1/auth/providers",
            "/api/v1/public/campaigns",
            "/openapi.json",
        ] {
            assert!(is_public_read(open), "{open}");
        }
        for closed in [
            "/api/v1/me",
            "/api/v1/cities/larvik/admins",
            "/api/v1/programmes/x/facilitators",
            "/api/v1/auth/email",
            "/api/v1/me/export",
            "/",
        ] {
            assert!(!is_public_read(closed), "{closed}");
        }
        assert!(super::is_public_write(
            "/api/v1/public/campaigns/hils/reports"
        ));
        assert!(!super::is_public_write("/api/v1/public/campaigns/hils"));
        assert!(!super::is_public_write(
            "/api/v1/public/campaigns/a/b/reports"
        ));
    }
}
