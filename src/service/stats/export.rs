//! CSV exports, ready for Excel as Nordic users have it: UTF-8 with a byte
//! order mark, `;` between cells unless asked for `,`, CRLF line ends,
//! RFC 4180 quoting, and text cells that begin with `=`, `+`, `-`, `@`, a tab
//! or a carriage return prefixed with `'`, so no cell runs as a formula.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::series::{range, scope, Interval};
use crate::{
    db::{self, stats::ProgrammeDay},
    domain::{Figure, Tally},
    error::{AppError, AppResult},
    service::{permissions, permissions::Roles, programmes, Principal},
    state::AppState,
};

/// The cell separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Semicolon,
    Comma,
}

/// A text cell made safe from formula injection.
#[must_use]
pub fn text_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

fn csv(sep: Separator, rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(if sep == Separator::Comma { b',' } else { b';' })
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        for row in rows {
            w.write_record(row)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
        }
        w.flush()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    }
    Ok(out)
}

/// What a figures export covers.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery {
    pub city: Option<String>,
    pub programme_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

const FIGURE_COLUMNS: [(Figure, &str); 8] = [
    (Figure::Trained, "changemakers_trained"),
    (Figure::Enrolled, "changemakers_enrolled"),
    (Figure::Teams, "teams"),
    (Figure::CampaignsSubmitted, "campaigns_submitted"),
    (Figure::CampaignsApproved, "campaigns_approved"),
    (Figure::ReachReported, "people_reached_reported"),
    (Figure::ReachVerified, "people_reached_verified"),
    (Figure::Views, "gallery_views"),
];

/// The figures per programme per period, as CSV. Admins may export any
/// scope; a city admin their city (or a programme in it); a facilitator
/// their programme.
///
/// # Errors
/// 403 unless the caller holds a role over the scope; 404 for an unknown
/// city or programme; 422 for a bad range.
pub async fn figures(
    state: &AppState,
    principal: Principal,
    interval: Interval,
    query: &ExportQuery,
    sep: Separator,
) -> AppResult<Vec<u8>> {
    let (filter, how, roles) = scope(
        state,
        Some(principal),
        query.city.as_deref(),
        query.programme_id,
    )
    .await?;
    let roles = roles.unwrap_or_default();
    let wide = filter.city_id.is_none() && filter.programme_id.is_none();
    if wide {
        permissions::require_admin(&roles)?;
    } else if how.suppress {
        return Err(AppError::forbidden());
    }
    let today = state.clock.now().date_naive();
    let range = match (query.from, query.to) {
        (None, None) => None,
        (from, to) => Some(range(interval, from, to, today)?),
    };
    let rows = db::stats::rows(&state.db, filter, interval == Interval::Month, range).await?;
    let names: HashMap<Uuid, (String, String)> = db::stats::names(&state.db, filter)
        .await?
        .into_iter()
        .map(|(id, city, programme)| (id, (city, programme)))
        .collect();
    let mut periods: BTreeMap<(String, String, NaiveDate, Uuid), Tally> = BTreeMap::new();
    for ProgrammeDay {
        programme_id,
        day,
        tally,
    } in &rows
    {
        let (city, programme) = names.get(programme_id).cloned().unwrap_or_default();
        periods
            .entry((city, programme, interval.start(*day), *programme_id))
            .or_default()
            .merge(tally);
    }
    let mut out = vec![[
        "period_start",
        "period_end",
        "city",
        "programme",
        "programme_id",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain(FIGURE_COLUMNS.iter().map(|(_, n)| (*n).to_owned()))
    .collect::<Vec<_>>()];
    for ((city, programme, start, id), tally) in periods {
        let end = interval.next(start) - Days::new(1);
        let mut row = vec![
            start.to_string(),
            end.to_string(),
            text_cell(&city),
            text_cell(&programme),
            id.to_string(),
        ];
        row.extend(
            FIGURE_COLUMNS
                .iter()
                .map(|(f, _)| tally.get(*f).to_string()),
        );
        out.push(row);
    }
    csv(sep, &out)
}

/// A programme's reach reports as CSV, for its facilitators, its city's admins and admins.
///
/// # Errors
/// 404 for an unknown programme; 403 for anyone else.
pub async fn reach(
    state: &AppState,
    principal: Principal,
    programme_id: Uuid,
    sep: Separator,
) -> AppResult<Vec<u8>> {
    let programme = programmes::get(state, programme_id).await?;
    let roles = Roles::load(state, principal.user_id).await?;
    permissions::require_facilitator(&roles, programme.id, programme.city_id)?;
    let mut out = vec![[
        "report_id",
        "campaign",
        "team",
        "channel",
        "people_reached",
        "people_verified",
        "occurred_on",
        "status",
        "description",
        "evidence_url",
        "note",
        "created_at",
        "decided_at",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect::<Vec<_>>()];
    for row in db::reach::for_programme(&state.db, programme_id).await? {
        let r = row.report;
        out.push(vec![
            r.id.to_string(),
            text_cell(&row.campaign_title),
            text_cell(&row.team_name),
            r.channel.as_str().to_owned(),
            r.people_reached.to_string(),
            r.people_verified.map(|v| v.to_string()).unwrap_or_default(),
            r.occurred_on.to_string(),
            r.status.as_str().to_owned(),
            text_cell(&r.description),
            text_cell(r.evidence_url.as_deref().unwrap_or("")),
            text_cell(r.note.as_deref().unwrap_or("")),
            r.created_at.to_rfc3339(),
            r.decided_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
        ]);
    }
    csv(sep, &out)
}

#[cfg(test)]
mod tests {
    use super::{csv, text_cell, Separator};

    #[test]
    fn formulas_are_defused_and_quoting_follows_rfc_4180() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text_cell("-2"), "'-2");
        assert_eq!(text_cell("Hils for faen"), "Hils for faen");
        let out = csv(
            Separator::Semicolon,
            &[vec!["a;b".into(), "say \"hi\"".into(), "plain".into()]],
        )
        .unwrap();
        assert_eq!(
            out,
            b"\xEF\xBB\xBF\"a;b\";\"say \"\"hi\"\"\";plain\r\n".to_vec()
        );
    }
}
