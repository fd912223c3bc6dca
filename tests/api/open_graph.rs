//! A shared campaign link previews in a chat without JavaScript: the public
//! page carries Open Graph and Twitter Card tags rendered on the server.

use crate::{
    embeds::get,
    gallery::{approve_new, archive},
    helpers::{team_setup, TestApp},
    reports::published,
};

#[tokio::test]
async fn a_public_campaign_page_carries_its_preview() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    let html = get(&app, &format!("/c/{}", s.slug))
        .await
        .text()
        .await
        .unwrap();
    let url = format!("http://changemakers.test/c/{}", s.slug);
    for tag in [
        "<title>Hils · changemakers</title>".to_owned(),
        format!("<link rel=\"canonical\" href=\"{url}\">"),
        "<meta property=\"og:type\" content=\"article\">".to_owned(),
        "<meta property=\"og:title\" content=\"Hils\">".to_owned(),
        "<meta property=\"og:description\" content=\"Say hello to someone new.\">".to_owned(),
        format!("<meta property=\"og:url\" content=\"{url}\">"),
        "<meta property=\"og:locale\" content=\"nb_NO\">".to_owned(),
        // The size of the file named: the 40x20 photo is never enlarged.
        "<meta property=\"og:image:width\" content=\"40\">".to_owned(),
        "<meta property=\"og:image:height\" content=\"20\">".to_owned(),
        "<meta property=\"og:image:alt\" content=\"A wave\">".to_owned(),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".to_owned(),
        "<meta name=\"twitter:title\" content=\"Hils\">".to_owned(),
    ] {
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    let image = html
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .unwrap();
    let image = &image[..image.find('"').unwrap()];
    assert!(
        image.starts_with("http://changemakers.test/media/") && image.ends_with("/w960.jpg"),
        "{image}"
    );
    let fetched = get(&app, image.trim_start_matches("http://changemakers.test")).await;
    assert_eq!(fetched.status(), 200, "the preview image is public");
    // Taken out of public view: no preview any more.
    archive(&app, &s.facilitator, &s.campaign).await;
    let gone = get(&app, &format!("/c/{}", s.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(!gone.contains("og:title") && gone.contains("<title>changemakers</title>"));
}

#[tokio::test]
async fn preview_tags_escape_what_the_team_wrote() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let slug = approve_new(
        &app,
        &lead,
        &facilitator,
        &team,
        "Hei \"alle\" <b>du</b> & meg",
    )
    .await;
    let html = get(&app, &format!("/c/{slug}")).await.text().await.unwrap();
    assert!(html.contains("<meta property=\"og:title\" content=\"Hei &quot;alle&quot; &lt;b&gt;du&lt;/b&gt; &amp; meg\">"), "{html}");
    assert!(html.contains(
        "<title>Hei &quot;alle&quot; &lt;b&gt;du&lt;/b&gt; &amp; meg · changemakers</title>"
    ));
    assert!(
        html.contains("<meta name=\"twitter:card\" content=\"summary\">"),
        "no photo, no large image"
    );
    assert!(!html.contains("<b>du"));
}
