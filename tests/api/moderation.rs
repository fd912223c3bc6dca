//! Moderation: the queue, decisions under the status rules, scope, atomic
//! publication and the append-only audit trail.

use changemakers::db::on_db;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, audit_count, decide, json, send, submit_new, submitted, TestApp,
};

#[tokio::test]
async fn the_queue_shows_submissions_oldest_first_with_their_flags() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|c| {
            c.moderation
                .word_lists
                .insert("nb".to_owned(), vec!["idiot*".to_owned()]);
        }),
        ..Default::default()
    })
    .await;
    let s = submitted(
        &app,
        "Hils for faen",
        "Ring Maja på 412 34 567. Fnr 01010750160. Ikke vær en idiot.",
    )
    .await;
    let (second, _, _) =
        submit_new(&app, &s.lead, &s.team, "Second", "Nothing to see, 2026.").await;
    let queue = json(
        send(
            &app,
            &s.facilitator,
            Method::GET,
            "/api/v1/moderation/queue",
            None,
        )
        .await,
    )
    .await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], s.campaign.as_str());
    assert_eq!(items[1]["id"], second.as_str());
    assert_eq!(items[0]["team_name"], "Team Sol");
    let kinds: Vec<&str> = items[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["national_id", "phone", "word"]);
    let id_flag = &items[0]["flags"][0];
    assert_eq!(id_flag["detail"], "NO");
    assert_eq!(id_flag["field"], "body");
    assert!(
        !id_flag["excerpt"].as_str().unwrap().contains("50160"),
        "masked"
    );
    assert!(items[1]["flags"].as_array().unwrap().is_empty());

    // Pages follow the cursor.
    let first = json(
        send(
            &app,
            &s.facilitator,
            Method::GET,
            "/api/v1/moderation/queue?limit=1",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = json(
        send(
            &app,
            &s.facilitator,
            Method::GET,
            &format!("/api/v1/moderation/queue?limit=1&cursor={cursor}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(rest["items"][0]["id"], second.as_str());
    assert!(rest["next_cursor"].is_null());
    let review = json(
        send(
            &app,
            &s.facilitator,
            Method::GET,
            &format!("/api/v1/moderation/campaigns/{}/review", s.campaign),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(review["flags"].as_array().unwrap().len(), 3);
    assert_eq!(review["is_update"], false);
    // A young person has no queue.
    app.as_user(&s.lead)
        .get("/api/v1/moderation/queue")
        .await
        .problem(403, "forbidden")
        .await;
}

#[tokio::test]
async fn feedback_is_required_and_decisions_follow_the_status_rules() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Hils", "At the gate.").await;
    for decision in ["request_changes", "reject"] {
        let body = assert_problem(
            decide(&app, &s.facilitator, &s.campaign, decision, None, s.version).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "feedback");
        assert_problem(
            decide(
                &app,
                &s.facilitator,
                &s.campaign,
                decision,
                Some("   "),
                s.version,
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_problem(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            None,
            s.version - 1,
        )
        .await,
        409,
        "version_conflict",
    )
    .await;
    assert_eq!(
        audit_count(&app, &s.campaign).await,
        0,
        "nothing recorded for refused decisions"
    );

    let changed = json(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "request_changes",
            Some("Please add where you meet."),
            s.version,
        )
        .await,
    )
    .await;
    assert_eq!(changed["status"], "changes_requested");
    assert_problem(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            None,
            changed["version"].as_i64().unwrap(),
        )
        .await,
        409,
        "not_submitted",
    )
    .await;

    // The team reads the feedback, edits and submits again.
    let mine = json(
        send(
            &app,
            &s.lead,
            Method::GET,
            &format!("/api/v1/campaigns/{}", s.campaign),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(mine["feedback"], "Please add where you meet.");
    let edited = json(
        send(
            &app,
            &s.lead,
            Method::PATCH,
            &format!("/api/v1/campaigns/{}", s.campaign),
            Some(json!({ "body": "At the festival gate.", "version": mine["version"] })),
        )
        .await,
    )
    .await;
    let again = json(
        send(
            &app,
            &s.lead,
            Method::POST,
            &format!("/api/v1/campaigns/{}/submit", s.campaign),
            Some(json!({ "version": edited["version"] })),
        )
        .await,
    )
    .await;
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
    let approved = json(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            Some("Great work!"),
            again["version"].as_i64().unwrap(),
        )
        .await,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["published"]["body"], "At the festival gate.");
    let public = json(
        send(
            &app,
            &Client::new(),
            Method::GET,
            &format!("/api/v1/public/campaigns/{}", s.slug),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(public["title"], "Hils");
    assert_eq!(public["team_name"], "Team Sol");
    assert!(public.get("feedback").is_none() && !public.to_string().contains("lead@example.no"));

    let history: Value = json(
        send(
            &app,
            &s.lead,
            Method::GET,
            &format!("/api/v1/campaigns/{}/history", s.campaign),
            None,
        )
        .await,
    )
    .await;
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "submitted",
            "changes_requested",
            "submitted",
            "approved"
        ]
    );
    assert_eq!(audit_count(&app, &s.campaign).await, 2);
    // Archiving needs a reason and takes it out of public view.
    app.as_user(&s.facilitator)
        .post(
            &format!("/api/v1/campaigns/{}/archive", s.campaign),
            json!({ "reason": "" }),
        )
        .await
        .problem(422, "validation_failed")
        .await;
    let archived = json(
        send(
            &app,
            &s.facilitator,
            Method::POST,
            &format!("/api/v1/campaigns/{}/archive", s.campaign),
            Some(json!({ "reason": "The festival is over." })),
        )
        .await,
    )
    .await;
    assert_eq!(archived["status"], "archived");
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
    assert_eq!(audit_count(&app, &s.campaign).await, 3);
}

#[tokio::test]
async fn two_moderators_deciding_at_once_one_wins() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Hils", "At the gate.").await;
    let admin = app.admin().await;
    let (a, b) = tokio::join!(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            None,
            s.version
        ),
        decide(
            &app,
            &admin,
            &s.campaign,
            "reject",
            Some("Not this time."),
            s.version
        ),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let body: Value = loser.json().await.unwrap();
    assert!(
        matches!(
            body["code"].as_str(),
            Some("not_submitted" | "version_conflict")
        ),
        "{body}"
    );
    assert_eq!(audit_count(&app, &s.campaign).await, 1);
}

#[tokio::test]
async fn a_facilitator_of_another_programme_cannot_see_or_decide() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Hils", "At the gate.").await;
    let admin = app.admin().await;
    let mut body = crate::helpers::programme_body("allin");
    body["kind"] = json!("allin");
    let other: Value = admin
        .post(app.url("/api/v1/cities/larvik/programmes"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other_id = other["id"].as_str().unwrap();
    admin
        .post(app.url(&format!("/api/v1/programmes/{other_id}/facilitators")))
        .json(&json!({ "email": "other@larvik.no" }))
        .send()
        .await
        .unwrap();
    let (_, outsider) = app.sign_in("other@larvik.no").await;
    let queue = json(
        send(
            &app,
            &outsider,
            Method::GET,
            "/api/v1/moderation/queue",
            None,
        )
        .await,
    )
    .await;
    assert!(queue["items"].as_array().unwrap().is_empty());
    app.as_user(&outsider)
        .get(&format!(
            "/api/v1/moderation/queue?programme_id={}",
            s.programme
        ))
        .await
        .problem(403, "forbidden")
        .await;
    app.as_user(&outsider)
        .get(&format!("/api/v1/campaigns/{}", s.campaign))
        .await
        .problem(404, "not_found")
        .await;
    app.as_user(&outsider)
        .get(&format!(
            "/api/v1/moderation/campaigns/{}/review",
            s.campaign
        ))
        .await
        .problem(404, "not_found")
        .await;
    assert_problem(
        decide(&app, &outsider, &s.campaign, "approve", None, s.version).await,
        404,
        "not_found",
    )
    .await;
    app.as_user(&outsider)
        .post(
            &format!("/api/v1/campaigns/{}/archive", s.campaign),
            json!({ "reason": "x" }),
        )
        .await
        .problem(404, "not_found")
        .await;
    // A team member cannot decide on their own campaign either.
    assert_problem(
        decide(&app, &s.lead, &s.campaign, "approve", None, s.version).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(audit_count(&app, &s.campaign).await, 0);

    // A facilitator who is in the team does not decide on its campaign.
    let team = json(
        send(
            &app,
            &s.lead,
            Method::GET,
            &format!("/api/v1/teams/{}", s.team),
            None,
        )
        .await,
    )
    .await;
    let year = chrono::Datelike::year(&app.clock.now()) - 20;
    json(
        send(
            &app,
            &s.facilitator,
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "birth_year": year })),
        )
        .await,
    )
    .await;
    let joined = send(
        &app,
        &s.facilitator,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": team["join_code"] })),
    )
    .await;
    assert!(joined.status().is_success(), "{}", joined.status());
    assert_problem(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            None,
            s.version,
        )
        .await,
        409,
        "own_campaign",
    )
    .await;
    assert_eq!(audit_count(&app, &s.campaign).await, 0);
}

#[tokio::test]
async fn approval_switches_the_public_version_at_once_never_half() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Version one", "Body of version one.").await;
    json(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "approve",
            None,
            s.version,
        )
        .await,
    )
    .await;
    let current = json(
        send(
            &app,
            &s.lead,
            Method::GET,
            &format!("/api/v1/campaigns/{}", s.campaign),
            None,
        )
        .await,
    )
    .await;
    let edited = json(send(&app, &s.lead, Method::PATCH, &format!("/api/v1/campaigns/{}", s.campaign), Some(json!({ "title": "Version two", "body": "Body of version two.", "version": current["version"] }))).await).await;
    let resubmitted = json(
        send(
            &app,
            &s.lead,
            Method::POST,
            &format!("/api/v1/campaigns/{}/submit", s.campaign),
            Some(json!({ "version": edited["version"] })),
        )
        .await,
    )
    .await;
    let review = json(
        send(
            &app,
            &s.facilitator,
            Method::GET,
            &format!("/api/v1/moderation/campaigns/{}/review", s.campaign),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(review["changed_fields"], json!(["title", "body"]));
    assert_eq!(review["is_update"], true);

    // While the approval happens, readers see one version or the other, whole.
    let public = format!("/api/v1/public/campaigns/{}", s.slug);
    let reader = async {
        let client = Client::new();
        let mut seen = Vec::new();
        for _ in 0..40 {
            let page: Value = client
                .get(app.url(&public))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            seen.push((
                page["title"].as_str().unwrap().to_owned(),
                page["body_html"].as_str().unwrap().to_owned(),
            ));
        }
        seen
    };
    let approve = decide(
        &app,
        &s.facilitator,
        &s.campaign,
        "approve",
        None,
        resubmitted["version"].as_i64().unwrap(),
    );
    let (seen, approved) = tokio::join!(reader, approve);
    assert_eq!(approved.status(), StatusCode::OK);
    for (title, body) in &seen {
        let one = title == "Version one" && body.contains("version one");
        let two = title == "Version two" && body.contains("version two");
        assert!(one || two, "a mixed version was public: {title} / {body}");
    }
    let after: Value = Client::new()
        .get(app.url(&public))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["title"], "Version two");
}

#[tokio::test]
async fn the_audit_trail_has_one_entry_per_decision_and_nothing_changes_it() {
    let app = TestApp::spawn().await;
    let s = submitted(&app, "Hils", "At the gate.").await;
    json(
        decide(
            &app,
            &s.facilitator,
            &s.campaign,
            "request_changes",
            Some("Add a place."),
            s.version,
        )
        .await,
    )
    .await;
    let admin = app.admin().await;
    let (_, city_admin) = {
        admin
            .post(app.url("/api/v1/cities/larvik/admins"))
            .json(&json!({ "email": "city@larvik.no" }))
            .send()
            .await
            .unwrap();
        app.sign_in("city@larvik.no").await
    };
    let audit = json(
        send(
            &app,
            &city_admin,
            Method::GET,
            &format!("/api/v1/moderation/audit?programme_id={}", s.programme),
            None,
        )
        .await,
    )
    .await;
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let entry = &items[0];
    assert_eq!(entry["action"], "request_changes");
    assert_eq!(entry["reason"], "Add a place.");
    assert_eq!(entry["from_status"], "submitted");
    assert_eq!(entry["to_status"], "changes_requested");
    assert_eq!(entry["actor_name"], "facilitator@larvik.no");
    assert_eq!(entry["campaign_version"], s.version);
    // Facilitators and young people do not read the trail.
    app.as_user(&s.facilitator)
        .get("/api/v1/moderation/audit")
        .await
        .problem(403, "forbidden")
        .await;
    app.as_user(&s.lead)
        .get("/api/v1/moderation/audit")
        .await
        .problem(403, "forbidden")
        .await;

    // No API changes an entry.
    let entry_path = format!("/api/v1/moderation/audit/{}", entry["id"].as_str().unwrap());
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        let status = send(&app, &admin, method.clone(), &entry_path, Some(json!({})))
            .await
            .status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
            "{method} {status}"
        );
        let status = send(
            &app,
            &admin,
            method,
            "/api/v1/moderation/audit",
            Some(json!({})),
        )
        .await
        .status();
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }
    // Nor does the database allow it.
    let update = on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE moderation_audit SET reason = 'x'"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(update.is_err(), "an update went through");
    let delete = on_db!(&app.state.db, |pool| sqlx::query(
        "DELETE FROM moderation_audit"
    )
    .execute(pool)
    .await
    .map(|_| ()));
    assert!(delete.is_err(), "a delete went through");

    // The facilitator deletes their account: the entry stays, unnamed.
    assert_eq!(
        send(&app, &s.facilitator, Method::DELETE, "/api/v1/me", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let audit = json(
        send(
            &app,
            &city_admin,
            Method::GET,
            "/api/v1/moderation/audit",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
    assert_eq!(audit["items"][0]["actor_deleted"], true);
    assert!(audit["items"][0]["actor_name"].is_null());
    assert_eq!(audit["items"][0]["reason"], "Add a place.");
    assert_eq!(audit_count(&app, &s.campaign).await, 1);
}
