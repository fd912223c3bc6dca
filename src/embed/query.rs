//! What an embed's address asks for, checked and put in one canonical form
//! (the cache key, and the address of the next page).

use uuid::Uuid;

use crate::{
    api::cursor,
    db::gallery::GalleryKey,
    domain::{Country, Locale, Theme},
    service::gallery::GalleryQuery,
};

/// The accent when the city names none.
pub const DEFAULT_ACCENT: &str = "#c2185b";
/// Items on one gallery page when the address names no `limit`.
pub const DEFAULT_LIMIT: u32 = 12;
/// The most items one embed page shows.
pub const MAX_LIMIT: u32 = 24;

/// A parameter that is not what an embed takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParameter(pub &'static str);

/// An embed's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedQuery {
    pub city: Option<String>,
    pub programme_id: Option<Uuid>,
    pub theme: Option<Theme>,
    pub lang: Option<Locale>,
    pub limit: u32,
    /// `#rrggbb`, lower case.
    pub accent: String,
    pub list: bool,
    pub cursor: Option<GalleryKey>,
}

/// `#abc`, `abc`, `#aabbcc` or `aabbcc` as `#aabbcc`.
#[must_use]
pub fn accent(raw: &str) -> Option<String> {
    let hex = raw.strip_prefix('#').unwrap_or(raw);
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    match hex.len() {
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c);
                    s
                }),
        ),
        6 => Some(format!("#{hex}")),
        _ => None,
    }
}

/// The language a city's pages default to.
#[must_use]
pub fn country_locale(country: Country) -> Locale {
    match country {
        Country::No => Locale::Nb,
        Country::Se => Locale::Sv,
        Country::Dk => Locale::Da,
        Country::Fi => Locale::Fi,
        Country::Is => Locale::Is,
    }
}

/// The language an address asks for, even when something else in it is wrong.
#[must_use]
pub fn lang_hint(raw: &str) -> Option<Locale> {
    url::form_urlencoded::parse(raw.as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| Locale::negotiate(&value))
}

impl EmbedQuery {
    /// Reads an address's query; unknown parameters are ignored, empty ones
    /// are absent, and the first value of a repeated one counts.
    ///
    /// # Errors
    /// The first parameter that cannot be.
    pub fn parse(raw: &str) -> Result<Self, BadParameter> {
        let mut q = Self {
            city: None,
            programme_id: None,
            theme: None,
            lang: None,
            limit: DEFAULT_LIMIT,
            accent: DEFAULT_ACCENT.to_owned(),
            list: false,
            cursor: None,
        };
        let mut seen = std::collections::HashSet::new();
        for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            let value = value.trim();
            if value.is_empty() || !seen.insert(name.clone()) {
                continue;
            }
            match name.as_ref() {
                "city" => {
                    let ok = value.len() <= 60
                        && value.split('-').all(|w| {
                            !w.is_empty()
                                && w.bytes()
                                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                        });
                    if !ok {
                        return Err(BadParameter("city"));
                    }
                    q.city = Some(value.to_owned());
                }
                "programme_id" | "programme" => {
                    q.programme_id =
                        Some(Uuid::parse_str(value).map_err(|_| BadParameter("programme_id"))?);
                }
                "theme" => q.theme = Some(Theme::from_str_opt(value).ok_or(BadParameter("theme"))?),
                "lang" => q.lang = Some(Locale::negotiate(value).ok_or(BadParameter("lang"))?),
                "limit" => {
                    q.limit = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or(BadParameter("limit"))?;
                }
                "accent" => q.accent = accent(value).ok_or(BadParameter("accent"))?,
                "layout" => {
                    q.list = match value {
                        "grid" => false,
                        "list" => true,
                        _ => return Err(BadParameter("layout")),
                    }
                }
                "cursor" => {
                    q.cursor =
                        cursor::decode_gallery(Some(value)).map_err(|_| BadParameter("cursor"))?;
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// The canonical query string, with `cursor` in place of this page's.
    #[must_use]
    pub fn to_query(&self, cursor: Option<&str>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if let Some(c) = &self.city {
            s.append_pair("city", c);
        }
        if let Some(p) = self.programme_id {
            s.append_pair("programme_id", &p.to_string());
        }
        if let Some(t) = self.theme {
            s.append_pair("theme", t.as_str());
        }
        if let Some(l) = self.lang {
            s.append_pair("lang", l.as_str());
        }
        if self.limit != DEFAULT_LIMIT {
            s.append_pair("limit", &self.limit.to_string());
        }
        if self.accent != DEFAULT_ACCENT {
            s.append_pair("accent", &self.accent);
        }
        if self.list {
            s.append_pair("layout", "list");
        }
        if let Some(c) = cursor {
            s.append_pair("cursor", c);
        }
        s.finish()
    }

    /// The cache key of this page.
    #[must_use]
    pub fn key(&self) -> String {
        let cursor = self.cursor.map(cursor::encode_gallery);
        self.to_query(cursor.as_deref())
    }

    /// What the gallery lists.
    #[must_use]
    pub fn gallery(&self) -> GalleryQuery {
        GalleryQuery {
            city: self.city.clone(),
            programme_id: self.programme_id,
            theme: self.theme,
            q: None,
            limit: self.limit,
            after: self.cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{accent, BadParameter, EmbedQuery, DEFAULT_ACCENT};
    use crate::domain::{Locale, Theme};

    #[test]
    fn colours_are_hex_and_nothing_else() {
        assert_eq!(accent("#E4007C").as_deref(), Some("#e4007c"));
        assert_eq!(accent("0af").as_deref(), Some("#00aaff"));
        for bad in ["red", "#12345", "#1234567", "url(x)", "#12g456", "12;x"] {
            assert_eq!(accent(bad), None, "{bad}");
        }
    }

    #[test]
    fn queries_are_checked_and_canonical() {
        let q = EmbedQuery::parse(
            "theme=youth&city=larvik&lang=no&limit=6&accent=%23FF0000&layout=list&x=1&city=oslo",
        )
        .unwrap();
        assert_eq!(q.city.as_deref(), Some("larvik"));
        assert_eq!(
            (q.theme, q.lang, q.limit, q.list),
            (Some(Theme::Youth), Some(Locale::Nb), 6, true)
        );
        assert_eq!(
            q.to_query(None),
            "city=larvik&theme=youth&lang=nb&limit=6&accent=%23ff0000&layout=list"
        );
        let plain = EmbedQuery::parse("city=&accent=").unwrap();
        assert_eq!((plain.city, plain.accent.as_str()), (None, DEFAULT_ACCENT));
        for (raw, name) in [
            ("limit=25", "limit"),
            ("limit=0", "limit"),
            ("accent=javascript:1", "accent"),
            ("layout=cards", "layout"),
            ("city=Lar%20vik", "city"),
            ("lang=de", "lang"),
            ("programme_id=1", "programme_id"),
            ("cursor=x", "cursor"),
        ] {
            assert_eq!(EmbedQuery::parse(raw), Err(BadParameter(name)), "{raw}");
        }
    }
}
