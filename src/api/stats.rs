//! The figures: the live goal, time series and CSV exports.

use crate::domain::Invalid;
use chrono::{DateTime, NaiveDate, Utc};
use poem::Request;
use poem_openapi::{param::Query, payload::Binary, ApiResponse, Enum, Object, OpenApi};
use uuid::Uuid;

use super::{
    auth_guard::{Auth, MaybeAuth},
    rendered::{answer, PublicResponse, RenderedJson, PERSONAL, PUBLIC},
    ApiTags,
};
use crate::{
    domain::Country,
    error::AppError,
    service::stats::{
        self,
        cache::Rendered,
        export::{ExportQuery, Separator},
        series::{self, Interval, SeriesQuery},
    },
    state::AppState,
};

pub struct StatsApi {
    pub state: AppState,
}

/// The figures of a scope. For the public, counts of people move in steps of
/// five and are `null` (named in `suppressed`) wherever they, or a sum or
/// difference of public figures, could single out fewer than five people;
/// a scope's own staff see them exactly.
#[derive(Debug, Clone, Object)]
pub struct FigureSet {
    /// People trained; within a programme, everyone it trained; wider, each
    /// person once, where they were first trained.
    #[oai(nullable)]
    pub changemakers_trained: Option<i64>,
    /// People enrolled, counted the same way.
    #[oai(nullable)]
    pub changemakers_enrolled: Option<i64>,
    pub teams: i64,
    pub campaigns_submitted: i64,
    /// Campaigns public now.
    pub campaigns_approved: i64,
    /// Reach confirmed by facilitators.
    pub people_reached_verified: i64,
    /// Reach claimed by pending and verified reports (declined ones count nowhere).
    pub people_reached_reported: i64,
    /// Views of public campaign pages.
    pub gallery_views: i64,
    /// The figures withheld above.
    pub suppressed: Vec<String>,
}

impl From<stats::Figures> for FigureSet {
    fn from(f: stats::Figures) -> Self {
        Self {
            changemakers_trained: f.changemakers_trained,
            changemakers_enrolled: f.changemakers_enrolled,
            teams: f.teams,
            campaigns_submitted: f.campaigns_submitted,
            campaigns_approved: f.campaigns_approved,
            people_reached_verified: f.people_reached_verified,
            people_reached_reported: f.people_reached_reported,
            gallery_views: f.gallery_views,
            suppressed: f.suppressed.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// A country's figures.
#[derive(Debug, Clone, Object)]
pub struct CountryFigures {
    pub country: Country,
    #[oai(flatten)]
    pub figures: FigureSet,
}

/// The alliance's progress toward its goal of trained changemakers.
#[derive(Debug, Clone, Object)]
pub struct Goal {
    /// The goal: changemakers trained.
    pub target: u32,
    #[oai(flatten)]
    pub figures: FigureSet,
    pub by_country: Vec<CountryFigures>,
    pub updated_at: DateTime<Utc>,
}

/// `week` buckets start on Monday (ISO weeks); `month` on the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum StatsInterval {
    Week,
    Month,
}

impl From<StatsInterval> for Interval {
    fn from(i: StatsInterval) -> Self {
        match i {
            StatsInterval::Week => Self::Week,
            StatsInterval::Month => Self::Month,
        }
    }
}

/// One week or month.
#[derive(Debug, Clone, Object)]
pub struct Bucket {
    pub start: NaiveDate,
    /// The bucket's last day.
    pub end: NaiveDate,
    #[oai(flatten)]
    pub figures: FigureSet,
    /// Everything up to the end of this bucket, since the beginning.
    pub cumulative: FigureSet,
}

/// Figures per bucket, gaps filled with zeros.
#[derive(Debug, Clone, Object)]
pub struct Series {
    pub interval: StatsInterval,
    /// The first day of the first bucket.
    pub from: NaiveDate,
    /// The last day of the last bucket.
    pub to: NaiveDate,
    /// The sums over the buckets shown.
    pub totals: FigureSet,
    pub buckets: Vec<Bucket>,
}

/// `csv` is the only format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
}

/// The cell separator: `semicolon` (Excel in the Nordics) or `comma`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ExportSeparator {
    Semicolon,
    Comma,
}

impl From<Option<ExportSeparator>> for Separator {
    fn from(s: Option<ExportSeparator>) -> Self {
        match s {
            Some(ExportSeparator::Comma) => Self::Comma,
            _ => Self::Semicolon,
        }
    }
}

#[derive(ApiResponse)]
pub enum CsvFile {
    /// UTF-8 with a byte order mark, CRLF, RFC 4180 quoting.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

pub(super) fn csv_file(bytes: Vec<u8>, name: &str) -> CsvFile {
    CsvFile::Ok(Binary(bytes), format!("attachment; filename=\"{name}\""))
}

/// A day from the query; empty is absent, a day that does not exist is 422.
fn day(field: &str, raw: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::validation(field, Invalid::format("a date as YYYY-MM-DD"))),
    }
}

