//! `JsonBody<T>`: a JSON request payload that answers bad input with
//! problem+json: 400 `malformed_json` when it is not JSON, 422
//! `validation_failed` with the offending field when its shape is wrong.

use crate::domain::{FieldCode, Invalid};
use poem::{Request, RequestBody};
use poem_openapi::{
    impl_apirequest_for_payload,
    payload::{ParsePayload, Payload},
    registry::{MetaSchemaRef, Registry},
    types::Type,
};
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<T: Type> Payload for JsonBody<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        matches!(content_type.parse::<mime::Mime>(), Ok(mime)
            if mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json")))
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type + DeserializeOwned> ParsePayload for JsonBody<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(_request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = body.take()?.into_vec().await?;
        Ok(Self(parse(&data)?))
    }
}

impl_apirequest_for_payload!(JsonBody<T>, T: Type + DeserializeOwned);

/// The name between the first pair of backticks in a serde message.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Parses a JSON body into `T`, classifying what went wrong.
///
/// # Errors
/// `MalformedJson` for bytes that are not JSON, `Validation` for JSON of the wrong shape.
pub fn parse<T: DeserializeOwned>(data: &[u8]) -> Result<T, AppError> {
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::MalformedJson(
            "the request body is empty".to_owned(),
        ));
    }
    if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(data) {
        return Err(AppError::MalformedJson(err.to_string()));
    }
    if data.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::validation(
            "body",
            Invalid::format("expected a JSON object"),
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned();
        let at_root = path == "." || path.is_empty();
        let field = match quoted_name(&message) {
            Some(name)
                if message.starts_with("missing field") || message.starts_with("unknown field") =>
            {
                if at_root {
                    name.to_owned()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path
                } else {
                    format!("{path}.{name}")
                }
            }
            _ if at_root => "body".to_owned(),
            _ => path,
        };
        let invalid = if message.starts_with("unknown field") {
            Invalid::not_allowed("this field is not allowed here")
        } else if message.starts_with("missing field") {
            Invalid::required("this field is required")
        } else if message.starts_with("unknown variant") {
            Invalid::not_allowed(message)
        } else if message.starts_with("invalid value: integer") {
            Invalid::new(FieldCode::OutOfRange, message)
        } else {
            Invalid::format(message)
        };
        AppError::Validation(vec![FieldError::new(field, invalid)])
    })
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::error::AppError;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        age: Option<u8>,
    }

    fn fields(err: AppError) -> Vec<(String, String)> {
        match err {
            AppError::Validation(errors) => {
                errors.into_iter().map(|e| (e.field, e.message)).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_is_not_validation() {
        assert!(matches!(
            parse::<Sample>(b"{\"name\":"),
            Err(AppError::MalformedJson(_))
        ));
        assert!(matches!(
            parse::<Sample>(b""),
            Err(AppError::MalformedJson(_))
        ));
        assert!(matches!(
            parse::<Sample>(b"{} trailing"),
            Err(AppError::MalformedJson(_))
        ));
    }

    #[test]
    fn names_the_field() {
        let missing = fields(parse::<Sample>(b"{}").unwrap_err());
        assert_eq!(missing[0].0, "name");
        let unknown = fields(parse::<Sample>(br#"{"name":"a","admin":true}"#).unwrap_err());
        assert_eq!(unknown[0].0, "admin");
        let wrong = fields(parse::<Sample>(br#"{"name":"a","age":"old"}"#).unwrap_err());
        assert_eq!(wrong[0].0, "age");
        let not_object = fields(parse::<Sample>(b"[1]").unwrap_err());
        assert_eq!(not_object[0].0, "body");
    }
}
