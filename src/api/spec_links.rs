//! OpenAPI links: what each create answers with, and the operations that
//! take the id it returns. They say how the API is walked (a team, then its
//! campaigns, a campaign's photos, its review and decision, its reach and a
//! report's verification), and schemathesis's stateful phase follows them:
//! create, read, update, delete, on the objects the run itself made.

use serde_json::{json, Value};

/// (operation, its success status, the operations its `id` feeds).
const LINKS: &[(&str, &str, &[&str])] = &[
    (
        "createTeam",
        "201",
        &[
            "getTeam",
            "listTeamCampaigns",
            "createCampaign",
            "inviteToTeam",
        ],
    ),
    (
        "createCampaign",
        "201",
        &[
            "getCampaign",
            "updateCampaign",
            "campaignHistory",
            "uploadMedia",
            "submitCampaign",
            "withdrawCampaign",
            "archiveCampaign",
            "listReach",
            "createReach",
        ],
    ),
    ("updateCampaign", "200", &["getCampaign", "submitCampaign"]),
    (
        "submitCampaign",
        "200",
        &[
            "getCampaign",
            "withdrawCampaign",
            "reviewCampaign",
            "decideCampaign",
            "listReach",
            "createReach",
        ],
    ),
    (
        "decideCampaign",
        "200",
        &["getCampaign", "campaignHistory", "createReach"],
    ),
    (
        "withdrawCampaign",
        "200",
        &["updateCampaign", "submitCampaign"],
    ),
    (
        "uploadMedia",
        "202",
        &["getMedia", "updateMedia", "deleteMedia"],
    ),
    ("updateMedia", "200", &["getMedia", "deleteMedia"]),
    (
        "createReach",
        "201",
        &[
            "updateReach",
            "deleteReach",
            "verifyReach",
            "uploadEvidence",
        ],
    ),
    ("updateReach", "200", &["deleteReach", "verifyReach"]),
    ("createFeedbackTemplate", "201", &["deleteFeedbackTemplate"]),
];

/// Operations that also take the campaign's `version` in their body (the
/// version they act on, so a stale one is 409): a link to one of them
/// passes the version its source answered with.
const TAKES_VERSION: &[&str] = &["updateCampaign", "submitCampaign", "decideCampaign"];

/// Adds the links to the responses they start from. A link whose
/// operations are missing is left out (the tests check none is).
pub(super) fn add(doc: &mut Value) {
    for (from, status, targets) in LINKS {
        let targets: Vec<&str> = targets
            .iter()
            .copied()
            .filter(|target| operation(doc, target).is_some())
            .collect();
        let Some(response) = operation(doc, from)
            .and_then(|(path, method)| {
                doc.pointer_mut(&format!("/paths/{path}/{method}/responses/{status}"))
            })
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let links: serde_json::Map<String, Value> = targets
            .into_iter()
            .map(|target| (target.to_owned(), link(target)))
            .collect();
        response.insert("links".to_owned(), Value::Object(links));
    }
}

/// A link to `target`, giving it the source's `id` (and `version`, where it
/// takes one).
fn link(target: &str) -> Value {
    let mut link = json!({
        "operationId": target,
        "parameters": { "id": "$response.body#/id" },
    });
    if TAKES_VERSION.contains(&target) {
        link["requestBody"] = json!({ "version": "$response.body#/version" });
    }
    link
}

/// Where an operation is: its path (escaped for a JSON pointer) and method.
fn operation(doc: &Value, id: &str) -> Option<(String, String)> {
    doc["paths"].as_object()?.iter().find_map(|(path, item)| {
        item.as_object()?.iter().find_map(|(method, op)| {
            (op["operationId"] == id)
                .then(|| (path.replace('~', "~0").replace('/', "~1"), method.clone()))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_create_links_to_what_takes_its_id() {
        let mut doc = json!({ "paths": {
            "/programmes/{id}/teams": { "post": { "operationId": "createTeam", "responses": { "201": {} } } },
            "/teams/{id}": { "get": { "operationId": "getTeam", "responses": { "200": {} } } },
        }});
        super::add(&mut doc);
        let links = &doc["paths"]["/programmes/{id}/teams"]["post"]["responses"]["201"]["links"];
        assert_eq!(
            links["getTeam"],
            json!({ "operationId": "getTeam", "parameters": { "id": "$response.body#/id" } })
        );
        assert!(
            links.get("createCampaign").is_none(),
            "only operations that exist"
        );
    }

    #[test]
    fn a_link_to_a_versioned_write_passes_the_version() {
        assert_eq!(
            super::link("submitCampaign")["requestBody"],
            json!({ "version": "$response.body#/version" })
        );
        assert!(super::link("getCampaign").get("requestBody").is_none());
    }
}
