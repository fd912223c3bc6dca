//! The public record holds: what a team changes after an approval reaches no
//! public surface until a moderator approves it, and what only makes things
//! safer (withdrawn consent, a deleted photo) applies at once.
//!
//! The list of public fields is not written here: it is read from the API
//! document (the public campaign and gallery item, and every object inside
//! them), and each field must name how a team could change it. A field added
//! to a public type without a line below fails the test.

use std::collections::BTreeSet;

use changemakers::media::fixtures::{photo, photo_as};
use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::helpers::{
    accepted_id, decide, draft, send, settled, submit, team_setup, upload, TestApp,
};

/// How a team could change what a public field shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    /// A field of the campaign's text: PATCH it with this value.
    Text(&'static str, &'static str),
    /// A photo's description.
    AltText,
    /// The order of the photos (which is the cover, and what comes first).
    Order,
    /// A photo added to the campaign.
    Added,
    /// Nothing a team can do changes it (said why).
    NotTheTeams(&'static str),
}

impl Source {
    /// Itself when it is a text field that `keep` accepts; else nothing to check.
    fn clone_if(self, keep: impl Fn(&str) -> bool) -> Self {
        match self {
            Self::Text(field, _) if keep(field) => self,
            _ => Self::NotTheTeams("not free text"),
        }
    }
}

fn source(field: &str) -> Option<Source> {
    use Source::{Added, AltText, NotTheTeams, Order, Text};
    Some(match field {
        "title" => Text("title", "Hils på alle"),
        "summary" => Text("summary", "Say hello to everyone."),
        "body_html" => Text("body", "At the gate, every morning."),
        "hashtag" => Text("hashtag", "#hilsmer"),
        "theme" => Text("theme", "community"),
        "audience" => Text("audience", "Everyone at school"),
        "location" => Text("location", "Larvik station"),
        "starts_on" => Text("starts_on", "2026-09-01"),
        "ends_on" => Text("ends_on", "2026-12-20"),
        "media[].alt" | "cover.alt" => AltText,
        "media[].urls"
        | "media[].blurhash"
        | "media[].width"
        | "media[].height"
        | "cover.urls"
        | "cover.blurhash"
        | "cover.dominant_color"
        | "cover.width"
        | "cover.height" => Order,
        "media[].kind" => Added,
        "team_name" => NotTheTeams("no operation renames a team"),
        "id" | "slug" => NotTheTeams("fixed when the campaign is made"),
        "published_at" => NotTheTeams("set by the approval"),
        "people_reached" => NotTheTeams("verified reach, a facilitator's act"),
        "city.name" | "city.slug" | "programme.id" | "programme.name" => {
            NotTheTeams("the city's and programme's, run by staff")
        }
        _ => return None,
    })
}

/// The leaf fields of a schema, following references (`a.b`, `list[].c`).
fn leaves(spec: &Value, schema: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    let resolved = |s: &Value| -> Value {
        let mut s = s.clone();
        for _ in 0..4 {
            let reference = s
                .get("$ref")
                .or_else(|| s.get("allOf").and_then(|a| a[0].get("$ref")))
                .or_else(|| s.get("anyOf").and_then(|a| a[0].get("$ref")))
                .or_else(|| s.get("oneOf").and_then(|a| a[0].get("$ref")))
                .and_then(Value::as_str)
                .map(str::to_owned);
            match reference {
                Some(r) => s = spec["components"]["schemas"][r.rsplit('/').next().unwrap()].clone(),
                None => break,
            }
        }
        s
    };
    let schema = resolved(schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            leaves(spec, sub, &path, out);
        }
    } else if schema.get("type") == Some(&json!("array")) {
        let item = resolved(&schema["items"]);
        if item.get("properties").is_some() {
            leaves(spec, &item, &format!("{prefix}[]"), out);
        } else {
            out.insert(prefix.to_owned());
        }
    } else {
        out.insert(prefix.to_owned());
    }
}

/// Every field a public surface shows, from the API document.
fn public_fields() -> BTreeSet<String> {
    let spec: Value = serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let mut fields = BTreeSet::new();
    for name in ["PublicCampaign", "GalleryCampaign"] {
        let schema = spec["components"]["schemas"][name].clone();
        assert!(schema.is_object(), "{name} is in the API document");
        leaves(&spec, &schema, "", &mut fields);
    }
    fields
}

