//! Problem titles by HTTP status, in nb, sv, da, fi, is (English is the
//! status's own reason phrase).

/// Titles by HTTP status.
pub const TITLES: &[(u16, [&str; 5])] = &[
    (
        400,
        [
            "Ugyldig forespørsel",
            "Ogiltig begäran",
            "Ugyldig forespørgsel",
            "Virheellinen pyyntö",
            "Ógild beiðni",
        ],
    ),
    (
        401,
        [
            "Innlogging kreves",
            "Inloggning krävs",
            "Log ind først",
            "Kirjautuminen vaaditaan",
            "Innskráning þarf",
        ],
    ),
    (
        403,
        [
            "Ikke tillatt",
            "Inte tillåtet",
            "Ikke tilladt",
            "Ei sallittu",
            "Ekki leyft",
        ],
    ),
    (
        404,
        [
            "Ikke funnet",
            "Hittades inte",
            "Ikke fundet",
            "Ei löytynyt",
            "Fannst ekki",
        ],
    ),
    (
        405,
        [
            "Metoden er ikke tillatt",
            "Metoden är inte tillåten",
            "Metoden er ikke tilladt",
            "Menetelmä ei ole sallittu",
            "Aðferðin er ekki leyfð",
        ],
    ),
    (
        408,
        [
            "Tidsavbrudd",
            "Tidsgränsen nåddes",
            "Tiden løb ud",
            "Aikakatkaisu",
            "Tíminn rann út",
        ],
    ),
    (
        409,
        ["Konflikt", "Konflikt", "Konflikt", "Ristiriita", "Árekstur"],
    ),
    (
        410,
        [
            "Ikke lenger gyldig",
            "Inte längre giltig",
            "Ikke længere gyldig",
            "Ei enää voimassa",
            "Ekki lengur í gildi",
        ],
    ),
    (
        413,
        [
            "For stor",
            "För stor",
            "For stor",
            "Liian suuri",
            "Of stórt",
        ],
    ),
    (
        415,
        [
            "Filtypen støttes ikke",
            "Filtypen stöds inte",
            "Filtypen understøttes ikke",
            "Tiedostotyyppiä ei tueta",
            "Skráargerðin er ekki studd",
        ],
    ),
    (
        422,
        [
            "Noen felt må rettes",
            "Några fält behöver rättas",
            "Nogle felter skal rettes",
            "Joitakin kenttiä pitää korjata",
            "Það þarf að laga suma reiti",
        ],
    ),
    (
        429,
        [
            "For mange forespørsler",
            "För många förfrågningar",
            "For mange forespørgsler",
            "Liian monta pyyntöä",
            "Of margar beiðnir",
        ],
    ),
    (
        500,
        [
            "Noe gikk galt",
            "Något gick fel",
            "Noget gik galt",
            "Jokin meni vikaan",
            "Eitthvað fór úrskeiðis",
        ],
    ),
    (
        501,
        [
            "Ikke støttet",
            "Stöds inte",
            "Understøttes ikke",
            "Ei tuettu",
            "Ekki stutt",
        ],
    ),
    (
        503,
        [
            "Midlertidig utilgjengelig",
            "Tillfälligt otillgänglig",
            "Midlertidigt utilgængelig",
            "Tilapäisesti poissa käytöstä",
            "Tímabundið ekki í boði",
        ],
    ),
    (
        507,
        [
            "Ikke nok lagringsplass",
            "Inte tillräckligt med lagringsutrymme",
            "Ikke nok lagerplads",
            "Tallennustila ei riitä",
            "Ekki nóg geymslupláss",
        ],
    ),
];
