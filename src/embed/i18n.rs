//! Every text the embeds show, in the six languages of the alliance.

use crate::domain::{Locale, Theme};

/// The texts of one language.
pub struct Texts {
    /// The gallery's heading and the iframe's title.
    pub gallery: &'static str,
    /// The same, for one city: `{city}` is replaced.
    pub gallery_of: &'static str,
    pub more: &'static str,
    pub empty_title: &'static str,
    pub empty: &'static str,
    /// `{n}` is replaced by the formatted number.
    pub reached: &'static str,
    pub by: &'static str,
    pub see_all: &'static str,
    pub new_tab: &'static str,
    pub campaign: &'static str,
    pub not_found_title: &'static str,
    pub not_found: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request: &'static str,
    pub themes: [&'static str; 6],
}

const EN: Texts = Texts {
    gallery: "Campaigns by young changemakers",
    gallery_of: "Campaigns by young changemakers in {city}",
    more: "Show more campaigns",
    empty_title: "No campaigns here yet",
    empty: "The young people are working on theirs. Come back soon!",
    reached: "{n} people reached",
    by: "by",
    see_all: "See every campaign on changemakers",
    new_tab: "opens in a new tab",
    campaign: "Campaign",
    not_found_title: "Nothing to show here",
    not_found:
        "This city, programme or campaign is not on changemakers, or it is no longer public.",
    bad_request_title: "This embed code has a mistake",
    bad_request: "Check the code on the page where it was copied from.",
    themes: [
        "Urban spaces",
        "Online life",
        "Families",
        "Youth",
        "Civil servants",
        "Community",
    ],
};

const NB: Texts = Texts {
    gallery: "Kampanjer fra unge endringsskapere",
    gallery_of: "Kampanjer fra unge endringsskapere i {city}",
    more: "Vis flere kampanjer",
    empty_title: "Ingen kampanjer her ennå",
    empty: "Ungdommene jobber med sine. Kom tilbake snart!",
    reached: "{n} personer nådd",
    by: "av",
    see_all: "Se alle kampanjene på changemakers",
    new_tab: "åpnes i en ny fane",
    campaign: "Kampanje",
    not_found_title: "Ingenting å vise her",
    not_found: "Denne byen, programmet eller kampanjen finnes ikke på changemakers, eller er ikke lenger offentlig.",
    bad_request_title: "Denne innbyggingskoden har en feil",
    bad_request: "Sjekk koden på siden den ble kopiert fra.",
    themes: [
        "Byrom",
        "Livet på nett",
        "Familier",
        "Ungdom",
        "Offentlig ansatte",
        "Lokalsamfunn",
    ],
};

const SV: Texts = Texts {
    gallery: "Kampanjer av unga förändringsskapare",
    gallery_of: "Kampanjer av unga förändringsskapare i {city}",
    more: "Visa fler kampanjer",
    empty_title: "Inga kampanjer här än",
    empty: "De unga arbetar på sina. Kom tillbaka snart!",
    reached: "{n} personer nådda",
    by: "av",
    see_all: "Se alla kampanjer på changemakers",
    new_tab: "öppnas i en ny flik",
    campaign: "Kampanj",
    not_found_title: "Inget att visa här",
    not_found: "Den här staden, programmet eller kampanjen finns inte på changemakers, eller är inte längre offentlig.",
    bad_request_title: "Den här inbäddningskoden har ett fel",
    bad_request: "Kontrollera koden på sidan där den kopierades.",
    themes: [
        "Stadsrum",
        "Livet på nätet",
        "Familjer",
        "Unga",
        "Offentliganställda",
        "Lokalsamhälle",
    ],
};

const DA: Texts = Texts {
    gallery: "Kampagner fra unge forandringsskabere",
    gallery_of: "Kampagner fra unge forandringsskabere i {city}",
    more: "Vis flere kampagner",
    empty_title: "Ingen kampagner her endnu",
    empty: "De unge arbejder på deres. Kom snart tilbage!",
    reached: "{n} personer nået",
    by: "af",
    see_all: "Se alle kampagner på changemakers",
    new_tab: "åbner i en ny fane",
    campaign: "Kampagne",
    not_found_title: "Intet at vise her",
    not_found: "Denne by, dette program eller denne kampagne findes ikke på changemakers, eller er ikke længere offentlig.",
    bad_request_title: "Denne indlejringskode har en fejl",
    bad_request: "Tjek koden på siden, hvor den blev kopieret fra.",
    themes: [
        "Byrum",
        "Livet online",
        "Familier",
        "Unge",
        "Offentligt ansatte",
        "Lokalsamfund",
    ],
};

const FI: Texts = Texts {
    gallery: "Nuorten muutoksentekijöiden kampanjat",
    gallery_of: "Nuorten muutoksentekijöiden kampanjat: {city}",
    more: "Näytä lisää kampanjoita",
    empty_title: "Täällä ei ole vielä kampanjoita",
    empty: "Nuoret tekevät omiaan. Tule pian takaisin!",
    reached: "{n} ihmistä tavoitettu",
    by: "tekijä:",
    see_all: "Katso kaikki kampanjat changemakersissa",
    new_tab: "avautuu uudelle välilehdelle",
    campaign: "Kampanja",
    not_found_title: "Täällä ei ole mitään näytettävää",
    not_found: "Tätä kaupunkia, ohjelmaa tai kampanjaa ei ole changemakersissa, tai se ei ole enää julkinen.",
    bad_request_title: "Tässä upotuskoodissa on virhe",
    bad_request: "Tarkista koodi sivulta, jolta se kopioitiin.",
    themes: [
        "Kaupunkitilat",
        "Elämä verkossa",
        "Perheet",
        "Nuoret",
        "Julkishallinnon työntekijät",
        "Yhteisö",
    ],
};

const IS: Texts = Texts {
    gallery: "Herferðir ungra breytingasmiða",
    gallery_of: "Herferðir ungra breytingasmiða í {city}",
    more: "Sýna fleiri herferðir",
    empty_title: "Engar herferðir hér enn",
    empty: "Unga fólkið vinnur að sínum. Komdu fljótlega aftur!",
    reached: "{n} manns náð",
    by: "eftir",
    see_all: "Sjá allar herferðir á changemakers",
    new_tab: "opnast í nýjum flipa",
    campaign: "Herferð",
    not_found_title: "Ekkert að sýna hér",
    not_found: "Þessi borg, áætlun eða herferð er ekki á changemakers, eða er ekki lengur opinber.",
    bad_request_title: "Það er villa í þessum ígræðslukóða",
    bad_request: "Athugaðu kóðann á síðunni þar sem hann var afritaður.",
    themes: [
        "Borgarrými",
        "Lífið á netinu",
        "Fjölskyldur",
        "Ungt fólk",
        "Opinberir starfsmenn",
        "Samfélagið",
    ],
};

/// The texts of `locale`.
#[must_use]
pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::Nb => &NB,
        Locale::Sv => &SV,
        Locale::Da => &DA,
        Locale::Fi => &FI,
        Locale::Is => &IS,
    }
}

impl Texts {
    #[must_use]
    pub fn theme(&self, theme: Theme) -> &'static str {
        let i = match theme {
            Theme::UrbanSpaces => 0,
            Theme::OnlineLife => 1,
            Theme::Families => 2,
            Theme::Youth => 3,
            Theme::CivilServants => 4,
            Theme::Community => 5,
        };
        self.themes[i]
    }

    #[must_use]
    pub fn reached(&self, n: i64, locale: Locale) -> String {
        self.reached
            .replace("{n}", &crate::domain::figures::group_digits(n, locale))
    }

    #[must_use]
    pub fn title(&self, city: Option<&str>) -> String {
        city.map_or_else(
            || self.gallery.to_owned(),
            |c| self.gallery_of.replace("{city}", c),
        )
    }
}
