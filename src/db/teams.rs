//! Teams, their members and invites.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{on_db, on_tx, unless_duplicate, Db, Tx};
use crate::domain::TeamRole;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub city_id: Uuid,
    pub name: String,
    pub join_code: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub display_name: Option<String>,
    pub role: TeamRole,
    pub joined_at: DateTime<Utc>,
}

/// A team the person belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub team_id: Uuid,
    pub name: String,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub role: TeamRole,
}

const SELECT: &str = "SELECT t.id, t.programme_id, p.city_id, t.name, t.join_code, t.created_at \
    FROM teams t JOIN programmes p ON p.id = t.programme_id";

pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<TeamRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)
}

/// The team a join code opens; an archived team's code opens nothing.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<TeamRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE t.join_code = $1 AND t.archived_at IS NULL");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(pool)
        .await)
}

pub async fn for_programme(db: &Db, programme_id: Uuid) -> Result<Vec<TeamRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE t.programme_id = $1 ORDER BY t.name");
    on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(programme_id)
        .fetch_all(pool)
        .await)
}

/// What became of an attempt to create a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Created,
    /// The drawn join code was taken; draw another.
    CodeTaken,
    /// The lead is already in a team of this programme.
    LeadTaken,
}

/// Creates a team with its first member as lead (the caller commits).
pub async fn create(
    tx: &mut Tx,
    id: Uuid,
    programme_id: Uuid,
    name: &str,
    join_code: &str,
    lead: Uuid,
    now: DateTime<Utc>,
) -> Result<Created, sqlx::Error> {
    let insert = "INSERT INTO teams (id, programme_id, name, join_code, created_by, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $6)";
    let result = on_tx!(tx, |conn| sqlx::query(insert)
        .bind(id)
        .bind(programme_id)
        .bind(name)
        .bind(join_code)
        .bind(lead)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()));
    if !unless_duplicate(result)? {
        return Ok(Created::CodeTaken);
    }
    if add_member(tx, id, programme_id, lead, TeamRole::Lead, now).await? {
        Ok(Created::Created)
    } else {
        Ok(Created::LeadTaken)
    }
}

/// Adds a member; `false` when the person is already in a team of this programme.
pub async fn add_member(
    tx: &mut Tx,
    team_id: Uuid,
    programme_id: Uuid,
    user_id: Uuid,
    role: TeamRole,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO team_members (team_id, programme_id, user_id, role, joined_at) \
               VALUES ($1, $2, $3, $4, $5)";
    let result = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(team_id)
        .bind(programme_id)
        .bind(user_id)
        .bind(role)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()));
    unless_duplicate(result)
}

pub async fn count_members(tx: &mut Tx, team_id: Uuid) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM team_members WHERE team_id = $1";
    on_tx!(tx, |conn| sqlx::query_scalar(sql)
        .bind(team_id)
        .fetch_one(conn)
        .await)
}

pub async fn members(db: &Db, team_id: Uuid) -> Result<Vec<MemberRow>, sqlx::Error> {
    let sql = "SELECT m.user_id, u.display_name, m.role, m.joined_at FROM team_members m \
               JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 \
               ORDER BY CASE m.role WHEN 'lead' THEN 0 ELSE 1 END, m.joined_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(team_id)
        .fetch_all(pool)
        .await)
}

/// The member's role in the team, if they are in it.
pub async fn role_of(
    db: &Db,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<Option<TeamRole>, sqlx::Error> {
    let sql = "SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2";
    on_db!(db, |pool| sqlx::query_scalar(sql)
        .bind(team_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await)
}

pub async fn memberships(db: &Db, user_id: Uuid) -> Result<Vec<MembershipRow>, sqlx::Error> {
    let sql = "SELECT t.id AS team_id, t.name, t.programme_id, p.name AS programme_name, m.role \
               FROM team_members m JOIN teams t ON t.id = m.team_id \
               JOIN programmes p ON p.id = t.programme_id \
               WHERE m.user_id = $1 ORDER BY m.joined_at";
    on_db!(db, |pool| sqlx::query_as(sql)
        .bind(user_id)
        .fetch_all(pool)
        .await)
}

pub async fn remove_member(tx: &mut Tx, team_id: Uuid, user_id: Uuid) -> Result<bool, sqlx::Error> {
    let sql = "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2";
    let removed = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(team_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(removed > 0)
}

/// When the team has members but no lead, its longest-standing member
/// becomes lead; returns who, if anyone.
pub async fn succeed(tx: &mut Tx, team_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    let next = "SELECT user_id FROM team_members WHERE team_id = $1 \
                AND NOT EXISTS (SELECT 1 FROM team_members WHERE team_id = $1 AND role = 'lead') \
                ORDER BY joined_at, user_id LIMIT 1";
    let promote = "UPDATE team_members SET role = 'lead' WHERE team_id = $1 AND user_id = $2";
    let found: Option<Uuid> = on_tx!(tx, |conn| sqlx::query_scalar(next)
        .bind(team_id)
        .fetch_optional(&mut *conn)
        .await)?;
    if let Some(user_id) = found {
        on_tx!(tx, |conn| sqlx::query(promote)
            .bind(team_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(found)
}

/// Archives the team when nobody is in it any more; returns whether it did.
pub async fn archive_if_empty(
    tx: &mut Tx,
    team_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE teams SET archived_at = $2, updated_at = $2 WHERE id = $1 \
               AND archived_at IS NULL \
               AND NOT EXISTS (SELECT 1 FROM team_members WHERE team_id = $1)";
    let archived = on_tx!(tx, |conn| sqlx::query(sql)
        .bind(team_id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(archived > 0)
}

/// Makes `to`, a member, the team's lead, and whoever led it a member.
pub async fn appoint_lead(tx: &mut Tx, team_id: Uuid, to: Uuid) -> Result<bool, sqlx::Error> {
    let demote = "UPDATE team_members SET role = 'member' WHERE team_id = $1 AND role = 'lead' \
                  AND EXISTS (SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2)";
    let promote = "UPDATE team_members SET role = 'lead' WHERE team_id = $1 AND user_id = $2";
    on_tx!(tx, |conn| sqlx::query(demote)
        .bind(team_id)
        .bind(to)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    let promoted = on_tx!(tx, |conn| sqlx::query(promote)
        .bind(team_id)
        .bind(to)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(promoted == 1)
}

/// Sets a new join code; `false` when it was taken.
pub async fn set_join_code(
    db: &Db,
    team_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE teams SET join_code = $2, updated_at = $3 WHERE id = $1";
    let result = on_db!(db, |pool| sqlx::query(sql)
        .bind(team_id)
        .bind(code)
        .bind(now)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()));
    unless_duplicate(result)
}

pub async fn record_invite(
    tx: &mut Tx,
    team_id: Uuid,
    email: &str,
    invited_by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO team_invites (id, team_id, email, invited_by, created_at) VALUES ($1, $2, $3, $4, $5)";
    on_tx!(tx, |conn| sqlx::query(sql)
        .bind(Uuid::now_v7())
        .bind(team_id)
        .bind(email)
        .bind(invited_by)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
