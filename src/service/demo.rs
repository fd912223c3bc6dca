//! The demo content of `seed-demo`: a KomINN programme in Larvik with its
//! people, teams and campaigns in every status. Made-up people at the
//! reserved `.example` domain.

use chrono::{DateTime, Datelike, Duration, Utc};
use uuid::Uuid;

use crate::{
    db::{
        self,
        campaigns::{Content, Event, NewRecord},
        reach::NewReach,
        teams::Created,
    },
    domain::{
        CampaignEvent, CampaignEvent as E, CampaignStatus, CampaignStatus as S, JoinCode, Locale,
        ReachChannel, ReachStatus, RoleKind, TeamRole, Theme,
    },
    error::AppResult,
    service::stats::rollup::{self, ReachState},
    state::AppState,
};

const DOMAIN: &str = "demo.changemakers.example";

/// (name, age this year, trained)
const PEOPLE: &[(&str, i32, bool)] = &[
    ("Maja", 16, true),
    ("Jonas", 17, true),
    ("Amira", 15, true),
    ("Elias", 16, false),
    ("Sofie", 18, true),
    ("Noah", 14, false),
    ("Ingrid", 19, true),
    ("Yusuf", 16, false),
];

/// (team, lead and members by index into PEOPLE)
const TEAMS: &[(&str, &[usize])] = &[
    ("Team Hilsen", &[0, 1, 2, 3]),
    ("Trygg skolevei", &[4, 5]),
    ("Nettvett", &[6, 7]),
];

struct DemoCampaign {
    team: usize,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    theme: Theme,
    hashtag: Option<&'static str>,
    /// The moves after `draft`, with a facilitator's note where one belongs.
    path: &'static [(CampaignStatus, CampaignEvent, Option<&'static str>)],
}

const CAMPAIGNS: &[DemoCampaign] = &[
    DemoCampaign {
        team: 0,
        title: "Hils for faen!",
        summary: "Vi hilser på alle som kommer til festivalen, så ingen føler seg utenfor.",
        body: "Vi står ved inngangen til festivalen hele helgen og hilser på alle som kommer.\n\n- klistremerker med #Hilsforfaen\n- en vegg der folk skriver hvem de vil hilse på\n- høyttaleren spiller favorittsanger fra hele verden\n\nMer om Safe Cities: https://nordicsafecities.org",
        theme: Theme::Youth,
        hashtag: Some("Hilsforfaen"),
        path: &[(S::Submitted, E::Submitted, None), (S::Approved, E::Approved, Some("Flott, godkjent! Husk å fortelle oss hvor mange dere nådde."))],
    },
    DemoCampaign {
        team: 1,
        title: "Trygg skolevei",
        summary: "Vi kartlegger steder på skoleveien der elever føler seg utrygge.",
        body: "Elever markerer på et kart hvor de føler seg utrygge på vei til skolen.\n\nVi tar kartet med til kommunen og ber om bedre lys og flere voksne.",
        theme: Theme::UrbanSpaces,
        hashtag: Some("TryggSkolevei"),
        path: &[(S::Submitted, E::Submitted, None)],
    },
    DemoCampaign {
        team: 2,
        title: "Stopp netthets",
        summary: "Plakater og korte videoer om hva du kan gjøre når noen blir hetset på nett.",
        body: "Vi lager fem korte videoer med råd om hva du gjør når noen blir hetset.\n\n1. si ifra\n2. ta skjermbilde\n3. fortell en voksen",
        theme: Theme::OnlineLife,
        hashtag: Some("StoppNetthets"),
        path: &[
            (S::Submitted, E::Submitted, None),
            (S::ChangesRequested, E::ChangesRequested, Some("Fint initiativ! Fjern navnet på eleven i eksempelet, og skriv hvor plakatene skal henge.")),
        ],
    },
    DemoCampaign {
        team: 0,
        title: "Kaffe med naboen",
        summary: "",
        body: "",
        theme: Theme::Community,
        hashtag: None,
        path: &[],
    },
    DemoCampaign {
        team: 1,
        title: "Foreldrekveld om nettvett",
        summary: "En kveld der ungdom lærer foreldre om spill, chat og sosiale medier.",
        body: "Ungdommene holder stasjoner der foreldrene prøver spillene og appene selv.",
        theme: Theme::Families,
        hashtag: None,
        path: &[
            (S::Submitted, E::Submitted, None),
            (S::Approved, E::Approved, None),
            (S::Archived, E::Archived, Some("Kvelden er holdt; vi arkiverer kampanjen.")),
        ],
    },
    DemoCampaign {
        team: 2,
        title: "Alle kan spille",
        summary: "Vi vil henge ut en medelev som ikke slipper andre med i spillet.",
        body: "Vi lager en video om en bestemt elev på skolen.",
        theme: Theme::Youth,
        hashtag: None,
        path: &[
            (S::Submitted, E::Submitted, None),
            (S::Rejected, E::Rejected, Some("Kampanjen handler om en bestemt person. Skriv den om uten personopplysninger og start en ny.")),
        ],
    },
];

