//! The signed-in person's sessions: where they are signed in, ending one,
//! and signing out everywhere.

use chrono::{DateTime, Utc};
use poem::web::cookie::CookieJar;
use poem_openapi::{param::Path, payload::Json, ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::{
    auth_guard::{cleared_cookie, Auth},
    ApiTags,
};
use crate::{
    error::AppError,
    service::sessions::{self, SessionView},
    state::AppState,
};

pub struct SessionsApi {
    pub state: AppState,
}

/// A device the person is signed in on.
#[derive(Debug, Object)]
pub struct SessionInfo {
    pub id: Uuid,
    /// The browser and system it started on ("Firefox on Android"), when known.
    #[oai(nullable)]
    pub device: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}

impl From<SessionView> for SessionInfo {
    fn from(view: SessionView) -> Self {
        Self {
            id: view.row.id,
            device: view.row.device,
            created_at: view.row.created_at,
            last_seen_at: view.row.last_seen_at,
            current: view.current,
        }
    }
}

#[derive(ApiResponse)]
pub enum Ended {
    /// Ended.
    #[oai(status = 204)]
    Done,
}

#[OpenApi(prefix_path = "/me/sessions", tag = "ApiTags::Me")]
impl SessionsApi {
    /// Where I am signed in
    ///
    /// The caller's live sessions, the most recently used first, each with
    /// the device it started on and whether it is this one.
    #[oai(path = "/", method = "get", operation_id = "listSessions")]
    async fn list(&self, auth: Auth) -> Result<Json<Vec<SessionInfo>>, AppError> {
        let views = sessions::list(&self.state, auth.principal()).await?;
        Ok(Json(views.into_iter().map(SessionInfo::from).collect()))
    }

    /// Sign out on one device
    ///
    /// Ends one of the caller's sessions at once; ending this one also
    /// clears the cookie. Anyone else's session is 404.
    #[oai(path = "/:id", method = "delete", operation_id = "revokeSession")]
    async fn revoke(&self, auth: Auth, jar: &CookieJar, id: Path<Uuid>) -> Result<Ended, AppError> {
        if sessions::revoke(&self.state, auth.principal(), id.0).await? {
            jar.add(cleared_cookie(&self.state));
        }
        Ok(Ended::Done)
    }

    /// Sign out everywhere
    ///
    /// Ends every session of the caller, this one included.
    #[oai(path = "/", method = "delete", operation_id = "signOutEverywhere")]
    async fn revoke_all(&self, auth: Auth, jar: &CookieJar) -> Result<Ended, AppError> {
        sessions::revoke_all(&self.state, auth.principal()).await?;
        jar.add(cleared_cookie(&self.state));
        Ok(Ended::Done)
    }
}
