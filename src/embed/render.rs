//! The embeds' HTML, from compile-time checked, auto-escaping templates.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{
    i18n::Texts,
    style::{on_accent, CSS, SCRIPT},
};
use crate::{domain::Locale, service::gallery::GalleryItem};

/// What every embed page shares.
pub struct Frame<'a> {
    pub locale: Locale,
    pub texts: &'static Texts,
    pub title: &'a str,
    /// `#rrggbb`.
    pub accent: &'a str,
    /// The oEmbed description of this page, for discovery.
    pub oembed: Option<&'a str>,
}

/// A gallery page.
pub struct GalleryView<'a> {
    pub frame: Frame<'a>,
    pub items: &'a [GalleryItem],
    pub list: bool,
    /// The platform's address, without a trailing slash.
    pub base: &'a str,
    pub widths: &'a [u32],
    pub more: Option<String>,
    pub see_all: String,
}

fn page(frame: &Frame<'_>, body: &Markup) -> Markup {
    let vars = format!(
        ":root{{--accent:{};--on-accent:{}}}",
        frame.accent,
        on_accent(frame.accent)
    );
    html! {
        (DOCTYPE)
        html lang=(frame.locale.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (frame.title) }
                @if let Some(href) = frame.oembed {
                    link rel="alternate" type="application/json+oembed" href=(href) title=(frame.title);
                }
                style { (PreEscaped(CSS)) (PreEscaped(vars)) }
            }
            body {
                (body)
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

/// `srcset` from the renditions a photo has, smallest first.
fn srcset(urls: &std::collections::BTreeMap<String, String>, widths: &[u32]) -> String {
    widths
        .iter()
        .filter_map(|w| urls.get(&format!("w{w}")).map(|u| format!("{u} {w}w")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn card(item: &GalleryItem, view: &GalleryView<'_>, heading: &str) -> Markup {
    let c = &item.campaign;
    let t = view.frame.texts;
    let href = format!("{}/c/{}", view.base, c.slug);
    let cover = item
        .cover
        .clone()
        .map(|m| crate::api::gallery::cover(m, view.widths));
    html! {
        article {
            @if let Some(cover) = &cover {
                @let smallest = view.widths.iter().find_map(|w| cover.urls.get(&format!("w{w}")));
                img class="cover" src=[smallest] srcset=(srcset(&cover.urls, view.widths))
                    sizes=(if view.list { "(min-width: 40em) 30vw, 100vw" } else { "(min-width: 60em) 33vw, (min-width: 40em) 50vw, 100vw" })
                    width=[cover.width] height=[cover.height] loading="lazy" decoding="async"
                    alt=(cover.alt)
                    style=[cover.dominant_color.as_ref().map(|d| format!("background-color:{d}"))];
            } @else {
                div class="blank" {}
            }
            div class="text" {
                span class="tag" { (t.theme(c.theme)) }
                @if heading == "h1" {
                    h1 { a href=(href) target="_blank" rel="noopener" { (c.title) span class="sr" { " (" (t.new_tab) ")" } } }
                } @else {
                    h2 { a href=(href) target="_blank" rel="noopener" { (c.title) span class="sr" { " (" (t.new_tab) ")" } } }
                }
                p { (c.summary) }
                p class="meta" {
                    (t.by) " " (c.team_name) " · " (c.city_name)
                    @if let Some(tag) = &c.hashtag { " · #" (tag) }
                }
                @if c.people_reached > 0 {
                    p class="meta reached" { (t.reached(c.people_reached, view.frame.locale)) }
                }
            }
        }
    }
}

/// The gallery: its cards, a link to more, and a link to the platform.
#[must_use]
pub fn gallery(view: &GalleryView<'_>) -> String {
    let t = view.frame.texts;
    let body = html! {
        main {
            h1 { (view.frame.title) }
            @if view.items.is_empty() {
                div class="empty" {
                    p { strong { (t.empty_title) } }
                    p { (t.empty) }
                }
            } @else {
                ul class=(if view.list { "list" } else { "grid" }) role="list" {
                    @for item in view.items {
                        li { (card(item, view, "h2")) }
                    }
                }
            }
            @if let Some(more) = &view.more {
                a class="more" href=(more) { (t.more) }
            }
        }
        footer {
            a href=(view.see_all) target="_blank" rel="noopener" { (t.see_all) span class="sr" { " (" (t.new_tab) ")" } }
        }
    };
    page(&view.frame, &body).into_string()
}

/// One campaign's card.
#[must_use]
pub fn single(view: &GalleryView<'_>) -> String {
    let body = html! {
        main {
            @for item in view.items {
                (card(item, view, "h1"))
            }
        }
    };
    page(&view.frame, &body).into_string()
}

/// A small page saying what went wrong, in the page's language.
#[must_use]
pub fn error(frame: &Frame<'_>, message: &str) -> String {
    let body = html! {
        main {
            div class="empty" {
                p { strong { (frame.title) } }
                p { (message) }
            }
        }
    };
    page(frame, &body).into_string()
}
