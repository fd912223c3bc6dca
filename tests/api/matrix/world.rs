//! The world the authorisation matrix runs in, and how each operation is
//! driven: fresh targets for the operations that change or remove something,
//! so every role meets the same situation.

use reqwest::{multipart, Client, Method, Response};
use serde_json::{json, Value};

use super::Who::{
    self, Admin, Anonymous, Changemaker, CityAdmin, Facilitator, Lead, Member, OtherCityAdmin,
    OtherFacilitator,
};
use crate::helpers::{programme_body, send, young_person, Options, TestApp, PUBLIC_URL};

/// The world every row runs in.
pub struct World {
    app: TestApp,
    admin: Client,
    lead: Client,
    programme: String,
    other_programme: String,
    team: String,
    campaign: String,
    media: String,
    public_slug: String,
    member_id: String,
    lead_id: String,
    counter: std::sync::atomic::AtomicUsize,
}

fn email_of(who: Who) -> &'static str {
    match who {
        Anonymous => "",
        Changemaker => "changemaker@example.no",
        Member => "member@example.no",
        Lead => "lead@example.no",
        Facilitator => "facilitator@larvik.no",
        OtherFacilitator => "other-facilitator@larvik.no",
        CityAdmin => "city@larvik.no",
        OtherCityAdmin => "city@krs.no",
        Admin => "admin@changemakers.test",
    }
}

async fn json_of(response: Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}"))
}

impl World {
    pub async fn build() -> Self {
        let app = TestApp::spawn_with(Options {
            configure: Some(|c| {
                c.moderation.reports_per_client_per_hour = 10_000;
                c.teams.invites_per_hour = 10_000;
                c.auth.requests_per_client_per_hour = 10_000;
                c.auth.links_per_address_per_hour = 10_000;
                c.teams.max_open_campaigns = 10_000;
            }),
            ..Default::default()
        })
        .await;
        let admin = app.admin().await;
        app.create_city(&admin, "larvik", "Larvik").await;
        app.create_city(&admin, "kristiansand", "Kristiansand")
            .await;
        let mut ids = Vec::new();
        for slug in ["kominn", "allin"] {
            let mut body = programme_body(slug);
            body["ends_on"] = json!("2099-12-31");
            let created = json_of(
                send(
                    &app,
                    &admin,
                    Method::POST,
                    "/api/v1/cities/larvik/programmes",
                    Some(body),
                )
                .await,
            )
            .await;
            ids.push(created["id"].as_str().unwrap().to_owned());
        }
        let (programme, other_programme) = (ids[0].clone(), ids[1].clone());
        for (path, email) in [
            (
                "/api/v1/cities/larvik/admins".to_owned(),
                email_of(CityAdmin),
            ),
            (
                "/api/v1/cities/kristiansand/admins".to_owned(),
                email_of(OtherCityAdmin),
            ),
            (
                format!("/api/v1/programmes/{programme}/facilitators"),
                email_of(Facilitator),
            ),
            (
                format!("/api/v1/programmes/{other_programme}/facilitators"),
                email_of(OtherFacilitator),
            ),
        ] {
            let response = send(
                &app,
                &admin,
                Method::POST,
                &path,
                Some(json!({ "email": email })),
            )
            .await;
            assert_eq!(response.status(), 201, "{path}");
        }
        let lead = young_person(&app, email_of(Lead)).await;
        let team = json_of(
            send(
                &app,
                &lead,
                Method::POST,
                &format!("/api/v1/programmes/{programme}/teams"),
                Some(json!({ "name": "Team Sol" })),
            )
            .await,
        )
        .await;
        let member = young_person(&app, email_of(Member)).await;
        send(
            &app,
            &member,
            Method::POST,
            "/api/v1/teams/join",
            Some(json!({ "code": team["join_code"] })),
        )
        .await;
        let me = |client: Client| {
            let app = &app;
            async move {
                json_of(client.get(app.url("/api/v1/me")).send().await.unwrap()).await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        };
        let member_id = me(member.clone()).await;
        let lead_id = me(lead.clone()).await;
        young_person(&app, email_of(Changemaker)).await;
        // The adults have a birth year too, so enrolling (on the way to a
        // team) meets the age rule as it would for them.
        for adult in [
            Facilitator,
            OtherFacilitator,
            CityAdmin,
            OtherCityAdmin,
            Admin,
        ] {
            let client = app.sign_in(email_of(adult)).await.1;
            let saved = send(
                &app,
                &client,
                Method::PATCH,
                "/api/v1/me",
                Some(json!({ "birth_year": 1990 })),
            )
            .await;
            assert_eq!(saved.status(), 200);
        }
        let mut world = Self {
            admin,
            lead,
            programme,
            other_programme,
            team: team["id"].as_str().unwrap().to_owned(),
            campaign: String::new(),
            media: String::new(),
            public_slug: String::new(),
            member_id,
            lead_id,
            counter: std::sync::atomic::AtomicUsize::new(0),
            app,
        };
        world.campaign = world.draft().await;
        world.media = world.photo(&world.campaign.clone()).await;
        let published = world.approved().await;
        world.public_slug = json_of(
            world
                .get(&world.lead, &format!("/api/v1/campaigns/{published}"))
                .await,
        )
        .await["slug"]
            .as_str()
            .unwrap()
            .to_owned();
        // The photo's files exist once processed.
        world.app.run_jobs().await;
        world
    }

    fn next(&self) -> usize {
        self.counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.app.url(path)).send().await.unwrap()
    }

