//! A JSON response rendered to bytes once and served many times: the
//! document shows the schema of `T`, the wire carries the cached bytes.

use std::{marker::PhantomData, sync::Arc};

use poem::{IntoResponse, Request, Response};
use poem_openapi::{
    payload::Payload,
    registry::{MetaSchemaRef, Registry},
    types::{ToJSON, Type},
    ApiResponse,
};

use crate::service::stats::cache::Rendered;

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

/// A public response: cacheable by anyone, revalidated with its ETag.
#[derive(ApiResponse)]
pub enum PublicResponse<T: Type + Send> {
    /// Cacheable by anyone for a minute.
    #[oai(status = 200)]
    Ok(
        RenderedJson<T>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
        /// Set where the answer depends on who asks (exact figures for a role).
        #[oai(header = "Vary")]
        Option<String>,
    ),
    /// Unchanged since the `If-None-Match` version.
    #[oai(status = 304)]
    NotModified(
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Vary")] Option<String>,
    ),
}

/// Shared caches may keep a public answer a minute, serve it stale while
/// they fetch a fresh one, and for a day while the platform is down.
pub const PUBLIC: &str = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400";
/// An answer for one person only.
pub const PERSONAL: &str = "private, no-store";

/// The answer for `rendered`: 304 when the client has it.
pub fn answer<T: Type + Send>(
    req: &Request,
    rendered: Rendered,
    cache_control: &str,
    vary: Option<&str>,
) -> PublicResponse<T> {
    let vary = vary.map(str::to_owned);
    if rendered.matches(req.header("if-none-match")) {
        return PublicResponse::NotModified(rendered.etag, cache_control.to_owned(), vary);
    }
    PublicResponse::Ok(
        RenderedJson::new(rendered.body),
        rendered.etag,
        cache_control.to_owned(),
        vary,
    )
}
