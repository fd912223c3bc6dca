//! Embeds for cities' websites: the gallery and one campaign's card as
//! complete server-rendered pages for an iframe. They work without
//! JavaScript, set no cookies, load nothing from anywhere else, and may be
//! framed by any site. Approved content only; never anything about a person.

pub mod i18n;
pub mod meta;
pub mod oembed;
pub mod query;
pub mod render;
pub mod style;

use std::sync::Arc;

use poem::{
    handler,
    http::{header, StatusCode},
    web::{Data, Path},
    Request, Response,
};

use self::{
    query::{country_locale, BadParameter, EmbedQuery},
    render::{Frame, GalleryView},
};
use crate::{
    api::{cursor, rendered::PUBLIC},
    db::{self, gallery::GalleryRow},
    domain::Locale,
    error::AppError,
    service::{
        gallery::{self, GalleryItem},
        public,
        stats::{cache::Rendered, views::Shown},
    },
    state::AppState,
};

/// Why an embed cannot be shown.
enum Failure {
    Bad(Option<Locale>, BadParameter),
    NotFound(Option<Locale>),
    Unavailable(AppError),
}

fn html(status: StatusCode) -> poem::ResponseBuilder {
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(
            header::CONTENT_SECURITY_POLICY,
            style::content_security_policy(),
        )
}

fn failure_page(failure: Failure) -> Response {
    let (status, locale, message) = match failure {
        Failure::Bad(locale, BadParameter(name)) => {
            let t = i18n::texts(locale.unwrap_or(Locale::En));
            (
                StatusCode::BAD_REQUEST,
                locale,
                (t.bad_request_title, format!("{} ({name})", t.bad_request)),
            )
        }
        Failure::NotFound(locale) => {
            let t = i18n::texts(locale.unwrap_or(Locale::En));
            (
                StatusCode::NOT_FOUND,
                locale,
                (t.not_found_title, t.not_found.to_owned()),
            )
        }
        Failure::Unavailable(err) => {
            tracing::warn!(error = %err, "an embed could not be rendered");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                ("changemakers", "Please try again in a moment.".to_owned()),
            )
        }
    };
    let locale = locale.unwrap_or(Locale::En);
    let frame = Frame {
        locale,
        texts: i18n::texts(locale),
        title: message.0,
        accent: query::DEFAULT_ACCENT,
        oembed: None,
    };
    let body = render::error(&frame, &message.1).into_bytes();
    html(status)
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
}

/// The rendered page, or 304 when the client has it.
fn respond(req: &Request, rendered: &Rendered) -> Response {
    let base = html(StatusCode::OK)
        .header(header::ETAG, rendered.etag.clone())
        .header(header::CACHE_CONTROL, PUBLIC);
    if rendered.matches(req.header("if-none-match")) {
        return base.status(StatusCode::NOT_MODIFIED).body(());
    }
    base.body(rendered.body.to_vec())
}

/// The platform's address without a trailing slash.
fn base(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

fn oembed_href(base: &str, page: &str) -> String {
    let url: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
    format!("{base}/oembed?url={url}&format=json")
}

/// The language a gallery is shown in when its address names none, and its title.
async fn place(state: &AppState, q: &EmbedQuery) -> Result<(Locale, Option<String>), Failure> {
    let unavailable = |e: sqlx::Error| Failure::Unavailable(e.into());
    if let Some(slug) = &q.city {
        let city = db::cities::by_slug(&state.db, slug)
            .await
            .map_err(unavailable)?
            .ok_or(Failure::NotFound(q.lang))?;
        return Ok((
            q.lang.unwrap_or(country_locale(city.country)),
            Some(city.name),
        ));
    }
    if let Some(id) = q.programme_id {
        let programme = db::programmes::by_id(&state.db, id)
            .await
            .map_err(unavailable)?
            .ok_or(Failure::NotFound(q.lang))?;
        return Ok((q.lang.unwrap_or(programme.locale), Some(programme.name)));
    }
    Ok((q.lang.unwrap_or(Locale::En), None))
}

async fn render_gallery(state: &AppState, q: &EmbedQuery) -> Result<Rendered, Failure> {
    let (locale, name) = place(state, q).await?;
    let page = gallery::list(state, &q.gallery())
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => Failure::NotFound(Some(locale)),
            other => Failure::Unavailable(other),
        })?;
    let texts = i18n::texts(locale);
    let title = texts.title(name.as_deref());
    let base = base(state);
    let canonical = q.to_query(q.cursor.map(cursor::encode_gallery).as_deref());
    let oembed = oembed_href(&base, &format!("{base}/embed/gallery?{canonical}"));
    let mut all = q.clone();
    all.cursor = None;
    all.limit = query::DEFAULT_LIMIT;
    let view = GalleryView {
        frame: Frame {
            locale,
            texts,
            title: &title,
            accent: &q.accent,
            oembed: Some(&oembed),
        },
        items: &page.items,
        list: q.list,
        base: &base,
        widths: &state.config.media.rendition_widths,
        more: page.next.map(|k| {
            format!(
                "/embed/gallery?{}",
                q.to_query(Some(&cursor::encode_gallery(k)))
            )
        }),
        see_all: format!("{base}/gallery?{}", all.to_query(None)),
    };
    let shown = crate::api::gallery::shown(&page.items);
    Ok(Rendered::showing(
        render::gallery(&view).into_bytes(),
        shown,
    ))
}

