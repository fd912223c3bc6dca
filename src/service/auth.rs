//! Sign-in by one-time email link, and sessions.

use std::net::IpAddr;

use chrono::Duration;
use tracing::instrument;

use super::{
    rate_limit::{self, Verdict},
    tokens, Principal,
};
use crate::{
    db::{self, users::UserRow},
    domain::{Email, Locale},
    error::{AppError, AppResult},
    mail,
    state::AppState,
};

/// A fresh session for a person who just signed in.
pub struct SignedIn {
    /// The session token; shown to the client once.
    pub token: String,
    pub user: UserRow,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Sends a one-time sign-in link to `email`, creating the account on first use.
/// Answers the same whether or not the address is known.
///
/// # Errors
/// `rate_limited` when this client asked too often, or too often for this
/// address; database failures.
#[instrument(skip_all)]
pub async fn request_link(
    state: &AppState,
    email: Email,
    locale: Option<Locale>,
    client: IpAddr,
    asker: &Asker<'_>,
) -> AppResult<()> {
    let auth = &state.config.auth;
    let hour = Duration::hours(1);
    if let Verdict::Limited {
        retry_after_seconds,
    } = rate_limit::hit(
        state,
        "sign_in_client",
        &client.to_string(),
        auth.requests_per_client_per_hour,
        hour,
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    // Links to one address are counted per asking client: whoever asks
    // from elsewhere cannot use up a person's own links, and the one asking
    // too often is told so (it says nothing about whether the address has
    // an account: the same holds for every address).
    if let Verdict::Limited {
        retry_after_seconds,
    } = rate_limit::hit(
        state,
        "sign_in_address",
        &format!("{}|{client}", email.as_str()),
        auth.links_per_address_per_hour,
        hour,
    )
    .await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }

    let known = db::users::by_email(&state.db, email.as_str()).await?;
    let locale = known
        .as_ref()
        .map(|user| user.locale)
        .or(locale)
        .unwrap_or(Locale::En);

    let token = tokens::generate();
    let now = state.clock.now();
    let expires_at = now + Duration::minutes(auth.link_minutes);
    let link = db::sign_in_links::NewLink {
        email: email.as_str(),
        token_hash: &tokens::hash(&token),
        locale,
        browser_hash: &tokens::hash(asker.browser),
        device: asker.device,
    };
    db::sign_in_links::create(&state.db, &link, now, expires_at).await?;

    let mut link = state.config.public_url.clone();
    link.set_path("/auth/verify");
    link.set_query(Some(&format!("token={token}")));
    if state.mailer.is_outbox() {
        // Where to find it, never the link itself: a token does not belong in a log.
        let outbox = state.config.outbox_dir();
        tracing::info!(outbox = %outbox.display(), "sign-in link written to the outbox as an .eml file");
    }
    let message = mail::sign_in_mail(email.as_str(), link.as_str(), auth.link_minutes, locale);
    let mailer = state.mailer.clone();
    // Sent in the background: the answer's timing must not depend on the address.
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&message).await {
            tracing::error!(error = %err, "sign-in mail not sent");
        }
    });
    Ok(())
}

/// The browser asking for a sign-in link: the random value of the cookie
/// it was given, and its coarse device name.
pub struct Asker<'a> {
    pub browser: &'a str,
    pub device: Option<&'a str>,
}

/// What opening a sign-in link leads to.
pub enum Verified {
    SignedIn(SignedIn),
    /// Opened in a browser other than the one that asked: nothing is spent
    /// until the person confirms, seeing whose account it is and which
    /// device asked.
    Confirm {
        email: String,
        device: Option<String>,
    },
}

/// Exchanges a sign-in link's token for a new session, in the browser that
/// asked for the link (`browser`, its cookie), or anywhere once `confirm`ed.
///
/// # Errors
/// 400 `invalid_token` for an unknown token, 410 `token_used` / `token_expired`.
#[instrument(skip_all)]
pub async fn verify_link(
    state: &AppState,
    token: &str,
    browser: Option<&str>,
    confirm: bool,
    device: Option<&str>,
) -> AppResult<Verified> {
    let invalid = || AppError::BadRequest {
        code: "invalid_token",
        detail: "this sign-in link is not valid".to_owned(),
    };
    if !tokens::looks_valid(token) {
        return Err(invalid());
    }
    let hash = tokens::hash(token);
    let now = state.clock.now();
    let spent = |link: Option<db::sign_in_links::LinkRow>| match link {
        None => invalid(),
        Some(link) if link.used_at.is_some() => AppError::Gone {
            code: "token_used",
            detail: "this sign-in link has already been used; ask for a new one".to_owned(),
        },
        Some(_) => AppError::Gone {
            code: "token_expired",
            detail: "this sign-in link has expired; ask for a new one".to_owned(),
        },
    };
    if !confirm {
        let found = db::sign_in_links::by_hash(&state.db, &hash).await?;
        match &found {
            Some(link) if link.used_at.is_none() && link.expires_at > now => {
                let asked_here = browser.is_some_and(|b| {
                    tokens::looks_valid(b) && link.browser_hash.as_deref() == Some(&tokens::hash(b))
                });
                if !asked_here {
                    return Ok(Verified::Confirm {
                        email: link.email.clone(),
                        device: link.device.clone(),
                    });
                }
            }
            _ => return Err(spent(found)),
        }
    }
    let mut tx = state.db.begin().await?;
    let Some(link) = db::sign_in_links::consume(&mut tx, &hash, now).await? else {
        drop(tx);
        return Err(spent(db::sign_in_links::by_hash(&state.db, &hash).await?));
    };
    let user = db::users::find_or_create_by_email(&mut tx, &link.email, link.locale, now).await?;
    let (session_token, expires_at) =
        super::sessions::create(state, &mut tx, user.id, now, device).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "signed in by email link");
    Ok(Verified::SignedIn(SignedIn {
        token: session_token,
        user,
        expires_at,
    }))
}

/// A session that was found live, and whether its expiry was pushed forward.
pub struct Authenticated {
    pub principal: Principal,
    /// The new expiry when the session was renewed by this request.
    pub renewed_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The person's language.
    pub locale: crate::domain::Locale,
}

/// Resolves a session token, sliding its expiry forward when it is due.
///
/// # Errors
/// Database failures; an unknown or dead token is `Ok(None)`.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<Option<Authenticated>> {
    if !tokens::looks_valid(token) {
        return Ok(None);
    }
    let now = state.clock.now();
    let Some(session) = db::sessions::live_by_hash(&state.db, &tokens::hash(token), now).await?
    else {
        return Ok(None);
    };
    let auth = &state.config.auth;
    let mut renewed_until = None;
    if now - session.last_seen_at >= Duration::minutes(auth.session_renew_minutes) {
        let absolute = session.created_at + Duration::days(auth.session_absolute_days);
        let expires_at = (now + Duration::days(auth.session_idle_days)).min(absolute);
        db::sessions::renew(&state.db, session.id, now, expires_at).await?;
        renewed_until = Some(expires_at);
    }
    Ok(Some(Authenticated {
        principal: Principal {
            user_id: session.user_id,
            session_id: session.id,
        },
        renewed_until,
        locale: session.locale,
    }))
}

/// Ends the caller's session on the server.
///
/// # Errors
/// Database failures.
pub async fn logout(state: &AppState, principal: Principal) -> AppResult<()> {
    db::sessions::revoke(&state.db, principal.session_id, state.clock.now()).await?;
    Ok(())
}
