//! The figures: the KomINN story end to end, reported and verified apart,
//! small numbers kept private, views counted without tracking, and the
//! rollups equal to a recount after any sequence of changes.

use chrono::{Datelike, Duration};
use futures_util::future::join_all;
use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::Client;
use serde_json::{json, Value};

use crate::{
    helpers::{decide, programme_body, submit_new, submitted, young_person, Options, TestApp},
    reach::{approved, goal, log, verification},
};
use changemakers::service::stats::recount;

fn options() -> Options {
    Options {
        configure: Some(|c| {
            c.auth.links_per_address_per_hour = 100_000;
            c.auth.requests_per_client_per_hour = 100_000;
            c.stats.cache_seconds = 0;
        }),
        ..Default::default()
    }
}

/// A city with a running programme; returns the programme id.
async fn programme(app: &TestApp, admin: &Client, city: &str, name: &str) -> String {
    app.create_city(admin, city, name).await;
    let mut body = programme_body("kominn");
    body["ends_on"] = json!(format!("{}-12-31", app.clock.now().year() + 1));
    let p = app
        .as_user(admin)
        .post(&format!("/api/v1/cities/{city}/programmes"), body)
        .await
        .ok(201)
        .await;
    p["id"].as_str().unwrap().to_owned()
}

/// Signs a young person in and enrols them; returns (user id, client).
async fn enrolled(app: &TestApp, email: String, programmes: &[&str]) -> (String, Client) {
    let client = young_person(app, &email).await;
    for p in programmes {
        app.as_user(&client)
            .post(&format!("/api/v1/programmes/{p}/enrol"), json!({}))
            .await
            .ok(200)
            .await;
    }
    let me = app.as_user(&client).get("/api/v1/me").await.ok(200).await;
    (me["id"].as_str().unwrap().to_owned(), client)
}

async fn train(app: &TestApp, by: &Client, programme: &str, user: &str, days_ago: i64) {
    let on = app.clock.now().date_naive() - Duration::days(days_ago);
    app.as_user(by)
        .post(
            &format!("/api/v1/programmes/{programme}/participants/{user}/training"),
            json!({ "trained_on": on }),
        )
        .await
        .ok(204)
        .await;
}

/// The alliance's figures as an admin sees them: exact.
pub async fn exact_totals(app: &TestApp) -> Value {
    let admin = app.admin().await;
    app.as_user(&admin).get("/api/v1/stats").await.ok(200).await["totals"].clone()
}

async fn no_drift(app: &TestApp) {
    let drift = recount::check(&app.state).await.unwrap();
    assert!(drift.is_empty(), "the rollups drifted: {drift:#?}");
}