/// The embed's parameters, or the page saying which one is wrong.
fn parsed(req: &Request) -> Result<EmbedQuery, Failure> {
    let raw = req.uri().query().unwrap_or("");
    EmbedQuery::parse(raw).map_err(|bad| Failure::Bad(query::lang_hint(raw), bad))
}

/// The page kept under `key` at the current content version, or rendered
/// now and kept.
async fn cached(
    state: &AppState,
    key: &str,
    render: impl std::future::Future<Output = Result<Rendered, Failure>>,
) -> Result<Rendered, Failure> {
    let version = state.content.current(&state.db).await;
    let key = format!("{key}|{version}");
    if let Some(hit) = state.gallery_cache.get(&key) {
        return Ok(hit);
    }
    let rendered = render.await?;
    state.gallery_cache.put(key, rendered.clone());
    Ok(rendered)
}

/// `GET /embed/gallery`: approved campaigns of a city, programme or theme.
#[handler]
pub async fn gallery_page(req: &Request, state: Data<&AppState>) -> Response {
    let state = *state;
    let q = match parsed(req) {
        Ok(q) => q,
        Err(failure) => return failure_page(failure),
    };
    match cached(
        state,
        &format!("embed|{}", q.key()),
        render_gallery(state, &q),
    )
    .await
    {
        Ok(rendered) => {
            state.views.record_load(&rendered.shown);
            respond(req, &rendered)
        }
        Err(failure) => failure_page(failure),
    }
}

/// A public campaign as a gallery item.
fn as_item(found: public::PublishedCampaign) -> GalleryItem {
    let cover = found.cover().cloned();
    let (row, content) = (found.campaign, found.content);
    GalleryItem {
        campaign: GalleryRow {
            id: row.id,
            slug: row.slug,
            title: content.title,
            summary: content.summary,
            theme: content.theme,
            hashtag: content.hashtag,
            team_name: row.team_name,
            city_slug: row.city_slug,
            city_name: row.city_name,
            programme_id: row.programme_id,
            programme_name: row.programme_name,
            country: row.country,
            published_at: row.published_at,
            people_reached: found.people_reached,
            rank: None,
        },
        cover,
    }
}

async fn render_card(state: &AppState, slug: &str, q: &EmbedQuery) -> Result<Rendered, Failure> {
    let found = public::campaign(state, slug).await.map_err(|e| match e {
        AppError::NotFound(_) => Failure::NotFound(q.lang),
        other => Failure::Unavailable(other),
    })?;
    let item = as_item(found);
    let locale = q.lang.unwrap_or(country_locale(item.campaign.country));
    let texts = i18n::texts(locale);
    let base = base(state);
    let oembed = oembed_href(&base, &format!("{base}/c/{slug}"));
    let shown: Shown = Arc::new([(item.campaign.id, item.campaign.country)]);
    let title = format!("{}: {}", texts.campaign, item.campaign.title);
    let items = [item];
    let view = GalleryView {
        frame: Frame {
            locale,
            texts,
            title: &title,
            accent: &q.accent,
            oembed: Some(&oembed),
        },
        items: &items,
        list: false,
        base: &base,
        widths: &state.config.media.rendition_widths,
        more: None,
        see_all: format!("{base}/gallery"),
    };
    Ok(Rendered::showing(render::single(&view).into_bytes(), shown))
}

/// `GET /embed/campaigns/{slug}`: one campaign's card; counts a view.
#[handler]
pub async fn campaign_card(req: &Request, slug: Path<String>, state: Data<&AppState>) -> Response {
    let state = *state;
    let q = match parsed(req) {
        Ok(q) => q,
        Err(failure) => return failure_page(failure),
    };
    let key = format!("card|{}|{}", slug.0, q.key());
    match cached(state, &key, render_card(state, &slug.0, &q)).await {
        Ok(rendered) => {
            crate::api::public::count_view(state, req, &rendered.shown);
            respond(req, &rendered)
        }
        Err(failure) => failure_page(failure),
    }
}
