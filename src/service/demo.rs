//! The demo content of `seed-demo`: a KomINN programme in Larvik with its
//! people, teams and campaigns in every status. Made-up people at the
//! reserved `.example` domain.

use std::sync::Arc;

use chrono::{Datelike, Duration};
use uuid::Uuid;

use crate::{
    clock::ManualClock,
    db,
    domain::{
        CampaignBody, CampaignSummary, CampaignTitle, Email, Hashtag, Invalid, Locale,
        ModerationNote, ReachChannel, ReachDescription, RoleKind, ShortText, Theme, Verdict,
    },
    error::{AppError, AppResult},
    service::{
        campaigns::{self, NewCampaign},
        demo_photos, enrolment, moderation, programmes,
        reach::{self, ReachInput},
        teams::{self, TeamName},
        training, Principal,
    },
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
    /// The alt text of its photo, when it has one.
    photo: Option<&'static str>,
    /// What happens to it after it is written, in order.
    path: &'static [Move],
}

/// A step in a demo campaign's life, each taken through the same service a
/// person's request goes through.
#[derive(Clone, Copy)]
enum Move {
    /// The team submits it.
    Submit,
    /// The facilitator decides, with feedback where the decision needs it.
    Decide(Verdict, &'static str),
    /// The facilitator archives it, with the reason.
    Archive(&'static str),
}

const CAMPAIGNS: &[DemoCampaign] = &[
    DemoCampaign {
        team: 0,
        title: "Hils for faen!",
        summary: "Vi hilser på alle som kommer til festivalen, så ingen føler seg utenfor.",
        body: "Vi står ved inngangen til festivalen hele helgen og hilser på alle som kommer.\n\n- klistremerker med #Hilsforfaen\n- en vegg der folk skriver hvem de vil hilse på\n- høyttaleren spiller favorittsanger fra hele verden\n\nMer om Safe Cities: https://nordicsafecities.org",
        theme: Theme::Youth,
        hashtag: Some("Hilsforfaen"),
        photo: Some("Plakat i gult og oransje med store, myke sirkler, som en hilsen fra festivalen."),
        path: &[Move::Submit, Move::Decide(Verdict::Approve, "Flott, godkjent! Husk å fortelle oss hvor mange dere nådde.")],
    },
    DemoCampaign {
        team: 1,
        title: "Trygg skolevei",
        summary: "Vi kartlegger steder på skoleveien der elever føler seg utrygge.",
        body: "Elever markerer på et kart hvor de føler seg utrygge på vei til skolen.\n\nVi tar kartet med til kommunen og ber om bedre lys og flere voksne.",
        theme: Theme::UrbanSpaces,
        hashtag: Some("TryggSkolevei"),
        photo: Some("Plakat i blått med lyse sirkler, som gatelys langs skoleveien."),
        path: &[Move::Submit],
    },
    DemoCampaign {
        team: 2,
        title: "Stopp netthets",
        summary: "Plakater og korte videoer om hva du kan gjøre når noen blir hetset på nett.",
        body: "Vi lager fem korte videoer med råd om hva du gjør når noen blir hetset.\n\n1. si ifra\n2. ta skjermbilde\n3. fortell en voksen",
        theme: Theme::OnlineLife,
        hashtag: Some("StoppNetthets"),
        photo: Some("Plakat i lilla med sirkler som snakkebobler."),
        path: &[
            Move::Submit,
            Move::Decide(Verdict::RequestChanges, "Fint initiativ! Fjern navnet på eleven i eksempelet, og skriv hvor plakatene skal henge."),
        ],
    },
    DemoCampaign {
        team: 0,
        title: "Kaffe med naboen",
        summary: "",
        body: "",
        theme: Theme::Community,
        hashtag: None,
        photo: Some("Plakat i rosa med varme sirkler, som kaffekopper sett ovenfra."),
        path: &[],
    },
    DemoCampaign {
        team: 1,
        title: "Foreldrekveld om nettvett",
        summary: "En kveld der ungdom lærer foreldre om spill, chat og sosiale medier.",
        body: "Ungdommene holder stasjoner der foreldrene prøver spillene og appene selv.",
        theme: Theme::Families,
        hashtag: None,
        photo: Some("Plakat i oransje med sirkler, som lamper i et klasserom om kvelden."),
        path: &[
            Move::Submit,
            Move::Decide(Verdict::Approve, ""),
            Move::Archive("Kvelden er holdt; vi arkiverer kampanjen."),
        ],
    },
    DemoCampaign {
        team: 2,
        title: "Alle kan spille",
        summary: "Vi vil henge ut en medelev som ikke slipper andre med i spillet.",
        body: "Vi lager en video om en bestemt elev på skolen.",
        theme: Theme::Youth,
        hashtag: None,
        photo: None,
        path: &[
            Move::Submit,
            Move::Decide(Verdict::Reject, "Kampanjen handler om en bestemt person. Skriv den om uten personopplysninger og start en ny."),
        ],
    },
];

/// A poster's colours for a theme: its tint, its ink and a bright accent.
fn colours(theme: Theme) -> ([u8; 3], [u8; 3], [u8; 3]) {
    match theme {
        Theme::UrbanSpaces => ([227, 240, 255], [11, 74, 139], [255, 214, 102]),
        Theme::OnlineLife => ([239, 230, 255], [90, 44, 160], [255, 160, 200]),
        Theme::Families => ([255, 238, 222], [138, 59, 0], [255, 200, 80]),
        Theme::Youth => ([255, 244, 204], [230, 120, 20], [255, 255, 255]),
        Theme::CivilServants => ([226, 245, 238], [15, 92, 64], [250, 230, 120]),
        Theme::Community => ([255, 230, 238], [155, 23, 71], [255, 210, 120]),
    }
}

/// A demo person acting through the services, as their own request would.
fn acting(user_id: Uuid) -> Principal {
    Principal {
        user_id,
        session_id: Uuid::nil(),
    }
}

async fn person(state: &AppState, name: &str, age: i32) -> AppResult<Uuid> {
    let now = state.clock.now();
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

fn text<T>(field: &str, parsed: Result<T, Invalid>) -> AppResult<T> {
    parsed.map_err(|invalid| AppError::validation(field, invalid))
}

/// Fills a freshly created programme with people, teams, campaigns and
/// reach. Every step after the accounts goes through the service a person's
/// request would use, on a clock set to when it happened, so the history,
/// the audit trail, the notifications and mail, the figures and the gallery
/// agree with each other exactly as they would in real use.
///
/// # Errors
/// Database failures, or a rule of the platform the script broke.
pub async fn fill(state: &AppState, city_id: Uuid, programme_id: Uuid) -> AppResult<()> {
    let now = state.clock.now();
    let clock = ManualClock::new(now - Duration::days(100));
    let demo = AppState {
        clock: Arc::new(clock.clone()),
        ..state.clone()
    };
    let at = |days_ago: i64| clock.set(now - Duration::days(days_ago));

    // The city admin (granted by the operator) makes Kari the facilitator.
    let city_admin = person(&demo, "Ola", 45).await?;
    let mut tx = demo.db.begin().await?;
    let granted = demo.clock.now();
    db::roles::grant(
        &mut tx,
        city_admin,
        RoleKind::CityAdmin,
        Some(city_id),
        None,
        None,
        granted,
    )
    .await?;
    tx.commit().await?;
    let facilitator = person(&demo, "Kari", 38).await?;
    let kari_email = text("email", Email::parse(&format!("kari@{DOMAIN}")))?;
    programmes::add_facilitator(&demo, acting(city_admin), programme_id, kari_email).await?;
    let kari = acting(facilitator);

    // Young people join over the autumn; most are trained two weeks later.
    let mut people = Vec::new();
    for (n, (name, age, _)) in PEOPLE.iter().enumerate() {
        at(90 - 8 * i64::try_from(n).unwrap_or(0));
        let id = person(&demo, name, *age).await?;
        enrolment::enrol(&demo, acting(id), programme_id).await?;
        people.push(id);
    }
    for (n, (_, _, trained)) in PEOPLE.iter().enumerate() {
        if *trained {
            at(76 - 8 * i64::try_from(n).unwrap_or(0));
            let day = demo.clock.now().date_naive();
            training::set_trained(&demo, kari, programme_id, people[n], Some(day)).await?;
        }
    }

    // Each team's lead starts it; the others join with its code.
    let mut teams = Vec::new();
    for (name, members) in TEAMS {
        at(32);
        let lead = acting(people[members[0]]);
        let team = teams::create(
            &demo,
            lead,
            programme_id,
            text("name", TeamName::parse(name))?,
        )
        .await?;
        at(31);
        for index in &members[1..] {
            teams::join(&demo, acting(people[*index]), &team.team.join_code).await?;
        }
        teams.push((team.team.id, lead));
    }

    // Written, submitted and decided over three weeks.
    let mut festival = None;
    for demo_campaign in CAMPAIGNS {
        at(25);
        let (team_id, author) = teams[demo_campaign.team];
        let id = write(&demo, author, team_id, demo_campaign).await?;
        if let Some(alt) = demo_campaign.photo {
            demo_photos::add(&demo, author, id, colours(demo_campaign.theme), alt).await?;
        }
        let mut version = campaigns::get(&demo, author, id).await?.campaign.version;
        for (step, days_ago) in demo_campaign.path.iter().zip([23, 21, 10]) {
            at(days_ago);
            let view = match *step {
                Move::Submit => campaigns::submit(&demo, author, id, version).await?,
                Move::Decide(verdict, note) => {
                    let note = text("feedback", ModerationNote::parse(note))?;
                    moderation::decide(&demo, kari, id, verdict, note, version).await?
                }
                Move::Archive(reason) => {
                    let reason = text("reason", ModerationNote::parse(reason))?;
                    moderation::archive(&demo, kari, id, reason).await?
                }
            };
            version = view.campaign.version;
        }
        if demo_campaign.hashtag == Some("Hilsforfaen") {
            festival = Some((id, author));
        }
    }
    if let Some((campaign_id, author)) = festival {
        reach(&demo, &at, campaign_id, author, kari).await?;
    }
    Ok(())
}

async fn write(
    state: &AppState,
    author: Principal,
    team_id: Uuid,
    demo: &DemoCampaign,
) -> AppResult<Uuid> {
    let new = NewCampaign {
        title: text("title", CampaignTitle::parse(demo.title))?,
        summary: text("summary", CampaignSummary::parse(demo.summary))?,
        body: text("body", CampaignBody::parse(demo.body))?,
        theme: demo.theme,
        hashtag: demo
            .hashtag
            .map(|tag| text("hashtag", Hashtag::parse(tag)))
            .transpose()?,
        audience: None,
        starts_on: None,
        ends_on: None,
        location: Some(text("location", ShortText::parse("Larvik"))?),
    };
    Ok(campaigns::create(state, author, team_id, new)
        .await?
        .campaign
        .id)
}

/// #Hilsforfaen's reach: 3,000 at the festival, verified; 500 online, waiting.
async fn reach(
    state: &AppState,
    at: &impl Fn(i64),
    campaign_id: Uuid,
    author: Principal,
    facilitator: Principal,
) -> AppResult<()> {
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
        at(days_ago);
        let input = ReachInput {
            channel,
            people_reached: people,
            occurred_on: state.clock.now().date_naive(),
            description: text("description", ReachDescription::parse(description))?,
            evidence_url: None,
        };
        let (report, _) = reach::create(state, author, campaign_id, input, None).await?;
        if let Some(n) = verified {
            at(days_ago - 1);
            let note = text(
                "note",
                ModerationNote::parse("Bekreftet med billettall fra festivalen."),
            )?;
            reach::verify(state, facilitator, report.row.id, true, note, Some(n)).await?;
        }
    }
    Ok(())
}
