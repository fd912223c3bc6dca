//! The committed OpenAPI document must match what the code serves.

#[tokio::test]
async fn the_committed_spec_matches_the_code() {
    let generated = changemakers::api::spec_json().expect("spec");
    let committed = std::fs::read_to_string("openapi/openapi.json").unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[tokio::test]
async fn the_served_document_and_docs_are_the_committed_one() {
    let app = crate::helpers::TestApp::spawn().await;
    let served = reqwest::get(app.url("/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let committed = std::fs::read_to_string("openapi/openapi.json").unwrap();
    assert_eq!(served, committed);
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    // Request bodies refuse unknown fields, as the server does.
    assert_eq!(
        doc["components"]["schemas"]["CreateTeamRequest"]["additionalProperties"],
        false
    );
    // Fields sent as null say so.
    assert_eq!(
        doc["components"]["schemas"]["Campaign"]["properties"]["feedback"]["nullable"],
        true
    );
    // Every operation declares its problem answers.
    let verify = &doc["paths"]["/auth/email/verify"]["post"]["responses"];
    for status in ["400", "410", "422", "429", "500", "503"] {
        assert!(
            verify[status]["content"]["application/problem+json"].is_object(),
            "{status}"
        );
    }
    let docs = reqwest::get(app.url("/docs"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        docs.contains("additionalProperties"),
        "the docs show the completed document"
    );
}

#[tokio::test]
async fn a_method_a_path_does_not_take_gets_405_with_allow() {
    let app = crate::helpers::TestApp::spawn().await;
    let client = reqwest::Client::new();
    for (method, path, allow) in [
        ("TRACE", "/api/v1/auth/email", "POST"),
        ("PUT", "/api/v1/teams/join", "POST"),
        ("POST", "/api/v1/cities/larvik", "GET, PATCH, HEAD"),
        ("PUT", "/api/v1/programmes/0190b7a5-0000-7000-8000-000000000000/facilitators/0190b7a5-0000-7000-8000-000000000001", "DELETE"),
    ] {
        let response = client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(
            response.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
        let body = crate::helpers::assert_problem(response, 405, "method_not_allowed").await;
        assert!(body["detail"].is_string());
    }
}

/// Every link in the document leads to an operation that exists and takes
/// the parameter the link fills; every create of the stateful walk has them.
#[tokio::test]
async fn every_link_leads_to_an_operation_that_takes_its_parameter() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    let mut operations = std::collections::HashMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op["operationId"].as_str() {
                operations.insert(id.to_owned(), (path.clone(), op.clone()));
            }
        }
    }
    let mut links = 0;
    let mut sources = Vec::new();
    for (from, (_, op)) in &operations {
        for response in op["responses"].as_object().unwrap().values() {
            let Some(found) = response["links"].as_object() else {
                continue;
            };
            sources.push(from.clone());
            for link in found.values() {
                let target = link["operationId"].as_str().unwrap();
                let (path, target_op) = operations
                    .get(target)
                    .unwrap_or_else(|| panic!("{from} links to {target}, which is not there"));
                for parameter in link["parameters"].as_object().unwrap().keys() {
                    assert!(
                        path.contains(&format!("{{{parameter}}}")),
                        "{from} -> {target}: {path} takes no {parameter}"
                    );
                }
                // What a link puts in the body is a field the body has.
                for field in link["requestBody"].as_object().into_iter().flatten() {
                    let field = field.0;
                    let schema = body_schema(&doc, target_op)
                        .unwrap_or_else(|| panic!("{from} -> {target}: {target} takes no body"));
                    assert!(
                        schema["properties"].get(field).is_some(),
                        "{from} -> {target}: its body has no {field}"
                    );
                }
                links += 1;
            }
        }
    }
    for create in [
        "createTeam",
        "createCampaign",
        "uploadMedia",
        "createReach",
        "createFeedbackTemplate",
    ] {
        assert!(sources.iter().any(|s| s == create), "{create} has links");
    }
    assert!(links >= 25, "{links} links");
}

/// The JSON schema of an operation's request body, its reference followed.
fn body_schema<'a>(
    doc: &'a serde_json::Value,
    op: &'a serde_json::Value,
) -> Option<&'a serde_json::Value> {
    let schema = op["requestBody"]["content"]
        .as_object()?
        .values()
        .next()?
        .get("schema")?;
    match schema["$ref"].as_str() {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')),
        None => Some(schema),
    }
}
