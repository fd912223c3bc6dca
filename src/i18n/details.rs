//! Problem details by code, in nb, sv, da, fi, is (English is the error's
//! own message).

/// Details by problem code.
pub const DETAILS: &[(&str, [&str; 5])] = &[
    ("validation_failed", [
        "Noen felt må rettes før dette kan lagres.",
        "Några fält behöver rättas innan det här kan sparas.",
        "Nogle felter skal rettes, før dette kan gemmes.",
        "Joitakin kenttiä pitää korjata ennen tallentamista.",
        "Það þarf að laga suma reiti áður en hægt er að vista.",
    ]),
    ("malformed_json", [
        "Forespørselen kunne ikke leses.",
        "Begäran kunde inte läsas.",
        "Forespørgslen kunne ikke læses.",
        "Pyyntöä ei voitu lukea.",
        "Ekki var hægt að lesa beiðnina.",
    ]),
    ("invalid_parameter", [
        "En verdi i adressen er ikke gyldig.",
        "Ett värde i adressen är inte giltigt.",
        "En værdi i adressen er ikke gyldig.",
        "Osoitteessa on virheellinen arvo.",
        "Gildi í slóðinni er ekki gilt.",
    ]),
    ("invalid_cursor", [
        "Listen har endret seg. Last inn siden på nytt.",
        "Listan har ändrats. Ladda om sidan.",
        "Listen er ændret. Indlæs siden igen.",
        "Lista on muuttunut. Lataa sivu uudelleen.",
        "Listinn hefur breyst. Hladdu síðunni aftur.",
    ]),
    ("unauthorized", [
        "Logg inn for å fortsette.",
        "Logga in för att fortsätta.",
        "Log ind for at fortsætte.",
        "Kirjaudu sisään jatkaaksesi.",
        "Skráðu þig inn til að halda áfram.",
    ]),
    ("forbidden", [
        "Du har ikke tilgang til å gjøre dette.",
        "Du har inte behörighet att göra det här.",
        "Du har ikke adgang til at gøre dette.",
        "Sinulla ei ole oikeutta tehdä tätä.",
        "Þú hefur ekki heimild til að gera þetta.",
    ]),
    ("cross_origin_request", [
        "Forespørsler fra andre nettsteder kan ikke bruke innloggingen din.",
        "Förfrågningar från andra webbplatser kan inte använda din inloggning.",
        "Forespørgsler fra andre websteder kan ikke bruge dit login.",
        "Muiden sivustojen pyynnöt eivät voi käyttää kirjautumistasi.",
        "Beiðnir frá öðrum vefjum geta ekki notað innskráninguna þína.",
    ]),
    ("not_found", [
        "Dette finnes ikke, eller du har ikke tilgang til det.",
        "Det här finns inte, eller så har du inte tillgång till det.",
        "Dette findes ikke, eller du har ikke adgang til det.",
        "Tätä ei ole olemassa, tai sinulla ei ole siihen pääsyä.",
        "Þetta er ekki til, eða þú hefur ekki aðgang að því.",
    ]),
    ("method_not_allowed", [
        "Denne adressen tar ikke imot denne typen forespørsel.",
        "Den här adressen tar inte emot den här typen av begäran.",
        "Denne adresse modtager ikke denne type forespørgsel.",
        "Tämä osoite ei hyväksy tällaista pyyntöä.",
        "Þessi slóð tekur ekki við svona beiðni.",
    ]),
    ("payload_too_large", [
        "Dette er for stort. Prøv en mindre fil eller kortere tekst.",
        "Det här är för stort. Prova en mindre fil eller kortare text.",
        "Dette er for stort. Prøv en mindre fil eller kortere tekst.",
        "Tämä on liian suuri. Kokeile pienempää tiedostoa tai lyhyempää tekstiä.",
        "Þetta er of stórt. Prófaðu minni skrá eða styttri texta.",
    ]),
    ("unsupported_media_type", [
        "Denne filtypen kan ikke brukes. Velg et bilde (JPEG, PNG, WebP) eller en video (MP4, MOV, WebM).",
        "Den här filtypen kan inte användas. Välj en bild (JPEG, PNG, WebP) eller en video (MP4, MOV, WebM).",
        "Denne filtype kan ikke bruges. Vælg et billede (JPEG, PNG, WebP) eller en video (MP4, MOV, WebM).",
        "Tätä tiedostotyyppiä ei voi käyttää. Valitse kuva (JPEG, PNG, WebP) tai video (MP4, MOV, WebM).",
        "Ekki er hægt að nota þessa skráargerð. Veldu mynd (JPEG, PNG, WebP) eða myndband (MP4, MOV, WebM).",
    ]),
    ("rate_limited", [
        "For mange forsøk. Vent litt og prøv igjen.",
        "För många försök. Vänta en stund och försök igen.",
        "For mange forsøg. Vent lidt, og prøv igen.",
        "Liian monta yritystä. Odota hetki ja yritä uudelleen.",
        "Of margar tilraunir. Bíddu aðeins og reyndu aftur.",
    ]),
    ("service_unavailable", [
        "En del av tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.",
        "En del av tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
        "En del af tjenesten er midlertidigt utilgængelig. Prøv igen om lidt.",
        "Osa palvelusta on tilapäisesti poissa käytöstä. Yritä hetken päästä uudelleen.",
        "Hluti þjónustunnar er tímabundið ekki í boði. Reyndu aftur eftir smástund.",
    ]),
    ("internal_error", [
        "Noe uventet gikk galt. Det er logget, og vi ser på det.",
        "Något oväntat gick fel. Det har loggats och vi tittar på det.",
        "Noget uventet gik galt. Det er logget, og vi kigger på det.",
        "Jotain odottamatonta tapahtui. Virhe on kirjattu, ja selvitämme sen.",
        "Eitthvað óvænt fór úrskeiðis. Það hefur verið skráð og við skoðum það.",
    ]),
    ("version_conflict", [
        "Noen andre har endret kampanjen siden du åpnet den. Last inn på nytt og se igjen.",
        "Någon annan har ändrat kampanjen sedan du öppnade den. Ladda om och titta igen.",
        "En anden har ændret kampagnen, siden du åbnede den. Indlæs igen, og se efter.",
        "Joku muu on muuttanut kampanjaa sen jälkeen, kun avasit sen. Lataa uudelleen ja katso.",
        "Einhver annar hefur breytt herferðinni síðan þú opnaðir hana. Hladdu aftur og skoðaðu.",
    ]),
    ("not_editable", [
        "Kampanjen kan ikke endres nå.",
        "Kampanjen kan inte ändras nu.",
        "Kampagnen kan ikke ændres nu.",
        "Kampanjaa ei voi muokata nyt.",
        "Ekki er hægt að breyta herferðinni núna.",
    ]),
    ("invalid_transition", [
        "Det går ikke an med kampanjen slik den er nå.",
        "Det går inte med kampanjen som den är nu.",
        "Det kan ikke lade sig gøre med kampagnen, som den er nu.",
        "Tämä ei onnistu kampanjan nykyisessä tilassa.",
        "Það er ekki hægt miðað við stöðu herferðarinnar núna.",
    ]),
    ("not_submitted", [
        "Denne kampanjen venter ikke på en avgjørelse.",
        "Den här kampanjen väntar inte på ett beslut.",
        "Denne kampagne venter ikke på en afgørelse.",
        "Tämä kampanja ei odota päätöstä.",
        "Þessi herferð bíður ekki eftir ákvörðun.",
    ]),
    ("own_campaign", [
        "En annen veileder må gjøre dette for deg selv eller ditt eget team.",
        "En annan handledare måste göra detta för dig själv eller ditt eget team.",
        "En anden vejleder skal gøre dette for dig selv eller dit eget team.",
        "Toisen ohjaajan pitää tehdä tämä sinun tai oman tiimisi puolesta.",
        "Annar leiðbeinandi þarf að gera þetta fyrir þig eða þitt eigið teymi.",
    ]),
    ("media_processing", [
        "Vent til alle bildene er ferdig behandlet.",
        "Vänta tills alla bilder har bearbetats.",
        "Vent, til alle billederne er færdigbehandlet.",
        "Odota, kunnes kaikki kuvat on käsitelty.",
        "Bíddu þar til búið er að vinna úr öllum myndunum.",
    ]),
    ("too_many_media", [
        "Kampanjen har så mange bilder og videoer som den kan ha. Slett ett først.",
        "Kampanjen har så många bilder och videor som den får ha. Ta bort en först.",
        "Kampagnen har så mange billeder og videoer, som den kan have. Slet et først.",
        "Kampanjassa on jo enimmäismäärä kuvia ja videoita. Poista ensin yksi.",
        "Herferðin er með eins margar myndir og myndbönd og leyft er. Eyddu einu fyrst.",
    ]),
    ("team_full", [
        "Teamet er fullt.",
        "Teamet är fullt.",
        "Teamet er fuldt.",
        "Tiimi on täynnä.",
        "Teymið er fullt.",
    ]),
    ("already_in_a_team", [
        "Du er allerede med i et team i dette programmet.",
        "Du är redan med i ett team i det här programmet.",
        "Du er allerede med i et team i dette program.",
        "Olet jo tiimissä tässä ohjelmassa.",
        "Þú ert nú þegar í teymi í þessu verkefni.",
    ]),
    ("birth_year_required", [
        "Legg inn fødselsåret ditt på kontoen før du blir med i et program.",
        "Lägg till ditt födelseår på kontot innan du går med i ett program.",
        "Tilføj dit fødselsår på kontoen, før du deltager i et program.",
        "Lisää syntymävuotesi tiliin ennen kuin liityt ohjelmaan.",
        "Bættu fæðingarárinu þínu við aðganginn áður en þú skráir þig í verkefni.",
    ]),
    ("under_minimum_age", [
        "Du er for ung til å bli med i dette programmet ennå.",
        "Du är för ung för att gå med i det här programmet än.",
        "Du er for ung til at deltage i dette program endnu.",
        "Olet vielä liian nuori liittymään tähän ohjelmaan.",
        "Þú hefur ekki enn náð aldrinum sem þetta verkefni krefst.",
    ]),
    ("programme_ended", [
        "Dette programmet er avsluttet.",
        "Det här programmet har avslutats.",
        "Dette program er afsluttet.",
        "Tämä ohjelma on päättynyt.",
        "Þessu verkefni er lokið.",
    ]),
    ("campaign_not_approved", [
        "Rekkevidde kan registreres når kampanjen er godkjent.",
        "Räckvidd kan registreras när kampanjen har godkänts.",
        "Rækkevidde kan registreres, når kampagnen er godkendt.",
        "Tavoittavuuden voi kirjata, kun kampanja on hyväksytty.",
        "Hægt er að skrá útbreiðslu þegar herferðin hefur verið samþykkt.",
    ]),
    ("reach_decided", [
        "Denne rapporten er allerede avgjort og kan ikke endres.",
        "Den här rapporten är redan avgjord och kan inte ändras.",
        "Denne rapport er allerede afgjort og kan ikke ændres.",
        "Tästä raportista on jo päätetty, eikä sitä voi muuttaa.",
        "Búið er að afgreiða þessa skýrslu og ekki er hægt að breyta henni.",
    ]),
    ("too_much_evidence", [
        "En rapport kan ha høyst tre bilder.",
        "En rapport kan ha högst tre bilder.",
        "En rapport kan have højst tre billeder.",
        "Raportissa voi olla enintään kolme kuvaa.",
        "Skýrsla getur í mesta lagi haft þrjár myndir.",
    ]),
    ("report_resolved", [
        "Noen har allerede behandlet denne meldingen.",
        "Någon har redan hanterat den här anmälan.",
        "Nogen har allerede behandlet denne anmeldelse.",
        "Joku on jo käsitellyt tämän ilmoituksen.",
        "Einhver hefur þegar afgreitt þessa tilkynningu.",
    ]),
    ("invalid_token", [
        "Denne innloggingslenken er ikke gyldig.",
        "Den här inloggningslänken är inte giltig.",
        "Dette login-link er ikke gyldigt.",
        "Tämä kirjautumislinkki ei ole voimassa.",
        "Þessi innskráningartengill er ekki gildur.",
    ]),
    ("token_used", [
        "Denne innloggingslenken er allerede brukt. Be om en ny.",
        "Den här inloggningslänken har redan använts. Be om en ny.",
        "Dette login-link er allerede brugt. Bed om et nyt.",
        "Tämä kirjautumislinkki on jo käytetty. Pyydä uusi.",
        "Þessi innskráningartengill hefur þegar verið notaður. Biddu um nýjan.",
    ]),
    ("token_expired", [
        "Denne innloggingslenken har utløpt. Be om en ny.",
        "Den här inloggningslänken har gått ut. Be om en ny.",
        "Dette login-link er udløbet. Bed om et nyt.",
        "Tämä kirjautumislinkki on vanhentunut. Pyydä uusi.",
        "Þessi innskráningartengill er útrunninn. Biddu um nýjan.",
    ]),
    ("last_sign_in_method", [
        "Dette er din eneste måte å logge inn på. Koble til en annen først.",
        "Det här är ditt enda sätt att logga in. Koppla ett annat först.",
        "Dette er din eneste måde at logge ind på. Tilknyt en anden først.",
        "Tämä on ainoa tapasi kirjautua. Liitä ensin toinen.",
        "Þetta er eina leiðin þín til að skrá þig inn. Tengdu aðra fyrst.",
    ]),
    ("identity_linked_elsewhere", [
        "Denne kontoen hos tilbyderen er allerede koblet til en annen person.",
        "Det här kontot hos leverantören är redan kopplat till en annan person.",
        "Denne konto hos udbyderen er allerede tilknyttet en anden person.",
        "Tämä palveluntarjoajan tili on jo liitetty toiseen henkilöön.",
        "Þessi aðgangur hjá veitandanum er þegar tengdur annarri manneskju.",
    ]),
    ("slug_taken", [
        "Denne adressen er allerede i bruk. Velg en annen.",
        "Den här adressen används redan. Välj en annan.",
        "Denne adresse er allerede i brug. Vælg en anden.",
        "Tämä osoite on jo käytössä. Valitse toinen.",
        "Þessi slóð er þegar í notkun. Veldu aðra.",
    ]),
    ("too_many_templates", [
        "Programmet har så mange maler det kan ha. Slett én først.",
        "Programmet har så många mallar som det får ha. Ta bort en först.",
        "Programmet har så mange skabeloner, som det kan have. Slet én først.",
        "Ohjelmassa on jo enimmäismäärä pohjia. Poista ensin yksi.",
        "Verkefnið er með eins mörg sniðmát og leyft er. Eyddu einu fyrst.",
    ]),
    ("request_too_slow", [
        "Opplastingen gikk for sakte og ble stoppet. Prøv igjen med bedre nett, eller med en mindre fil.",
        "Uppladdningen gick för långsamt och stoppades. Försök igen med bättre uppkoppling eller en mindre fil.",
        "Uploaden gik for langsomt og blev stoppet. Prøv igen med bedre net eller en mindre fil.",
        "Lataus eteni liian hitaasti ja keskeytettiin. Yritä uudelleen paremmalla yhteydellä tai pienemmällä tiedostolla.",
        "Upphleðslan gekk of hægt og var stöðvuð. Reyndu aftur með betri tengingu eða minni skrá.",
    ]),
    ("insufficient_storage", [
        "Lagringsplassen til plattformen er full, så ingenting ble lagret. Prøv igjen senere.",
        "Plattformens lagringsutrymme är fullt, så inget sparades. Försök igen senare.",
        "Platformens lagerplads er fuld, så intet blev gemt. Prøv igen senere.",
        "Alustan tallennustila on täynnä, joten mitään ei tallennettu. Yritä myöhemmin uudelleen.",
        "Geymslupláss kerfisins er fullt svo ekkert var vistað. Reyndu aftur síðar.",
    ]),
    ("upload_interrupted", [
        "Opplastingen ble avbrutt. Prøv igjen.",
        "Uppladdningen avbröts. Försök igen.",
        "Uploaden blev afbrudt. Prøv igen.",
        "Lataus keskeytyi. Yritä uudelleen.",
        "Upphleðslan rofnaði. Reyndu aftur.",
    ]),
    ("code_exchange_failed", [
        "Innloggingen ble ikke godtatt. Start på nytt.",
        "Inloggningen godtogs inte. Börja om.",
        "Login blev ikke godkendt. Start forfra.",
        "Kirjautumista ei hyväksytty. Aloita alusta.",
        "Innskráningin var ekki samþykkt. Byrjaðu upp á nýtt.",
    ]),
];

#[cfg(test)]
mod tests {
    use super::DETAILS;

    #[test]
    fn every_code_once() {
        let mut codes: Vec<_> = DETAILS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count);
    }
}
