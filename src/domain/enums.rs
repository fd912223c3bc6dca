//! Closed sets of values, shared by the API, the services and the database.

/// A closed set of values written as snake_case text: in JSON (serde), in
/// the OpenAPI document (poem-openapi) and in TEXT columns (sqlx, both
/// backends). A row holding any other text fails to decode, loudly: it is
/// never read as a default.
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, poem_openapi::Enum)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] #[oai(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            #[must_use]
            pub fn from_str_opt(value: &str) -> Option<Self> {
                match value { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl sqlx::Type<sqlx::Sqlite> for $name {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <str as sqlx::Type<sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Sqlite>>::encode(self.as_str(), buf)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Postgres as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Self::from_str_opt(text).ok_or_else(|| {
                    format!("{text:?} is not a {}", stringify!($name)).into()
                })
            }
        }
    };
}

pub(crate) use str_enum;

str_enum!(
    /// A language the platform speaks.
    Locale {
        /// English
        En = "en",
        /// Norwegian (bokmål)
        Nb = "nb",
        /// Swedish
        Sv = "sv",
        /// Danish
        Da = "da",
        /// Finnish
        Fi = "fi",
        /// Icelandic
        Is = "is",
    }
);

impl Locale {
    /// Picks the first supported language of an `Accept-Language`-like list,
    /// mapping Norwegian variants to bokmål.
    #[must_use]
    pub fn negotiate(header: &str) -> Option<Self> {
        header.split(',').find_map(|part| {
            let tag = part.split(';').next()?.trim().to_ascii_lowercase();
            let primary = tag.split(['-', '_']).next()?;
            match primary {
                "no" | "nn" => Some(Self::Nb),
                other => Self::from_str_opt(other),
            }
        })
    }
}

str_enum!(
    /// A country of the Nordic Safe Cities alliance (ISO 3166-1 alpha-2).
    Country {
        /// Denmark
        Dk = "DK",
        /// Finland
        Fi = "FI",
        /// Iceland
        Is = "IS",
        /// Norway
        No = "NO",
        /// Sweden
        Se = "SE",
    }
);

str_enum!(
    /// The concept a programme follows.
    ProgrammeKind {
        /// KomINN
        Kominn = "kominn",
        /// ALL'IN
        Allin = "allin",
        /// A city's own format
        Custom = "custom",
    }
);

str_enum!(
    /// A role that grants more than being a changemaker.
    RoleKind {
        /// The whole platform.
        Admin = "admin",
        /// One city and its programmes.
        CityAdmin = "city_admin",
        /// One programme.
        Facilitator = "facilitator",
    }
);

str_enum!(
    /// A member's place in a team.
    TeamRole {
        /// Started the team; may remove members and renew the join code.
        Lead = "lead",
        /// Joined with a code or an invite.
        Member = "member",
    }
);

str_enum!(
    /// What a notification tells of; each kind can also come by email.
    NotificationKind {
        /// A facilitator's decision on the team's campaign.
        Decision = "decision",
        /// A decision on the team's reach report.
        ReachDecision = "reach_decision",
        /// An invitation to join a team.
        Invite = "invite",
        /// Someone joined the person's team.
        TeamMember = "team_member",
        /// For staff: a public report of hate or personal data on a campaign.
        Report = "report",
    }
);

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn negotiates_languages() {
        assert_eq!(Locale::negotiate("nn-NO,en;q=0.5"), Some(Locale::Nb));
        assert_eq!(Locale::negotiate("de-DE, sv-SE;q=0.8"), Some(Locale::Sv));
        assert_eq!(Locale::negotiate("de"), None);
        assert_eq!(Locale::from_str_opt("fi"), Some(Locale::Fi));
    }
}
