//! Embeds for cities' websites: the iframe gallery and card, and what each
//! path lets other sites do (framing, CORS).

use reqwest::{Client, Method, Response};
use serde_json::{json, Value};

use crate::{
    gallery::{approve_new, counted},
    helpers::{team_setup, TestApp},
    oembed::{encoded, oembed},
    reports::published,
};

pub async fn get(app: &TestApp, path: &str) -> Response {
    Client::new().get(app.url(path)).send().await.unwrap()
}

pub async fn page(app: &TestApp, path: &str, status: u16) -> String {
    let response = get(app, path).await;
    assert_eq!(response.status(), status, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(response.headers().get("set-cookie").is_none());
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(response.headers().get("x-frame-options").is_none());
    response.text().await.unwrap()
}

fn attribute<'a>(html: &'a str, tag_start: &str, name: &str) -> Option<&'a str> {
    let at = html.find(tag_start)?;
    let tag = &html[at..at + html[at..].find('>')?];
    let value = &tag[tag.find(&format!(" {name}=\""))? + name.len() + 3..];
    Some(&value[..value.find('"')?])
}

#[tokio::test]
async fn the_gallery_page_is_complete_html_without_script_dependence() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    let html = page(&app, "/embed/gallery?city=larvik", 200).await;
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"nb\">"),
        "the city's language"
    );
    assert!(html.contains("<title>Kampanjer fra unge endringsskapere i Larvik</title>"));
    assert!(html.contains(">Hils<"));
    let link = format!(
        "href=\"http://changemakers.test/c/{}\" target=\"_blank\" rel=\"noopener\"",
        s.slug
    );
    assert!(html.contains(&link), "{html}");
    // The cover: renditions, lazy, sized, described, its colour while it loads.
    assert_eq!(attribute(&html, "<img", "alt"), Some("A wave"));
    assert_eq!(attribute(&html, "<img", "loading"), Some("lazy"));
    assert!(attribute(&html, "<img", "width").is_some());
    assert!(attribute(&html, "<img", "height").is_some());
    assert!(attribute(&html, "<img", "srcset")
        .unwrap()
        .contains(" 320w"));
    assert!(attribute(&html, "<img", "style")
        .unwrap()
        .starts_with("background-color:#"));
    assert!(html.contains("type=\"application/json+oembed\""));
    assert!(html.contains("changemakers:resize"));
    // Nothing from anywhere else.
    for needle in ["src=\"http", "src=\"//", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    // Another language, a list, an accent.
    let sv = page(
        &app,
        "/embed/gallery?city=larvik&lang=sv&layout=list&accent=%23FFCC00",
        200,
    )
    .await;
    assert!(sv.starts_with("<!DOCTYPE html><html lang=\"sv\">"));
    assert!(sv.contains("Kampanjer av unga förändringsskapare i Larvik"));
    assert!(sv.contains("--accent:#ffcc00;--on-accent:#1b1b1f"));
    assert!(sv.contains("class=\"list\""));
}

#[tokio::test]
async fn the_gallery_pages_on_without_javascript_and_says_kindly_when_empty() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let empty = page(&app, "/embed/gallery?city=larvik&lang=en", 200).await;
    assert!(empty.contains("No campaigns here yet"));
    let older = approve_new(&app, &lead, &facilitator, &team, "Trygg skolevei").await;
    app.clock.advance(chrono::Duration::seconds(1));
    let newer = approve_new(&app, &lead, &facilitator, &team, "Hils for faen").await;
    let first = page(&app, "/embed/gallery?city=larvik&limit=1", 200).await;
    assert!(first.contains(&format!("/c/{newer}\"")));
    assert!(!first.contains(&format!("/c/{older}\"")));
    let more = attribute(&first, "<a class=\"more\"", "href")
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        more.starts_with("/embed/gallery?city=larvik&limit=1&cursor="),
        "{more}"
    );
    let second = page(&app, &more, 200).await;
    assert!(second.contains(&format!("/c/{older}\"")));
    assert!(!second.contains("class=\"more\""));
}

#[tokio::test]
async fn wrong_addresses_get_a_small_html_page_in_their_language() {
    let app = TestApp::spawn().await;
    published(&app).await;
    let missing = page(&app, "/embed/gallery?city=atlantis&lang=da", 404).await;
    assert!(missing.contains("lang=\"da\"") && missing.contains("Intet at vise her"));
    let bad = page(&app, "/embed/gallery?city=larvik&accent=red&lang=fi", 400).await;
    assert!(bad.contains("Tässä upotuskoodissa on virhe") && bad.contains("(accent)"));
    for query in [
        "limit=25",
        "layout=cards",
        "theme=music",
        "programme_id=7",
        "cursor=x",
    ] {
        page(&app, &format!("/embed/gallery?{query}"), 400).await;
    }
    page(&app, "/embed/campaigns/no-such-campaign", 404).await;
}

