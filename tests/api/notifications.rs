//! What the platform mails about also appears in the app: one notification
//! per person per event, written with the mail (for those who want it), an
//! unread count that falls as they are opened, in the export, erased with
//! the account.

use serde_json::{json, Value};

use crate::helpers::{count_mails, decide, rows::find_uuid, submit_new, young_person, TestApp};

async fn notifications(app: &TestApp, client: &reqwest::Client) -> Value {
    app.as_user(client)
        .get("/api/v1/me/notifications")
        .await
        .ok(200)
        .await
}

async fn unread(app: &TestApp, client: &reqwest::Client) -> i64 {
    app.as_user(client)
        .get("/api/v1/me/notifications/unread")
        .await
        .ok(200)
        .await["unread"]
        .as_i64()
        .unwrap()
}

fn of_kind<'a>(page: &'a Value, kind: &str) -> Vec<&'a Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .collect()
}

#[tokio::test]
async fn a_decision_tells_each_member_once_and_mails_only_those_who_want_it() {
    let app = TestApp::spawn().await;
    let (programme, facilitator, lead, team) = crate::helpers::team_setup(&app).await;
    let _ = programme;
    let code = app
        .as_user(&lead)
        .get(&format!("/api/v1/teams/{team}"))
        .await
        .ok(200)
        .await["join_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let maja = young_person(&app, "maja@example.no").await;
    app.as_user(&maja)
        .post("/api/v1/teams/join", json!({ "code": code }))
        .await
        .ok(200)
        .await;

    // The lead hears of the new member, in the app only; Maja of nothing yet.
    let lead_page = notifications(&app, &lead).await;
    let joined = of_kind(&lead_page, "team_member");
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0]["title"], "Team Sol");
    assert_eq!(joined[0]["link"], format!("/teams/{team}"));
    assert!(joined[0]["outcome"].is_null(), "no names in notifications");
    assert_eq!(unread(&app, &maja).await, 0);

    // Maja wants decisions in the app, not by email.
    let settings = app
        .as_user(&maja)
        .patch(
            "/api/v1/me/notification-settings",
            json!({ "decision": false }),
        )
        .await
        .ok(200)
        .await;
    assert_eq!(settings["decision"], false);
    assert_eq!(settings["reach_decision"], true);

    let (campaign, _, version) = submit_new(&app, &lead, &team, "Hils for faen", "Say hi.").await;
    app.run_jobs().await;
    let (lead_mails, maja_mails) = (
        count_mails(&app.outbox(), "lead@example.no"),
        count_mails(&app.outbox(), "maja@example.no"),
    );
    let decided = decide(
        &app,
        &facilitator,
        &campaign,
        "request_changes",
        Some("Add where and when."),
        version,
    )
    .await;
    assert_eq!(decided.status(), 200);
    app.run_jobs().await;

    for (client, name) in [(&lead, "lead"), (&maja, "maja")] {
        let page = notifications(&app, client).await;
        let decisions = of_kind(&page, "decision");
        assert_eq!(decisions.len(), 1, "exactly one for {name}: {page}");
        let n = decisions[0];
        assert_eq!(n["title"], "Hils for faen");
        assert_eq!(n["outcome"], "changes_requested");
        assert_eq!(n["note"], "Add where and when.");
        assert_eq!(n["link"], format!("/campaigns/{campaign}"));
        assert!(n["read_at"].is_null());
    }
    assert_eq!(
        count_mails(&app.outbox(), "lead@example.no"),
        lead_mails + 1,
        "the lead wants the mail"
    );
    assert_eq!(
        count_mails(&app.outbox(), "maja@example.no"),
        maja_mails,
        "Maja said no to decision mail"
    );

    // Opening it marks it read; the count falls; twice changes nothing.
    assert_eq!(unread(&app, &maja).await, 1);
    let id = of_kind(&notifications(&app, &maja).await, "decision")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = format!("/api/v1/me/notifications/{id}/read");
    // Not the lead's to mark.
    app.as_user(&lead)
        .post(&read, json!({}))
        .await
        .problem(404, "not_found")
        .await;
    for _ in 0..2 {
        app.as_user(&maja)
            .post(&read, json!({}))
            .await
            .ok(204)
            .await;
    }
    assert_eq!(unread(&app, &maja).await, 0);
    assert!(of_kind(&notifications(&app, &maja).await, "decision")[0]["read_at"].is_string());
    assert_eq!(unread(&app, &lead).await, 2);
    app.as_user(&lead)
        .post("/api/v1/me/notifications/read", json!({}))
        .await
        .ok(204)
        .await;
    assert_eq!(unread(&app, &lead).await, 0);

    // In the export, and gone with the account.
    let export = app
        .as_user(&maja)
        .get("/api/v1/me/export")
        .await
        .ok(200)
        .await;
    assert_eq!(export["notifications"].as_array().unwrap().len(), 1);
    assert_eq!(export["email_choices"][0]["kind"], "decision");
    assert_eq!(export["email_choices"][0]["email"], false);
    let me = app.as_user(&maja).get("/api/v1/me").await.ok(200).await;
    let maja_id = me["id"].as_str().unwrap().to_owned();
    app.as_user(&maja).delete("/api/v1/me").await.ok(204).await;
    let left = find_uuid(&app, &maja_id).await;
    assert!(
        !left
            .iter()
            .any(|c| c.starts_with("notifications.") || c.starts_with("mail_preferences.")),
        "{left:?}"
    );
}

#[tokio::test]
async fn verified_reach_and_invites_appear_in_the_app() {
    let app = TestApp::spawn().await;
    let (_, _, lead, team) = crate::helpers::team_setup(&app).await;
    // An invite to someone with an account shows in their app, and is mailed.
    let friend = young_person(&app, "friend@example.no").await;
    let before = count_mails(&app.outbox(), "friend@example.no");
    app.as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/invites"),
            json!({ "email": "friend@example.no" }),
        )
        .await
        .ok(202)
        .await;
    app.run_jobs().await;
    let page = notifications(&app, &friend).await;
    let invites = of_kind(&page, "invite");
    assert_eq!(invites.len(), 1);
    assert!(invites[0]["link"]
        .as_str()
        .unwrap()
        .starts_with("/join?code="));
    assert_eq!(count_mails(&app.outbox(), "friend@example.no"), before + 1);

    // Once they say no to invite mail, the next invite is in the app only.
    app.as_user(&friend)
        .patch(
            "/api/v1/me/notification-settings",
            json!({ "invite": false }),
        )
        .await
        .ok(200)
        .await;
    app.as_user(&lead)
        .post(
            &format!("/api/v1/teams/{team}/invites"),
            json!({ "email": "friend@example.no" }),
        )
        .await
        .ok(202)
        .await;
    app.run_jobs().await;
    assert_eq!(
        of_kind(&notifications(&app, &friend).await, "invite").len(),
        2
    );
    assert_eq!(count_mails(&app.outbox(), "friend@example.no"), before + 1);
}
