//! Keeping the rollups true: every change that moves a figure calls one of
//! these in its own transaction, so a figure and its cause commit together.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{
    db::{self, counting::CampaignCounting, ledger::LedgerRow, Tx},
    domain::{reach, CampaignStatus, Figure, ReachStatus, Tally},
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
    let mut tally = Tally::default();
    tally.add(Figure::Enrolled, 1);
    tally.add(Figure::EnrolledFirst, i64::from(first));
    db::stats::add_tally(tx, programme_id, day, &tally).await?;
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
    let mut moves = Moves::default();
    moves.add(before.trained_on, Figure::Trained, -1);
    moves.add(on, Figure::Trained, 1);
    if before.first_trained {
        // Counted on the day it had; unmarked here, marked again below if still first.
        moves.add(before.trained_on, Figure::TrainedFirst, -1);
        db::ledger::set_first_trained(tx, programme_id, before.person_key, false).await?;
    }
    moves.write(tx, programme_id).await?;
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
    let mut moves = Moves::default();
    for (figure, was, now) in [
        (
            Figure::CampaignsSubmitted,
            c.counted_submitted_on,
            submitted,
        ),
        (Figure::CampaignsApproved, c.counted_approved_on, approved),
    ] {
        if was != now {
            moves.add(was, figure, -1);
            moves.add(now, figure, 1);
        }
    }
    moves.write(tx, c.programme_id).await?;
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
    let mut moves = Moves::default();
    for (state, sign) in [(before, -1), (after, 1)] {
        if let Some(s) = state {
            let (reported, verified) = reach::contribution(s.status, s.reached, s.verified);
            moves.add(Some(s.occurred_on), Figure::ReachReported, sign * reported);
            moves.add(Some(s.occurred_on), Figure::ReachVerified, sign * verified);
        }
    }
    moves.write(tx, programme_id).await
}

/// The changes one event makes to a programme's figures, by day: written
/// as one upsert per day and table, and none where they cancel out (a
/// report re-dated to its own day, a decision that keeps the reported number).
#[derive(Default)]
struct Moves(std::collections::BTreeMap<NaiveDate, Tally>);

impl Moves {
    fn add(&mut self, day: Option<NaiveDate>, figure: Figure, amount: i64) {
        if let Some(day) = day {
            self.0.entry(day).or_default().add(figure, amount);
        }
    }

    async fn write(&self, tx: &mut Tx, programme_id: Uuid) -> Result<(), sqlx::Error> {
        for (day, tally) in &self.0 {
            db::stats::add_tally(tx, programme_id, *day, tally).await?;
        }
        Ok(())
    }
}