#[tokio::test]
async fn the_kominn_story_adds_up() {
    let app = TestApp::spawn_with(options()).await;
    let admin = app.admin().await;
    let larvik = programme(&app, &admin, "larvik", "Larvik").await;
    let kristiansand = programme(&app, &admin, "kristiansand", "Kristiansand").await;
    // 75 in Larvik, 74 in Kristiansand, and one person trained in both.
    let mut people = Vec::new();
    for batch in (0..150).collect::<Vec<usize>>().chunks(15) {
        let joined = join_all(batch.iter().map(|n| {
            let (p, email) = if *n < 75 {
                (vec![larvik.as_str()], format!("l{n}@example.no"))
            } else if *n == 75 {
                (
                    vec![larvik.as_str(), kristiansand.as_str()],
                    format!("both{n}@example.no"),
                )
            } else {
                (vec![kristiansand.as_str()], format!("k{n}@example.no"))
            };
            let app = &app;
            async move {
                let e = enrolled(app, email, &p).await;
                (p, e)
            }
        }))
        .await;
        people.extend(joined);
    }
    for (programmes, (id, _)) in &people {
        for p in programmes {
            train(&app, &admin, p, id, 3).await;
        }
    }
    // 20 teams, each with an approved campaign.
    let mut hils = None;
    for (n, (programmes, (_, client))) in people.iter().step_by(7).take(20).enumerate() {
        let team = app
            .as_user(client)
            .post(
                &format!("/api/v1/programmes/{}/teams", programmes[0]),
                json!({ "name": format!("Team {n}") }),
            )
            .await
            .ok(201)
            .await;
        let title = if n == 0 {
            "#Hilsforfaen".to_owned()
        } else {
            format!("Campaign {n}")
        };
        let (id, _, version) =
            submit_new(&app, client, team["id"].as_str().unwrap(), &title, "Body.").await;
        let ok = decide(&app, &admin, &id, "approve", None, version).await;
        assert_eq!(ok.status(), 200);
        if n == 0 {
            hils = Some((id, client.clone()));
        }
    }
    let (hils, lead) = hils.unwrap();
    let festival = log(&app, &lead, &hils, 3000).await;
    app.as_user(&admin)
        .post(
            &verification(&festival),
            json!({ "verified": true, "note": "Festival ticket counts." }),
        )
        .await
        .ok(200)
        .await;
    log(&app, &lead, &hils, 500).await;

    let g = goal(&app).await;
    assert_eq!(g["target"], 10_000);
    assert_eq!(
        g["changemakers_trained"], 150,
        "one person trained twice counts once"
    );
    assert_eq!(g["changemakers_enrolled"], 150);
    assert_eq!(g["teams"], 20);
    assert_eq!(g["campaigns_approved"], 20);
    assert_eq!(g["campaigns_submitted"], 20);
    assert_eq!(g["people_reached_verified"], 3000);
    assert_eq!(g["people_reached_reported"], 3500);
    let norway = &g["by_country"][0];
    assert_eq!(norway["country"], "NO");
    for figure in [
        "changemakers_trained",
        "people_reached_verified",
        "people_reached_reported",
        "campaigns_approved",
    ] {
        assert_eq!(norway[figure], g[figure], "{figure}");
    }
    // Each programme counts everyone it trained.
    for (p, n) in [(&larvik, 76), (&kristiansand, 75)] {
        let figures = app
            .as_user(&admin)
            .get(&format!("/api/v1/stats?programme_id={p}"))
            .await
            .ok(200)
            .await;
        assert_eq!(figures["totals"]["changemakers_trained"], n);
    }
    no_drift(&app).await;
}

#[tokio::test]
async fn unpublishing_takes_a_campaign_out_but_its_reach_stays() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let report = log(&app, &s.lead, &s.campaign, 200).await;
    app.as_user(&s.facilitator)
        .post(
            &verification(&report),
            json!({ "verified": true, "note": "" }),
        )
        .await
        .ok(200)
        .await;
    assert_eq!(goal(&app).await["campaigns_approved"], 1);
    let slug = s.slug.clone();
    app.as_user(&TestApp::anonymous())
        .post(
            &format!("/api/v1/public/campaigns/{slug}/reports"),
            json!({ "reason": "spam" }),
        )
        .await
        .ok(202)
        .await;
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
            json!({ "action": "unpublish", "note": "Please check the photo." }),
        )
        .await
        .ok(200)
        .await;
    let g = goal(&app).await;
    assert_eq!(g["campaigns_approved"], 0, "gone from the figure at once");
    assert_eq!(g["campaigns_submitted"], 1);
    assert_eq!(
        g["people_reached_verified"], 200,
        "what it achieved still happened"
    );
    no_drift(&app).await;
}

