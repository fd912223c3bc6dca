//! Notification mail about moderation, in every language the platform speaks:
//! decisions for a team, report alerts and digests for facilitators.

use crate::domain::{rich_text::escape_html as escape, Locale, ReportReason, Verdict};

use super::OutgoingMail;

/// What a facilitator decided, as the team is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approved,
    ChangesRequested,
    Rejected,
    Unpublished,
    Archived,
}

impl From<Verdict> for Decision {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Approve => Self::Approved,
            Verdict::RequestChanges => Self::ChangesRequested,
            Verdict::Reject => Self::Rejected,
        }
    }
}

struct DecisionTexts {
    /// `{title}` is filled in.
    subject: &'static str,
    intro: &'static str,
    /// Above the facilitator's words.
    feedback: &'static str,
    next: &'static str,
}

#[allow(clippy::too_many_lines)]
fn decision_texts(locale: Locale, decision: Decision) -> DecisionTexts {
    use Decision as D;
    let t = |subject, intro, feedback, next| DecisionTexts {
        subject,
        intro,
        feedback,
        next,
    };
    match (locale, decision) {
        (Locale::En, D::Approved) => t("Your campaign “{title}” is published", "A facilitator approved your campaign. It is now public for everyone to see.", "Their words:", "Well done! Keep logging the people your campaign reaches."),
        (Locale::En, D::ChangesRequested) => t("Changes requested for “{title}”", "A facilitator read your campaign and asks for some changes before it can be published.", "Their feedback:", "Edit the campaign and submit it again when you are ready."),
        (Locale::En, D::Rejected) => t("“{title}” was not approved", "A facilitator decided not to publish this campaign.", "Their reason:", "Talk to your facilitator if you have questions."),
        (Locale::En, D::Unpublished) => t("“{title}” has been taken down for now", "After a report, a facilitator took your campaign off the public pages.", "Their note:", "Edit the campaign and submit it again; it is published again once approved."),
        (Locale::En, D::Archived) => t("“{title}” has been archived", "A facilitator archived your campaign. It is no longer public.", "Their reason:", "Talk to your facilitator if you have questions."),
        (Locale::Nb, D::Approved) => t("Kampanjen «{title}» er publisert", "En veileder har godkjent kampanjen deres. Nå kan alle se den.", "Veilederen skrev:", "Bra jobbet! Husk å registrere hvor mange kampanjen når."),
        (Locale::Nb, D::ChangesRequested) => t("Endringer trengs i «{title}»", "En veileder har lest kampanjen og ber om noen endringer før den kan publiseres.", "Tilbakemelding:", "Rediger kampanjen og send den inn igjen når dere er klare."),
        (Locale::Nb, D::Rejected) => t("«{title}» ble ikke godkjent", "En veileder har bestemt at kampanjen ikke skal publiseres.", "Begrunnelse:", "Snakk med veilederen deres hvis dere har spørsmål."),
        (Locale::Nb, D::Unpublished) => t("«{title}» er tatt ned inntil videre", "Etter en rapport har en veileder fjernet kampanjen fra de offentlige sidene.", "Veilederen skrev:", "Rediger kampanjen og send den inn igjen; den publiseres når den er godkjent."),
        (Locale::Nb, D::Archived) => t("«{title}» er arkivert", "En veileder har arkivert kampanjen. Den er ikke lenger offentlig.", "Begrunnelse:", "Snakk med veilederen deres hvis dere har spørsmål."),
        (Locale::Sv, D::Approved) => t("Kampanjen ”{title}” är publicerad", "En handledare har godkänt er kampanj. Nu kan alla se den.", "Handledaren skrev:", "Bra jobbat! Fortsätt att registrera hur många kampanjen når."),
        (Locale::Sv, D::ChangesRequested) => t("Ändringar behövs i ”{title}”", "En handledare har läst kampanjen och ber om några ändringar innan den kan publiceras.", "Återkoppling:", "Redigera kampanjen och skicka in den igen när ni är klara."),
        (Locale::Sv, D::Rejected) => t("”{title}” godkändes inte", "En handledare har beslutat att inte publicera kampanjen.", "Motivering:", "Prata med er handledare om ni har frågor."),
        (Locale::Sv, D::Unpublished) => t("”{title}” har tagits ned tills vidare", "Efter en anmälan har en handledare tagit bort kampanjen från de offentliga sidorna.", "Handledaren skrev:", "Redigera kampanjen och skicka in den igen; den publiceras när den godkänts."),
        (Locale::Sv, D::Archived) => t("”{title}” har arkiverats", "En handledare har arkiverat kampanjen. Den är inte längre offentlig.", "Motivering:", "Prata med er handledare om ni har frågor."),
        (Locale::Da, D::Approved) => t("Kampagnen “{title}” er offentliggjort", "En facilitator har godkendt jeres kampagne. Nu kan alle se den.", "Facilitatoren skrev:", "Godt gået! Bliv ved med at registrere, hvor mange kampagnen når."),
        (Locale::Da, D::ChangesRequested) => t("Der skal ændres i “{title}”", "En facilitator har læst kampagnen og beder om nogle ændringer, før den kan offentliggøres.", "Feedback:", "Ret kampagnen og indsend den igen, når I er klar."),
        (Locale::Da, D::Rejected) => t("“{title}” blev ikke godkendt", "En facilitator har besluttet ikke at offentliggøre kampagnen.", "Begrundelse:", "Tal med jeres facilitator, hvis I har spørgsmål."),
        (Locale::Da, D::Unpublished) => t("“{title}” er taget ned indtil videre", "Efter en anmeldelse har en facilitator fjernet kampagnen fra de offentlige sider.", "Facilitatoren skrev:", "Ret kampagnen og indsend den igen; den offentliggøres, når den er godkendt."),
        (Locale::Da, D::Archived) => t("“{title}” er arkiveret", "En facilitator har arkiveret kampagnen. Den er ikke længere offentlig.", "Begrundelse:", "Tal med jeres facilitator, hvis I har spørgsmål."),
        (Locale::Fi, D::Approved) => t("Kampanja ”{title}” on julkaistu", "Ohjaaja hyväksyi kampanjanne. Nyt kaikki voivat nähdä sen.", "Ohjaaja kirjoitti:", "Hienoa! Kirjatkaa edelleen, kuinka moneen kampanja ulottuu."),
        (Locale::Fi, D::ChangesRequested) => t("Kampanjaan ”{title}” pyydetään muutoksia", "Ohjaaja luki kampanjanne ja pyytää muutoksia ennen julkaisua.", "Palaute:", "Muokatkaa kampanjaa ja lähettäkää se uudelleen, kun olette valmiita."),
        (Locale::Fi, D::Rejected) => t("Kampanjaa ”{title}” ei hyväksytty", "Ohjaaja päätti olla julkaisematta kampanjaa.", "Perustelu:", "Kysykää ohjaajaltanne, jos jokin askarruttaa."),
        (Locale::Fi, D::Unpublished) => t("”{title}” on poistettu näkyvistä toistaiseksi", "Ilmoituksen jälkeen ohjaaja poisti kampanjan julkisilta sivuilta.", "Ohjaaja kirjoitti:", "Muokatkaa kampanjaa ja lähettäkää se uudelleen; se julkaistaan hyväksynnän jälkeen."),
        (Locale::Fi, D::Archived) => t("”{title}” on arkistoitu", "Ohjaaja arkistoi kampanjan. Se ei ole enää julkinen.", "Perustelu:", "Kysykää ohjaajaltanne, jos jokin askarruttaa."),
        (Locale::Is, D::Approved) => t("Herferðin „{title}“ hefur verið birt", "Leiðbeinandi samþykkti herferðina ykkar. Nú geta allir séð hana.", "Leiðbeinandinn skrifaði:", "Vel gert! Haldið áfram að skrá hve marga herferðin nær til."),
        (Locale::Is, D::ChangesRequested) => t("Óskað er eftir breytingum á „{title}“", "Leiðbeinandi las herferðina og biður um breytingar áður en hún er birt.", "Athugasemdir:", "Breytið herferðinni og sendið hana aftur þegar þið eruð tilbúin."),
        (Locale::Is, D::Rejected) => t("„{title}“ var ekki samþykkt", "Leiðbeinandi ákvað að birta ekki herferðina.", "Ástæða:", "Talið við leiðbeinandann ef þið hafið spurningar."),
        (Locale::Is, D::Unpublished) => t("„{title}“ hefur verið tekin úr birtingu í bili", "Eftir ábendingu tók leiðbeinandi herferðina af opinberu síðunum.", "Leiðbeinandinn skrifaði:", "Breytið herferðinni og sendið hana aftur; hún birtist þegar hún er samþykkt."),
        (Locale::Is, D::Archived) => t("„{title}“ hefur verið sett í safn", "Leiðbeinandi setti herferðina í safn. Hún er ekki lengur opinber.", "Ástæða:", "Talið við leiðbeinandann ef þið hafið spurningar."),
    }
}

