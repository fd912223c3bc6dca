//! The six arenas of the Nordic Safe Cities charter.

super::enums::str_enum!(
    /// The arena of the charter a campaign works in.
    Theme {
        UrbanSpaces = "urban_spaces",
        OnlineLife = "online_life",
        Families = "families",
        Youth = "youth",
        CivilServants = "civil_servants",
        Community = "community",
    }
);