    /// The id of a new session of `who`'s, besides the one that drives the call.
    async fn spare_session(&self, who: Who) -> String {
        let spare = self.client(who).await;
        let listed: Value = spare
            .get(self.app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["current"] == true)
            .and_then(|s| s["id"].as_str())
            .unwrap()
            .to_owned()
    }

    /// A fresh session of `who` (signed out: a plain client).
    async fn client(&self, who: Who) -> Client {
        if who == Anonymous {
            return Client::new();
        }
        self.app.sign_in(email_of(who)).await.1
    }

    /// A new draft of the team, complete enough to submit.
    async fn draft(&self) -> String {
        let n = self.next();
        let created = json_of(
            send(&self.app, &self.lead, Method::POST, &format!("/api/v1/teams/{}/campaigns", self.team),
                Some(json!({ "title": format!("Hils {n}"), "summary": "Say hello.", "body": "At the gate.", "theme": "youth" }))).await,
        )
        .await;
        created["id"].as_str().unwrap().to_owned()
    }

    async fn version(&self, campaign: &str) -> i64 {
        json_of(
            self.get(&self.lead, &format!("/api/v1/campaigns/{campaign}"))
                .await,
        )
        .await["version"]
            .as_i64()
            .unwrap()
    }

    async fn submitted(&self) -> String {
        let id = self.draft().await;
        let version = self.version(&id).await;
        let response = send(
            &self.app,
            &self.lead,
            Method::POST,
            &format!("/api/v1/campaigns/{id}/submit"),
            Some(json!({ "version": version })),
        )
        .await;
        assert_eq!(response.status(), 200);
        id
    }

    async fn approved(&self) -> String {
        let id = self.submitted().await;
        let version = self.version(&id).await;
        let response = send(
            &self.app,
            &self.admin,
            Method::POST,
            &format!("/api/v1/campaigns/{id}/decision"),
            Some(json!({ "decision": "approve", "version": version })),
        )
        .await;
        assert_eq!(response.status(), 200);
        id
    }

