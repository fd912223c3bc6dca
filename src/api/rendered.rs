//! A JSON response rendered to bytes once and served many times: the
//! document shows the schema of `T`, the wire carries the cached bytes.

use std::{marker::PhantomData, sync::Arc};

use poem::{IntoResponse, Response};
use poem_openapi::{
    payload::Payload,
    registry::{MetaSchemaRef, Registry},
    types::{ToJSON, Type},
};

/// Bytes that are the JSON of a `T`.
pub struct RenderedJson<T>(pub Arc<Vec<u8>>, PhantomData<fn() -> T>);

impl<T: ToJSON> RenderedJson<T> {
    /// Renders `value` once.
    #[must_use]
    pub fn render(value: &T) -> Vec<u8> {
        value.to_json_string().into_bytes()
    }
}

impl<T> RenderedJson<T> {
    #[must_use]
    pub fn new(bytes: Arc<Vec<u8>>) -> Self {
        Self(bytes, PhantomData)
    }
}

impl<T: Type> Payload for RenderedJson<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type> IntoResponse for RenderedJson<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(Self::CONTENT_TYPE)
            .body(self.0.as_ref().clone())
    }
}