pub(super) fn button_label(locale: Locale, kind: &str) -> &'static str {
    match (locale, kind) {
        (Locale::En, "campaign") => "Open the campaign",
        (Locale::Nb, "campaign") => "Åpne kampanjen",
        (Locale::Sv, "campaign") => "Öppna kampanjen",
        (Locale::Da, "campaign") => "Åbn kampagnen",
        (Locale::Fi, "campaign") => "Avaa kampanja",
        (Locale::Is, "campaign") => "Opna herferðina",
        (Locale::En, _) => "Open moderation",
        (Locale::Nb, _) => "Åpne moderering",
        (Locale::Sv, _) => "Öppna moderering",
        (Locale::Da, _) => "Åbn moderering",
        (Locale::Fi, _) => "Avaa moderointi",
        (Locale::Is, _) => "Opna yfirferð",
    }
}

/// The one layout every notice shares: paragraphs, an optional quote, a button.
pub(super) fn layout(
    to: &str,
    locale: Locale,
    subject: String,
    paragraphs: &[String],
    quote: Option<(&str, &str)>,
    button: (&str, &str),
) -> OutgoingMail {
    let mut text = String::new();
    let mut html = String::new();
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    if let Some((label, words)) = quote {
        text.push_str(&format!("{label}\n\n> {}\n\n", words.replace('\n', "\n> ")));
        html.push_str(&format!(
            "<p style=\"color:#4a4a55\">{}</p><blockquote style=\"margin:0 0 16px;padding:12px 16px;\
border-left:4px solid #3b2f8f;background:#f6f6f9;white-space:pre-wrap\">{}</blockquote>",
            escape(label),
            escape(words)
        ));
    }
    let (label, link) = button;
    text.push_str(&format!("{label}: {link}\n"));
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\
<body style=\"margin:0;padding:24px;font-family:system-ui,sans-serif;color:#1b1b1f;background:#f6f6f9\">\
<div style=\"max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:24px\">{html}\
<p><a href=\"{link}\" style=\"display:inline-block;padding:12px 20px;background:#3b2f8f;color:#fff;\
border-radius:8px;text-decoration:none;font-weight:600\">{label}</a></p></div></body></html>\n",
        lang = locale.as_str(),
        title = escape(&subject),
        link = escape(link),
        label = escape(label),
    );
    OutgoingMail {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

/// A decision on a team's campaign, with the facilitator's words.
#[must_use]
pub fn decision_mail(
    to: &str,
    locale: Locale,
    decision: Decision,
    title: &str,
    feedback: Option<&str>,
    link: &str,
) -> OutgoingMail {
    let t = decision_texts(locale, decision);
    let subject = t.subject.replace("{title}", title);
    let quote = feedback
        .filter(|f| !f.trim().is_empty())
        .map(|f| (t.feedback, f));
    layout(
        to,
        locale,
        subject,
        &[t.intro.to_owned(), t.next.to_owned()],
        quote,
        (button_label(locale, "campaign"), link),
    )
}

fn reason_label(locale: Locale, reason: ReportReason) -> &'static str {
    use ReportReason as R;
    match (locale, reason) {
        (Locale::Nb | Locale::Da | Locale::Sv, R::Hate) => "hat",
        (Locale::Fi, R::Hate) => "vihapuhe",
        (Locale::Is, R::Hate) => "hatur",
        (Locale::En, R::Hate) => "hate",
        (Locale::Nb, R::PersonalData) => "personopplysninger",
        (Locale::Sv, R::PersonalData) => "personuppgifter",
        (Locale::Da, R::PersonalData) => "personoplysninger",
        (Locale::Fi, R::PersonalData) => "henkilötiedot",
        (Locale::Is, R::PersonalData) => "persónuupplýsingar",
        (Locale::En, R::PersonalData) => "personal data",
        (Locale::Nb | Locale::Da, R::Bullying) => "mobbing",
        (Locale::Sv, R::Bullying) => "mobbning",
        (Locale::Fi, R::Bullying) => "kiusaaminen",
        (Locale::Is, R::Bullying) => "einelti",
        (Locale::En, R::Bullying) => "bullying",
        (Locale::Fi, R::Spam) => "roskaposti",
        (Locale::Is, R::Spam) => "ruslpóstur",
        (Locale::En | Locale::Nb | Locale::Sv | Locale::Da, R::Spam) => "spam",
        (Locale::Nb, R::Other) => "annet",
        (Locale::Da, R::Other) => "andet",
        (Locale::Sv, R::Other) => "annat",
        (Locale::Fi, R::Other) => "muu",
        (Locale::Is, R::Other) => "annað",
        (Locale::En, R::Other) => "other",
    }
}

