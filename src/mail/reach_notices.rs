//! The mail a team gets when a facilitator decides on a reach report, in
//! every language the platform speaks.

use super::{
    notices::{button_label, layout},
    OutgoingMail,
};
use crate::domain::{figures::group_digits, Locale};

struct Texts {
    /// `{title}` is filled in.
    subject_verified: &'static str,
    subject_declined: &'static str,
    /// `{reported}` and `{verified}` are filled in.
    verified: &'static str,
    declined: &'static str,
    note: &'static str,
}

fn texts(locale: Locale) -> Texts {
    let t = |subject_verified, subject_declined, verified, declined, note| Texts {
        subject_verified,
        subject_declined,
        verified,
        declined,
        note,
    };
    match locale {
        Locale::En => t("Reach verified for “{title}”", "Reach report for “{title}” not verified", "A facilitator verified your report: you said {reported} people, and {verified} count toward the verified figure.", "A facilitator could not verify your report of {reported} people. It does not count toward the figures.", "Their note:"),
        Locale::Nb => t("Rekkevidde bekreftet for «{title}»", "Rekkeviddemeldingen for «{title}» ble ikke bekreftet", "En veileder har bekreftet meldingen deres: dere meldte {reported} personer, og {verified} teller som bekreftet.", "En veileder kunne ikke bekrefte meldingen om {reported} personer. Den teller ikke med i tallene.", "Veilederen skrev:"),
        Locale::Sv => t("Räckvidd bekräftad för ”{title}”", "Räckviddsrapporten för ”{title}” bekräftades inte", "En handledare har bekräftat er rapport: ni rapporterade {reported} personer, och {verified} räknas som bekräftade.", "En handledare kunde inte bekräfta rapporten om {reported} personer. Den räknas inte in i siffrorna.", "Handledaren skrev:"),
        Locale::Da => t("Rækkevidde bekræftet for “{title}”", "Rapporten om rækkevidde for “{title}” blev ikke bekræftet", "En facilitator har bekræftet jeres rapport: I meldte {reported} personer, og {verified} tæller som bekræftede.", "En facilitator kunne ikke bekræfte rapporten om {reported} personer. Den tæller ikke med i tallene.", "Facilitatoren skrev:"),
        Locale::Fi => t("Kampanjan ”{title}” tavoittavuus vahvistettu", "Kampanjan ”{title}” tavoittavuusilmoitusta ei vahvistettu", "Ohjaaja vahvisti ilmoituksenne: ilmoititte {reported} henkilöä, ja {verified} lasketaan vahvistetuiksi.", "Ohjaaja ei voinut vahvistaa ilmoitusta {reported} henkilöstä. Sitä ei lasketa lukuihin.", "Ohjaaja kirjoitti:"),
        Locale::Is => t("Umfang staðfest fyrir „{title}“", "Umfangsskýrsla fyrir „{title}“ var ekki staðfest", "Leiðbeinandi staðfesti skýrsluna ykkar: þið skráðuð {reported} manns og {verified} teljast staðfest.", "Leiðbeinandi gat ekki staðfest skýrsluna um {reported} manns. Hún telst ekki með í tölunum.", "Leiðbeinandinn skrifaði:"),
    }
}

/// A decision on a team's reach report.
#[must_use]
pub fn reach_mail(
    to: &str,
    locale: Locale,
    title: &str,
    (reported, verified): (i32, Option<i32>),
    note: Option<&str>,
    link: &str,
) -> OutgoingMail {
    let t = texts(locale);
    let (subject, body) = match verified {
        Some(_) => (t.subject_verified, t.verified),
        None => (t.subject_declined, t.declined),
    };
    let body = body
        .replace("{reported}", &group_digits(i64::from(reported), locale))
        .replace(
            "{verified}",
            &group_digits(i64::from(verified.unwrap_or(0)), locale),
        );
    layout(
        to,
        locale,
        subject.replace("{title}", title),
        &[body],
        note.filter(|n| !n.trim().is_empty()).map(|n| (t.note, n)),
        (button_label(locale, "campaign"), link),
    )
}

#[cfg(test)]
mod tests {
    use super::{group_digits, reach_mail};
    use crate::domain::Locale;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(group_digits(3000, Locale::En), "3,000");
        assert_eq!(group_digits(3000, Locale::Nb), "3\u{a0}000");
        assert_eq!(group_digits(1_234_567, Locale::Da), "1.234.567");
        assert_eq!(group_digits(999, Locale::Fi), "999");
    }

    #[test]
    fn every_language_says_both_outcomes() {
        for locale in Locale::ALL {
            let yes = reach_mail(
                "a@b.no",
                *locale,
                "Hei",
                (3000, Some(2500)),
                Some("ok"),
                "https://x/",
            );
            let no = reach_mail(
                "a@b.no",
                *locale,
                "Hei",
                (40, None),
                Some("why"),
                "https://x/",
            );
            assert!(yes.subject.contains("Hei") && no.subject.contains("Hei"));
            assert_ne!(yes.subject, no.subject);
            assert!(yes.text.contains(&super::group_digits(2500, *locale)));
        }
    }
}