async fn person(state: &AppState, name: &str, age: i32, now: DateTime<Utc>) -> AppResult<Uuid> {
    let email = format!("{}@{DOMAIN}", name.to_lowercase());
    let mut tx = state.db.begin().await?;
    let user = db::users::find_or_create_by_email(&mut tx, &email, Locale::Nb, now).await?;
    tx.commit().await?;
    let change = db::users::ProfileChange {
        display_name: Some(name),
        birth_year: Some(now.year() - age),
        locale: Some(Locale::Nb),
    };
    db::users::update_profile(&state.db, user.id, &change, now).await?;
    Ok(user.id)
}

/// Fills a freshly created programme with people, teams and campaigns.
///
/// # Errors
/// Database failures.
// One straight script of demo content; splitting it would only scatter it.
#[allow(clippy::too_many_lines)]
pub async fn fill(state: &AppState, city_id: Uuid, programme_id: Uuid) -> AppResult<()> {
    let now = state.clock.now();
    let facilitator = person(state, "Kari", 38, now).await?;
    let city_admin = person(state, "Ola", 45, now).await?;
    let mut tx = state.db.begin().await?;
    db::roles::grant(
        &mut tx,
        facilitator,
        RoleKind::Facilitator,
        None,
        Some(programme_id),
        None,
        now,
    )
    .await?;
    db::roles::grant(
        &mut tx,
        city_admin,
        RoleKind::CityAdmin,
        Some(city_id),
        None,
        None,
        now,
    )
    .await?;
    tx.commit().await?;

    let mut people = Vec::new();
    for (n, (name, age, trained)) in PEOPLE.iter().enumerate() {
        let id = person(state, name, *age, now).await?;
        // Joined over the autumn, trained two weeks after joining.
        let joined = now - Duration::days(90 - 8 * i64::try_from(n).unwrap_or(0));
        let mut tx = state.db.begin().await?;
        db::enrolments::enrol(&mut tx, programme_id, id, joined).await?;
        rollup::enrolled(&mut tx, programme_id, id, joined).await?;
        if *trained {
            let day = Some((joined + Duration::days(14)).date_naive());
            db::training::set_trained(&mut tx, programme_id, id, day, facilitator).await?;
            rollup::trained(&mut tx, programme_id, id, day).await?;
        }
        tx.commit().await?;
        people.push(id);
    }

    let mut teams = Vec::new();
    for (name, members) in TEAMS {
        let team_id = Uuid::now_v7();
        let mut tx = state.db.begin().await?;
        let lead = people[members[0]];
        while db::teams::create(
            &mut tx,
            team_id,
            programme_id,
            name,
            JoinCode::generate().as_str(),
            lead,
            now,
        )
        .await?
            == Created::CodeTaken
        {}
        for index in &members[1..] {
            db::teams::add_member(
                &mut tx,
                team_id,
                programme_id,
                people[*index],
                TeamRole::Member,
                now,
            )
            .await?;
        }
        rollup::team_created(&mut tx, programme_id, now).await?;
        tx.commit().await?;
        teams.push((team_id, lead));
    }

    // The campaigns were written and decided three weeks ago.
    let then = now - Duration::days(21);
    let mut festival = None;
    for (n, demo) in CAMPAIGNS.iter().enumerate() {
        let now = then;
        let (team_id, author) = teams[demo.team];
        let id = Uuid::now_v7();
        let content = Content {
            title: demo.title.to_owned(),
            summary: demo.summary.to_owned(),
            body: demo.body.to_owned(),
            theme: demo.theme,
            hashtag: demo.hashtag.map(str::to_owned),
            audience: None,
            starts_on: None,
            ends_on: None,
            location: Some("Larvik".to_owned()),
        };
        let slug = format!("{}-demo{n}", crate::domain::slugify(demo.title));
        let mut tx = state.db.begin().await?;
        let record = NewRecord {
            id,
            team_id,
            programme_id,
            slug: &slug,
            author,
        };
        db::campaigns::insert(&mut tx, &record, &content, now).await?;
        let created = Event {
            actor: Some(author),
            action: E::Created,
            from: None,
            to: S::Draft,
            note: None,
        };
        db::campaigns::add_event(&mut tx, id, &created, now).await?;
        let mut from = S::Draft;
        for &(to, action, note) in demo.path {
            let actor = if to == S::Submitted {
                author
            } else {
                facilitator
            };
            db::campaigns::set_status(&mut tx, id, None, from, to, now).await?;
            if to == S::Approved {
                db::campaigns::publish_draft(&mut tx, id, now).await?;
            }
            let event = Event {
                actor: Some(actor),
                action,
                from: Some(from),
                to,
                note,
            };
            db::campaigns::add_event(&mut tx, id, &event, now).await?;
            from = to;
        }
        rollup::campaign(&mut tx, id).await?;
        let shown = crate::service::gallery::index::campaign_changed(&mut tx, id).await?;
        tx.commit().await?;
        state.content.advance(shown);
        if demo.hashtag == Some("Hilsforfaen") {
            festival = Some((id, team_id, author));
        }
    }
    if let Some((campaign_id, team_id, author)) = festival {
        reach(
            state,
            campaign_id,
            (programme_id, team_id, author),
            facilitator,
        )
        .await?;
    }
    Ok(())
}

