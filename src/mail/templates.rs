//! Mail texts in every language the platform speaks, rendered as HTML and plain text.

use crate::domain::{rich_text::escape_html as escape, Locale};

use super::OutgoingMail;

struct SignInTexts {
    subject: &'static str,
    greeting: &'static str,
    intro: &'static str,
    button: &'static str,
    /// `{minutes}` is replaced by the link's lifetime.
    expiry: &'static str,
    copy: &'static str,
    ignore: &'static str,
}

fn sign_in_texts(locale: Locale) -> SignInTexts {
    match locale {
        Locale::En => SignInTexts {
            subject: "Your sign-in link for changemakers",
            greeting: "Hi!",
            intro: "Tap the button below to sign in to changemakers.",
            button: "Sign in",
            expiry: "The link works once and expires in {minutes} minutes.",
            copy: "Or copy this link into your browser:",
            ignore: "If you did not ask for this, you can safely ignore this email.",
        },
        Locale::Nb => SignInTexts {
            subject: "Din innloggingslenke til changemakers",
            greeting: "Hei!",
            intro: "Trykk på knappen under for å logge inn på changemakers.",
            button: "Logg inn",
            expiry: "Lenken virker én gang og utløper om {minutes} minutter.",
            copy: "Eller kopier denne lenken inn i nettleseren:",
            ignore: "Hvis du ikke ba om dette, kan du trygt se bort fra denne e-posten.",
        },
        Locale::Sv => SignInTexts {
            subject: "Din inloggningslänk till changemakers",
            greeting: "Hej!",
            intro: "Tryck på knappen nedan för att logga in på changemakers.",
            button: "Logga in",
            expiry: "Länken fungerar en gång och slutar gälla om {minutes} minuter.",
            copy: "Eller kopiera den här länken till webbläsaren:",
            ignore: "Om du inte bad om detta kan du lugnt bortse från det här mejlet.",
        },
        Locale::Da => SignInTexts {
            subject: "Dit login-link til changemakers",
            greeting: "Hej!",
            intro: "Tryk på knappen herunder for at logge ind på changemakers.",
            button: "Log ind",
            expiry: "Linket virker én gang og udløber om {minutes} minutter.",
            copy: "Eller kopiér dette link ind i din browser:",
            ignore: "Hvis du ikke har bedt om dette, kan du roligt se bort fra denne e-mail.",
        },
        Locale::Fi => SignInTexts {
            subject: "Kirjautumislinkkisi changemakers-palveluun",
            greeting: "Hei!",
            intro: "Kirjaudu changemakers-palveluun painamalla alla olevaa painiketta.",
            button: "Kirjaudu sisään",
            expiry: "Linkki toimii kerran ja vanhenee {minutes} minuutin kuluttua.",
            copy: "Tai kopioi tämä linkki selaimeesi:",
            ignore: "Jos et pyytänyt tätä, voit jättää tämän viestin huomiotta.",
        },
        Locale::Is => SignInTexts {
            subject: "Innskráningarhlekkurinn þinn fyrir changemakers",
            greeting: "Hæ!",
            intro: "Ýttu á hnappinn hér fyrir neðan til að skrá þig inn á changemakers.",
            button: "Skrá inn",
            expiry: "Hlekkurinn virkar einu sinni og rennur út eftir {minutes} mínútur.",
            copy: "Eða afritaðu þennan hlekk í vafrann:",
            ignore: "Ef þú baðst ekki um þetta geturðu hunsað þennan póst.",
        },
    }
}

/// The sign-in mail with its one-time `link`, in `locale`.
#[must_use]
pub fn sign_in_mail(to: &str, link: &str, minutes: i64, locale: Locale) -> OutgoingMail {
    let t = sign_in_texts(locale);
    let expiry = t.expiry.replace("{minutes}", &minutes.to_string());
    let text = format!(
        "{}\n\n{}\n\n{}\n\n{}\n\n{}\n",
        t.greeting, t.intro, link, expiry, t.ignore
    );
    let (link_html, lang) = (escape(link), locale.as_str());
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{subject}</title></head>\
<body style=\"margin:0;padding:24px;font-family:system-ui,sans-serif;color:#1b1b1f;background:#f6f6f9\">\
<div style=\"max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:24px\">\
<p style=\"font-size:18px\">{greeting}</p><p>{intro}</p>\
<p><a href=\"{link_html}\" style=\"display:inline-block;padding:12px 20px;background:#3b2f8f;color:#fff;\
border-radius:8px;text-decoration:none;font-weight:600\">{button}</a></p>\
<p style=\"color:#4a4a55\">{expiry}</p>\
<p style=\"color:#4a4a55;font-size:14px\">{copy}<br><a href=\"{link_html}\">{link_html}</a></p>\
<p style=\"color:#4a4a55;font-size:14px\">{ignore}</p></div></body></html>\n",
        subject = escape(t.subject),
        greeting = escape(t.greeting),
        intro = escape(t.intro),
        button = escape(t.button),
        expiry = escape(&expiry),
        copy = escape(t.copy),
        ignore = escape(t.ignore),
    );
    OutgoingMail {
        to: to.to_owned(),
        subject: t.subject.to_owned(),
        text,
        html,
    }
}

struct InviteTexts {
    /// `{inviter}` and `{team}` are filled in.
    subject: &'static str,
    intro: &'static str,
    button: &'static str,
    /// `{code}` is filled in.
    code: &'static str,
    ignore: &'static str,
}

