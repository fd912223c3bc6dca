//! oEmbed: a campaign or gallery address pasted into WordPress or Drupal
//! becomes an iframe they keep; discovery links on the platform's pages.

use reqwest::Response;
use serde_json::Value;

use crate::{
    embeds::{get, page},
    gallery::archive,
    helpers::TestApp,
    reports::published,
};

pub async fn oembed(app: &TestApp, query: &str) -> Response {
    get(app, &format!("/oembed?{query}")).await
}

pub fn encoded(url: &str) -> String {
    url::form_urlencoded::byte_serialize(url.as_bytes()).collect()
}

#[tokio::test]
async fn oembed_turns_a_pasted_address_into_an_iframe_wordpress_keeps() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    let campaign = format!("http://changemakers.test/c/{}", s.slug);
    let response = oembed(&app, &format!("url={}&format=json", encoded(&campaign))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "rich");
    assert_eq!(body["version"], "1.0");
    assert_eq!(body["title"], "Hils");
    assert_eq!(body["provider_name"], "changemakers");
    let html = body["html"].as_str().unwrap();
    assert!(html.starts_with("<blockquote"), "{html}");
    assert!(html.contains(&format!("<a href=\"{campaign}\">Hils</a>")));
    assert!(html.contains(&format!(
        "<iframe src=\"http://changemakers.test/embed/campaigns/{}\" title=\"Hils\"",
        s.slug
    )));
    assert!(!html.contains("<script"));
    assert_eq!(
        (body["width"].as_u64(), body["height"].as_u64()),
        (Some(400), Some(560))
    );
    assert!(body["thumbnail_url"]
        .as_str()
        .unwrap()
        .ends_with("/w320.jpg"));
    // Bounds are respected, the thumbnail dropped when it would not fit.
    let small: Value = oembed(
        &app,
        &format!("url={}&maxwidth=300&maxheight=200", encoded(&campaign)),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (small["width"].as_u64(), small["height"].as_u64()),
        (Some(300), Some(200))
    );
    assert!(small["html"]
        .as_str()
        .unwrap()
        .contains("width=\"300\" height=\"200\""));
    assert!(small.get("thumbnail_url").is_none());
    // A gallery address, in the city's language.
    let gallery: Value = oembed(
        &app,
        &format!(
            "url={}",
            encoded("http://changemakers.test/gallery?city=larvik&theme=youth")
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        gallery["title"],
        "Kampanjer fra unge endringsskapere i Larvik"
    );
    assert!(gallery["html"]
        .as_str()
        .unwrap()
        .contains("/embed/gallery?city=larvik&amp;theme=youth"));
    // What cannot be embedded.
    assert_eq!(
        oembed(&app, &format!("url={}&format=xml", encoded(&campaign)))
            .await
            .status(),
        501
    );
    for url in [
        "http://changemakers.test/c/no-such-campaign",
        "https://evil.example/c/hils",
        "http://changemakers.test/account",
        "http://changemakers.test/gallery?city=atlantis",
        "not a url",
    ] {
        assert_eq!(
            oembed(&app, &format!("url={}", encoded(url)))
                .await
                .status(),
            404,
            "{url}"
        );
    }
    assert_eq!(
        oembed(&app, &format!("url={}&maxwidth=wide", encoded(&campaign)))
            .await
            .status(),
        400
    );
    // The public page and the gallery page say where their oEmbed is.
    for (path, pasted) in [
        (format!("/c/{}", s.slug), campaign.clone()),
        (
            "/gallery?city=larvik".to_owned(),
            "http://changemakers.test/gallery?city=larvik".to_owned(),
        ),
    ] {
        let html = get(&app, &path).await.text().await.unwrap();
        let link = format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"http://changemakers.test/oembed?url={}&amp;format=json\">",
            encoded(&pasted)
        );
        assert!(html.contains(&link), "{path}: {html}");
    }
    // Taken out of public view: 404 at once, for the card and for oEmbed.
    archive(&app, &s.facilitator, &s.campaign).await;
    assert_eq!(
        oembed(&app, &format!("url={}", encoded(&campaign)))
            .await
            .status(),
        404
    );
    page(&app, &format!("/embed/campaigns/{}", s.slug), 404).await;
    let gallery = page(&app, "/embed/gallery?city=larvik", 200).await;
    assert!(!gallery.contains(&s.slug));
}
