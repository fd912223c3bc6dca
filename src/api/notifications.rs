//! The signed-in person's notifications: what the platform told them, with
//! an unread count for the navigation, and which kinds also come by email.

use chrono::{DateTime, Utc};
use poem_openapi::{
    param::{Path, Query},
    payload::Json,
    ApiResponse, Object, OpenApi,
};
use uuid::Uuid;

use super::{auth_guard::Auth, cursor, json::JsonBody, ApiTags};
use crate::{
    db::notifications::NotificationRow,
    domain::NotificationKind,
    error::AppError,
    service::{notifications, pagination::DEFAULT_LIMIT},
    state::AppState,
};

pub struct NotificationsApi {
    pub state: AppState,
}

/// One thing the platform told the person. The app words it from `kind`,
/// `outcome` and `title`, in the person's language.
#[derive(Debug, Object)]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// What it is about: a campaign's title, a team's name.
    pub title: String,
    /// `approved`, `changes_requested`, `rejected`, `unpublished`, `archived`
    /// (a decision); `verified`, `declined` (reach); the report's reason.
    /// Never a person's name.
    #[oai(nullable)]
    pub outcome: Option<String>,
    /// The facilitator's feedback or note.
    #[oai(nullable)]
    pub note: Option<String>,
    /// For verified reach: the people verified.
    #[oai(nullable)]
    pub people_verified: Option<i32>,
    /// Where it leads in the app.
    pub link: String,
    pub created_at: DateTime<Utc>,
    #[oai(nullable)]
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object)]
pub struct NotificationPage {
    /// Newest first.
    pub items: Vec<Notification>,
    #[oai(nullable)]
    pub next_cursor: Option<String>,
    /// How many of all the person's notifications are unread.
    pub unread: i64,
}

#[derive(Debug, Object)]
pub struct UnreadCount {
    pub unread: i64,
}

/// Which kinds also come by email; each is `true` unless the person said no.
#[derive(Debug, Object)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one yes or no per kind, as the settings screen shows them"
)]
pub struct EmailChoices {
    /// A facilitator's decision on the team's campaign.
    pub decision: bool,
    /// A decision on the team's reach report.
    pub reach_decision: bool,
    /// An invitation to a team.
    pub invite: bool,
    /// Someone joined the team (shown in the app; never mailed today).
    pub team_member: bool,
    /// For staff: an urgent public report.
    pub report: bool,
}

/// The kinds to change; those left out (or `null`) stay as they are.
#[derive(Debug, Object, serde::Deserialize)]
#[oai(deny_unknown_fields)]
#[serde(deny_unknown_fields)]
pub struct EmailChoicesUpdate {
    #[oai(nullable)]
    pub decision: Option<bool>,
    #[oai(nullable)]
    pub reach_decision: Option<bool>,
    #[oai(nullable)]
    pub invite: Option<bool>,
    #[oai(nullable)]
    pub team_member: Option<bool>,
    #[oai(nullable)]
    pub report: Option<bool>,
}

#[derive(ApiResponse)]
enum Done {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

fn item(row: NotificationRow) -> Notification {
    Notification {
        id: row.id,
        kind: row.kind,
        title: row.title,
        outcome: row.outcome,
        note: row.note,
        people_verified: row.figure,
        link: row.link,
        created_at: row.created_at,
        read_at: row.read_at,
    }
}

fn choices(list: &[(NotificationKind, bool)]) -> EmailChoices {
    let wants = |kind| {
        list.iter()
            .find(|(k, _)| *k == kind)
            .is_none_or(|(_, e)| *e)
    };
    EmailChoices {
        decision: wants(NotificationKind::Decision),
        reach_decision: wants(NotificationKind::ReachDecision),
        invite: wants(NotificationKind::Invite),
        team_member: wants(NotificationKind::TeamMember),
        report: wants(NotificationKind::Report),
    }
}

#[OpenApi(tag = "ApiTags::Me")]
impl NotificationsApi {
    /// Your notifications
    ///
    /// Newest first, with the unread count.
    #[oai(
        path = "/me/notifications",
        method = "get",
        operation_id = "listNotifications"
    )]
    async fn list(
        &self,
        auth: Auth,
        /// Items per page: 1 to 100 (24 when absent).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
        /// Where the page starts: the `next_cursor` of the page before.
        #[oai(validator(pattern = "^(-?([0-9]{1,18}|[0-8][0-9]{18})\\.[0-9a-fA-F]{32})?$"))]
        cursor: Query<Option<String>>,
    ) -> Result<Json<NotificationPage>, AppError> {
        let after = cursor::decode(cursor.0.as_deref())?;
        let (page, unread) = notifications::list(
            &self.state,
            auth.principal(),
            after,
            limit.0.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
        Ok(Json(NotificationPage {
            items: page.items.into_iter().map(item).collect(),
            next_cursor: page.next.map(cursor::encode),
            unread,
        }))
    }

    /// How many notifications are unread
    #[oai(
        path = "/me/notifications/unread",
        method = "get",
        operation_id = "unreadNotifications"
    )]
    async fn unread(&self, auth: Auth) -> Result<Json<UnreadCount>, AppError> {
        let unread = notifications::unread(&self.state, auth.principal()).await?;
        Ok(Json(UnreadCount { unread }))
    }

    /// Mark a notification read
    #[oai(
        path = "/me/notifications/:id/read",
        method = "post",
        operation_id = "readNotification"
    )]
    async fn read(&self, auth: Auth, id: Path<Uuid>) -> Result<Done, AppError> {
        notifications::mark_read(&self.state, auth.principal(), id.0).await?;
        Ok(Done::NoContent)
    }

    /// Mark every notification read
    #[oai(
        path = "/me/notifications/read",
        method = "post",
        operation_id = "readAllNotifications"
    )]
    async fn read_all(&self, auth: Auth) -> Result<Done, AppError> {
        notifications::mark_all_read(&self.state, auth.principal()).await?;
        Ok(Done::NoContent)
    }

    /// What comes by email
    #[oai(
        path = "/me/notification-settings",
        method = "get",
        operation_id = "notificationSettings"
    )]
    async fn settings(&self, auth: Auth) -> Result<Json<EmailChoices>, AppError> {
        let list = notifications::email_choices(&self.state, auth.principal()).await?;
        Ok(Json(choices(&list)))
    }

    /// Choose what comes by email
    ///
    /// Everything is shown in the app either way.
    #[oai(
        path = "/me/notification-settings",
        method = "patch",
        operation_id = "updateNotificationSettings"
    )]
    async fn update_settings(
        &self,
        auth: Auth,
        body: JsonBody<EmailChoicesUpdate>,
    ) -> Result<Json<EmailChoices>, AppError> {
        let b = body.0;
        let changes: Vec<(NotificationKind, bool)> = [
            (NotificationKind::Decision, b.decision),
            (NotificationKind::ReachDecision, b.reach_decision),
            (NotificationKind::Invite, b.invite),
            (NotificationKind::TeamMember, b.team_member),
            (NotificationKind::Report, b.report),
        ]
        .into_iter()
        .filter_map(|(kind, value)| value.map(|v| (kind, v)))
        .collect();
        let list = notifications::choose_email(&self.state, auth.principal(), &changes).await?;
        Ok(Json(choices(&list)))
    }
}
