//! Who is told what about moderation. Mail is written to the durable outbox
//! in the same transaction as the decision or report it tells of, so a
//! decision never goes untold and nothing is told of a decision that failed.

use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use crate::{
    db::{
        self,
        notifications::{Addressee, NewNotification},
        outbox::NewMail,
        Tx,
    },
    domain::{Locale, NotificationKind, ReportReason},
    mail::{self, Decision, OutgoingMail},
    state::AppState,
};

fn link(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.config.public_url.as_str().trim_end_matches('/')
    )
}

async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    user_id: Option<Uuid>,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let new = NewMail {
        kind,
        dedupe_key: None,
        user_id,
        recipient: &mail.to,
        subject: &mail.subject,
        text: &mail.text,
        html: &mail.html,
    };
    db::outbox::enqueue(tx, &new, now).await?;
    Ok(())
}

/// Tells each person in the app and, if they want it and have an address,
/// by mail: both in the caller's transaction, so neither exists without the other.
async fn tell(
    tx: &mut Tx,
    people: &[Addressee],
    notice: &NewNotification<'_>,
    now: DateTime<Utc>,
    mail: impl Fn(&str, Locale) -> OutgoingMail,
) -> Result<(), sqlx::Error> {
    for person in people {
        db::notifications::insert(tx, person.user_id, notice, now).await?;
        if let (true, Some(email)) = (person.wants_email, person.email.as_deref()) {
            let message = mail(email, person.locale);
            enqueue(
                tx,
                notice.kind.as_str(),
                Some(person.user_id),
                &message,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// The word a notification keeps for a decision; the app translates it.
#[must_use]
pub fn outcome(decision: Decision) -> &'static str {
    match decision {
        Decision::Approved => "approved",
        Decision::ChangesRequested => "changes_requested",
        Decision::Rejected => "rejected",
        Decision::Unpublished => "unpublished",
        Decision::Archived => "archived",
    }
}

/// Tells every member of the campaign's team, each in their own language.
///
/// # Errors
/// When the database fails.
pub async fn decision(
    state: &AppState,
    tx: &mut Tx,
    campaign_id: Uuid,
    decision: Decision,
    title: &str,
    feedback: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let path = format!("/campaigns/{campaign_id}");
    let target = link(state, &path);
    let kind = NotificationKind::Decision;
    let team = db::notifications::campaign_team(tx, campaign_id, kind).await?;
    let notice = NewNotification {
        kind,
        title,
        outcome: Some(outcome(decision)),
        note: feedback,
        figure: None,
        link: &path,
    };
    tell(tx, &team, &notice, now, |to, locale| {
        mail::decision_mail(to, locale, decision, title, feedback, &target)
    })
    .await
}

/// Tells the campaign's team of a decision on its reach report.
///
/// # Errors
/// When the database fails.
pub async fn reach_decision(
    state: &AppState,
    tx: &mut Tx,
    campaign: &db::campaigns::CampaignRow,
    title: &str,
    figures: (i32, Option<i32>),
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let path = format!("/campaigns/{}", campaign.id);
    let target = link(state, &path);
    let kind = NotificationKind::ReachDecision;
    let team = db::notifications::campaign_team(tx, campaign.id, kind).await?;
    let notice = NewNotification {
        kind,
        title,
        outcome: Some(if figures.1.is_some() {
            "verified"
        } else {
            "declined"
        }),
        note,
        figure: figures.1,
        link: &path,
    };
    tell(tx, &team, &notice, now, |to, locale| {
        mail::reach_mail(to, locale, title, figures, note, &target)
    })
    .await
}

/// A report of hate or personal data, as the moderators hear of it.
pub struct UrgentReport<'a> {
    pub campaign_id: Uuid,
    pub programme_id: Uuid,
    pub title: &'a str,
    pub reason: ReportReason,
    pub details: &'a str,
}

/// Alerts the programme's moderators at once about a report of hate or
/// personal data: once per campaign per hour, with the count of its open
/// reports.
///
/// # Errors
/// When the database fails.
pub async fn urgent_report(
    state: &AppState,
    tx: &mut Tx,
    report: &UrgentReport<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let path = format!("/moderation/reports?campaign={}", report.campaign_id);
    let target = link(state, &path);
    let kind = NotificationKind::Report;
    let open = db::reports::open_count(tx, report.campaign_id).await?;
    let notice = NewNotification {
        kind,
        title: report.title,
        outcome: Some(report.reason.as_str()),
        note: None,
        figure: i32::try_from(open).ok(),
        link: &path,
    };
    // One notice (and mail) per moderator per campaign per hour, with the
    // count of open reports: ten reports in a minute are one mail.
    let since = now - chrono::Duration::hours(1);
    let mut moderators = Vec::new();
    for person in db::notifications::moderators(tx, report.programme_id, kind).await? {
        if !db::notifications::told_since(tx, person.user_id, kind, &path, since).await? {
            moderators.push(person);
        }
    }
    tell(tx, &moderators, &notice, now, |to, locale| {
        let about = mail::ReportAbout {
            title: report.title,
            reason: report.reason,
            details: report.details,
            open,
        };
        mail::report_mail(to, locale, &about, &target)
    })
    .await
}

/// Tells a team's other members that someone joined.
///
/// # Errors
/// When the database fails.
pub async fn new_member(
    tx: &mut Tx,
    team_id: Uuid,
    team_name: &str,
    member: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let path = format!("/teams/{team_id}");
    let kind = NotificationKind::TeamMember;
    let others = db::notifications::team_members(tx, team_id, member, kind).await?;
    // No names: a notification outlives what others may know of a person.
    let notice = NewNotification::about(kind, team_name, &path);
    // In the app only: a mail for every new teammate would be noise.
    for person in &others {
        db::notifications::insert(tx, person.user_id, &notice, now).await?;
    }
    Ok(())
}

/// Tells a member that they lead their team now (the lead left, or staff
/// appointed them); in the app only.
///
/// # Errors
/// When the database fails.
pub async fn new_lead(
    tx: &mut Tx,
    team_id: Uuid,
    team_name: &str,
    lead: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let path = format!("/teams/{team_id}");
    let notice = NewNotification {
        outcome: Some("lead"),
        ..NewNotification::about(NotificationKind::TeamMember, team_name, &path)
    };
    db::notifications::insert(tx, lead, &notice, now).await
}

/// An invitation to a team: in the app when the address has an account,
/// and by mail unless that account chose not to get invites by mail.
///
/// # Errors
/// When the database fails.
pub async fn invite(
    tx: &mut Tx,
    email: &str,
    team_name: &str,
    join_path: &str,
    message: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let kind = NotificationKind::Invite;
    let person = db::notifications::by_email(tx, email, kind).await?;
    if let Some(person) = &person {
        let notice = NewNotification::about(kind, team_name, join_path);
        db::notifications::insert(tx, person.user_id, &notice, now).await?;
    }
    if person.as_ref().is_none_or(|p| p.wants_email) {
        enqueue(tx, kind.as_str(), person.map(|p| p.user_id), message, now).await?;
    }
    Ok(())
}

/// The start of the digest period `now` falls in, or `None` when digests are off.
#[must_use]
pub fn digest_period(now: DateTime<Utc>, interval: u64, offset: u64) -> Option<DateTime<Utc>> {
    let interval = i64::try_from(interval).ok().filter(|i| *i > 0)?;
    let offset = i64::try_from(offset).unwrap_or(0) % interval;
    let start = (now.timestamp() - offset).div_euclid(interval) * interval + offset;
    Utc.timestamp_opt(start, 0).single()
}

/// Queues this period's digest for every facilitator with something waiting.
/// Each person gets one digest per period, however many instances run this.
///
/// # Errors
/// When the database fails.
pub async fn queue_digests(state: &AppState) -> Result<usize, sqlx::Error> {
    let config = &state.config.moderation;
    let now = state.clock.now();
    let Some(period) = digest_period(
        now,
        config.digest_interval_seconds,
        config.digest_offset_seconds,
    ) else {
        return Ok(0);
    };
    let target = link(state, "/moderation");
    let mut queued = 0;
    for row in db::moderation::waiting_per_facilitator(&state.db).await? {
        if row.submitted + row.open_reports == 0 {
            continue;
        }
        let mail = mail::digest_mail(
            &row.email,
            row.locale,
            row.submitted,
            row.open_reports,
            &target,
        );
        let key = format!("digest:{}:{}", row.user_id, period.timestamp());
        let new = NewMail {
            kind: "digest",
            dedupe_key: Some(&key),
            user_id: Some(row.user_id),
            recipient: &mail.to,
            subject: &mail.subject,
            text: &mail.text,
            html: &mail.html,
        };
        if db::outbox::enqueue_once(&state.db, &new, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Checks for due digests every minute (or every interval, if shorter).
pub async fn run_digests(state: AppState) {
    let interval = state.config.moderation.digest_interval_seconds;
    if interval == 0 {
        return;
    }
    let every = std::time::Duration::from_secs(interval.clamp(1, 60));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match queue_digests(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(queued = n, "queued moderation digests"),
            Err(err) => tracing::warn!(error = %err, "could not queue digests"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::digest_period;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_daily_digest_period_starts_at_the_offset() {
        let day = 24 * 3600;
        let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0).unwrap();
        assert_eq!(digest_period(at(7, 30), day, 6 * 3600), Some(at(6, 0)));
        assert_eq!(
            digest_period(at(5, 59), day, 6 * 3600),
            Some(Utc.with_ymd_and_hms(2026, 11, 20, 6, 0, 0).unwrap())
        );
        assert_eq!(digest_period(at(5, 59), 0, 0), None);
    }
}
