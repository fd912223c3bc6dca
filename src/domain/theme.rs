//! The six arenas of the Nordic Safe Cities charter.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Theme {
    UrbanSpaces,
    OnlineLife,
    Families,
    Youth,
    CivilServants,
    Community,
}

impl Theme {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UrbanSpaces => "urban_spaces",
            Self::OnlineLife => "online_life",
            Self::Families => "families",
            Self::Youth => "youth",
            Self::CivilServants => "civil_servants",
            Self::Community => "community",
        }
    }

    #[must_use]
    pub fn from_str_opt(value: &str) -> Option<Self> {
        Some(match value {
            "urban_spaces" => Self::UrbanSpaces,
            "online_life" => Self::OnlineLife,
            "families" => Self::Families,
            "youth" => Self::Youth,
            "civil_servants" => Self::CivilServants,
            "community" => Self::Community,
            _ => return None,
        })
    }
}