#[tokio::test]
async fn small_numbers_stay_private_but_exact_for_the_city() {
    let app = TestApp::spawn_with(options()).await;
    let s = submitted(&app, "Small", "A small programme.").await;
    let member = young_person(&app, "member@example.no").await;
    app.as_user(&member)
        .post(
            &format!("/api/v1/programmes/{}/enrol", s.programme),
            json!({}),
        )
        .await
        .ok(200)
        .await;
    let me = app.as_user(&s.lead).get("/api/v1/me").await.ok(200).await;
    train(
        &app,
        &s.facilitator,
        &s.programme,
        me["id"].as_str().unwrap(),
        1,
    )
    .await;
    let public = app
        .as_user(&TestApp::anonymous())
        .get(&format!(
            "/api/v1/stats?programme_id={}&interval=week",
            s.programme
        ))
        .await;
    assert_eq!(public.status(), 200);
    let public = public.ok(200).await;
    let raw = TestApp::anonymous()
        .get(app.url(&format!("/api/v1/stats?programme_id={}", s.programme)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        raw.headers()["vary"],
        "Authorization, Cookie",
        "a shared cache keeps the public version apart"
    );
    assert!(raw.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    assert_eq!(public["totals"]["changemakers_trained"], Value::Null);
    assert_eq!(public["totals"]["changemakers_enrolled"], Value::Null);
    let suppressed = public["totals"]["suppressed"].as_array().unwrap();
    assert!(suppressed.contains(&json!("changemakers_trained")));
    assert_eq!(
        public["totals"]["campaigns_submitted"], 1,
        "not a count of people"
    );
    let city = app
        .as_user(&TestApp::anonymous())
        .get("/api/v1/stats?city=larvik")
        .await
        .ok(200)
        .await;
    assert_eq!(city["totals"]["changemakers_trained"], Value::Null);
    let exact = app
        .as_user(&s.facilitator)
        .get(&format!(
            "/api/v1/stats?programme_id={}&interval=week",
            s.programme
        ))
        .await
        .ok(200)
        .await;
    assert_eq!(exact["totals"]["changemakers_trained"], 1);
    assert_eq!(exact["totals"]["changemakers_enrolled"], 2);
    assert!(exact["totals"]["suppressed"].as_array().unwrap().is_empty());
    let admin = app.admin().await;
    let city = app
        .as_user(&admin)
        .get("/api/v1/stats?city=larvik")
        .await
        .ok(200)
        .await;
    assert_eq!(city["totals"]["changemakers_enrolled"], 2);
    // One person in the whole alliance is as small a group as one in a
    // city: withheld from the public, exact for an admin.
    assert_eq!(goal(&app).await["changemakers_trained"], Value::Null);
    assert_eq!(exact_totals(&app).await["changemakers_trained"], 1);
}

#[tokio::test]
async fn series_fill_gaps_and_run_cumulative_totals() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let me = app.as_user(&s.lead).get("/api/v1/me").await.ok(200).await;
    train(
        &app,
        &s.facilitator,
        &s.programme,
        me["id"].as_str().unwrap(),
        15,
    )
    .await;
    let today = app.clock.now().date_naive();
    let from = today - Duration::days(27);
    let series = app
        .as_user(&s.facilitator)
        .get(&format!(
            "/api/v1/stats?programme_id={}&interval=week&from={from}&to={today}",
            s.programme
        ))
        .await
        .ok(200)
        .await;
    let buckets = series["buckets"].as_array().unwrap();
    assert!((4..=5).contains(&buckets.len()), "{series}");
    for b in buckets {
        let start =
            chrono::NaiveDate::parse_from_str(b["start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        assert_eq!(start.weekday(), chrono::Weekday::Mon);
    }
    let trained: Vec<i64> = buckets
        .iter()
        .map(|b| b["changemakers_trained"].as_i64().unwrap())
        .collect();
    assert_eq!(trained.iter().sum::<i64>(), 1);
    assert!(trained.contains(&0), "empty weeks are there, as zeros");
    let last = buckets.last().unwrap();
    assert_eq!(last["cumulative"]["changemakers_trained"], 1);
    assert_eq!(last["cumulative"]["campaigns_approved"], 1);
    let backwards = app
        .as_user(&s.facilitator)
        .get(&format!("/api/v1/stats?from={today}&to={from}"))
        .await;
    assert_eq!(backwards.status(), 422);
    let months = app
        .as_user(&TestApp::anonymous())
        .get("/api/v1/stats?interval=month")
        .await
        .ok(200)
        .await;
    assert_eq!(months["buckets"].as_array().unwrap().len(), 12);
    assert_eq!(months["totals"]["campaigns_approved"], 1);
}

#[tokio::test]
async fn the_goal_is_cacheable_and_answers_304() {
    let app = TestApp::spawn_with(Options {
        configure: Some(|c| c.stats.cache_seconds = 1),
        ..Default::default()
    })
    .await;
    let anon = TestApp::anonymous();
    let first = anon
        .get(app.url("/api/v1/stats/goal"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
    );
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = anon
        .get(app.url("/api/v1/stats/goal"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    let s = approved(&app).await;
    log(&app, &s.lead, &s.campaign, 77).await;
    let fresh = crate::helpers::eventually("the goal shows the new report", async || {
        let g = goal(&app).await;
        (g["people_reached_reported"] == 77).then_some(g)
    })
    .await;
    assert_eq!(fresh["campaigns_approved"], 1);
}

#[tokio::test]
async fn the_figures_export_is_csv_for_those_with_a_role() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    log(&app, &s.lead, &s.campaign, 9).await;
    let path = format!(
        "/api/v1/stats/export?format=csv&programme_id={}&interval=week",
        s.programme
    );
    let bytes = s
        .facilitator
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0]
        .starts_with("period_start;period_end;city;programme;programme_id;changemakers_trained"));
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains(";Larvik;KomINN 2026;"), "{text}");
    app.as_user(&s.lead)
        .get(&path)
        .await
        .problem(403, "forbidden")
        .await;
    let everything = app
        .as_user(&s.facilitator)
        .get("/api/v1/stats/export?format=csv")
        .await;
    assert_eq!(
        everything.status(),
        403,
        "only admins export the whole alliance"
    );
}

#[tokio::test]
async fn views_count_each_network_once_a_day_and_store_nothing_about_them() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let slug = s.slug.clone();
    let url = app.url(&format!("/api/v1/public/campaigns/{slug}"));
    let agent = "Mozilla/5.0 (ViewCounterProbe 4711)";
    let one = Client::builder().user_agent(agent).build().unwrap();
    for _ in 0..100 {
        assert_eq!(one.get(&url).send().await.unwrap().status(), 200);
    }
    app.run_jobs().await;
    assert_eq!(goal(&app).await["gallery_views"], 1);
    let two = Client::builder()
        .user_agent("AnotherBrowser/2")
        .build()
        .unwrap();
    two.get(&url).send().await.unwrap();
    app.run_jobs().await;
    assert_eq!(
        goal(&app).await["gallery_views"],
        1,
        "another user agent on the same network is the same viewer"
    );
    // A second instance on the same database adds its own counts.
    let other = app.beside(|c| c.background_workers = false).await;
    let three = Client::builder()
        .user_agent("ThirdBrowser/3")
        .build()
        .unwrap();
    three
        .get(other.url(&format!("/api/v1/public/campaigns/{slug}")))
        .send()
        .await
        .unwrap();
    one.get(other.url(&format!("/api/v1/public/campaigns/{slug}")))
        .send()
        .await
        .unwrap();
    changemakers::service::stats::views::flush(&other.state)
        .await
        .unwrap();
    assert_eq!(goal(&app).await["gallery_views"], 2);
    // Nothing about the viewers is anywhere in the database.
    for needle in ["ViewCounterProbe", "AnotherBrowser", "127.0.0.1"] {
        let found = crate::helpers::rows::find_text(&app, needle).await;
        assert!(found.is_empty(), "{needle} is stored in {found:?}");
    }
    no_drift(&app).await;
}

#[tokio::test]
async fn a_deleted_account_keeps_the_counts_and_leaves_no_personal_data() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let me = app.as_user(&s.lead).get("/api/v1/me").await.ok(200).await;
    let id = me["id"].as_str().unwrap().to_owned();
    train(&app, &s.facilitator, &s.programme, &id, 2).await;
    log(&app, &s.lead, &s.campaign, 40).await;
    let before = exact_totals(&app).await;
    assert_eq!(before["changemakers_trained"], 1);
    app.as_user(&s.lead)
        .delete("/api/v1/me")
        .await
        .ok(204)
        .await;
    let after = exact_totals(&app).await;
    for figure in [
        "changemakers_trained",
        "changemakers_enrolled",
        "teams",
        "people_reached_reported",
    ] {
        assert_eq!(after[figure], before[figure], "{figure}");
    }
    let found = crate::helpers::rows::find_text(&app, "lead@example.no").await;
    assert!(found.is_empty(), "the address is still in {found:?}");
    let linked = crate::helpers::rows::find_uuid(&app, &id).await;
    assert_eq!(
        linked,
        vec!["users.id".to_owned()],
        "only the anonymised user row remains"
    );
    no_drift(&app).await;
}

