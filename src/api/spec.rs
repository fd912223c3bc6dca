//! The OpenAPI document as served at `/openapi.json` and `/docs`, with what
//! poem-openapi cannot say on its own added from the code's own rules:
//! request bodies refuse unknown fields (`additionalProperties: false`, as
//! every request type's `deny_unknown_fields` does), and OpenAPI links from
//! each create to what takes its id (`spec_links`). The document's paths
//! also give the `Allow` header of a 405 answer.

use poem::{http::Method, Endpoint, IntoResponse, Request, Response, Result};
use serde_json::Value;

/// The finished document and the methods of each path in it.
#[derive(Debug, Clone)]
pub struct Document {
    json: String,
    paths: Vec<(Vec<String>, Vec<String>)>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl Document {
    /// Completes the document poem-openapi generated.
    ///
    /// # Errors
    /// When `raw` is not JSON (it always is).
    pub fn complete(raw: &str) -> anyhow::Result<Self> {
        let mut doc: Value = serde_json::from_str(raw)?;
        close_request_bodies(&mut doc);
        confirm_sign_in_answer(&mut doc);
        super::spec_links::add(&mut doc);
        let paths = doc["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .map(|(path, item)| {
                        let mut methods: Vec<String> = METHODS
                            .iter()
                            .filter(|m| item.get(**m).is_some())
                            .map(|m| m.to_ascii_uppercase())
                            .collect();
                        if methods.iter().any(|m| m == "GET") {
                            methods.push("HEAD".to_owned());
                        }
                        (segments(path), methods)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            json: serde_json::to_string_pretty(&doc)? + "\n",
            paths,
        })
    }

    /// The document as generated, when completing it failed.
    #[must_use]
    pub fn plain(json: String) -> Self {
        Self {
            json,
            paths: Vec::new(),
        }
    }

    #[must_use]
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The methods a path under the API's base (`/api/v1`) answers to.
    #[must_use]
    pub fn allowed(&self, path: &str) -> Option<String> {
        let asked = segments(path);
        self.paths
            .iter()
            .filter(|(template, _)| matches(template, &asked))
            // A literal segment wins over a parameter (`/teams/join` over `/teams/{id}`).
            .max_by_key(|(template, _)| template.iter().filter(|s| !s.starts_with('{')).count())
            .map(|(_, methods)| methods.join(", "))
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn matches(template: &[String], asked: &[String]) -> bool {
    template.len() == asked.len()
        && template
            .iter()
            .zip(asked)
            .all(|(t, a)| t.starts_with('{') || t == a)
}

/// Marks every JSON request body's schema as closed to unknown fields.
/// The sign-in link's 409 is its own: a problem that names the account and
/// the asking device (`ConfirmSignIn`), not the generic conflict the error
/// type declares for every operation.
fn confirm_sign_in_answer(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(post) = item.get_mut("post") else {
            continue;
        };
        if post["operationId"] == "verifyEmailSignIn" {
            post["responses"]["409"] = serde_json::json!({
                "description": "Opened in another browser than the one that asked for the link \
                    (`confirm_sign_in`): nothing was spent; send `\"confirm\": true` to sign in.",
                "content": { "application/problem+json": {
                    "schema": { "$ref": "#/components/schemas/ConfirmSignIn" }
                } }
            });
        }
    }
}

fn close_request_bodies(doc: &mut Value) {
    let mut refs = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for item in paths.values() {
            for method in METHODS {
                let Some(content) = item
                    .get(method)
                    .and_then(|op| op.pointer("/requestBody/content"))
                    .and_then(Value::as_object)
                else {
                    continue;
                };
                for (kind, media) in content {
                    if !kind.starts_with("application/json") {
                        continue;
                    }
                    if let Some(name) = media
                        .pointer("/schema/$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        refs.push(name.to_owned());
                    }
                }
            }
        }
    }
    for name in refs {
        if let Some(schema) = doc
            .pointer_mut(&format!("/components/schemas/{name}"))
            .and_then(Value::as_object_mut)
        {
            schema.insert("additionalProperties".to_owned(), Value::Bool(false));
        }
    }
}

/// Adds `Allow` to a 405 answer of the API, from the document's paths.
pub async fn allow_header<E: Endpoint>(
    next: E,
    req: Request,
    document: std::sync::Arc<Document>,
) -> Result<Response> {
    // Nested under `/api/v1`, the path may arrive with or without the prefix.
    let full = req.uri().path();
    let path = full.strip_prefix("/api/v1").unwrap_or(full).to_owned();
    let is_head = req.method() == Method::HEAD;
    let mut response = match next.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    };
    if response.status() == poem::http::StatusCode::METHOD_NOT_ALLOWED && !is_head {
        if let Some(value) = document
            .allowed(&path)
            .and_then(|allowed| allowed.parse().ok())
        {
            response.headers_mut().insert("allow", value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::Document;

    const RAW: &str = r##"{
        "paths": {
            "/teams/{id}": {"get": {}, "delete": {}},
            "/teams/join": {"post": {"requestBody": {"content": {
                "application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/Join"}}}}}}
        },
        "components": {"schemas": {"Join": {"type": "object"}, "Team": {"type": "object"}}}
    }"##;

    #[test]
    fn closes_request_bodies_only() {
        let doc = Document::complete(RAW).unwrap();
        let json: serde_json::Value = serde_json::from_str(doc.json()).unwrap();
        assert_eq!(
            json["components"]["schemas"]["Join"]["additionalProperties"],
            false
        );
        assert!(json["components"]["schemas"]["Team"]
            .get("additionalProperties")
            .is_none());
    }

    #[test]
    fn knows_the_methods_of_a_path() {
        let doc = Document::complete(RAW).unwrap();
        assert_eq!(
            doc.allowed("/teams/0190").as_deref(),
            Some("GET, DELETE, HEAD")
        );
        assert_eq!(doc.allowed("/teams/join").as_deref(), Some("POST"));
        assert_eq!(doc.allowed("/nothing"), None);
    }
}