/// An urgent report (hate or personal data) on a published campaign.
#[must_use]
pub fn report_mail(to: &str, locale: Locale, about: &ReportAbout<'_>, link: &str) -> OutgoingMail {
    let reason = reason_label(locale, about.reason);
    let (subject, intro, label, count) = match locale {
        Locale::En => ("Report ({reason}): “{title}”", "Someone reported the published campaign “{title}” for {reason}. Please look at it soon: you can take it down at once.", "What they wrote:", "There are {n} open reports on this campaign."),
        Locale::Nb => ("Rapport ({reason}): «{title}»", "Noen har rapportert den publiserte kampanjen «{title}» for {reason}. Se på den snart: du kan ta den ned med én gang.", "Det de skrev:", "Det er {n} åpne rapporter om denne kampanjen."),
        Locale::Sv => ("Anmälan ({reason}): ”{title}”", "Någon har anmält den publicerade kampanjen ”{title}” för {reason}. Titta på den snart: du kan ta ned den direkt.", "Det de skrev:", "Det finns {n} öppna anmälningar om den här kampanjen."),
        Locale::Da => ("Anmeldelse ({reason}): “{title}”", "Nogen har anmeldt den offentliggjorte kampagne “{title}” for {reason}. Se på den snart: du kan tage den ned med det samme.", "Det de skrev:", "Der er {n} åbne anmeldelser af denne kampagne."),
        Locale::Fi => ("Ilmoitus ({reason}): ”{title}”", "Julkaistusta kampanjasta ”{title}” on tehty ilmoitus (syy: {reason}). Katso se pian: voit poistaa sen näkyvistä heti.", "Ilmoittaja kirjoitti:", "Tästä kampanjasta on {n} avointa ilmoitusta."),
        Locale::Is => ("Ábending ({reason}): „{title}“", "Einhver sendi ábendingu um birtu herferðina „{title}“ vegna: {reason}. Skoðaðu hana fljótt: þú getur tekið hana úr birtingu strax.", "Það sem var skrifað:", "Það eru {n} opnar ábendingar um þessa herferð."),
    };
    let fill = |s: &str| {
        s.replace("{reason}", reason)
            .replace("{title}", about.title)
            .replace("{n}", &about.open.to_string())
    };
    let mut paragraphs = vec![fill(intro)];
    if about.open > 1 {
        paragraphs.push(fill(count));
    }
    layout(
        to,
        locale,
        fill(subject),
        &paragraphs,
        Some((label, about.details)).filter(|(_, d)| !d.trim().is_empty()),
        (button_label(locale, "moderation"), link),
    )
}

