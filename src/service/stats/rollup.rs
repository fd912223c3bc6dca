//! Keeping the rollups true: every change that moves a figure calls one of
//! these in its own transaction, so a figure and its cause commit together.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{
    db::{self, counting::CampaignCounting, ledger::LedgerRow, Tx},
    domain::{reach, CampaignStatus, Figure, ReachStatus},
};

/// A person joined a programme (nothing when they already had).
pub async fn enrolled(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let country = db::counting::programme_country(tx, programme_id).await?;
    let day = country.local_date(at);
    let Some(first) = db::ledger::enrol(tx, programme_id, user_id, day, at).await? else {
        return Ok(false);
    };
    db::stats::add(tx, programme_id, day, Figure::Enrolled, 1).await?;
    if first {
        db::stats::add(tx, programme_id, day, Figure::EnrolledFirst, 1).await?;
    }
    Ok(true)
}

/// A facilitator marked (or with `None` unmarked) a person trained.
pub async fn trained(
    tx: &mut Tx,
    programme_id: Uuid,
    user_id: Uuid,
    on: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    let Some(before) = db::ledger::set_trained(tx, programme_id, user_id, on).await? else {
        return Ok(());
    };
    if before.trained_on == on {
        return Ok(());
    }
    if let Some(old) = before.trained_on {
        db::stats::add(tx, programme_id, old, Figure::Trained, -1).await?;
    }
    if let Some(new) = on {
        db::stats::add(tx, programme_id, new, Figure::Trained, 1).await?;
    }
    if before.first_trained {
        // Counted on the day it had; unmarked here, marked again below if still first.
        if let Some(old) = before.trained_on {
            db::stats::add(tx, programme_id, old, Figure::TrainedFirst, -1).await?;
        }
        db::ledger::set_first_trained(tx, programme_id, before.person_key, false).await?;
    }
    refresh_first_trained(tx, before.person_key).await
}

/// Which of a person's rows is their first training: the earliest day,
/// then the earliest enrolment.
#[must_use]
pub fn first_trained(rows: &[LedgerRow]) -> Option<Uuid> {
    rows.iter()
        .filter_map(|r| r.trained_on.map(|d| (d, r.created_at, r.programme_id)))
        .min()
        .map(|(_, _, programme)| programme)
}

/// Moves a person's first-training mark to where it belongs now. Every
/// marked row still has the day it was counted on (the one row whose day
/// changed was unmarked by the caller).
async fn refresh_first_trained(tx: &mut Tx, person_key: Uuid) -> Result<(), sqlx::Error> {
    let rows = db::ledger::of_person(tx, person_key).await?;
    let first = first_trained(&rows);
    for row in &rows {
        let should = first == Some(row.programme_id);
        if row.first_trained == should {
            continue;
        }
        if let Some(day) = row.trained_on {
            let delta = if should { 1 } else { -1 };
            db::stats::add(tx, row.programme_id, day, Figure::TrainedFirst, delta).await?;
        }
        db::ledger::set_first_trained(tx, row.programme_id, person_key, should).await?;
    }
    Ok(())
}

/// A team was started.
pub async fn team_created(
    tx: &mut Tx,
    programme_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let country = db::counting::programme_country(tx, programme_id).await?;
    db::stats::add(tx, programme_id, country.local_date(at), Figure::Teams, 1).await
}

/// The days a campaign should be counted on now: first submitted, and
/// first published while it is public.
#[must_use]
pub fn campaign_days(c: &CampaignCounting) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let public =
        c.published_at.is_some() && c.hidden_at.is_none() && c.status != CampaignStatus::Archived;
    let submitted = c.first_submitted_at.map(|at| c.country.local_date(at));
    let approved = c
        .first_published_at
        .filter(|_| public)
        .map(|at| c.country.local_date(at));
    (submitted, approved)
}

/// Brings the rollups in line with a campaign's state, after any change to it.
pub async fn campaign(tx: &mut Tx, id: Uuid) -> Result<(), sqlx::Error> {
    let Some(c) = db::counting::campaign(tx, id).await? else {
        return Ok(());
    };
    let (submitted, approved) = campaign_days(&c);
    if (submitted, approved) == (c.counted_submitted_on, c.counted_approved_on) {
        return Ok(());
    }
    for (figure, was, now) in [
        (
            Figure::CampaignsSubmitted,
            c.counted_submitted_on,
            submitted,
        ),
        (Figure::CampaignsApproved, c.counted_approved_on, approved),
    ] {
        if was != now {
            if let Some(day) = was {
                db::stats::add(tx, c.programme_id, day, figure, -1).await?;
            }
            if let Some(day) = now {
                db::stats::add(tx, c.programme_id, day, figure, 1).await?;
            }
        }
    }
    db::counting::set_counted(tx, id, submitted, approved).await
}

/// What a reach report adds, as a figure-by-figure change.
#[derive(Debug, Clone, Copy)]
pub struct ReachState {
    pub occurred_on: NaiveDate,
    pub status: ReachStatus,
    pub reached: i32,
    pub verified: Option<i32>,
}

/// A report was filed, changed, decided or removed (`None` for absent).
pub async fn reach(
    tx: &mut Tx,
    programme_id: Uuid,
    before: Option<ReachState>,
    after: Option<ReachState>,
) -> Result<(), sqlx::Error> {
    for (state, sign) in [(before, -1), (after, 1)] {
        if let Some(s) = state {
            let (reported, verified) = reach::contribution(s.status, s.reached, s.verified);
            db::stats::add(
                tx,
                programme_id,
                s.occurred_on,
                Figure::ReachReported,
                sign * reported,
            )
            .await?;
            db::stats::add(
                tx,
                programme_id,
                s.occurred_on,
                Figure::ReachVerified,
                sign * verified,
            )
            .await?;
        }
    }
    Ok(())
}