/// Everything the public can read of one campaign, as bytes.
async fn surfaces(app: &TestApp, slug: &str) -> Vec<(String, String)> {
    let url = format!("http://changemakers.test/c/{slug}");
    let paths = [
        format!("/api/v1/public/campaigns/{slug}"),
        "/api/v1/public/campaigns".to_owned(),
        format!("/embed/campaigns/{slug}"),
        "/embed/gallery".to_owned(),
        format!("/oembed?url={}&format=json", urlencode(&url)),
        format!("/c/{slug}"),
    ];
    let mut out = Vec::new();
    for path in paths {
        let response = Client::new().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        out.push((path, response.text().await.unwrap()));
    }
    out
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn public(app: &TestApp, slug: &str) -> Value {
    Client::new()
        .get(app.url(&format!("/api/v1/public/campaigns/{slug}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn version(app: &TestApp, lead: &Client, campaign: &str) -> i64 {
    app.as_user(lead)
        .get(&format!("/api/v1/campaigns/{campaign}"))
        .await
        .ok(200)
        .await["version"]
        .as_i64()
        .unwrap()
}

async fn add_photo(
    app: &TestApp,
    lead: &Client,
    campaign: &str,
    bytes: Vec<u8>,
    alt: &str,
) -> String {
    let id = accepted_id(upload(app, lead, campaign, bytes, "p.jpg", Some(alt)).await).await;
    settled(app, lead, &id).await;
    id
}

#[tokio::test]
async fn every_public_field_waits_for_a_moderator_after_approval() {
    let fields = public_fields();
    let unmapped: Vec<&String> = fields.iter().filter(|f| source(f).is_none()).collect();
    assert!(
        unmapped.is_empty(),
        "public fields with no line saying how a team changes them: {unmapped:?}"
    );
    let spec: Value = serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    assert!(
        spec["paths"]["/api/v1/teams/{id}"].get("patch").is_none(),
        "a team rename must wait for moderation like every public field"
    );

    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let (campaign, v) = draft(&app, &lead, &team, "Hils", "At the gate.").await;
    let first = add_photo(&app, &lead, &campaign, photo(None), "A wave").await;
    let second = add_photo(
        &app,
        &lead,
        &campaign,
        photo_as(image::ImageFormat::Jpeg, 800, 1200),
        "A smile",
    )
    .await;
    let (slug, v) = submit(&app, &lead, &campaign, v).await;
    assert_eq!(
        decide(&app, &facilitator, &campaign, "approve", None, v)
            .await
            .status(),
        200
    );

    let mut sources: BTreeSet<Source> = fields.iter().filter_map(|f| source(f)).collect();
    sources.retain(|s| !matches!(s, Source::NotTheTeams(_)));
    for change in sources {
        let before = surfaces(&app, &slug).await;
        let before_json = public(&app, &slug).await;
        match change {
            Source::Text(field, value) => {
                let v = version(&app, &lead, &campaign).await;
                app.as_user(&lead)
                    .patch(
                        &format!("/api/v1/campaigns/{campaign}"),
                        json!({ field: value, "version": v }),
                    )
                    .await
                    .ok(200)
                    .await;
            }
            Source::AltText => {
                app.as_user(&lead)
                    .patch(
                        &format!("/api/v1/media/{first}"),
                        json!({ "alt_text": "Call 98765432 to find Ola" }),
                    )
                    .await
                    .ok(200)
                    .await;
            }
            Source::Order => {
                let moved = app
                    .as_user(&lead)
                    .patch(
                        &format!("/api/v1/media/{second}"),
                        json!({ "position": -1 }),
                    )
                    .await
                    .ok(200)
                    .await;
                assert_eq!(moved["awaiting_review"], true);
            }
            Source::Added => {
                add_photo(&app, &lead, &campaign, photo(None), "A third").await;
            }
            Source::NotTheTeams(_) => unreachable!(),
        }
        app.run_jobs().await;
        assert_eq!(
            surfaces(&app, &slug).await,
            before,
            "{change:?} reached the public before a moderator saw it"
        );
        // The moderator sees the change in the queue and approves it.
        let v = version(&app, &lead, &campaign).await;
        let (_, v) = submit(&app, &lead, &campaign, v).await;
        let review = app
            .as_user(&facilitator)
            .get(&format!("/api/v1/moderation/campaigns/{campaign}/review"))
            .await
            .ok(200)
            .await;
        assert!(
            !review["changed_fields"].as_array().unwrap().is_empty(),
            "{change:?}: the review names what changed: {review}"
        );
        assert_eq!(
            decide(&app, &facilitator, &campaign, "approve", None, v)
                .await
                .status(),
            200
        );
        let after_json = public(&app, &slug).await;
        let after = surfaces(&app, &slug).await;
        assert_ne!(
            after[0], before[0],
            "{change:?}: the public campaign shows the approval"
        );
        // Where a surface shows the changed text, it shows the new one.
        // (Free text only: a theme or a date is shown in the reader's words.)
        let free_text = ["title", "summary", "hashtag", "audience", "location"];
        if let Source::Text(field, value) = change.clone_if(|f| free_text.contains(&f)) {
            let old = before_json[field].as_str().unwrap_or_default().to_owned();
            for ((path, a), (_, b)) in after.iter().zip(&before) {
                if old.len() > 3 && b.contains(&old) {
                    assert!(
                        a.contains(value),
                        "{change:?}: {path} shows the approved text"
                    );
                }
            }
        }
        match change {
            Source::Text(field, value) => {
                let shown = if field == "body" { "body_html" } else { field };
                assert_ne!(after_json[shown], before_json[shown]);
                assert!(after_json[shown]
                    .to_string()
                    .contains(value.trim_start_matches('#')));
            }
            Source::AltText => assert_eq!(after_json["cover"]["alt"], "Call 98765432 to find Ola"),
            Source::Order => {
                assert_eq!(after_json["cover"]["alt"], "A smile");
                assert_eq!(after_json["cover"]["width"], 800);
            }
            Source::Added => assert_eq!(
                after_json["media"].as_array().unwrap().len(),
                before_json["media"].as_array().unwrap().len() + 1
            ),
            Source::NotTheTeams(_) => unreachable!(),
        }
    }
    // Every decision is in the audit trail, with the media changes named.
    let audit = app
        .as_user(&app.admin().await)
        .get("/api/v1/moderation/audit")
        .await
        .ok(200)
        .await;
    let named: BTreeSet<String> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["changed_fields"].as_array().unwrap().clone())
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    for field in [
        "media.alt_text",
        "media.order",
        "media.added",
        "title",
        "theme",
    ] {
        assert!(named.contains(field), "{field} in {named:?}");
    }
}

#[tokio::test]
async fn what_only_makes_things_safer_applies_at_once() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let (campaign, v) = draft(&app, &lead, &team, "Hils", "At the gate.").await;
    let first = add_photo(&app, &lead, &campaign, photo(None), "A wave").await;
    let second = add_photo(&app, &lead, &campaign, photo(None), "A smile").await;
    let (slug, v) = submit(&app, &lead, &campaign, v).await;
    assert_eq!(
        decide(&app, &facilitator, &campaign, "approve", None, v)
            .await
            .status(),
        200
    );
    let shown = public(&app, &slug).await;
    assert_eq!(shown["media"].as_array().unwrap().len(), 2);
    let file = shown["media"][0]["urls"]["w320"]
        .as_str()
        .unwrap()
        .to_owned();
    // Consent withdrawn: the photo leaves every public surface now.
    app.as_user(&lead)
        .patch(
            &format!("/api/v1/media/{first}"),
            json!({ "consent_confirmed": false }),
        )
        .await
        .ok(200)
        .await;
    let now = public(&app, &slug).await;
    assert_eq!(now["media"].as_array().unwrap().len(), 1);
    assert_eq!(now["cover"]["alt"], "A smile");
    let gone = Client::new().get(app.url(&file)).send().await.unwrap();
    assert_eq!(gone.status(), 404, "its public file is gone too");
    for (path, body) in surfaces(&app, &slug).await {
        assert!(
            !body.contains(&first),
            "{path} still names the withdrawn photo"
        );
    }
    // Deleted: gone at once.
    app.as_user(&lead)
        .delete(&format!("/api/v1/media/{second}"))
        .await
        .ok(204)
        .await;
    let now = public(&app, &slug).await;
    assert!(now["media"].as_array().unwrap().is_empty());
    assert!(now["cover"].is_null());
    // Consent given again does not bring it back without a moderator.
    app.as_user(&lead)
        .patch(
            &format!("/api/v1/media/{first}"),
            json!({ "consent_confirmed": true }),
        )
        .await
        .ok(200)
        .await;
    assert!(public(&app, &slug).await["media"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn preview_tags_state_the_size_of_the_file_they_name() {
    let app = TestApp::spawn().await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let (campaign, v) = draft(&app, &lead, &team, "Hils", "At the gate.").await;
    add_photo(
        &app,
        &lead,
        &campaign,
        photo_as(image::ImageFormat::Jpeg, 800, 1200),
        "Tall",
    )
    .await;
    let (slug, v) = submit(&app, &lead, &campaign, v).await;
    assert_eq!(
        decide(&app, &facilitator, &campaign, "approve", None, v)
            .await
            .status(),
        200
    );
    let html = Client::new()
        .get(app.url(&format!("/c/{slug}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<meta property=\"og:image:width\" content=\"800\">"),
        "{html}"
    );
    assert!(
        html.contains("<meta property=\"og:image:height\" content=\"1200\">"),
        "{html}"
    );
    let image = html
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .unwrap();
    let image = &image[..image.find('"').unwrap()];
    let bytes = Client::new()
        .get(app.url(image.trim_start_matches("http://changemakers.test")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (800, 1200));
}

#[tokio::test]
async fn a_decided_reach_report_keeps_its_evidence() {
    let app = TestApp::spawn().await;
    let s = crate::reach::approved(&app).await;
    let report = crate::reach::log(&app, &s.lead, &s.campaign, 12).await;
    let report_id = report["id"].as_str().unwrap();
    let evidence = accepted_id(
        crate::helpers::upload_to(
            &app,
            &s.lead,
            &format!("/api/v1/reach/{report_id}/evidence"),
            photo(None),
            "p.jpg",
            Some("The crowd"),
        )
        .await,
    )
    .await;
    settled(&app, &s.lead, &evidence).await;
    app.as_user(&s.facilitator)
        .post(
            &crate::reach::verification(&report),
            json!({ "verified": true, "note": "" }),
        )
        .await
        .ok(200)
        .await;
    app.as_user(&s.lead)
        .patch(
            &format!("/api/v1/media/{evidence}"),
            json!({ "alt_text": "Something else" }),
        )
        .await
        .problem(409, "reach_decided")
        .await;
    app.as_user(&s.lead)
        .delete(&format!("/api/v1/media/{evidence}"))
        .await
        .problem(409, "reach_decided")
        .await;
    let kept = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/media/{evidence}"))
        .await
        .ok(200)
        .await;
    assert_eq!(kept["alt_text"], "The crowd");
}

#[tokio::test]
async fn staff_never_count_themselves_or_their_own_team() {
    let app = TestApp::spawn().await;
    let (programme, facilitator, lead, _) = team_setup(&app).await;
    // The facilitator makes a team of their own in their programme.
    let staff = app
        .as_user(&facilitator)
        .get("/api/v1/me")
        .await
        .ok(200)
        .await;
    let staff_id = staff["id"].as_str().unwrap().to_owned();
    app.as_user(&facilitator)
        .patch("/api/v1/me", json!({ "birth_year": 1990 }))
        .await
        .ok(200)
        .await;
    let own: Value = send(
        &app,
        &facilitator,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Staff team" })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(own["join_code"].is_string(), "{own}");
    let training =
        |user: &str| format!("/api/v1/programmes/{programme}/participants/{user}/training");
    app.as_user(&facilitator)
        .post(&training(&staff_id), json!({ "trained_on": "2026-03-01" }))
        .await
        .problem(409, "own_campaign")
        .await;
    // A teammate of theirs does not count by their hand either.
    let mate = crate::helpers::young_person(&app, "mate@example.no").await;
    send(
        &app,
        &mate,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": own["join_code"] })),
    )
    .await;
    let mate_id = app.as_user(&mate).get("/api/v1/me").await.ok(200).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.as_user(&facilitator)
        .post(&training(&mate_id), json!({ "trained_on": "2026-03-01" }))
        .await
        .problem(409, "own_campaign")
        .await;
    // Anyone else in the programme is marked as before.
    let lead_id = app.as_user(&lead).get("/api/v1/me").await.ok(200).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let marked = app
        .as_user(&facilitator)
        .post(&training(&lead_id), json!({ "trained_on": "2026-03-01" }))
        .await;
    assert!(marked.status() < 300, "{}", marked.status());
    let exact = crate::stats::exact_totals(&app).await;
    assert_eq!(
        exact["changemakers_trained"], 1,
        "the lead, and nobody of staff"
    );
}

#[tokio::test]
async fn metrics_need_the_operators_token() {
    let closed = TestApp::spawn().await;
    let anonymous = TestApp::anonymous();
    let off = anonymous.get(closed.url("/metrics")).send().await.unwrap();
    assert_eq!(off.status(), 404, "no token configured: not served");
    let app = closed
        .beside(|c| {
            c.metrics.token = Some("s3cret-scrape-token".to_owned().into());
        })
        .await;
    for auth in [None, Some("Bearer wrong"), Some("s3cret-scrape-token")] {
        let mut request = anonymous.get(app.url("/metrics"));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
        assert!(response.headers().contains_key("www-authenticate"));
    }
    let ok = anonymous
        .get(app.url("/metrics"))
        .bearer_auth("s3cret-scrape-token")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok
        .text()
        .await
        .unwrap()
        .contains("changemakers_http_requests_total"));
}

#[tokio::test]
async fn a_team_cannot_flood_the_platform_with_campaigns() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|c| c.teams.max_open_campaigns = 3),
        ..Default::default()
    })
    .await;
    let (_, facilitator, lead, team) = team_setup(&app).await;
    let mut made = Vec::new();
    for n in 0..3 {
        made.push(draft(&app, &lead, &team, &format!("Idea {n}"), "Body.").await);
    }
    let refused = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "One more", "summary": "s", "body": "b", "theme": "youth" }),
        )
        .await
        .problem(409, "too_many_open_campaigns")
        .await;
    assert!(
        refused["detail"].as_str().unwrap().contains('3'),
        "{refused}"
    );
    // Said in the person's language.
    app.as_user(&lead)
        .patch("/api/v1/me", json!({ "locale": "nb" }))
        .await
        .ok(200)
        .await;
    let norwegian = app
        .as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/campaigns"),
            json!({ "title": "One more", "summary": "s", "body": "b", "theme": "youth" }),
        )
        .await
        .problem(409, "too_many_open_campaigns")
        .await;
    assert!(norwegian["detail"]
        .as_str()
        .unwrap()
        .starts_with("Teamet har"));
    // A decision frees a place: an approved campaign is no longer open work.
    let (id, v) = &made[0];
    let (_, v) = submit(&app, &lead, id, *v).await;
    assert_eq!(
        decide(&app, &facilitator, id, "approve", None, v)
            .await
            .status(),
        200
    );
    draft(&app, &lead, &team, "Now there is room", "Body.").await;
}

