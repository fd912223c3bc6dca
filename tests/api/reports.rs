//! Public reports and what moderators do with them; saved feedback templates.

use changemakers::media::fixtures::photo;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    accepted_id, assert_problem, audit_count, count_mails, decide, draft, send, settled, submit,
    submitted, team_setup, upload, Options, Submitted, TestApp,
};

/// A published campaign with one published photo.
pub async fn published(app: &TestApp) -> (Submitted, String) {
    let (programme, facilitator, lead, team) = team_setup(app).await;
    let (campaign, version) = draft(app, &lead, &team, "Hils", "At the gate.").await;
    let media = accepted_id(
        upload(
            app,
            &lead,
            &campaign,
            photo(None),
            "wave.jpg",
            Some("A wave"),
        )
        .await,
    )
    .await;
    settled(app, &lead, &media).await;
    let (slug, version) = submit(app, &lead, &campaign, version).await;
    let approved = decide(app, &facilitator, &campaign, "approve", None, version).await;
    assert_eq!(approved.status(), StatusCode::OK);
    let public: Value = Client::new()
        .get(app.url(&format!("/api/v1/public/campaigns/{slug}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = public["media"][0]["urls"]["w320"]
        .as_str()
        .unwrap()
        .to_owned();
    let s = Submitted {
        programme,
        team,
        campaign,
        slug,
        version,
        lead,
        facilitator,
    };
    (s, url)
}

async fn report(app: &TestApp, slug: &str, body: Value) -> reqwest::Response {
    send(
        app,
        &Client::new(),
        Method::POST,
        &format!("/api/v1/public/campaigns/{slug}/reports"),
        Some(body),
    )
    .await
}

async fn open_reports(app: &TestApp, client: &Client) -> Vec<Value> {
    let page: Value = send(
        app,
        client,
        Method::GET,
        "/api/v1/moderation/reports?status=open",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn anyone_can_report_and_an_unpublished_campaign_is_gone_at_once() {
    let app = TestApp::spawn().await;
    let (s, photo_url) = published(&app).await;
    assert_eq!(
        Client::new()
            .get(app.url(&photo_url))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let response = report(
        &app,
        &s.slug,
        json!({ "reason": "personal_data", "details": "It names a classmate." }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let response = report(&app, &s.slug, json!({ "reason": "spam" })).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    // An urgent reason alerts the facilitator at once.
    app.run_jobs().await;
    assert_eq!(
        count_mails(&app.outbox(), "facilitator@larvik.no"),
        1 + 1,
        "sign-in and the alert"
    );
    // Bad reports are refused with what is wrong.
    assert_problem(
        report(&app, &s.slug, json!({ "reason": "other" })).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        report(&app, &s.slug, json!({ "reason": "rude" }))
            .await
            .status()
            .as_u16(),
        422
    );
    assert_problem(
        report(&app, "no-such-campaign", json!({ "reason": "hate" })).await,
        404,
        "not_found",
    )
    .await;

    let reports = open_reports(&app, &s.facilitator).await;
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["reason"], "personal_data");
    assert_eq!(reports[0]["campaign_title"], "Hils");
    let first = reports[0]["id"].as_str().unwrap();
    let resolve = |id: String, body: Value| {
        let client = s.facilitator.clone();
        let app = &app;
        async move {
            send(
                app,
                &client,
                Method::POST,
                &format!("/api/v1/moderation/reports/{id}/resolve"),
                Some(body),
            )
            .await
        }
    };
    // Taking down needs a note for the team.
    assert_problem(
        resolve(first.to_owned(), json!({ "action": "unpublish" })).await,
        422,
        "validation_failed",
    )
    .await;
    let resolved: Value = resolve(
        first.to_owned(),
        json!({ "action": "unpublish", "note": "Please remove the classmate's name." }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(resolved["status"], "unpublished");
    assert_eq!(resolved["campaign_hidden"], true);

    // Gone from every public place, at once.
    assert_problem(
        send(
            &app,
            &Client::new(),
            Method::GET,
            &format!("/api/v1/public/campaigns/{}", s.slug),
            None,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        Client::new()
            .get(app.url(&photo_url))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_problem(
        report(&app, &s.slug, json!({ "reason": "hate" })).await,
        404,
        "not_found",
    )
    .await;
    // The other open report closed with it; resolving again is a conflict.
    assert!(open_reports(&app, &s.facilitator).await.is_empty());
    assert_problem(
        resolve(first.to_owned(), json!({ "action": "dismiss" })).await,
        409,
        "report_resolved",
    )
    .await;

    // The team hears why and can fix it.
    let campaign: Value = send(
        &app,
        &s.lead,
        Method::GET,
        &format!("/api/v1/campaigns/{}", s.campaign),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(campaign["status"], "changes_requested");
    assert_eq!(campaign["feedback"], "Please remove the classmate's name.");
    app.run_jobs().await;
    assert_eq!(
        count_mails(&app.outbox(), "lead@example.no"),
        3,
        "sign-in, approval, take-down"
    );
    assert_eq!(audit_count(&app, &s.campaign).await, 2);

    // After an edit and a new approval it is public again.
    let edited: Value = send(
        &app,
        &s.lead,
        Method::PATCH,
        &format!("/api/v1/campaigns/{}", s.campaign),
        Some(json!({ "body": "At the gate, no names.", "version": campaign["version"] })),
    )
    .await
    .json()
    .await
    .unwrap();
    let again: Value = send(
        &app,
        &s.lead,
        Method::POST,
        &format!("/api/v1/campaigns/{}/submit", s.campaign),
        Some(json!({ "version": edited["version"] })),
    )
    .await
    .json()
    .await
    .unwrap();
    let approved = decide(
        &app,
        &s.facilitator,
        &s.campaign,
        "approve",
        None,
        again["version"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(approved.status(), StatusCode::OK);
    let public: Value = Client::new()
        .get(app.url(&format!("/api/v1/public/campaigns/{}", s.slug)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(public["body_html"].as_str().unwrap().contains("no names"));
}

#[tokio::test]
async fn dismissing_keeps_the_campaign_and_only_moderators_resolve() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    assert_eq!(
        report(
            &app,
            &s.slug,
            json!({ "reason": "bullying", "details": "Mean?" })
        )
        .await
        .status(),
        StatusCode::ACCEPTED
    );
    let id = open_reports(&app, &s.facilitator).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/moderation/reports/{id}/resolve");
    app.as_user(&s.lead)
        .post(&path, json!({ "action": "dismiss" }))
        .await
        .problem(404, "not_found")
        .await;
    app.as_user(&s.lead)
        .get("/api/v1/moderation/reports")
        .await
        .problem(403, "forbidden")
        .await;
    let dismissed: Value = send(
        &app,
        &s.facilitator,
        Method::POST,
        &path,
        Some(json!({ "action": "dismiss", "note": "A friendly joke." })),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(dismissed["status"], "dismissed");
    assert_eq!(
        Client::new()
            .get(app.url(&format!("/api/v1/public/campaigns/{}", s.slug)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let closed: Value = send(
        &app,
        &s.facilitator,
        Method::GET,
        "/api/v1/moderation/reports?status=dismissed",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(closed["items"][0]["resolution_note"], "A friendly joke.");
    // A non-urgent report waits for the digest: no alert mail.
    assert_eq!(
        count_mails(&app.outbox(), "facilitator@larvik.no"),
        1,
        "only the sign-in link"
    );
    assert_eq!(audit_count(&app, &s.campaign).await, 2);
}

#[tokio::test]
async fn reports_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| c.moderation.reports_per_client_per_hour = 2),
        ..Default::default()
    })
    .await;
    let (s, _) = published(&app).await;
    for _ in 0..2 {
        assert_eq!(
            report(&app, &s.slug, json!({ "reason": "spam" }))
                .await
                .status(),
            StatusCode::ACCEPTED
        );
    }
    let limited = report(&app, &s.slug, json!({ "reason": "spam" })).await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429, "rate_limited").await;
    assert_eq!(open_reports(&app, &s.facilitator).await.len(), 2);
}

#[tokio::test]
async fn a_forged_forwarded_address_does_not_escape_the_report_limit() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| {
            c.trust_forwarded_for = true;
            c.moderation.reports_per_client_per_hour = 2;
        }),
        ..Default::default()
    })
    .await;
    let (s, _) = published(&app).await;
    let file = |forwarded: &'static str| {
        Client::new()
            .post(app.url(&format!("/api/v1/public/campaigns/{}/reports", s.slug)))
            .header("origin", crate::helpers::PUBLIC_URL)
            .header("x-forwarded-for", forwarded)
            .json(&json!({ "reason": "spam" }))
            .send()
    };
    for forged in ["1.1.1.1, 198.51.100.4", "2.2.2.2, 198.51.100.4"] {
        assert_eq!(file(forged).await.unwrap().status(), StatusCode::ACCEPTED);
    }
    let limited = file("3.3.3.3, 198.51.100.4").await.unwrap();
    assert_problem(limited, 429, "rate_limited").await;
    assert_eq!(open_reports(&app, &s.facilitator).await.len(), 2);
}

#[tokio::test]
async fn feedback_templates_belong_to_a_programmes_moderators() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Hils", "At the gate.").await;
    let path = format!("/api/v1/moderation/templates?programme_id={}", s.programme);
    let created = send(&app, &s.facilitator, Method::POST, "/api/v1/moderation/templates", Some(json!({ "programme_id": s.programme, "title": "Names", "body": "Please remove full names." }))).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let template: Value = created.json().await.unwrap();
    let list: Value = send(&app, &s.facilitator, Method::GET, &path, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["body"], "Please remove full names.");
    app.as_user(&s.lead)
        .get(&path)
        .await
        .problem(403, "forbidden")
        .await;
    app.as_user(&s.facilitator)
        .post(
            "/api/v1/moderation/templates",
            json!({ "programme_id": s.programme, "title": "", "body": "" }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    let delete = format!(
        "/api/v1/moderation/templates/{}",
        template["id"].as_str().unwrap()
    );
    app.as_user(&s.lead)
        .delete(&delete)
        .await
        .problem(404, "not_found")
        .await;
    assert_eq!(
        send(&app, &s.facilitator, Method::DELETE, &delete, None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let list: Value = send(&app, &s.facilitator, Method::GET, &path, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(list.as_array().unwrap().is_empty());

    // A programme keeps at most 50; a bad cursor is refused clearly.
    for n in 0..50 {
        let body =
            json!({ "programme_id": s.programme, "title": format!("T{n}"), "body": "Text." });
        let created = send(
            &app,
            &s.facilitator,
            Method::POST,
            "/api/v1/moderation/templates",
            Some(body),
        )
        .await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let body = json!({ "programme_id": s.programme, "title": "One more", "body": "Text." });
    assert_problem(
        send(
            &app,
            &s.facilitator,
            Method::POST,
            "/api/v1/moderation/templates",
            Some(body),
        )
        .await,
        409,
        "too_many_templates",
    )
    .await;
    for path in [
        "/api/v1/moderation/queue?cursor=nonsense",
        "/api/v1/moderation/reports?cursor=1.x",
        "/api/v1/moderation/audit?cursor=x",
    ] {
        app.as_user(&s.facilitator)
            .get(path)
            .await
            .problem(400, "invalid_cursor")
            .await;
    }
}

#[tokio::test]
async fn a_flood_of_reports_is_one_mail_an_hour_with_the_count() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|c| c.moderation.reports_per_client_per_hour = 1000),
        ..Default::default()
    })
    .await;
    let (s, _) = published(&app).await;
    let before = count_mails(&app.outbox(), "facilitator@larvik.no");
    for n in 0..10 {
        let body = json!({ "reason": "hate", "details": format!("Report number {n}") });
        assert_eq!(
            report(&app, &s.slug, body).await.status(),
            StatusCode::ACCEPTED
        );
    }
    app.run_jobs().await;
    assert_eq!(
        count_mails(&app.outbox(), "facilitator@larvik.no"),
        before + 1,
        "ten reports in a minute are one mail"
    );
    let notices = app
        .as_user(&s.facilitator)
        .get("/api/v1/me/notifications")
        .await
        .ok(200)
        .await;
    let reports: Vec<&Value> = notices["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "report")
        .collect();
    assert_eq!(reports.len(), 1, "{notices}");
    // An hour on, the next report is mailed again, with the count of open ones.
    app.clock.advance(chrono::Duration::minutes(61));
    let body = json!({ "reason": "personal_data", "details": "Still there." });
    assert_eq!(
        report(&app, &s.slug, body).await.status(),
        StatusCode::ACCEPTED
    );
    app.run_jobs().await;
    let mails = crate::helpers::mails_for(&app.outbox(), "facilitator@larvik.no");
    assert_eq!(mails.len(), before + 2);
    let newest = mails
        .iter()
        .map(|(_, m)| crate::helpers::decode_qp(m))
        .find(|m| m.contains("Still there."))
        .expect("the second alert");
    assert!(newest.contains("11"), "the count of open reports: {newest}");
    // Every report is kept for the moderators.
    assert_eq!(open_reports(&app, &s.facilitator).await.len(), 11);
}
