/// A birth year: only the year is ever stored, never a full date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthYear(i32);

impl BirthYear {
    pub const EARLIEST: i32 = 1900;

    /// Parses a year that is not in the future relative to `current_year`.
    ///
    /// # Errors
    /// A message fit for a field error.
    pub fn parse(year: i32, current_year: i32) -> Result<Self, super::Invalid> {
        if year < Self::EARLIEST || year > current_year {
            return Err(super::Invalid::range(
                i64::from(Self::EARLIEST),
                i64::from(current_year),
                format!("a birth year between {} and {current_year}", Self::EARLIEST),
            ));
        }
        Ok(Self(year))
    }

    #[must_use]
    pub fn value(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::BirthYear;

    #[test]
    fn bounds() {
        assert!(BirthYear::parse(2012, 2026).is_ok());
        assert!(BirthYear::parse(2026, 2026).is_ok());
        assert!(BirthYear::parse(2027, 2026).is_err());
        assert!(BirthYear::parse(1899, 2026).is_err());
    }
}
