//! The public gallery as JSON: only what is public now, newest first, with
//! covers and verified reach; filters, search and cursors; its caching.

use std::time::Duration;

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::{
    helpers::{decide, draft, send, submit, submit_new, team_setup, TestApp},
    reach::{log, verification},
    reports::published,
};

pub async fn gallery(app: &TestApp, query: &str) -> Value {
    app.as_user(&TestApp::anonymous())
        .get(&format!("/api/v1/public/campaigns{query}"))
        .await
        .ok(200)
        .await
}

pub fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// Approves a new campaign of `team`; returns its slug.
pub async fn approve_new(
    app: &TestApp,
    lead: &Client,
    facilitator: &Client,
    team: &str,
    title: &str,
) -> String {
    let (id, slug, version) =
        submit_new(app, lead, team, title, "We said hello at the gate.").await;
    let ok = decide(app, facilitator, &id, "approve", None, version).await;
    assert_eq!(ok.status(), 200);
    slug
}

pub async fn archive(app: &TestApp, facilitator: &Client, campaign: &str) {
    let archived = send(
        app,
        facilitator,
        Method::POST,
        &format!("/api/v1/campaigns/{campaign}/archive"),
        Some(json!({ "reason": "The campaign is over." })),
    )
    .await;
    assert_eq!(archived.status(), 200);
}

#[tokio::test]
async fn only_public_campaigns_are_listed_with_their_cover_and_verified_reach() {
    let app = TestApp::spawn().await;
    assert_eq!(
        gallery(&app, "").await,
        json!({ "items": [], "next_cursor": null })
    );
    let (s, _) = published(&app).await;
    // A draft and a submitted campaign of the same team stay out.
    draft(&app, &s.lead, &s.team, "Still a draft", "Not yet.").await;
    submit_new(&app, &s.lead, &s.team, "Waiting", "For a decision.").await;
    let page = gallery(&app, "").await;
    assert_eq!(slugs(&page), vec![s.slug.clone()]);
    let item = &page["items"][0];
    assert_eq!(item["title"], "Hils");
    assert_eq!(item["team_name"], "Team Sol");
    assert_eq!(item["city"], json!({ "slug": "larvik", "name": "Larvik" }));
    assert_eq!(item["programme"]["name"], "KomINN 2026");
    assert_eq!(item["people_reached"], 0);
    let cover = &item["cover"];
    assert_eq!(cover["alt"], "A wave");
    assert!(cover["urls"]["w320"]
        .as_str()
        .unwrap()
        .starts_with("/media/"));
    assert!(cover["dominant_color"].as_str().unwrap().starts_with('#'));
    assert!(cover["blurhash"].is_string());
    // Verified reach is what shows, at once.
    let report = log(&app, &s.lead, &s.campaign, 3000).await;
    assert_eq!(gallery(&app, "").await["items"][0]["people_reached"], 0);
    app.as_user(&s.facilitator)
        .post(
            &verification(&report),
            json!({ "verified": true, "note": "", "people_verified": 2500 }),
        )
        .await
        .ok(200)
        .await;
    assert_eq!(gallery(&app, "").await["items"][0]["people_reached"], 2500);
    let one = app
        .as_user(&TestApp::anonymous())
        .get(&format!("/api/v1/public/campaigns/{}", s.slug))
        .await
        .ok(200)
        .await;
    assert_eq!(one["people_reached"], 2500);
    assert_eq!(one["cover"]["alt"], "A wave");
}

#[tokio::test]
async fn archiving_takes_a_campaign_out_at_once_and_from_another_instance_within_seconds() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    let other = app.beside(|_| {}).await;
    // Both instances have the gallery cached.
    assert_eq!(
        slugs(&gallery(&app, "?city=larvik").await),
        vec![s.slug.clone()]
    );
    assert_eq!(
        slugs(&gallery(&other, "?city=larvik").await),
        vec![s.slug.clone()]
    );
    archive(&app, &s.facilitator, &s.campaign).await;
    assert!(slugs(&gallery(&app, "?city=larvik").await).is_empty());
    app.as_user(&TestApp::anonymous())
        .get(&format!("/api/v1/public/campaigns/{}", s.slug))
        .await
        .problem(404, "not_found")
        .await;
    // The other instance reads the content version at most a second after
    // its last read, on its next public request.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(slugs(&gallery(&other, "?city=larvik").await).is_empty());
}