/// Any sequence of changes leaves the rollups equal to a recount.
#[tokio::test]
async fn rollups_equal_the_recount_after_random_changes() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let seed = std::env::var("STATS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut people: Vec<(String, Client)> = Vec::new();
    let mut reports: Vec<String> = Vec::new();
    let mut campaigns = vec![s.campaign.clone()];
    let lead_team = app
        .as_user(&s.lead)
        .get(&format!("/api/v1/campaigns/{}", s.campaign))
        .await
        .ok(200)
        .await["team_id"]
        .as_str()
        .unwrap()
        .to_owned();
    for step in 0..60 {
        match rng.gen_range(0..7) {
            0 => {
                let p = enrolled(&app, format!("p{step}@example.no"), &[&s.programme]).await;
                people.push(p);
            }
            1 if !people.is_empty() => {
                let (id, _) = &people[rng.gen_range(0..people.len())];
                let path = format!(
                    "/api/v1/programmes/{}/participants/{id}/training",
                    s.programme
                );
                if rng.gen_bool(0.3) {
                    app.as_user(&s.facilitator)
                        .delete(&path)
                        .await
                        .ok(204)
                        .await;
                } else {
                    train(&app, &s.facilitator, &s.programme, id, rng.gen_range(0..40)).await;
                }
            }
            2 => {
                let (id, _, version) =
                    submit_new(&app, &s.lead, &lead_team, &format!("C{step}"), "Body.").await;
                if rng.gen_bool(0.7) {
                    decide(&app, &s.facilitator, &id, "approve", None, version).await;
                    campaigns.push(id);
                }
            }
            3 => {
                let c = &campaigns[rng.gen_range(0..campaigns.len())];
                let r = log(&app, &s.lead, c, rng.gen_range(1..5000)).await;
                reports.push(r["id"].as_str().unwrap().to_owned());
            }
            4 if !reports.is_empty() => {
                let r = reports.swap_remove(rng.gen_range(0..reports.len()));
                let body = if rng.gen_bool(0.7) {
                    json!({ "verified": true, "note": "", "people_verified": rng.gen_range(0..2) })
                } else {
                    json!({ "verified": false, "note": "No evidence." })
                };
                app.as_user(&s.facilitator)
                    .post(&format!("/api/v1/reach/{r}/verification"), body)
                    .await
                    .ok(200)
                    .await;
            }
            5 if !reports.is_empty() => {
                let r = reports.swap_remove(rng.gen_range(0..reports.len()));
                if rng.gen_bool(0.5) {
                    app.as_user(&s.lead)
                        .delete(&format!("/api/v1/reach/{r}"))
                        .await
                        .ok(204)
                        .await;
                } else {
                    app.as_user(&s.lead)
                        .patch(
                            &format!("/api/v1/reach/{r}"),
                            json!({ "people_reached": 7 }),
                        )
                        .await
                        .ok(200)
                        .await;
                    reports.push(r);
                }
            }
            _ => {
                let c = campaigns[rng.gen_range(0..campaigns.len())].clone();
                let archive = app
                    .as_user(&s.facilitator)
                    .post(
                        &format!("/api/v1/campaigns/{c}/archive"),
                        json!({ "reason": "Done." }),
                    )
                    .await;
                if archive.status() == 200 {
                    campaigns.retain(|x| *x != c);
                    if campaigns.is_empty() {
                        campaigns.push(s.campaign.clone());
                    }
                }
            }
        }
        app.clock.advance(Duration::hours(rng.gen_range(1..30)));
    }
    no_drift(&app).await;
    // A tampered rollup is found, and the recount repairs it.
    changemakers::db::on_db!(&app.state.db, |pool| sqlx::query(
        "UPDATE stats_daily SET teams = teams + 3"
    )
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    .unwrap());
    assert!(!recount::check(&app.state).await.unwrap().is_empty());
    let repaired = recount::recount(&app.state).await.unwrap();
    assert!(!repaired.is_empty());
    no_drift(&app).await;
}

