//! The web app: static assets built from `frontend/` and embedded in the
//! binary (read from disk in debug builds). Paths without a file extension
//! get `index.html`, so the app's own router handles them.

use poem::{
    handler,
    http::{header, HeaderValue, Method, StatusCode},
    IntoResponse, Request, Response,
};

use crate::compression;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "frontend/dist"]
#[exclude = ".vite/*"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>changemakers</title></head><p>The web app has not been built. Run <code>npm run build</code> \
in <code>frontend/</code>, or use the README's run command.</p></html>";

/// A built file, in the best encoding the request accepts that was made
/// ahead of time (`name.br`, `name.gz`), or as it is.
fn file(req: &Request, path: &str, immutable: bool) -> Option<Response> {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = compression::is_compressible(mime.as_ref());
    let (asset, coding) = if text {
        compression::accepted(req.header(header::ACCEPT_ENCODING))
            .into_iter()
            .find_map(|coding| {
                Assets::get(&format!("{path}.{}", coding.suffix())).map(|a| (a, Some(coding)))
            })
            .or_else(|| Assets::get(path).map(|a| (a, None)))?
    } else {
        (Assets::get(path)?, None)
    };
    let mut etag = String::from("\"");
    for b in Assets::get(path)?.metadata.sha256_hash().iter().take(12) {
        use std::fmt::Write;
        let _ = write!(etag, "{b:02x}");
    }
    etag.push('"');
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let not_modified = req
        .header(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::builder()
            .header(header::CONTENT_TYPE, mime.as_ref())
            .body(asset.data.into_owned())
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if let Some(coding) = coding {
        if !not_modified {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(coding.token()),
            );
        }
        // The compression layer names the encoding in the tag.
        if let Some(tagged) = response
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(|e| compression::tagged(e, coding))
        {
            if let Ok(value) = HeaderValue::from_str(&tagged) {
                response.headers_mut().insert(header::ETAG, value);
            }
        }
    }
    if text {
        compression::vary(&mut response);
    }
    Some(response)
}

/// Serves the app's files, falling back to `index.html` for app routes.
#[handler]
pub async fn app(req: &Request) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into();
    }
    let path = req.uri().path().trim_start_matches('/');
    // The compressed copies are served in place of their originals only.
    let extension = std::path::Path::new(path).extension();
    if extension.is_some_and(|e| e.eq_ignore_ascii_case("br") || e.eq_ignore_ascii_case("gz")) {
        return StatusCode::NOT_FOUND.into();
    }
    if !path.is_empty() {
        if let Some(response) = file(req, path, path.starts_with("assets/")) {
            return response;
        }
        let last = path.rsplit('/').next().unwrap_or_default();
        if last.contains('.') {
            return StatusCode::NOT_FOUND.into();
        }
    }
    let Some(link) = discovery(req) else {
        return file(req, "index.html", false).unwrap_or_else(|| {
            Response::builder()
                .content_type("text/html; charset=utf-8")
                .body(NOT_BUILT)
        });
    };
    let html = Assets::get("index.html").map_or_else(
        || NOT_BUILT.to_owned(),
        |a| String::from_utf8_lossy(&a.data).into_owned(),
    );
    let (title, head) = shared_preview(req).await.unwrap_or_default();
    let mut html = html.replacen("</head>", &format!("{head}{link}</head>"), 1);
    if !title.is_empty() {
        html = html.replacen(
            "<title>changemakers</title>",
            &format!("<title>{title}</title>"),
            1,
        );
    }
    // Made per request: compressed on the way out, never cached as the shell.
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(html)
}

/// The title and preview tags of a public campaign page, rendered here so
/// that a link pasted into a chat shows the campaign (see `embed::meta`).
async fn shared_preview(req: &Request) -> Option<(String, String)> {
    let slug = req.uri().path().strip_prefix("/c/")?;
    let state = req.data::<crate::state::AppState>()?;
    let found = crate::service::public::campaign(state, slug).await.ok()?;
    let base = state.config.public_url.as_str().trim_end_matches('/');
    let url = format!("{base}/c/{slug}");
    let head =
        crate::embed::meta::campaign_head(&found, base, &url, &state.config.media.rendition_widths);
    Some((
        crate::embed::meta::campaign_title(&found),
        head.into_string(),
    ))
}

/// The oEmbed discovery link of a page that can be embedded by pasting its
/// address (a public campaign, the gallery), so WordPress and Drupal find it.
fn discovery(req: &Request) -> Option<String> {
    let path = req.uri().path();
    let embeddable = path == "/gallery"
        || path
            .strip_prefix("/c/")
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'));
    if !embeddable {
        return None;
    }
    let state = req.data::<crate::state::AppState>()?;
    let base = state.config.public_url.as_str().trim_end_matches('/');
    let page = match req.uri().query() {
        Some(q) if !q.is_empty() => format!("{base}{path}?{q}"),
        _ => format!("{base}{path}"),
    };
    let url: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
    let href = maud::html! { (format!("{base}/oembed?url={url}&format=json")) }.into_string();
    Some(format!(
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{href}\">"
    ))
}

/// `GET /embed.js`: the `<changemakers-gallery>` web component. Its name
/// never changes, so caches check back within an hour.
#[handler]
pub fn embed_script(req: &Request) -> Response {
    match file(req, "embed.js", false) {
        Some(mut response) => {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                poem::http::HeaderValue::from_static(
                    "public, max-age=3600, stale-while-revalidate=86400",
                ),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into(),
    }
}
