//! oEmbed (<https://oembed.com>): a campaign page or a gallery address pasted
//! into WordPress, Drupal or any consumer becomes an embed. The `html` is a
//! `<blockquote>` with a link (what stays when a consumer drops the frame)
//! and an `<iframe>` with a title, the two tags WordPress keeps.

use poem::{
    handler,
    http::{header, StatusCode},
    web::Data,
    Request, Response,
};
use serde::Serialize;

use super::query::EmbedQuery;
use crate::{
    api::rendered::PUBLIC,
    db,
    error::AppError,
    service::{public, stats::cache::Rendered},
    state::AppState,
};

const GALLERY_SIZE: (u32, u32) = (640, 900);
const CARD_SIZE: (u32, u32) = (400, 560);

#[derive(Debug, Serialize)]
struct OEmbed {
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    title: String,
    provider_name: &'static str,
    provider_url: String,
    cache_age: u32,
    html: String,
    width: u32,
    height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_width: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thumbnail_height: Option<i32>,
}

/// What a pasted address shows.
enum Target {
    Campaign(String),
    Gallery(EmbedQuery),
}

fn problem(status: StatusCode, code: &str, detail: &str) -> Response {
    let body = serde_json::json!({
        "type": format!("urn:changemakers:problem:{code}"),
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "code": code,
    });
    Response::builder()
        .status(status)
        .content_type("application/problem+json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body.to_string())
}

fn escape(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

/// The target of `url` when it is one of the platform's own pages.
fn target(state: &AppState, url: &str) -> Option<Target> {
    let url = url::Url::parse(url).ok()?;
    let ours = &state.config.public_url;
    if url.scheme() != ours.scheme()
        || url.host_str() != ours.host_str()
        || url.port_or_known_default() != ours.port_or_known_default()
    {
        return None;
    }
    let path = url.path().trim_end_matches('/');
    let slug = path
        .strip_prefix("/c/")
        .or_else(|| path.strip_prefix("/embed/campaigns/"));
    if let Some(slug) = slug.filter(|s| !s.is_empty() && !s.contains('/')) {
        return Some(Target::Campaign(slug.to_owned()));
    }
    if path == "/gallery" || path == "/embed/gallery" {
        return EmbedQuery::parse(url.query().unwrap_or(""))
            .ok()
            .map(Target::Gallery);
    }
    None
}

/// A `maxwidth` or `maxheight`: absent, or a positive number of pixels.
fn dimension(query: &str, name: &'static str) -> Result<Option<u32>, &'static str> {
    let raw = param(query, name);
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or(name),
    }
}

fn param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn frame_html(src: &str, link: &str, title: &str, (width, height): (u32, u32)) -> String {
    let (src, link, title) = (escape(src), escape(link), escape(title));
    format!(
        "<blockquote class=\"changemakers-embed\"><a href=\"{link}\">{title}</a></blockquote>\
         <iframe src=\"{src}\" title=\"{title}\" width=\"{width}\" height=\"{height}\" \
         frameborder=\"0\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
    )
}

/// The consumer's bounds.
#[derive(Clone, Copy)]
struct Bounds {
    maxwidth: Option<u32>,
    maxheight: Option<u32>,
}

impl Bounds {
    fn fit(self, (w, h): (u32, u32)) -> (u32, u32) {
        (
            self.maxwidth.map_or(w, |m| w.min(m)),
            self.maxheight.map_or(h, |m| h.min(m)),
        )
    }
}

fn rich(base: &str, title: String, html: String, size: (u32, u32)) -> OEmbed {
    OEmbed {
        kind: "rich",
        version: "1.0",
        title,
        provider_name: "changemakers",
        provider_url: base.to_owned(),
        cache_age: 3600,
        html,
        width: size.0,
        height: size.1,
        thumbnail_url: None,
        thumbnail_width: None,
        thumbnail_height: None,
    }
}

fn unavailable(err: &dyn std::fmt::Display) -> Response {
    tracing::warn!(error = %err, "an oEmbed answer could not be made");
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "please try again in a moment",
    )
}

async fn campaign(
    state: &AppState,
    base: &str,
    slug: &str,
    bounds: Bounds,
) -> Result<OEmbed, Response> {
    let found = match public::campaign(state, slug).await {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => {
            return Err(problem(
                StatusCode::NOT_FOUND,
                "not_found",
                "the campaign is not public",
            ))
        }
        Err(err) => return Err(unavailable(&err)),
    };
    let size = bounds.fit(CARD_SIZE);
    let title = found.content.title.clone();
    let html = frame_html(
        &format!("{base}/embed/campaigns/{slug}"),
        &format!("{base}/c/{slug}"),
        &title,
        size,
    );
    let mut answer = rich(base, title, html, size);
    // The smallest rendition, when it fits the consumer's bounds.
    let thumb = found
        .cover()
        .and_then(|m| {
            let (w, h) = (m.width?.max(1), m.height?.max(1));
            Some((format!("{base}/media/{}/w320.jpg", m.id), h * 320 / w))
        })
        .filter(|(_, h)| {
            bounds.maxwidth.is_none_or(|mw| mw >= 320)
                && bounds
                    .maxheight
                    .is_none_or(|mh| i64::from(mh) >= i64::from(*h))
        });
    if let Some((url, height)) = thumb {
        answer.thumbnail_url = Some(url);
        answer.thumbnail_width = Some(320);
        answer.thumbnail_height = Some(height);
    }
    Ok(answer)
}

async fn gallery(
    state: &AppState,
    base: &str,
    q: &EmbedQuery,
    bounds: Bounds,
) -> Result<OEmbed, Response> {
    use crate::domain::Locale;
    let place = match (&q.city, q.programme_id) {
        (Some(slug), _) => db::cities::by_slug(&state.db, slug)
            .await
            .map(|c| c.map(|c| (Some(c.name), super::query::country_locale(c.country)))),
        (None, Some(id)) => db::programmes::by_id(&state.db, id)
            .await
            .map(|p| p.map(|p| (Some(p.name), p.locale))),
        (None, None) => Ok(Some((None, Locale::En))),
    };
    let (name, locale) = match place {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(problem(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such city or programme",
            ))
        }
        Err(err) => return Err(unavailable(&err)),
    };
    let title = super::i18n::texts(q.lang.unwrap_or(locale)).title(name.as_deref());
    let size = bounds.fit(GALLERY_SIZE);
    let query = q.to_query(None);
    let html = frame_html(
        &format!("{base}/embed/gallery?{query}"),
        &format!("{base}/gallery?{query}"),
        &title,
        size,
    );
    Ok(rich(base, title, html, size))
}