/// What a report mail says of the report.
pub struct ReportAbout<'a> {
    pub title: &'a str,
    pub reason: ReportReason,
    pub details: &'a str,
    /// Open reports on the campaign, this one included.
    pub open: i64,
}

/// What waits for a facilitator: campaigns to decide and open reports.
#[must_use]
pub fn digest_mail(
    to: &str,
    locale: Locale,
    submitted: i64,
    open_reports: i64,
    link: &str,
) -> OutgoingMail {
    let (subject, campaigns, reports) = match locale {
        Locale::En => (
            "Waiting for you on changemakers",
            "Campaigns waiting for your decision: {n}",
            "Open reports: {n}",
        ),
        Locale::Nb => (
            "Dette venter på deg i changemakers",
            "Kampanjer som venter på avgjørelse: {n}",
            "Åpne rapporter: {n}",
        ),
        Locale::Sv => (
            "Det här väntar på dig i changemakers",
            "Kampanjer som väntar på beslut: {n}",
            "Öppna anmälningar: {n}",
        ),
        Locale::Da => (
            "Det her venter på dig i changemakers",
            "Kampagner, der venter på en afgørelse: {n}",
            "Åbne anmeldelser: {n}",
        ),
        Locale::Fi => (
            "Sinua odottaa changemakersissa",
            "Päätöstä odottavat kampanjat: {n}",
            "Avoimet ilmoitukset: {n}",
        ),
        Locale::Is => (
            "Þetta bíður þín á changemakers",
            "Herferðir sem bíða ákvörðunar: {n}",
            "Opnar ábendingar: {n}",
        ),
    };
    layout(
        to,
        locale,
        subject.to_owned(),
        &[
            campaigns.replace("{n}", &submitted.to_string()),
            reports.replace("{n}", &open_reports.to_string()),
        ],
        None,
        (button_label(locale, "moderation"), link),
    )
}

