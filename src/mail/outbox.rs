//! The worker that sends notification mail from the durable outbox: one mail
//! at a time per worker, retried with a growing wait while the server is
//! unreachable, marked sent the moment the server accepted it.

use std::time::Duration;

use crate::{db, state::AppState};

use super::OutgoingMail;

/// Sends due mail until the process stops.
pub async fn run(state: AppState) {
    loop {
        match deliver_one(&state).await {
            Ok(true) => {}
            Ok(false) => tokio::time::sleep(Duration::from_millis(500)).await,
            Err(err) => {
                tracing::warn!(error = %err, "could not read the mail outbox");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Sends the next due mail, if any; whether there was one.
///
/// # Errors
/// When the database fails (a failing mail server is a retry, not an error).
pub async fn deliver_one(state: &AppState) -> Result<bool, sqlx::Error> {
    // Longer than any attempt can take, so a live worker keeps its lease.
    let timeout = i64::try_from(state.config.mail.smtp.timeout_seconds).unwrap_or(60);
    let lease = chrono::Duration::seconds(timeout.saturating_mul(2).saturating_add(15));
    let Some(row) = db::outbox::claim(&state.db, state.clock.now(), lease).await? else {
        return Ok(false);
    };
    let mail = OutgoingMail {
        to: row.recipient,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
    };
    let host = state.config.public_url.host_str().unwrap_or("changemakers");
    let message_id = format!("<{}@{host}>", row.id);
    match state.mailer.send_with_id(&mail, Some(message_id)).await {
        Ok(()) => {
            crate::stop_point::reached("mail.handed_over").await;
            db::outbox::mark_sent(&state.db, row.id, state.clock.now()).await?;
            state.metrics.mail_attempt("sent");
        }
        Err(err) => {
            let retry = &state.config.mail.retry;
            let next = (row.attempts < retry.max_attempts)
                .then(|| state.clock.now() + retry.backoff(row.attempts));
            state
                .metrics
                .mail_attempt(if next.is_some() { "retry" } else { "failed" });
            if next.is_none() {
                tracing::error!(mail_id = %row.id, error = %err, "gave up on a notification mail");
            } else {
                tracing::warn!(mail_id = %row.id, attempts = row.attempts, error = %err, "mail not sent; will retry");
            }
            db::outbox::mark_failed(&state.db, row.id, &format!("{err:#}"), next).await?;
        }
    }
    Ok(true)
}