#[tokio::test]
async fn filters_narrow_the_gallery_and_unknown_places_are_404() {
    let app = TestApp::spawn().await;
    let (programme, facilitator, lead, team) = team_setup(&app).await;
    let first = approve_new(&app, &lead, &facilitator, &team, "Hils for faen").await;
    let (id, version) = draft(
        &app,
        &lead,
        &team,
        "Trygg skolevei",
        "Lights on the way to school.",
    )
    .await;
    let edited = app
        .as_user(&lead)
        .patch(
            &format!("/api/v1/campaigns/{id}"),
            json!({ "version": version, "theme": "urban_spaces" }),
        )
        .await
        .ok(200)
        .await;
    let (second, version) = submit(&app, &lead, &id, edited["version"].as_i64().unwrap()).await;
    assert_eq!(
        decide(&app, &facilitator, &id, "approve", None, version)
            .await
            .status(),
        200
    );
    assert_eq!(
        slugs(&gallery(&app, "").await),
        vec![second.clone(), first.clone()]
    );
    assert_eq!(
        slugs(&gallery(&app, "?theme=urban_spaces").await),
        vec![second.clone()]
    );
    assert_eq!(
        slugs(&gallery(&app, "?theme=youth").await),
        vec![first.clone()]
    );
    assert_eq!(
        slugs(&gallery(&app, &format!("?programme_id={programme}&city=larvik")).await).len(),
        2
    );
    let anonymous = TestApp::anonymous();
    app.as_user(&anonymous)
        .get("/api/v1/public/campaigns?city=atlantis")
        .await
        .problem(404, "not_found")
        .await;
    app.as_user(&anonymous)
        .get(&format!(
            "/api/v1/public/campaigns?programme_id={}",
            uuid::Uuid::now_v7()
        ))
        .await
        .problem(404, "not_found")
        .await;
    app.as_user(&anonymous)
        .get("/api/v1/public/campaigns?cursor=nonsense")
        .await
        .problem(400, "invalid_cursor")
        .await;
}

#[tokio::test]
async fn search_finds_campaigns_in_their_language() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let hils = approve_new(&app, &lead, &facilitator, &team, "Hils for faen").await;
    approve_new(&app, &lead, &facilitator, &team, "Trygg skolevei").await;
    assert_eq!(slugs(&gallery(&app, "?q=hils").await), vec![hils.clone()]);
    assert_eq!(
        slugs(&gallery(&app, "?q=HILS%20faen").await),
        vec![hils.clone()]
    );
    assert!(slugs(&gallery(&app, "?q=festival%20ukjent").await).is_empty());
    // Query syntax typed by someone is only words.
    assert!(slugs(&gallery(&app, "?q=%22%28*").await).is_empty());
    assert_eq!(
        gallery(&app, "?q=%20%20").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    if app.is_postgres() {
        // Norwegian stemming: "hilse" and "hils" are one word.
        assert_eq!(slugs(&gallery(&app, "?q=hilse").await), vec![hils.clone()]);
    } else {
        // SQLite matches words by their beginning, without stemming.
        assert_eq!(slugs(&gallery(&app, "?q=hil").await), vec![hils.clone()]);
        assert!(slugs(&gallery(&app, "?q=hilse").await).is_empty());
    }
}

#[tokio::test]
async fn pages_have_no_gaps_or_duplicates_while_campaigns_are_published() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let mut expected = Vec::new();
    for n in 0..5 {
        expected
            .push(approve_new(&app, &lead, &facilitator, &team, &format!("Kampanje {n}")).await);
        app.clock.advance(chrono::Duration::seconds(1));
    }
    expected.reverse();
    let mut seen = Vec::new();
    let mut query = "?limit=2".to_owned();
    for n in 0.. {
        let page = gallery(&app, &query).await;
        seen.extend(slugs(&page));
        // Someone publishes between two page requests.
        approve_new(&app, &lead, &facilitator, &team, &format!("Ny {n}")).await;
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    // A ranked search pages the same way.
    let mut seen = Vec::new();
    let mut query = "?limit=2&q=kampanje".to_owned();
    loop {
        let page = gallery(&app, &query).await;
        seen.extend(slugs(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&q=kampanje&cursor={cursor}"),
            None => break,
        }
    }
    seen.sort();
    let mut all = expected.clone();
    all.sort();
    assert_eq!(seen, all);
}

#[tokio::test]
async fn public_answers_revalidate_with_their_etag_and_open_to_every_site() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    for path in [
        "/api/v1/public/campaigns?city=larvik".to_owned(),
        format!("/api/v1/public/campaigns/{}", s.slug),
    ] {
        let first = Client::new()
            .get(app.url(&path))
            .header("origin", "https://www.larvik.kommune.no")
            .send()
            .await
            .unwrap();
        assert_eq!(first.status(), 200);
        let headers = first.headers().clone();
        let etag = headers["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"'), "a strong validator: {etag}");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
        );
        assert_eq!(headers["access-control-allow-origin"], "*");
        assert!(headers.get("access-control-allow-credentials").is_none());
        assert!(headers.get("set-cookie").is_none());
        let again = Client::new()
            .get(app.url(&path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    }
}

/// A campaign's (views, impressions) written so far, after a flush.
pub async fn counted(app: &TestApp, campaign: &str) -> (i64, i64) {
    app.run_jobs().await;
    let id = uuid::Uuid::parse_str(campaign).unwrap();
    let db = &app.state.db;
    let views = changemakers::db::counting::campaign_views(db, id)
        .await
        .unwrap();
    let impressions = changemakers::db::counting::campaign_impressions(db, id)
        .await
        .unwrap();
    (views, impressions)
}

#[tokio::test]
async fn gallery_loads_count_impressions_apart_from_views() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    for _ in 0..3 {
        gallery(&app, "").await;
    }
    // `published` read the campaign once; gallery loads are not views.
    assert_eq!(counted(&app, &s.campaign).await, (1, 3));
}
