//! The authorisation matrix: every operation of the API document, driven by
//! every role, each getting the status its rules say. The operations come
//! from the generated document, so an endpoint without a row here fails the
//! test: a new endpoint cannot land without deciding who may call it.
//!
//! A role scoped to one city or programme grants nothing elsewhere: a
//! facilitator of another programme of the same city, and the admin of
//! another city, get what a stranger gets. What a caller may not see does
//! not exist to them (404); what they may see but not do is 403.

use std::collections::BTreeSet;

use serde_json::Value;

mod world;

use world::World;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Who {
    Anonymous,
    /// Signed in, enrolled nowhere near the team.
    Changemaker,
    Member,
    Lead,
    /// Of the team's programme.
    Facilitator,
    /// Of another programme in the same city.
    OtherFacilitator,
    /// Of the programme's city.
    CityAdmin,
    OtherCityAdmin,
    Admin,
}

use Who::{
    Admin, Anonymous, Changemaker, CityAdmin, Facilitator, Lead, Member, OtherCityAdmin,
    OtherFacilitator,
};

const EVERYONE: [Who; 9] = [
    Anonymous,
    Changemaker,
    Member,
    Lead,
    Facilitator,
    OtherFacilitator,
    CityAdmin,
    OtherCityAdmin,
    Admin,
];
const TEAM: &[Who] = &[Member, Lead];
/// Who moderates the programme.
const MODERATORS: &[Who] = &[Facilitator, CityAdmin, Admin];
/// The team and its moderators: who sees the team's work.
const INSIDERS: &[Who] = &[Member, Lead, Facilitator, CityAdmin, Admin];
const MANAGERS: &[Who] = &[CityAdmin, Admin];
const SIGNED_IN: &[Who] = &[
    Changemaker,
    Member,
    Lead,
    Facilitator,
    OtherFacilitator,
    CityAdmin,
    OtherCityAdmin,
    Admin,
];
/// Everyone signed in but the moderators of the programme.
const NOT_MODERATORS: &[Who] = &[Changemaker, Member, Lead, OtherFacilitator, OtherCityAdmin];

/// `ok` for the allowed; 401 for anonymous; 403 for those who see the thing
/// but may not do this; 404 for everyone else.
fn rule(who: Who, allowed: &[Who], ok: u16, forbidden: &[Who]) -> u16 {
    if allowed.contains(&who) {
        ok
    } else if who == Anonymous {
        401
    } else if forbidden.contains(&who) {
        403
    } else {
        404
    }
}

