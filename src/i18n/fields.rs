//! Field messages by code, with the limit they name.

use crate::domain::{figures::group_digits, FieldCode, Locale};

/// The message for a field refused with `code`, in `locale`.
#[must_use]
pub fn field_message(
    code: FieldCode,
    min: Option<i64>,
    max: Option<i64>,
    locale: Locale,
) -> String {
    let template = template(code, min.is_some(), max.is_some(), locale);
    let fill = |text: &str, key: &str, value: Option<i64>| match value {
        Some(n) => text.replace(key, &group_digits(n, locale)),
        None => text.to_owned(),
    };
    fill(&fill(template, "{min}", min), "{max}", max)
}

#[allow(clippy::too_many_lines, reason = "one table of texts")]
fn template(code: FieldCode, has_min: bool, has_max: bool, locale: Locale) -> &'static str {
    use FieldCode as C;
    use Locale as L;
    match (code, locale) {
        (C::Required, L::En) => "This field is required.",
        (C::Required, L::Nb) => "Dette feltet må fylles ut.",
        (C::Required, L::Sv) => "Det här fältet måste fyllas i.",
        (C::Required, L::Da) => "Dette felt skal udfyldes.",
        (C::Required, L::Fi) => "Tämä kenttä on pakollinen.",
        (C::Required, L::Is) => "Það þarf að fylla út þennan reit.",

        (C::TooShort, L::En) if has_min => "Use at least {min} characters.",
        (C::TooShort, L::Nb) if has_min => "Bruk minst {min} tegn.",
        (C::TooShort, L::Sv) if has_min => "Använd minst {min} tecken.",
        (C::TooShort, L::Da) if has_min => "Brug mindst {min} tegn.",
        (C::TooShort, L::Fi) if has_min => "Käytä vähintään {min} merkkiä.",
        (C::TooShort, L::Is) if has_min => "Notaðu að minnsta kosti {min} stafi.",
        (C::TooShort, L::En) => "This is too short.",
        (C::TooShort, L::Nb) => "Dette er for kort.",
        (C::TooShort, L::Sv) => "Det här är för kort.",
        (C::TooShort, L::Da) => "Dette er for kort.",
        (C::TooShort, L::Fi) => "Tämä on liian lyhyt.",
        (C::TooShort, L::Is) => "Þetta er of stutt.",

        (C::TooLong, L::En) if has_max => "Use at most {max} characters.",
        (C::TooLong, L::Nb) if has_max => "Bruk høyst {max} tegn.",
        (C::TooLong, L::Sv) if has_max => "Använd högst {max} tecken.",
        (C::TooLong, L::Da) if has_max => "Brug højst {max} tegn.",
        (C::TooLong, L::Fi) if has_max => "Käytä enintään {max} merkkiä.",
        (C::TooLong, L::Is) if has_max => "Notaðu í mesta lagi {max} stafi.",
        (C::TooLong, L::En) => "This is too long.",
        (C::TooLong, L::Nb) => "Dette er for langt.",
        (C::TooLong, L::Sv) => "Det här är för långt.",
        (C::TooLong, L::Da) => "Dette er for langt.",
        (C::TooLong, L::Fi) => "Tämä on liian pitkä.",
        (C::TooLong, L::Is) => "Þetta er of langt.",

        (C::OutOfRange, L::En) if has_min && has_max => "Choose a value from {min} to {max}.",
        (C::OutOfRange, L::Nb) if has_min && has_max => "Velg en verdi fra {min} til {max}.",
        (C::OutOfRange, L::Sv) if has_min && has_max => "Välj ett värde från {min} till {max}.",
        (C::OutOfRange, L::Da) if has_min && has_max => "Vælg en værdi fra {min} til {max}.",
        (C::OutOfRange, L::Fi) if has_min && has_max => "Valitse arvo väliltä {min}–{max}.",
        (C::OutOfRange, L::Is) if has_min && has_max => "Veldu gildi frá {min} til {max}.",
        (C::OutOfRange, L::En) => "This value is outside what is allowed.",
        (C::OutOfRange, L::Nb) => "Verdien er utenfor det som er tillatt.",
        (C::OutOfRange, L::Sv) => "Värdet ligger utanför det tillåtna.",
        (C::OutOfRange, L::Da) => "Værdien ligger uden for det tilladte.",
        (C::OutOfRange, L::Fi) => "Arvo on sallitun alueen ulkopuolella.",
        (C::OutOfRange, L::Is) => "Gildið er utan leyfilegra marka.",

        (C::InvalidFormat, L::En) => "This is not in the right format.",
        (C::InvalidFormat, L::Nb) => "Dette har ikke riktig format.",
        (C::InvalidFormat, L::Sv) => "Det här har inte rätt format.",
        (C::InvalidFormat, L::Da) => "Dette har ikke det rigtige format.",
        (C::InvalidFormat, L::Fi) => "Tämä ei ole oikeassa muodossa.",
        (C::InvalidFormat, L::Is) => "Þetta er ekki á réttu sniði.",

        (C::NotAllowed, L::En) => "This value is not allowed here.",
        (C::NotAllowed, L::Nb) => "Denne verdien er ikke tillatt her.",
        (C::NotAllowed, L::Sv) => "Det här värdet är inte tillåtet här.",
        (C::NotAllowed, L::Da) => "Denne værdi er ikke tilladt her.",
        (C::NotAllowed, L::Fi) => "Tämä arvo ei ole sallittu tässä.",
        (C::NotAllowed, L::Is) => "Þetta gildi er ekki leyft hér.",

        (C::InTheFuture, L::En) => "This date cannot be in the future.",
        (C::InTheFuture, L::Nb) => "Datoen kan ikke være fram i tid.",
        (C::InTheFuture, L::Sv) => "Datumet kan inte ligga i framtiden.",
        (C::InTheFuture, L::Da) => "Datoen kan ikke ligge ude i fremtiden.",
        (C::InTheFuture, L::Fi) => "Päivämäärä ei voi olla tulevaisuudessa.",
        (C::InTheFuture, L::Is) => "Dagsetningin má ekki vera í framtíðinni.",
    }
}

#[cfg(test)]
mod tests {
    use super::field_message;
    use crate::domain::{FieldCode, Locale};

    #[test]
    fn names_the_limit_in_the_language() {
        assert_eq!(
            field_message(FieldCode::TooLong, None, Some(300), Locale::Nb),
            "Bruk høyst 300 tegn."
        );
        assert_eq!(
            field_message(FieldCode::OutOfRange, Some(1), Some(1_000_000), Locale::Sv),
            "Välj ett värde från 1 till 1\u{a0}000\u{a0}000."
        );
    }

    #[test]
    fn every_code_has_every_language() {
        for code in FieldCode::ALL {
            for locale in Locale::ALL {
                for (min, max) in [
                    (None, None),
                    (Some(1), None),
                    (None, Some(2)),
                    (Some(1), Some(2)),
                ] {
                    let text = field_message(*code, min, max, *locale);
                    assert!(!text.contains('{'), "{code} {locale}: {text}");
                }
            }
        }
    }
}