fn invite_texts(locale: Locale) -> InviteTexts {
    match locale {
        Locale::En => InviteTexts {
            subject: "{inviter} invited you to the team {team}",
            intro: "{inviter} invited you to join the team {team} on changemakers, where young people run campaigns for safer and more inclusive cities.",
            button: "Join the team",
            code: "Or sign in and type the join code {code}.",
            ignore: "If you do not know the sender, you can ignore this email.",
        },
        Locale::Nb => InviteTexts {
            subject: "{inviter} har invitert deg til teamet {team}",
            intro: "{inviter} har invitert deg til å bli med i teamet {team} på changemakers, der unge lager kampanjer for tryggere og mer inkluderende byer.",
            button: "Bli med i teamet",
            code: "Eller logg inn og skriv inn koden {code}.",
            ignore: "Hvis du ikke kjenner avsenderen, kan du se bort fra denne e-posten.",
        },
        Locale::Sv => InviteTexts {
            subject: "{inviter} har bjudit in dig till teamet {team}",
            intro: "{inviter} har bjudit in dig att gå med i teamet {team} på changemakers, där unga gör kampanjer för tryggare och mer inkluderande städer.",
            button: "Gå med i teamet",
            code: "Eller logga in och skriv koden {code}.",
            ignore: "Om du inte känner avsändaren kan du bortse från det här mejlet.",
        },
        Locale::Da => InviteTexts {
            subject: "{inviter} har inviteret dig til teamet {team}",
            intro: "{inviter} har inviteret dig til at være med i teamet {team} på changemakers, hvor unge laver kampagner for mere trygge og inkluderende byer.",
            button: "Bliv en del af teamet",
            code: "Eller log ind og skriv koden {code}.",
            ignore: "Hvis du ikke kender afsenderen, kan du se bort fra denne e-mail.",
        },
        Locale::Fi => InviteTexts {
            subject: "{inviter} kutsui sinut tiimiin {team}",
            intro: "{inviter} kutsui sinut mukaan tiimiin {team} changemakers-palvelussa, jossa nuoret tekevät kampanjoita turvallisempien ja osallistavampien kaupunkien puolesta.",
            button: "Liity tiimiin",
            code: "Tai kirjaudu sisään ja kirjoita koodi {code}.",
            ignore: "Jos et tunne lähettäjää, voit jättää tämän viestin huomiotta.",
        },
        Locale::Is => InviteTexts {
            subject: "{inviter} bauð þér í teymið {team}",
            intro: "{inviter} bauð þér að ganga í teymið {team} á changemakers, þar sem ungt fólk stendur fyrir herferðum fyrir öruggari og opnari borgir.",
            button: "Ganga í teymið",
            code: "Eða skráðu þig inn og sláðu inn kóðann {code}.",
            ignore: "Ef þú þekkir ekki sendandann geturðu hunsað þennan póst.",
        },
    }
}

/// An invitation to join a team, with its join link and code.
#[must_use]
pub fn team_invite_mail(
    to: &str,
    inviter: &str,
    team: &str,
    code: &str,
    link: &str,
    locale: Locale,
) -> OutgoingMail {
    let t = invite_texts(locale);
    let fill = |text: &str| {
        text.replace("{inviter}", inviter)
            .replace("{team}", team)
            .replace("{code}", code)
    };
    let (subject, intro, code_line) = (fill(t.subject), fill(t.intro), fill(t.code));
    let text = format!("{intro}\n\n{link}\n\n{code_line}\n\n{}\n", t.ignore);
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{subject}</title></head>\
<body style=\"margin:0;padding:24px;font-family:system-ui,sans-serif;color:#1b1b1f;background:#f6f6f9\">\
<div style=\"max-width:480px;margin:0 auto;background:#fff;border-radius:12px;padding:24px\">\
<p>{intro}</p><p><a href=\"{link}\" style=\"display:inline-block;padding:12px 20px;background:#3b2f8f;\
color:#fff;border-radius:8px;text-decoration:none;font-weight:600\">{button}</a></p>\
<p style=\"color:#4a4a55\">{code_line}</p><p style=\"color:#4a4a55;font-size:14px\">{ignore}</p>\
</div></body></html>\n",
        lang = locale.as_str(),
        subject = escape(&subject),
        intro = escape(&intro),
        link = escape(link),
        button = escape(t.button),
        code_line = escape(&code_line),
        ignore = escape(t.ignore),
    );
    OutgoingMail {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::{sign_in_mail, team_invite_mail, Locale};

    #[test]
    fn invites_name_the_team_and_code_in_every_locale() {
        for locale in Locale::ALL {
            let mail = team_invite_mail(
                "a@example.no",
                "Maja",
                "Team <Sol>",
                "K7MX4QPD",
                "http://x/join?code=K7MX4QPD",
                *locale,
            );
            assert!(mail.subject.contains("Maja"));
            assert!(mail.text.contains("K7MX4QPD"));
            assert!(mail.html.contains("Team &lt;Sol&gt;"));
            assert!(!mail.text.contains('{'));
        }
    }

    #[test]
    fn every_locale_has_the_link_and_lifetime() {
        for locale in Locale::ALL {
            let mail = sign_in_mail(
                "a@example.no",
                "http://x/auth/verify?token=abc",
                15,
                *locale,
            );
            assert!(mail.text.contains("http://x/auth/verify?token=abc"));
            assert!(mail.text.contains("15"));
            assert!(mail.html.contains(&format!("lang=\"{}\"", locale.as_str())));
            assert!(!mail.text.contains("{minutes}"));
        }
    }

    #[test]
    fn escapes_html() {
        let mail = sign_in_mail("a@example.no", "http://x/?a=<b>", 15, Locale::En);
        assert!(mail.html.contains("&lt;b&gt;"));
    }
}