/// What each role gets from each operation.
fn expected(operation: &str, who: Who) -> u16 {
    match operation {
        // Public: the same for everyone.
        "listProviders" | "listCities" | "getCity" | "listProgrammes" | "getProgramme"
        | "publicCampaign" | "publicCampaigns" | "statsGoal" | "statsSeries" => 200,
        "requestEmailSignIn" | "reportCampaign" => 202,
        // A token the server did not issue.
        "verifyEmailSignIn" => 400,
        // No such provider.
        "startOauth" | "finishOauth" => 404,
        // Anyone signed in, about themselves.
        "getMe" | "updateMe" | "exportMe" | "listMyIdentities" | "enrol" | "joinTeam" => {
            rule(who, SIGNED_IN, 200, &[])
        }
        "logout" | "deleteMe" | "signOutEverywhere" => rule(who, SIGNED_IN, 204, &[]),
        "listSessions" => rule(who, SIGNED_IN, 200, &[]),
        // A spare session of the member's: theirs to end, nobody else's to see.
        "revokeSession" => match who {
            Anonymous => 401,
            Member => 204,
            _ => 404,
        },
        // Each person's own notifications.
        "listNotifications"
        | "unreadNotifications"
        | "notificationSettings"
        | "updateNotificationSettings" => rule(who, SIGNED_IN, 200, &[]),
        "readAllNotifications" => rule(who, SIGNED_IN, 204, &[]),
        // Another person's notification, or none: never found.
        "readNotification" => rule(who, SIGNED_IN, 404, &[]),
        // No such identity to unlink.
        "unlinkMyIdentity" => rule(who, SIGNED_IN, 404, &[]),
        // Starting a team enrols the caller; a team member already has one.
        "createTeam" => match who {
            Member | Lead => 409,
            _ => rule(who, SIGNED_IN, 201, &[]),
        },
        // The platform and its cities.
        "createCity" | "addCityAdmin" => rule(who, &[Admin], 201, SIGNED_IN),
        "removeCityAdmin" => rule(who, &[Admin], 204, SIGNED_IN),
        "updateCity" | "listCityAdmins" | "updateProgramme" => rule(who, MANAGERS, 200, SIGNED_IN),
        "createProgramme" | "addFacilitator" => rule(who, MANAGERS, 201, SIGNED_IN),
        "removeFacilitator" => rule(who, MANAGERS, 204, SIGNED_IN),
        "moderationAudit" => rule(who, MANAGERS, 200, SIGNED_IN),
        // A programme's people and its moderation.
        "listFacilitators"
        | "listParticipants"
        | "programmeOverview"
        | "listTeams"
        | "moderationQueue"
        | "listReports"
        | "listFeedbackTemplates"
        | "reachQueue"
        | "exportProgrammeReach"
        | "exportStats" => rule(who, MODERATORS, 200, NOT_MODERATORS),
        "createFeedbackTemplate" => rule(who, MODERATORS, 201, NOT_MODERATORS),
        "markTrained" | "unmarkTrained" => rule(who, MODERATORS, 204, NOT_MODERATORS),
        "deleteFeedbackTemplate" => rule(who, MODERATORS, 204, &[]),
        "reviewCampaign" | "decideCampaign" | "archiveCampaign" | "resolveReport"
        | "verifyReach" => rule(who, MODERATORS, 200, &[]),
        // The team's own work: its moderators read it but never write it.
        "getTeam" | "listTeamCampaigns" | "getCampaign" | "campaignHistory" | "getMedia"
        | "getMediaFile" | "listReach" => rule(who, INSIDERS, 200, &[]),
        "updateCampaign" | "submitCampaign" | "withdrawCampaign" | "updateMedia"
        | "updateReach" => rule(who, TEAM, 200, MODERATORS),
        "createCampaign" | "createReach" => rule(who, TEAM, 201, MODERATORS),
        "deleteReach" => rule(who, TEAM, 204, MODERATORS),
        "uploadMedia" | "inviteToTeam" | "uploadEvidence" => rule(who, TEAM, 202, MODERATORS),
        "deleteMedia" => rule(who, TEAM, 204, MODERATORS),
        // Running the team: its lead.
        // The lead runs the team, and so do its programme's staff, so a team
        // whose lead is gone is never stranded.
        "rotateJoinCode" | "transferTeamLead" => {
            rule(who, &[Lead, Facilitator, CityAdmin, Admin], 200, &[Member])
        }
        "removeTeamMember" => rule(who, &[Lead, Facilitator, CityAdmin, Admin], 204, &[Member]),
        other => panic!("no row in the authorisation matrix for operation `{other}`"),
    }
}

/// Every operation in the API document, by its id.
fn operations() -> Vec<String> {
    let doc: Value = serde_json::from_str(&changemakers::api::spec_json().unwrap()).unwrap();
    let mut ids = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids.into_iter().collect()
}

/// Ending the session under test or the account itself: these run last.
const LAST: [&str; 3] = ["signOutEverywhere", "logout", "deleteMe"];

#[tokio::test]
async fn every_operation_with_every_role() {
    let mut operations = operations();
    assert!(
        operations.len() >= 60,
        "the document lists {} operations",
        operations.len()
    );
    // A row for each before anything runs, so a missing one names itself.
    for operation in &operations {
        expected(operation, Admin);
    }
    operations.retain(|o| !LAST.contains(&o.as_str()));
    operations.extend(LAST.iter().map(|o| (*o).to_owned()));
    let world = World::build().await;
    let mut wrong = Vec::new();
    let mut cells = 0;
    for operation in &operations {
        for who in EVERYONE {
            let got = world.drive(operation, who).await;
            let want = expected(operation, who);
            cells += 1;
            if got != want {
                wrong.push(format!("{operation} as {who:?}: got {got}, want {want}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn an_operation_without_a_row_fails() {
    let missing = std::panic::catch_unwind(|| expected("someNewEndpoint", Admin));
    assert!(missing.is_err());
}