#[tokio::test]
async fn one_person_cannot_fill_the_storage() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|c| c.media.max_upload_bytes_per_person_per_day = 60_000),
        ..Default::default()
    })
    .await;
    let (_, _, lead, team) = team_setup(&app).await;
    let (campaign, _) = draft(&app, &lead, &team, "Hils", "At the gate.").await;
    let big = photo_as(image::ImageFormat::Png, 120, 120);
    assert!(big.len() > 30_000 && big.len() < 60_000, "{}", big.len());
    let first = upload(&app, &lead, &campaign, big.clone(), "a.png", Some("One")).await;
    assert_eq!(first.status(), 202);
    let second = upload(&app, &lead, &campaign, big.clone(), "b.png", Some("Two")).await;
    crate::helpers::assert_problem(second, 409, "upload_volume_exceeded").await;
    app.run_jobs().await;
    let kept = app
        .as_user(&lead)
        .get(&format!("/api/v1/campaigns/{campaign}"))
        .await
        .ok(200)
        .await;
    assert_eq!(
        kept["media"].as_array().unwrap().len(),
        1,
        "nothing of the refused upload is kept"
    );
    // A day later there is room again.
    app.clock.advance(chrono::Duration::hours(25));
    let later = upload(&app, &lead, &campaign, big, "c.png", Some("Three")).await;
    assert_eq!(later.status(), 202);
}