#[OpenApi(prefix_path = "/stats", tag = "ApiTags::Stats")]
impl StatsApi {
    /// Progress toward the goal
    ///
    /// The alliance's figures and each country's, exact. Cacheable for a
    /// minute; the server's own copy follows a change within seconds.
    #[oai(path = "/goal", method = "get", operation_id = "statsGoal")]
    async fn goal(&self, req: &Request) -> Result<PublicResponse<Goal>, AppError> {
        let cache = &self.state.public_cache;
        let rendered = if let Some(hit) = cache.get("goal") {
            hit
        } else {
            let goal = series::goal(&self.state).await?;
            let dto = Goal {
                target: goal.target,
                figures: goal.alliance.into(),
                by_country: goal
                    .by_country
                    .into_iter()
                    .map(|(country, f)| CountryFigures {
                        country,
                        figures: f.into(),
                    })
                    .collect(),
                updated_at: goal.updated_at,
            };
            let rendered = Rendered::new(RenderedJson::<Goal>::render(&dto));
            cache.put("goal".to_owned(), rendered.clone());
            rendered
        };
        Ok(answer(req, rendered, PUBLIC, None))
    }

    /// Figures over time
    ///
    /// Per ISO week or calendar month, on the local date of what happened,
    /// for the alliance, a city (`city`, its slug) or a programme. Public
    /// callers get counts of people below 5 in one city or programme as
    /// null; callers with a role there get exact figures. By default the
    /// last 12 months or 26 weeks.
    #[oai(path = "/", method = "get", operation_id = "statsSeries")]
    #[allow(clippy::too_many_arguments)]
    async fn series(
        &self,
        req: &Request,
        auth: MaybeAuth,
        #[oai(validator(max_length = 60, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"))] city: Query<
            Option<String>,
        >,
        programme_id: Query<Option<Uuid>>,
        /// The first day, `YYYY-MM-DD` (empty or absent: 12 months or 26 weeks back).
        #[oai(validator(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"))]
        from: Query<Option<String>>,
        /// The last day, `YYYY-MM-DD` (empty or absent: today).
        #[oai(validator(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"))]
        to: Query<Option<String>>,
        interval: Query<Option<StatsInterval>>,
    ) -> Result<PublicResponse<Series>, AppError> {
        let (from, to) = (day("from", from.0.as_deref())?, day("to", to.0.as_deref())?);
        let principal = auth.principal();
        let interval = interval.0.unwrap_or(StatsInterval::Month);
        let query = SeriesQuery {
            city: city.0,
            programme_id: programme_id.0,
            from,
            to,
        };
        let s = series::series(&self.state, principal, interval.into(), &query).await?;
        let dto = Series {
            interval,
            from: s.from,
            to: s.to,
            totals: s.totals.into(),
            buckets: s
                .buckets
                .into_iter()
                .map(|b| Bucket {
                    start: b.start,
                    end: b.end,
                    figures: b.figures.into(),
                    cumulative: b.cumulative.into(),
                })
                .collect(),
        };
        let rendered = Rendered::new(RenderedJson::<Series>::render(&dto));
        let cache_control = if principal.is_some() {
            PERSONAL
        } else {
            PUBLIC
        };
        // A shared cache keeps the public version apart from what a role sees.
        Ok(answer(
            req,
            rendered,
            cache_control,
            Some("Authorization, Cookie"),
        ))
    }

    /// Export the figures as CSV
    ///
    /// One row per programme per week or month with activity. Admins may
    /// export any scope; a city admin their city; a facilitator their
    /// programme. Without a range, all of the history.
    #[oai(path = "/export", method = "get", operation_id = "exportStats")]
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        auth: Auth,
        format: Query<Option<ExportFormat>>,
        #[oai(validator(max_length = 60, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$"))] city: Query<
            Option<String>,
        >,
        programme_id: Query<Option<Uuid>>,
        /// The first day, `YYYY-MM-DD` (empty or absent: all of the history).
        #[oai(validator(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"))]
        from: Query<Option<String>>,
        /// The last day, `YYYY-MM-DD`.
        #[oai(validator(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"))]
        to: Query<Option<String>>,
        interval: Query<Option<StatsInterval>>,
        sep: Query<Option<ExportSeparator>>,
    ) -> Result<CsvFile, AppError> {
        let (from, to) = (day("from", from.0.as_deref())?, day("to", to.0.as_deref())?);
        let _ = format.0;
        let interval = interval.0.unwrap_or(StatsInterval::Month);
        let query = ExportQuery {
            city: city.0,
            programme_id: programme_id.0,
            from,
            to,
        };
        let bytes = stats::export::figures(
            &self.state,
            auth.principal(),
            interval.into(),
            &query,
            sep.0.into(),
        )
        .await?;
        Ok(csv_file(bytes, "changemakers-figures.csv"))
    }
}
