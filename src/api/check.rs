//! Collects field errors while a request body is parsed into domain values,
//! so one answer names every bad field at once.

use crate::{
    domain::Invalid,
    error::{AppError, FieldError},
};

#[derive(Debug, Default)]
pub struct Check(Vec<FieldError>);

impl Check {
    /// Keeps the value, or records why `field` is wrong.
    pub fn field<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.0.push(FieldError::new(field, invalid));
                None
            }
        }
    }

    /// Like `field`, for a value that may be absent.
    pub fn optional<R, T>(
        &mut self,
        field: &str,
        raw: Option<R>,
        parse: impl FnOnce(R) -> Result<T, Invalid>,
    ) -> Option<T> {
        raw.and_then(|raw| self.field(field, parse(raw)))
    }

    pub fn fail(&mut self, field: &str, invalid: Invalid) {
        self.0.push(FieldError::new(field, invalid));
    }

    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.0.is_empty()
    }

    /// The collected errors as a 422.
    #[must_use]
    pub fn into_error(self) -> AppError {
        AppError::Validation(self.0)
    }
}
