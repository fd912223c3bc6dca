//! The authorisation matrix: every protected endpoint, driven by every role.
//! A role scoped to one city or programme grants nothing elsewhere.

use reqwest::{Client, Method};
use serde_json::{json, Value};

use crate::helpers::{programme_body, TestApp, PUBLIC_URL};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Anonymous,
    Changemaker,
    Facilitator,
    OtherCityAdmin,
    CityAdmin,
    Admin,
}

const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Changemaker,
    Who::Facilitator,
    Who::OtherCityAdmin,
    Who::CityAdmin,
    Who::Admin,
];

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [Who],
    success: u16,
}

#[tokio::test]
async fn every_protected_endpoint_with_every_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_city(&admin, "larvik", "Larvik").await;
    app.create_city(&admin, "kristiansand", "Kristiansand")
        .await;
    let programme: Value = app
        .create_programme(&admin, "larvik", "kominn")
        .await
        .json()
        .await
        .unwrap();
    let id = programme["id"].as_str().unwrap().to_owned();
    for (city, email) in [
        ("larvik", "city@larvik.no"),
        ("kristiansand", "city@krs.no"),
    ] {
        admin
            .post(app.url(&format!("/api/v1/cities/{city}/admins")))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
    }
    admin
        .post(app.url(&format!("/api/v1/programmes/{id}/facilitators")))
        .json(&json!({ "email": "facilitator@larvik.no" }))
        .send()
        .await
        .unwrap();

    let mut clients: Vec<(Who, Client)> =
        vec![(Who::Anonymous, Client::new()), (Who::Admin, admin)];
    for (who, email) in [
        (Who::Changemaker, "young@example.no"),
        (Who::Facilitator, "facilitator@larvik.no"),
        (Who::OtherCityAdmin, "city@krs.no"),
        (Who::CityAdmin, "city@larvik.no"),
    ] {
        clients.push((who, app.sign_in(email).await.1));
    }

    let managers: &'static [Who] = &[Who::CityAdmin, Who::Admin];
    for (who, client) in &clients {
        let tag = format!("{who:?}").to_lowercase();
        let cases = [
            Case {
                method: Method::POST,
                path: "/api/v1/cities".into(),
                body: Some(json!({ "slug": format!("c-{tag}"), "name": "New", "country": "SE" })),
                allowed: &[Who::Admin],
                success: 201,
            },
            Case {
                method: Method::PATCH,
                path: "/api/v1/cities/larvik".into(),
                body: Some(json!({ "name": "Larvik" })),
                allowed: managers,
                success: 200,
            },
            Case {
                method: Method::GET,
                path: "/api/v1/cities/larvik/admins".into(),
                body: None,
                allowed: managers,
                success: 200,
            },
            Case {
                method: Method::POST,
                path: "/api/v1/cities/larvik/admins".into(),
                body: Some(json!({ "email": format!("{tag}-appointee@example.no") })),
                allowed: &[Who::Admin],
                success: 201,
            },
            Case {
                method: Method::POST,
                path: "/api/v1/cities/larvik/programmes".into(),
                body: Some(programme_body(&format!("p-{tag}"))),
                allowed: managers,
                success: 201,
            },
            Case {
                method: Method::PATCH,
                path: format!("/api/v1/programmes/{id}"),
                body: Some(json!({ "description": "Updated" })),
                allowed: managers,
                success: 200,
            },
            Case {
                method: Method::GET,
                path: format!("/api/v1/programmes/{id}/facilitators"),
                body: None,
                allowed: &[Who::Facilitator, Who::CityAdmin, Who::Admin],
                success: 200,
            },
            Case {
                method: Method::POST,
                path: format!("/api/v1/programmes/{id}/facilitators"),
                body: Some(json!({ "email": format!("{tag}-helper@example.no") })),
                allowed: managers,
                success: 201,
            },
            Case {
                method: Method::GET,
                path: "/api/v1/moderation/queue".into(),
                body: None,
                allowed: &[
                    Who::Facilitator,
                    Who::OtherCityAdmin,
                    Who::CityAdmin,
                    Who::Admin,
                ],
                success: 200,
            },
            Case {
                method: Method::GET,
                path: format!("/api/v1/moderation/queue?programme_id={id}"),
                body: None,
                allowed: &[Who::Facilitator, Who::CityAdmin, Who::Admin],
                success: 200,
            },
            Case {
                method: Method::GET,
                path: format!("/api/v1/moderation/reports?programme_id={id}"),
                body: None,
                allowed: &[Who::Facilitator, Who::CityAdmin, Who::Admin],
                success: 200,
            },
            Case {
                method: Method::GET,
                path: format!("/api/v1/moderation/audit?programme_id={id}"),
                body: None,
                allowed: managers,
                success: 200,
            },
            Case {
                method: Method::GET,
                path: "/api/v1/moderation/audit".into(),
                body: None,
                allowed: &[Who::OtherCityAdmin, Who::CityAdmin, Who::Admin],
                success: 200,
            },
            Case {
                method: Method::GET,
                path: format!("/api/v1/moderation/templates?programme_id={id}"),
                body: None,
                allowed: &[Who::Facilitator, Who::CityAdmin, Who::Admin],
                success: 200,
            },
            Case {
                method: Method::POST,
                path: "/api/v1/moderation/templates".into(),
                body: Some(
                    json!({ "programme_id": id, "title": tag, "body": "Please remove names." }),
                ),
                allowed: &[Who::Facilitator, Who::CityAdmin, Who::Admin],
                success: 201,
            },
            Case {
                method: Method::GET,
                path: "/api/v1/me".into(),
                body: None,
                allowed: &EVERYONE[1..],
                success: 200,
            },
        ];
        for case in cases {
            let mut request = client
                .request(case.method.clone(), app.url(&case.path))
                .header("origin", PUBLIC_URL);
            if let Some(body) = &case.body {
                request = request.json(body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            let expected = if case.allowed.contains(who) {
                case.success
            } else if *who == Who::Anonymous {
                401
            } else {
                403
            };
            assert_eq!(status, expected, "{who:?} {} {}", case.method, case.path);
        }
    }
}

/// (method, path, body, who succeeds, the success status, who gets 403 rather than 404)
type TeamCase = (
    Method,
    String,
    Option<Value>,
    &'static [TeamWho],
    u16,
    &'static [TeamWho],
);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TeamWho {
    Anonymous,
    Outsider,
    Member,
    Lead,
    Facilitator,
    OtherCityAdmin,
    CityAdmin,
    Admin,
}

#[tokio::test]
async fn team_and_campaign_endpoints_with_every_role() {
    use crate::helpers::{running_programme, send, young_person};
    use TeamWho as W;

    let app = TestApp::spawn().await;
    let (programme, facilitator) = running_programme(&app).await;
    let admin = app.admin().await;
    app.create_city(&admin, "kristiansand", "Kristiansand")
        .await;
    for (city, email) in [
        ("larvik", "city@larvik.no"),
        ("kristiansand", "city@krs.no"),
    ] {
        admin
            .post(app.url(&format!("/api/v1/cities/{city}/admins")))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
    }
    let lead = young_person(&app, "lead@example.no").await;
    let team: Value = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/programmes/{programme}/teams"),
        Some(json!({ "name": "Team Sol" })),
    )
    .await
    .json()
    .await
    .unwrap();
    let team_id = team["id"].as_str().unwrap().to_owned();
    let member = young_person(&app, "member@example.no").await;
    send(
        &app,
        &member,
        Method::POST,
        "/api/v1/teams/join",
        Some(json!({ "code": team["join_code"] })),
    )
    .await;
    let campaign: Value = send(
        &app,
        &lead,
        Method::POST,
        &format!("/api/v1/teams/{team_id}/campaigns"),
        Some(json!({ "title": "Hils", "summary": "s", "body": "b", "theme": "youth" })),
    )
    .await
    .json()
    .await
    .unwrap();
    let campaign_id = campaign["id"].as_str().unwrap().to_owned();

    let clients: Vec<(TeamWho, Client)> = vec![
        (W::Anonymous, Client::new()),
        (W::Outsider, young_person(&app, "outsider@example.no").await),
        (W::Member, member),
        (W::Lead, lead),
        (W::Facilitator, facilitator),
        (W::OtherCityAdmin, app.sign_in("city@krs.no").await.1),
        (W::CityAdmin, app.sign_in("city@larvik.no").await.1),
        (W::Admin, admin),
    ];
    let insiders: &'static [W] = &[W::Member, W::Lead, W::Facilitator, W::CityAdmin, W::Admin];
    let team_members: &'static [W] = &[W::Member, W::Lead];
    let staff: &'static [W] = &[W::Facilitator, W::CityAdmin, W::Admin];

    for (who, client) in &clients {
        let version: i64 = {
            let seen: Value = clients[3]
                .1
                .get(app.url(&format!("/api/v1/campaigns/{campaign_id}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            seen["version"].as_i64().unwrap()
        };
        let cases: Vec<TeamCase> = vec![
            (
                Method::GET,
                format!("/api/v1/teams/{team_id}"),
                None,
                insiders,
                200,
                &[],
            ),
            (
                Method::GET,
                format!("/api/v1/teams/{team_id}/campaigns"),
                None,
                insiders,
                200,
                &[],
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{campaign_id}"),
                None,
                insiders,
                200,
                &[],
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{campaign_id}/history"),
                None,
                insiders,
                200,
                &[],
            ),
            (
                Method::PATCH,
                format!("/api/v1/campaigns/{campaign_id}"),
                Some(json!({ "version": version, "audience": format!("{who:?}") })),
                team_members,
                200,
                staff,
            ),
            (
                Method::POST,
                format!("/api/v1/teams/{team_id}/join-code"),
                None,
                &[W::Lead],
                200,
                &[W::Member, W::Facilitator, W::CityAdmin, W::Admin],
            ),
            (
                Method::GET,
                format!("/api/v1/programmes/{programme}/participants"),
                None,
                staff,
                200,
                &[W::Outsider, W::Member, W::Lead, W::OtherCityAdmin],
            ),
            (
                Method::GET,
                format!("/api/v1/programmes/{programme}/teams"),
                None,
                staff,
                200,
                &[W::Outsider, W::Member, W::Lead, W::OtherCityAdmin],
            ),
        ];
        for (method, path, body, allowed, success, forbidden) in cases {
            let mut request = client
                .request(method.clone(), app.url(&path))
                .header("origin", PUBLIC_URL);
            if let Some(body) = &body {
                request = request.json(body);
            }
            let status = request.send().await.unwrap().status().as_u16();
            let expected = if allowed.contains(who) {
                success
            } else if *who == W::Anonymous {
                401
            } else if forbidden.contains(who) {
                403
            } else {
                404
            };
            assert_eq!(status, expected, "{who:?} {method} {path}");
        }
    }
}