/// `GET /oembed?url=&format=json&maxwidth=&maxheight=`.
#[handler]
pub async fn oembed(req: &Request, state: Data<&AppState>) -> Response {
    let state = *state;
    let query = req.uri().query().unwrap_or("");
    if !matches!(param(query, "format").as_deref(), None | Some("" | "json")) {
        return problem(
            StatusCode::NOT_IMPLEMENTED,
            "format_not_supported",
            "only format=json is offered",
        );
    }
    let bounds = match (dimension(query, "maxwidth"), dimension(query, "maxheight")) {
        (Ok(maxwidth), Ok(maxheight)) => Bounds {
            maxwidth,
            maxheight,
        },
        (Err(name), _) | (_, Err(name)) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "validation_failed",
                &format!("{name} must be a whole number of pixels"),
            )
        }
    };
    let Some(target) = param(query, "url").and_then(|u| target(state, &u)) else {
        return problem(
            StatusCode::NOT_FOUND,
            "not_found",
            "the address is not a public campaign or gallery of this platform",
        );
    };
    let base = state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let answer = match &target {
        Target::Campaign(slug) => campaign(state, &base, slug, bounds).await,
        Target::Gallery(q) => gallery(state, &base, q, bounds).await,
    };
    let answer = match answer {
        Ok(a) => a,
        Err(response) => return response,
    };
    let rendered = Rendered::new(serde_json::to_vec(&answer).unwrap_or_default());
    let builder = Response::builder()
        .content_type("application/json; charset=utf-8")
        .header(header::ETAG, rendered.etag.clone())
        .header(header::CACHE_CONTROL, PUBLIC);
    if rendered.matches(req.header("if-none-match")) {
        return builder.status(StatusCode::NOT_MODIFIED).body(());
    }
    builder.body(rendered.body.to_vec())
}