    async fn photo(&self, campaign: &str) -> String {
        let form = multipart::Form::new().part(
            "file",
            multipart::Part::bytes(changemakers::media::fixtures::photo(None))
                .file_name("photo.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
        let response = self
            .lead
            .post(self.app.url(&format!("/api/v1/campaigns/{campaign}/media")))
            .header("origin", PUBLIC_URL)
            .multipart(form)
            .send()
            .await
            .unwrap();
        json_of(response).await["id"].as_str().unwrap().to_owned()
    }

    /// A new young person in the team, for the lead to remove.
    async fn extra_member(&self) -> String {
        let n = self.next();
        let person = young_person(&self.app, &format!("extra{n}@example.no")).await;
        let team = json_of(
            self.get(&self.lead, &format!("/api/v1/teams/{}", self.team))
                .await,
        )
        .await;
        send(
            &self.app,
            &person,
            Method::POST,
            "/api/v1/teams/join",
            Some(json!({ "code": team["join_code"] })),
        )
        .await;
        json_of(self.get(&person, "/api/v1/me").await).await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A join code of a new team in the other programme.
    /// A pending reach report, logged by the lead on a freshly approved campaign.
    async fn reach_report(&self) -> String {
        let campaign = self.approved().await;
        let today = self.app.clock.now().date_naive();
        let report = json_of(
            send(
                &self.app,
                &self.lead,
                Method::POST,
                &format!("/api/v1/campaigns/{campaign}/reach"),
                Some(json!({
                    "channel": "event", "people_reached": 40, "occurred_on": today,
                    "description": "A stand at school."
                })),
            )
            .await,
        )
        .await;
        report["id"].as_str().unwrap().to_owned()
    }

    async fn fresh_join_code(&self) -> String {
        let n = self.next();
        let founder = young_person(&self.app, &format!("founder{n}@example.no")).await;
        let team = json_of(
            send(
                &self.app,
                &founder,
                Method::POST,
                &format!("/api/v1/programmes/{}/teams", self.other_programme),
                Some(json!({ "name": format!("Team {n}") })),
            )
            .await,
        )
        .await;
        team["join_code"].as_str().unwrap().to_owned()
    }

    /// The id of a person just made a holder of `path` (city admin or facilitator).
    async fn appointee(&self, path: &str) -> String {
        let n = self.next();
        let held = json_of(
            send(
                &self.app,
                &self.admin,
                Method::POST,
                path,
                Some(json!({ "email": format!("appointee{n}@example.no") })),
            )
            .await,
        )
        .await;
        held["user_id"].as_str().unwrap().to_owned()
    }

    async fn report(&self) -> String {
        send(
            &self.app,
            &Client::new(),
            Method::POST,
            &format!("/api/v1/public/campaigns/{}/reports", self.public_slug),
            Some(json!({ "reason": "spam" })),
        )
        .await;
        let page = json_of(
            self.get(
                &self.admin,
                &format!("/api/v1/moderation/reports?programme_id={}", self.programme),
            )
            .await,
        )
        .await;
        page["items"][0]["id"].as_str().unwrap().to_owned()
    }

    async fn template(&self) -> String {
        let n = self.next();
        let created = json_of(send(&self.app, &self.admin, Method::POST, "/api/v1/moderation/templates",
            Some(json!({ "programme_id": self.programme, "title": format!("T{n}"), "body": "Please remove names." }))).await).await;
        created["id"].as_str().unwrap().to_owned()
    }

    /// Drives `operation` as `who`; returns the status.
    #[allow(clippy::too_many_lines)]
    pub async fn drive(&self, operation: &str, who: Who) -> u16 {
        let client = self.client(who).await;
        let n = self.next();
        let (p, t, c, m) = (&self.programme, &self.team, &self.campaign, &self.media);
        let (method, path, body): (Method, String, Option<Value>) = match operation {
            "requestEmailSignIn" => (
                Method::POST,
                "/api/v1/auth/email".into(),
                Some(json!({ "email": format!("new{n}@example.no") })),
            ),
            "verifyEmailSignIn" => (
                Method::POST,
                "/api/v1/auth/email/verify".into(),
                Some(json!({ "token": "a".repeat(43) })),
            ),
            "logout" => (Method::POST, "/api/v1/auth/logout".into(), None),
            "signOutEverywhere" => (Method::DELETE, "/api/v1/me/sessions".into(), None),
            "listSessions" => (Method::GET, "/api/v1/me/sessions".into(), None),
            "revokeSession" => (
                Method::DELETE,
                format!("/api/v1/me/sessions/{}", self.spare_session(Member).await),
                None,
            ),
            "finishOauth" => (
                Method::GET,
                "/api/v1/auth/oauth/nowhere/callback?code=c&state=s".into(),
                None,
            ),
            "startOauth" => (Method::GET, "/api/v1/auth/oauth/nowhere/start".into(), None),
            "listProviders" => (Method::GET, "/api/v1/auth/providers".into(), None),
            "getCampaign" => (Method::GET, format!("/api/v1/campaigns/{c}"), None),
            "updateCampaign" => (
                Method::PATCH,
                format!("/api/v1/campaigns/{c}"),
                Some(json!({ "version": self.version(c).await, "audience": format!("{who:?}") })),
            ),
            "archiveCampaign" => (
                Method::POST,
                format!("/api/v1/campaigns/{}/archive", self.approved().await),
                Some(json!({ "reason": "It ran." })),
            ),
            "decideCampaign" => {
                let id = self.submitted().await;
                (
                    Method::POST,
                    format!("/api/v1/campaigns/{id}/decision"),
                    Some(json!({ "decision": "approve", "version": self.version(&id).await })),
                )
            }
            "campaignHistory" => (Method::GET, format!("/api/v1/campaigns/{c}/history"), None),
            "uploadMedia" | "uploadEvidence" => {
                let target = if operation == "uploadMedia" {
                    format!("/api/v1/campaigns/{c}/media")
                } else {
                    format!("/api/v1/reach/{}/evidence", self.reach_report().await)
                };
                let form = multipart::Form::new().part(
                    "file",
                    multipart::Part::bytes(changemakers::media::fixtures::photo(None))
                        .file_name("p.jpg")
                        .mime_str("image/jpeg")
                        .unwrap(),
                );
                let response = client
                    .post(self.app.url(&target))
                    .header("origin", PUBLIC_URL)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                return response.status().as_u16();
            }
            "submitCampaign" => {
                let id = self.draft().await;
                (
                    Method::POST,
                    format!("/api/v1/campaigns/{id}/submit"),
                    Some(json!({ "version": self.version(&id).await })),
                )
            }
            "withdrawCampaign" => (
                Method::POST,
                format!("/api/v1/campaigns/{}/withdraw", self.submitted().await),
                Some(json!({})),
            ),
            "listCities" => (Method::GET, "/api/v1/cities".into(), None),
            "createCity" => (
                Method::POST,
                "/api/v1/cities".into(),
                Some(json!({ "slug": format!("city-{n}"), "name": "New", "country": "SE" })),
            ),
            "getCity" => (Method::GET, "/api/v1/cities/larvik".into(), None),
            "updateCity" => (
                Method::PATCH,
                "/api/v1/cities/larvik".into(),
                Some(json!({ "name": "Larvik" })),
            ),
            "listCityAdmins" => (Method::GET, "/api/v1/cities/larvik/admins".into(), None),
            "addCityAdmin" => (
                Method::POST,
                "/api/v1/cities/larvik/admins".into(),
                Some(json!({ "email": format!("appointed{n}@example.no") })),
            ),
            "removeCityAdmin" => (
                Method::DELETE,
                format!(
                    "/api/v1/cities/larvik/admins/{}",
                    self.appointee("/api/v1/cities/larvik/admins").await
                ),
                None,
            ),
            "listProgrammes" => (Method::GET, "/api/v1/cities/larvik/programmes".into(), None),
            "createProgramme" => (
                Method::POST,
                "/api/v1/cities/larvik/programmes".into(),
                Some(programme_body(&format!("p-{n}"))),
            ),
            "deleteMe" => (Method::DELETE, "/api/v1/me".into(), None),
            "getMe" => (Method::GET, "/api/v1/me".into(), None),
            "updateMe" => (
                Method::PATCH,
                "/api/v1/me".into(),
                Some(json!({ "locale": "nb" })),
            ),
            "exportMe" => (Method::GET, "/api/v1/me/export".into(), None),
            "listNotifications" => (Method::GET, "/api/v1/me/notifications".into(), None),
            "unreadNotifications" => (Method::GET, "/api/v1/me/notifications/unread".into(), None),
            "readAllNotifications" => (Method::POST, "/api/v1/me/notifications/read".into(), None),
            "readNotification" => (
                Method::POST,
                format!("/api/v1/me/notifications/{t}/read"),
                None,
            ),
            "notificationSettings" => {
                (Method::GET, "/api/v1/me/notification-settings".into(), None)
            }
            "updateNotificationSettings" => (
                Method::PATCH,
                "/api/v1/me/notification-settings".into(),
                Some(json!({ "team_member": false })),
            ),
            "listMyIdentities" => (Method::GET, "/api/v1/me/identities".into(), None),
            "unlinkMyIdentity" => (Method::DELETE, "/api/v1/me/identities/nowhere".into(), None),
            "deleteMedia" => (
                Method::DELETE,
                format!("/api/v1/media/{}", self.photo(c).await),
                None,
            ),
            "getMedia" => (Method::GET, format!("/api/v1/media/{m}"), None),
            "updateMedia" => (
                Method::PATCH,
                format!("/api/v1/media/{m}"),
                Some(json!({ "alt_text": "Two people at a gate." })),
            ),
            "getMediaFile" => (
                Method::GET,
                format!("/api/v1/media/{m}/files/w320.jpg"),
                None,
            ),
            "moderationAudit" => (
                Method::GET,
                format!("/api/v1/moderation/audit?programme_id={p}"),
                None,
            ),
            "reviewCampaign" => (
                Method::GET,
                format!(
                    "/api/v1/moderation/campaigns/{}/review",
                    self.submitted().await
                ),
                None,
            ),
            "moderationQueue" => (
                Method::GET,
                format!("/api/v1/moderation/queue?programme_id={p}"),
                None,
            ),
            "listReports" => (
                Method::GET,
                format!("/api/v1/moderation/reports?programme_id={p}"),
                None,
            ),
            "resolveReport" => (
                Method::POST,
                format!("/api/v1/moderation/reports/{}/resolve", self.report().await),
                Some(json!({ "action": "dismiss" })),
            ),
            "listFeedbackTemplates" => (
                Method::GET,
                format!("/api/v1/moderation/templates?programme_id={p}"),
                None,
            ),
            "createFeedbackTemplate" => (
                Method::POST,
                "/api/v1/moderation/templates".into(),
                Some(
                    json!({ "programme_id": p, "title": format!("T{who:?}"), "body": "Please remove names." }),
                ),
            ),
            "deleteFeedbackTemplate" => (
                Method::DELETE,
                format!("/api/v1/moderation/templates/{}", self.template().await),
                None,
            ),
            "getProgramme" => (Method::GET, format!("/api/v1/programmes/{p}"), None),
            "updateProgramme" => (
                Method::PATCH,
                format!("/api/v1/programmes/{p}"),
                Some(json!({ "description": "Updated" })),
            ),
            "enrol" => (
                Method::POST,
                format!("/api/v1/programmes/{}/enrol", self.other_programme),
                None,
            ),
            "listFacilitators" => (
                Method::GET,
                format!("/api/v1/programmes/{p}/facilitators"),
                None,
            ),
            "addFacilitator" => (
                Method::POST,
                format!("/api/v1/programmes/{p}/facilitators"),
                Some(json!({ "email": format!("helper{n}@example.no") })),
            ),
            "removeFacilitator" => (
                Method::DELETE,
                format!(
                    "/api/v1/programmes/{p}/facilitators/{}",
                    self.appointee(&format!("/api/v1/programmes/{p}/facilitators"))
                        .await
                ),
                None,
            ),
            "programmeOverview" => (
                Method::GET,
                format!("/api/v1/programmes/{p}/overview"),
                None,
            ),
            "listParticipants" => (
                Method::GET,
                format!("/api/v1/programmes/{p}/participants"),
                None,
            ),
            "markTrained" => (
                Method::POST,
                format!(
                    "/api/v1/programmes/{p}/participants/{}/training",
                    self.member_id
                ),
                Some(json!({ "trained_on": self.app.clock.now().date_naive() })),
            ),
            "unmarkTrained" => (
                Method::DELETE,
                format!(
                    "/api/v1/programmes/{p}/participants/{}/training",
                    self.member_id
                ),
                None,
            ),
            "listTeams" => (Method::GET, format!("/api/v1/programmes/{p}/teams"), None),
            "createTeam" => (
                Method::POST,
                format!("/api/v1/programmes/{p}/teams"),
                Some(json!({ "name": format!("Team {n}") })),
            ),
            "publicCampaigns" => (
                Method::GET,
                "/api/v1/public/campaigns?city=larvik".into(),
                None,
            ),
            "publicCampaign" => (
                Method::GET,
                format!("/api/v1/public/campaigns/{}", self.public_slug),
                None,
            ),
            "reportCampaign" => (
                Method::POST,
                format!("/api/v1/public/campaigns/{}/reports", self.public_slug),
                Some(json!({ "reason": "spam" })),
            ),
            "joinTeam" => (
                Method::POST,
                "/api/v1/teams/join".into(),
                Some(json!({ "code": self.fresh_join_code().await })),
            ),
            "getTeam" => (Method::GET, format!("/api/v1/teams/{t}"), None),
            "listTeamCampaigns" => (Method::GET, format!("/api/v1/teams/{t}/campaigns"), None),
            "createCampaign" => (
                Method::POST,
                format!("/api/v1/teams/{t}/campaigns"),
                Some(json!({ "title": "New", "summary": "", "body": "", "theme": "youth" })),
            ),
            "inviteToTeam" => (
                Method::POST,
                format!("/api/v1/teams/{t}/invites"),
                Some(json!({ "email": format!("friend{n}@example.no") })),
            ),
            "rotateJoinCode" => (Method::POST, format!("/api/v1/teams/{t}/join-code"), None),
            // To oneself: allowed and changes nothing, so the lead stays lead.
            "transferTeamLead" => (
                Method::POST,
                format!("/api/v1/teams/{t}/lead"),
                Some(json!({ "user_id": self.lead_id })),
            ),
            "removeTeamMember" => (
                Method::DELETE,
                format!("/api/v1/teams/{t}/members/{}", self.extra_member().await),
                None,
            ),
            "createReach" => (
                Method::POST,
                format!("/api/v1/campaigns/{}/reach", self.approved().await),
                Some(json!({
                    "channel": "school", "people_reached": 25 + n,
                    "occurred_on": self.app.clock.now().date_naive(),
                    "description": format!("Assembly {n}")
                })),
            ),
            "listReach" => (
                Method::GET,
                format!("/api/v1/campaigns/{}/reach", self.approved().await),
                None,
            ),
            "updateReach" => (
                Method::PATCH,
                format!("/api/v1/reach/{}", self.reach_report().await),
                Some(json!({ "people_reached": 41 })),
            ),
            "deleteReach" => (
                Method::DELETE,
                format!("/api/v1/reach/{}", self.reach_report().await),
                None,
            ),
            "verifyReach" => (
                Method::POST,
                format!("/api/v1/reach/{}/verification", self.reach_report().await),
                Some(json!({ "verified": true, "note": "Seen the photos." })),
            ),
            "reachQueue" => (
                Method::GET,
                format!("/api/v1/moderation/reach?programme_id={p}"),
                None,
            ),
            "exportProgrammeReach" => (
                Method::GET,
                format!("/api/v1/programmes/{p}/reach/export?format=csv"),
                None,
            ),
            "statsGoal" => (Method::GET, "/api/v1/stats/goal".into(), None),
            "statsSeries" => (
                Method::GET,
                format!("/api/v1/stats?programme_id={p}&interval=week"),
                None,
            ),
            "exportStats" => (
                Method::GET,
                format!("/api/v1/stats/export?format=csv&programme_id={p}"),
                None,
            ),
            other => panic!("no way to drive operation `{other}`"),
        };
        send(&self.app, &client, method, &path, body)
            .await
            .status()
            .as_u16()
    }
}
