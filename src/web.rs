//! The web app: static assets built from `frontend/` and embedded in the
//! binary (read from disk in debug builds). Paths without a file extension
//! get `index.html`, so the app's own router handles them.

use poem::{
    handler,
    http::{header, Method, StatusCode},
    Request, Response,
};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "frontend/dist"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
<title>changemakers</title><p>The web app has not been built. Run <code>npm run build</code> \
in <code>frontend/</code>, or use the README's run command.</p></html>";

fn file(path: &str, immutable: bool) -> Option<Response> {
    let asset = Assets::get(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut etag = String::from("\"");
    for b in asset.metadata.sha256_hash().iter().take(12) {
        use std::fmt::Write;
        let _ = write!(etag, "{b:02x}");
    }
    etag.push('"');
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        Response::builder()
            .header(header::CONTENT_TYPE, mime.as_ref())
            .header(header::CACHE_CONTROL, cache)
            .header(header::ETAG, etag)
            .body(asset.data.into_owned()),
    )
}

/// Serves the app's files, falling back to `index.html` for app routes.
#[handler]
pub fn app(req: &Request) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into();
    }
    let path = req.uri().path().trim_start_matches('/');
    if !path.is_empty() {
        if let Some(response) = file(path, path.starts_with("assets/")) {
            return response;
        }
        let last = path.rsplit('/').next().unwrap_or_default();
        if last.contains('.') {
            return StatusCode::NOT_FOUND.into();
        }
    }
    file("index.html", false).unwrap_or_else(|| {
        Response::builder()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT)
    })
}
