//! A programme at a glance for its staff: counts that agree with the rest
//! of the platform, changes since a moment, and only for those who run it.

use changemakers::service::operator;
use chrono::{Duration, SecondsFormat};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, json, young_person, TestApp, PUBLIC_URL};

async fn demo_programme(app: &TestApp) -> String {
    operator::seed_demo(&app.state).await.unwrap();
    let page = json(
        TestApp::anonymous()
            .get(app.url("/api/v1/cities/larvik/programmes"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_overview_counts_the_programme_and_what_changed_since() {
    let app = TestApp::spawn().await;
    let programme = demo_programme(&app).await;
    let (_, kari) = app.sign_in("kari@demo.changemakers.example").await;
    let overview = |days_ago: Option<i64>| {
        let mut path = format!("/api/v1/programmes/{programme}/overview");
        if let Some(days) = days_ago {
            let since =
                (app.clock.now() - Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true);
            path = format!("{path}?since={since}");
        }
        let request = kari.get(app.url(&path));
        async move { json(request.send().await.unwrap()).await }
    };

    let month = overview(Some(30)).await;
    assert_eq!(
        month["name"],
        format!("KomINN Larvik {}", chrono::Datelike::year(&app.clock.now()))
    );
    assert_eq!(month["changemaker_target"], 150);
    assert_eq!(month["enrolled"], 8);
    assert_eq!(month["trained"], 5);
    assert_eq!(month["teams"], 3);
    assert_eq!(
        month["campaigns"],
        json!({ "draft": 1, "submitted": 1, "changes_requested": 1, "approved": 1, "rejected": 1, "archived": 1 })
    );
    assert_eq!(
        month["waiting"],
        json!({ "campaigns": 1, "reach": 1, "reports": 0 })
    );
    // In the last 30 days of the demo: one person trained, six campaigns
    // started and five submitted, two reach reports; the teams are older.
    assert_eq!(
        month["changes"],
        json!({ "joined": 0, "trained": 1, "teams": 0, "campaigns": 6, "submitted": 5, "reach": 2, "reports": 0 })
    );

    let ten_days = overview(Some(10)).await;
    assert_eq!(ten_days["changes"]["campaigns"], 0);
    assert_eq!(ten_days["changes"]["reach"], 1);

    // Without a moment: the last week.
    let week = overview(None).await;
    let since: chrono::DateTime<chrono::Utc> = week["since"].as_str().unwrap().parse().unwrap();
    assert_eq!(since, app.clock.now() - Duration::days(7));
    assert_eq!(week["changes"]["reach"], 1);

    // A moment ahead of the server's clock counts nothing new.
    let ahead = overview(Some(-3)).await;
    assert!(
        ahead["changes"]
            .as_object()
            .unwrap()
            .values()
            .all(|n| n == 0),
        "{ahead}"
    );

    // Something new shows at once.
    let newcomer = young_person(&app, "newcomer@example.no").await;
    let enrolled = newcomer
        .post(app.url(&format!("/api/v1/programmes/{programme}/enrol")))
        .header("origin", PUBLIC_URL)
        .send()
        .await
        .unwrap();
    assert!(enrolled.status().is_success(), "{}", enrolled.status());
    let today = overview(Some(1)).await;
    assert_eq!(today["changes"]["joined"], 1);
    assert_eq!(today["enrolled"], 9);
}

#[tokio::test]
async fn only_the_people_who_run_the_programme_see_its_overview() {
    let app = TestApp::spawn().await;
    let programme = demo_programme(&app).await;
    let path = format!("/api/v1/programmes/{programme}/overview");
    let (_, ola) = app.sign_in("ola@demo.changemakers.example").await;
    let city_admin: Value = json(ola.get(app.url(&path)).send().await.unwrap()).await;
    assert_eq!(city_admin["teams"], 3);
    let (_, maja) = app.sign_in("maja@demo.changemakers.example").await;
    assert_problem(
        maja.get(app.url(&path)).send().await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        TestApp::anonymous()
            .get(app.url(&path))
            .send()
            .await
            .unwrap(),
        401,
        "unauthorized",
    )
    .await;
    let unknown = format!("/api/v1/programmes/{}/overview", uuid::Uuid::nil());
    assert_problem(
        ola.get(app.url(&unknown)).send().await.unwrap(),
        404,
        "not_found",
    )
    .await;
    let bad = format!("{path}?since=yesterday");
    let problem = assert_problem(
        ola.get(app.url(&bad)).send().await.unwrap(),
        400,
        "invalid_parameter",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "since", "{problem}");
}
