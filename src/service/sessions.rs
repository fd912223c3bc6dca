//! Starting sessions, whichever way a person signed in.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{auth::SignedIn, oauth::ProviderIdentity, tokens};
use crate::{
    config::ProviderConfig,
    db::{self, Tx},
    domain::{DisplayName, Email, Locale},
    error::{AppError, AppResult},
    state::AppState,
};

/// A brand-new session (a new id at every sign-in); returns its token and expiry.
///
/// # Errors
/// Database failures.
pub async fn create(
    state: &AppState,
    tx: &mut Tx,
    user_id: Uuid,
    now: DateTime<Utc>,
    device: Option<&str>,
) -> AppResult<(String, DateTime<Utc>)> {
    let token = tokens::generate();
    let expires_at = now + Duration::days(state.config.auth.session_idle_days);
    let new = db::sessions::NewSession {
        user_id,
        token_hash: &tokens::hash(&token),
        now,
        expires_at,
        device,
    };
    db::sessions::create(tx, &new).await?;
    db::users::record_sign_in(tx, user_id, now).await?;
    Ok((token, expires_at))
}

/// Signs in the person behind a provider identity. A known (provider,
/// subject) signs its person in; with `link_user_id` the identity joins that
/// account; otherwise an email the provider has verified joins the account
/// with that address, and anything else gets a new account. An unverified
/// email is never used to find an account, nor stored on a new one.
///
/// # Errors
/// 409 `identity_linked_elsewhere` when linking an identity another account holds.
pub async fn sign_in_with_identity(
    state: &AppState,
    provider: &ProviderConfig,
    identity: &ProviderIdentity,
    link_user_id: Option<Uuid>,
    locale: Locale,
    device: Option<&str>,
) -> AppResult<SignedIn> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let existing = db::identities::by_subject(&mut tx, &provider.id, &identity.subject).await?;
    let verified_email = identity
        .email
        .as_deref()
        .filter(|_| identity.email_verified)
        .and_then(|e| Email::parse(e).ok());
    let user_id = match (existing, link_user_id) {
        (Some(found), Some(link)) if found.user_id != link => {
            return Err(AppError::conflict(
                "identity_linked_elsewhere",
                "this account at the provider is already linked to another person",
            ));
        }
        (Some(found), _) => {
            db::identities::touch(
                &mut tx,
                found.id,
                verified_email.as_ref().map(Email::as_str),
                now,
            )
            .await?;
            found.user_id
        }
        (None, Some(link)) => {
            let stored_email = verified_email.as_ref().map(Email::as_str);
            if !db::identities::insert(
                &mut tx,
                link,
                &provider.id,
                &identity.subject,
                stored_email,
                now,
            )
            .await?
            {
                return Err(AppError::conflict(
                    "identity_linked_elsewhere",
                    "this account at the provider is already linked",
                ));
            }
            link
        }
        (None, None) => {
            let user = match &verified_email {
                Some(email) => {
                    db::users::find_or_create_by_email(&mut tx, email.as_str(), locale, now).await?
                }
                None => db::users::create_without_email(&mut tx, locale, now).await?,
            };
            if user.display_name.is_none() {
                if let Some(name) = identity
                    .name
                    .as_deref()
                    .and_then(|n| DisplayName::parse(n).ok())
                {
                    db::users::set_display_name_if_empty(&mut tx, user.id, name.as_str(), now)
                        .await?;
                }
            }
            let stored_email = verified_email.as_ref().map(Email::as_str);
            db::identities::insert(
                &mut tx,
                user.id,
                &provider.id,
                &identity.subject,
                stored_email,
                now,
            )
            .await?;
            user.id
        }
    };
    let (token, expires_at) = create(state, &mut tx, user_id, now, device).await?;
    tx.commit().await?;
    let user = db::users::by_id(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    tracing::info!(user_id = %user_id, provider = %provider.id, "signed in through a provider");
    Ok(SignedIn {
        token,
        user,
        expires_at,
    })
}

/// One of the person's live sessions, and whether it is the one asking.
pub struct SessionView {
    pub row: db::sessions::SessionInfoRow,
    pub current: bool,
}

/// The caller's live sessions, the most recently used first.
///
/// # Errors
/// Database failures.
pub async fn list(state: &AppState, principal: super::Principal) -> AppResult<Vec<SessionView>> {
    let rows = db::sessions::live_for_user(&state.db, principal.user_id, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionView {
            current: row.id == principal.session_id,
            row,
        })
        .collect())
}

/// Ends one of the caller's sessions (a lost phone, a shared computer);
/// returns whether it was the one asking.
///
/// # Errors
/// 404 unless it is a live session of the caller's.
pub async fn revoke(state: &AppState, principal: super::Principal, id: Uuid) -> AppResult<bool> {
    if !db::sessions::revoke_own(&state.db, id, principal.user_id, state.clock.now()).await? {
        return Err(AppError::NotFound("session"));
    }
    tracing::info!(user_id = %principal.user_id, session_id = %id, "session ended by its person");
    Ok(id == principal.session_id)
}

/// Ends every session of the caller, this one included.
///
/// # Errors
/// Database failures.
pub async fn revoke_all(state: &AppState, principal: super::Principal) -> AppResult<()> {
    let ended = db::sessions::revoke_all(&state.db, principal.user_id, state.clock.now()).await?;
    tracing::info!(user_id = %principal.user_id, ended, "signed out everywhere");
    Ok(())
}