#[cfg(test)]
mod tests {
    use super::{decision_mail, digest_mail, report_mail, Decision, Locale, ReportReason};

    #[test]
    fn every_notice_is_complete_in_every_locale() {
        for locale in Locale::ALL {
            for decision in [
                Decision::Approved,
                Decision::ChangesRequested,
                Decision::Rejected,
                Decision::Unpublished,
                Decision::Archived,
            ] {
                let mail = decision_mail(
                    "a@x.no",
                    *locale,
                    decision,
                    "Hils <meg>",
                    Some("Fjern navnet"),
                    "http://x/c/1",
                );
                assert!(mail.subject.contains("Hils <meg>"));
                assert!(mail.text.contains("Fjern navnet") && mail.text.contains("http://x/c/1"));
                assert!(mail.html.contains("Hils &lt;meg&gt;") || !mail.html.contains("<meg>"));
                assert!(!mail.text.contains('{'));
            }
            let mut about = super::ReportAbout {
                title: "T",
                reason: ReportReason::Hate,
                details: "slurs",
                open: 1,
            };
            let report = report_mail("a@x.no", *locale, &about, "http://x/m");
            assert!(report.text.contains("slurs") && !report.subject.contains('{'));
            assert!(!report.text.contains('7'));
            about.open = 7;
            let gathered = report_mail("a@x.no", *locale, &about, "http://x/m");
            assert!(gathered.text.contains('7') && !gathered.text.contains('{'));
            let digest = digest_mail("a@x.no", *locale, 3, 1, "http://x/m");
            assert!(digest.text.contains('3') && digest.text.contains('1'));
        }
    }
}