#[tokio::test]
async fn a_bad_scope_or_range_is_a_clear_error() {
    let app = TestApp::spawn_with(options()).await;
    let s = approved(&app).await;
    let anon = TestApp::anonymous();
    app.as_user(&anon)
        .get("/api/v1/stats?city=nowhere")
        .await
        .problem(404, "not_found")
        .await;
    let problem = app
        .as_user(&anon)
        .get("/api/v1/stats?from=2026-02-31")
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(problem["errors"][0]["field"], "from");
    app.as_user(&anon)
        .get("/api/v1/stats?from=2026-13-01")
        .await
        .problem(422, "validation_failed")
        .await;
    let other = app.admin().await;
    app.create_city(&other, "kristiansand", "Kristiansand")
        .await;
    let problem = app
        .as_user(&anon)
        .get(&format!(
            "/api/v1/stats?city=kristiansand&programme_id={}",
            s.programme
        ))
        .await
        .problem(422, "validation_failed")
        .await;
    assert_eq!(problem["errors"][0]["field"], "programme_id");
    let empty = app
        .as_user(&anon)
        .get("/api/v1/stats?from=&to=")
        .await
        .ok(200)
        .await;
    assert_eq!(
        empty["buckets"].as_array().unwrap().len(),
        12,
        "empty means absent"
    );
}