/// #Hilsforfaen's reach: 3,000 at the festival, verified; 500 online, waiting.
async fn reach(
    state: &AppState,
    campaign_id: Uuid,
    (programme_id, team_id, author): (Uuid, Uuid, Uuid),
    facilitator: Uuid,
) -> AppResult<()> {
    let now = state.clock.now();
    let reports = [
        (
            ReachChannel::Event,
            3000,
            12,
            "Vi hilste på 3000 ungdommer ved inngangen til festivalen i Larvik over tre dager.",
            Some(3000),
        ),
        (
            ReachChannel::SocialMedia,
            500,
            5,
            "Videoen fra festivalen ble sett og delt av rundt 500 på Instagram.",
            None,
        ),
    ];
    for (channel, people, days_ago, description, verified) in reports {
        let id = Uuid::now_v7();
        let occurred_on = (now - Duration::days(days_ago)).date_naive();
        let new = NewReach {
            id,
            campaign_id,
            programme_id,
            team_id,
            author_id: author,
            idempotency_key: None,
            request_hash: &[],
            channel,
            people_reached: people,
            occurred_on,
            description,
            evidence_url: None,
            flags: "[]",
        };
        let mut tx = state.db.begin().await?;
        db::reach::insert(&mut tx, &new, now).await?;
        let pending = ReachState {
            occurred_on,
            status: ReachStatus::Pending,
            reached: people,
            verified: None,
        };
        rollup::reach(&mut tx, programme_id, None, Some(pending)).await?;
        if let Some(n) = verified {
            let note = Some("Bekreftet med billettall fra festivalen.");
            db::reach::decide(
                &mut tx,
                id,
                ReachStatus::Verified,
                Some(n),
                note,
                facilitator,
                now,
            )
            .await?;
            let done = ReachState {
                status: ReachStatus::Verified,
                verified: Some(n),
                ..pending
            };
            rollup::reach(&mut tx, programme_id, Some(pending), Some(done)).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
