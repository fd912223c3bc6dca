//! Nothing the public can read says anything about a person: every public
//! response of a seeded platform, JSON and HTML, is scanned for every
//! person's email address, display name and birth year.

use reqwest::Client;
use serde_json::Value;

use crate::{helpers::TestApp, reach::log, reports::published};

/// Every public address of the platform, following the gallery's pages.
async fn public_addresses(app: &TestApp) -> Vec<String> {
    let mut paths = vec![
        "/api/v1/cities".to_owned(),
        "/api/v1/cities/larvik".to_owned(),
        "/api/v1/cities/larvik/programmes".to_owned(),
        "/api/v1/stats/goal".to_owned(),
        "/api/v1/stats?city=larvik".to_owned(),
        "/embed/gallery".to_owned(),
        "/embed/gallery?city=larvik&layout=list&limit=1".to_owned(),
        "/gallery".to_owned(),
    ];
    let mut query = "?limit=2".to_owned();
    loop {
        let path = format!("/api/v1/public/campaigns{query}");
        let page: Value = Client::new()
            .get(app.url(&path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        paths.push(path);
        for item in page["items"].as_array().unwrap() {
            let slug = item["slug"].as_str().unwrap();
            let programme = item["programme"]["id"].as_str().unwrap();
            let page = format!("http://changemakers.test/c/{slug}");
            let encoded: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
            paths.extend([
                format!("/api/v1/public/campaigns/{slug}"),
                format!("/embed/campaigns/{slug}"),
                format!("/oembed?url={encoded}"),
                format!("/api/v1/programmes/{programme}"),
                format!("/embed/gallery?programme_id={programme}"),
                format!("/c/{slug}"),
            ]);
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    paths
}

/// `text` without UUIDs and hex digests, whose digits could look like a year.
fn without_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() || c == '-' {
            word.push(c);
            continue;
        }
        let hex = word.chars().filter(char::is_ascii_hexdigit).count();
        if hex < 16 {
            out.push_str(&word);
        }
        word.clear();
        out.push(c);
    }
    out
}

#[tokio::test]
async fn no_public_answer_names_a_person() {
    let app = TestApp::spawn().await;
    let (s, _) = published(&app).await;
    // The test's programme in Larvik first (it makes the city), then the demo's.
    changemakers::service::operator::seed_demo(&app.state)
        .await
        .unwrap();
    let report = log(&app, &s.lead, &s.campaign, 120).await;
    app.as_user(&s.facilitator)
        .post(
            &crate::reach::verification(&report),
            serde_json::json!({ "verified": true, "note": "" }),
        )
        .await
        .ok(200)
        .await;
    let people: Vec<(Option<String>, Option<String>, Option<i32>)> =
        changemakers::db::on_db!(&app.state.db, |pool| {
            sqlx::query_as("SELECT email, display_name, birth_year FROM users")
                .fetch_all(pool)
                .await
        })
        .unwrap();
    assert!(people.len() > 10, "the demo's people and the test's");
    let paths = public_addresses(&app).await;
    assert!(paths.len() > 20, "{paths:?}");
    let mut scanned = 0;
    for path in &paths {
        let response = Client::new().get(app.url(path)).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        let body = without_ids(&response.text().await.unwrap());
        let lower = body.to_lowercase();
        for (email, name, year) in &people {
            if let Some(email) = email {
                assert!(
                    !lower.contains(&email.to_lowercase()),
                    "{path} shows {email}"
                );
            }
            if let Some(name) = name {
                let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
                assert!(
                    !words.contains(&name.to_lowercase().as_str()),
                    "{path} shows the name {name}"
                );
            }
            if let Some(year) = year {
                let year = year.to_string();
                let found = body.split(|c: char| !c.is_ascii_digit()).any(|n| n == year);
                assert!(!found, "{path} shows the birth year {year}");
            }
        }
        assert!(
            !lower.contains("birth_year") && !lower.contains("\"email\""),
            "{path}"
        );
        scanned += 1;
    }
    assert_eq!(scanned, paths.len());
    // The scan would see a person: the lead's own account shows their details.
    let own = without_ids(
        &s.lead
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        own.contains("lead@example.no") && own.contains("\"display_name\":\"lead\""),
        "{own}"
    );
}