/// Every count of people the public can read, from every answer that has
/// one: the goal and its countries, and the weekly and monthly series of the
/// alliance and of each city and programme named.
async fn public_people_counts(
    app: &TestApp,
    cities: &[&str],
    programmes: &[&str],
) -> Vec<(String, Option<i64>)> {
    let anonymous = TestApp::anonymous();
    let mut found = Vec::new();
    let mut take = |what: String, figures: &Value| {
        for figure in ["changemakers_trained", "changemakers_enrolled"] {
            found.push((format!("{what} {figure}"), figures[figure].as_i64()));
        }
    };
    let g = goal(app).await;
    take("goal".to_owned(), &g);
    for country in g["by_country"].as_array().unwrap() {
        take(format!("goal {}", country["country"]), country);
    }
    let scopes = std::iter::once(String::new())
        .chain(cities.iter().map(|c| format!("&city={c}")))
        .chain(programmes.iter().map(|p| format!("&programme_id={p}")));
    for scope in scopes {
        for interval in ["week", "month"] {
            let path = format!("/api/v1/stats?interval={interval}{scope}");
            let s = app.as_user(&anonymous).get(&path).await.ok(200).await;
            take(format!("{path} totals"), &s["totals"]);
            for b in s["buckets"].as_array().unwrap() {
                take(format!("{path} {} figures", b["start"]), b);
                take(
                    format!("{path} {} cumulative", b["start"]),
                    &b["cumulative"],
                );
            }
        }
    }
    found
}

#[tokio::test]
async fn a_country_of_one_small_city_cannot_be_recovered_by_subtraction() {
    let app = TestApp::spawn_with(options()).await;
    let admin = app.admin().await;
    let larvik = programme(&app, &admin, "larvik", "Larvik").await;
    let created = app
        .as_user(&admin)
        .post(
            "/api/v1/cities",
            json!({ "slug": "reykjavik", "name": "Reykjavík", "country": "IS" }),
        )
        .await
        .ok(201)
        .await;
    assert_eq!(created["country"], "IS");
    let mut body = programme_body("kominn-rvk");
    body["ends_on"] = json!(format!("{}-12-31", app.clock.now().year() + 1));
    let reykjavik = app
        .as_user(&admin)
        .post("/api/v1/cities/reykjavik/programmes", body)
        .await
        .ok(201)
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Reykjavik: 3 enrolled, 2 trained. Larvik: 12 enrolled and trained.
    for n in 0..3 {
        let (id, _) = enrolled(&app, format!("r{n}@example.is"), &[reykjavik.as_str()]).await;
        if n < 2 {
            train(&app, &admin, &reykjavik, &id, 10).await;
        }
    }
    for n in 0..12 {
        let (id, _) = enrolled(&app, format!("l{n}@example.no"), &[larvik.as_str()]).await;
        train(&app, &admin, &larvik, &id, 10).await;
    }
    let exact = exact_totals(&app).await;
    assert_eq!(exact["changemakers_trained"], 14);
    let counts = public_people_counts(
        &app,
        &["larvik", "reykjavik"],
        &[larvik.as_str(), reykjavik.as_str()],
    )
    .await;
    // No public count of people is between 1 and 4.
    for (what, value) in &counts {
        assert!(
            value.is_none_or(|v| v == 0 || v.abs() >= 5),
            "{what} shows {value:?}"
        );
    }
    // Iceland is withheld wherever it stands, and no two public figures
    // subtract to Reykjavik's 3 enrolled or 2 trained.
    let g = goal(&app).await;
    let iceland = g["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "IS")
        .unwrap();
    assert!(iceland["changemakers_trained"].is_null());
    assert!(iceland["changemakers_enrolled"].is_null());
    let values: Vec<i64> = counts.iter().filter_map(|(_, v)| *v).collect();
    for a in &values {
        for b in &values {
            assert!(
                !(a - b == 2 || a - b == 3),
                "{a} - {b} recovers Reykjavik from {counts:?}"
            );
        }
    }
    // Its own staff still see it exactly.
    let city = app
        .as_user(&admin)
        .get("/api/v1/stats?city=reykjavik")
        .await
        .ok(200)
        .await;
    assert_eq!(city["totals"]["changemakers_trained"], 2);
    assert_eq!(city["totals"]["changemakers_enrolled"], 3);
}