#[tokio::test]
async fn embed_pages_revalidate_and_the_card_counts_a_view() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    for path in [
        "/embed/gallery?city=larvik".to_owned(),
        format!("/embed/campaigns/{}", s.slug),
    ] {
        let first = get(&app, &path).await;
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(
            first.headers()["cache-control"],
            "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
        );
        let again = Client::new()
            .get(app.url(&path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
    }
    let card = page(&app, &format!("/embed/campaigns/{}?lang=en", s.slug), 200).await;
    assert!(card.contains("<h1><a href=\"http://changemakers.test/c/"));
    // One viewer: the public campaign read in the set-up and the card loads
    // count once; the two gallery loads are impressions.
    assert_eq!(counted(&app, &s.campaign).await, (1, 2));
}

#[tokio::test]
async fn only_embeds_may_be_framed_and_only_public_paths_are_open_to_other_sites() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    for path in [
        "/",
        "/gallery",
        "/api/v1/public/campaigns",
        "/docs",
        "/embed.js",
    ] {
        let response = get(&app, path).await;
        assert_eq!(response.headers()["x-frame-options"], "DENY", "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    let other = "https://www.larvik.kommune.no";
    for (path, open) in [
        ("/api/v1/public/campaigns", true),
        ("/embed/gallery", true),
        ("/oembed?url=x", true),
        ("/api/v1/me", false),
        ("/api/v1/moderation/queue", false),
    ] {
        let response = Client::new()
            .get(app.url(path))
            .header("origin", other)
            .send()
            .await
            .unwrap();
        let allowed = response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(allowed.as_deref(), open.then_some("*"), "{path}");
        assert!(response
            .headers()
            .get("access-control-allow-credentials")
            .is_none());
    }
    // A report from an embed: the browser asks first, then posts without credentials.
    let reports = format!("/api/v1/public/campaigns/{}/reports", s.slug);
    let preflight = Client::new()
        .request(Method::OPTIONS, app.url(&reports))
        .header("origin", other)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert_eq!(preflight.headers()["access-control-allow-methods"], "POST");
    assert_eq!(
        preflight.headers()["access-control-allow-headers"],
        "content-type"
    );
    let posted = Client::new()
        .post(app.url(&reports))
        .header("origin", other)
        .json(&json!({ "reason": "spam" }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 202);
    assert_eq!(posted.headers()["access-control-allow-origin"], "*");
    // No other write is offered to other sites.
    let refused = Client::new()
        .request(
            Method::OPTIONS,
            app.url(&format!("/api/v1/campaigns/{}/submit", s.campaign)),
        )
        .header("origin", other)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn a_take_down_and_a_removed_photo_leave_every_public_place_at_once() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    let card = format!("/embed/campaigns/{}", s.slug);
    let campaign = format!("http://changemakers.test/c/{}", s.slug);
    let oembed_query = format!("url={}", encoded(&campaign));
    // Everything is cached once.
    assert_eq!(gallery_slugs(&app).await, vec![s.slug.clone()]);
    page(&app, &card, 200).await;
    let public: Value = get(&app, &format!("/api/v1/public/campaigns/{}", s.slug))
        .await
        .json()
        .await
        .unwrap();
    assert!(page(&app, "/embed/gallery?city=larvik", 200)
        .await
        .contains("<img"));
    // The team removes its published photo: no cover anywhere, at once.
    let media = public["media"][0]["urls"]["w320"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(2)
        .unwrap()
        .to_owned();
    let removed = Client::new()
        .delete(app.url(&format!("/api/v1/media/{media}")))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 401, "only with the team's session");
    let removed = crate::helpers::send(
        &app,
        &s.lead,
        Method::DELETE,
        &format!("/api/v1/media/{media}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    assert!(!page(&app, "/embed/gallery?city=larvik", 200)
        .await
        .contains("<img"));
    assert!(crate::gallery::gallery(&app, "").await["items"][0]["cover"].is_null());
    // A report taken down: gone from the JSON, the iframe, the card and oEmbed.
    let filed = crate::helpers::send(
        &app,
        &Client::new(),
        Method::POST,
        &format!("/api/v1/public/campaigns/{}/reports", s.slug),
        Some(json!({ "reason": "personal_data" })),
    )
    .await;
    assert_eq!(filed.status(), 202);
    let reports = app
        .as_user(&s.facilitator)
        .get("/api/v1/moderation/reports?status=open")
        .await
        .ok(200)
        .await;
    let id = reports["items"][0]["id"].as_str().unwrap();
    app.as_user(&s.facilitator)
        .post(
            &format!("/api/v1/moderation/reports/{id}/resolve"),
            json!({ "action": "unpublish", "note": "A classmate's name is in it." }),
        )
        .await
        .ok(200)
        .await;
    assert!(gallery_slugs(&app).await.is_empty());
    assert!(!page(&app, "/embed/gallery?city=larvik", 200)
        .await
        .contains(&s.slug));
    page(&app, &card, 404).await;
    assert_eq!(oembed(&app, &oembed_query).await.status(), 404);
}

async fn gallery_slugs(app: &TestApp) -> Vec<String> {
    crate::gallery::slugs(&crate::gallery::gallery(app, "?city=larvik").await)
}
