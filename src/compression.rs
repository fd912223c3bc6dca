//! Compresses text responses (HTML, JSON, JavaScript, CSS, SVG, CSV) with
//! brotli or gzip, as the client accepts. Files built ahead of time carry
//! their own `.br` and `.gz` copies (see `web`); they pass through untouched.
//! Every response that could be compressed says `Vary: Accept-Encoding`, so
//! caches keep the variants apart, and a compressed body's `ETag` names its
//! encoding (`"…-br"`), which is taken off again when it comes back in
//! `If-None-Match`.

use std::io::Write;

use poem::{
    http::{header, HeaderValue, StatusCode},
    Endpoint, IntoResponse, Request, Response, Result,
};

/// Bodies smaller than this are sent as they are: compression would not pay.
const MIN_BYTES: usize = 860;
/// Bodies larger than this are compressed off the async threads.
const BLOCKING_BYTES: usize = 128 * 1024;
/// brotli's quality for responses made per request: most of the gain, little CPU.
const BROTLI_QUALITY: u32 = 5;
const GZIP_LEVEL: u32 = 6;

/// A content coding the platform sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    #[must_use]
    pub fn token(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }

    /// The suffix of a file compressed ahead of time, and of the `ETag`.
    #[must_use]
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gz",
        }
    }
}

/// The codings an `Accept-Encoding` header allows, best first.
#[must_use]
pub fn accepted(header: Option<&str>) -> Vec<Coding> {
    let Some(header) = header else {
        return Vec::new();
    };
    let mut brotli = None;
    let mut gzip = None;
    let mut star = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let name = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match name.as_str() {
            "br" => brotli = Some(quality),
            "gzip" | "x-gzip" => gzip = Some(quality),
            "*" => star = Some(quality),
            _ => {}
        }
    }
    let brotli = brotli.or(star).unwrap_or(0.0);
    let gzip = gzip.or(star).unwrap_or(0.0);
    let mut codings: Vec<(Coding, f32)> = [(Coding::Brotli, brotli), (Coding::Gzip, gzip)]
        .into_iter()
        .filter(|(_, q)| *q > 0.0)
        .collect();
    // Stable: brotli stays first when both are equally welcome.
    codings.sort_by(|a, b| b.1.total_cmp(&a.1));
    codings.into_iter().map(|(c, _)| c).collect()
}

/// Whether a body of this type is text worth compressing.
#[must_use]
pub fn is_compressible(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/problem+json"
                | "application/json+oembed"
                | "application/javascript"
                | "application/manifest+json"
                | "application/xml"
                | "image/svg+xml"
        )
}

/// Adds `Accept-Encoding` to the response's `Vary`, once.
pub fn vary(response: &mut Response) {
    let present = response
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("accept-encoding"))
        });
    if !present {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
}

/// `"abc"` -> `"abc-br"`; weak tags keep their `W/`.
#[must_use]
pub fn tagged(etag: &str, coding: Coding) -> String {
    match etag.strip_suffix('"') {
        Some(open) => format!("{open}-{}\"", coding.suffix()),
        None => etag.to_owned(),
    }
}

/// Takes the encoding names back off the tags of `If-None-Match`.
fn untag(header: &str) -> String {
    header
        .split(',')
        .map(|tag| {
            let tag = tag.trim();
            ["-br\"", "-gz\""]
                .iter()
                .find_map(|suffix| tag.strip_suffix(suffix).map(|t| format!("{t}\"")))
                .unwrap_or_else(|| tag.to_owned())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn encode(data: &[u8], coding: Coding) -> std::io::Result<Vec<u8>> {
    match coding {
        Coding::Brotli => {
            let mut out = Vec::with_capacity(data.len() / 3);
            {
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, 22);
                writer.write_all(data)?;
                writer.flush()?;
            }
            Ok(out)
        }
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 3),
                flate2::Compression::new(GZIP_LEVEL),
            );
            encoder.write_all(data)?;
            encoder.finish()
        }
    }
}

/// A 304 names the variant the client holds: the tag it sent back.
fn retag_not_modified(response: &mut Response, sent: Option<&str>, coding: Option<Coding>) {
    let (Some(sent), Some(coding)) = (sent, coding) else {
        return;
    };
    let Some(etag) = response
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return;
    };
    let variant = tagged(&etag, coding);
    if sent.split(',').any(|t| t.trim() == variant) {
        if let Ok(value) = HeaderValue::from_str(&variant) {
            response.headers_mut().insert(header::ETAG, value);
        }
        vary(response);
    }
}

fn worth_compressing(response: &Response) -> bool {
    let status = response.status();
    if status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || status == StatusCode::PARTIAL_CONTENT
        || status.is_informational()
    {
        return false;
    }
    let headers = response.headers();
    if headers.contains_key(header::CONTENT_ENCODING) || headers.contains_key(header::CONTENT_RANGE)
    {
        return false;
    }
    if headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-transform"))
    {
        return false;
    }
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_compressible)
}

/// Middleware: compresses what is worth compressing.
pub async fn compress<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    let codings = accepted(req.header(header::ACCEPT_ENCODING));
    let sent_tags = req.header(header::IF_NONE_MATCH).map(str::to_owned);
    if let Some(tags) = sent_tags.as_deref().map(untag) {
        if let Ok(value) = HeaderValue::from_str(&tags) {
            req.headers_mut().insert(header::IF_NONE_MATCH, value);
        }
    }
    let mut response = match next.call(req).await {
        Ok(response) => response.into_response(),
        Err(err) => err.into_response(),
    };
    if response.status() == StatusCode::NOT_MODIFIED {
        retag_not_modified(
            &mut response,
            sent_tags.as_deref(),
            codings.first().copied(),
        );
        return Ok(response);
    }
    if !worth_compressing(&response) {
        return Ok(response);
    }
    vary(&mut response);
    let Some(&coding) = codings.first() else {
        return Ok(response);
    };
    let body = response.take_body().into_bytes().await?;
    if body.len() < MIN_BYTES {
        response.set_body(body);
        return Ok(response);
    }
    let encoded = if body.len() > BLOCKING_BYTES {
        let data = body.clone();
        tokio::task::spawn_blocking(move || encode(&data, coding))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|r| r)
    } else {
        encode(&body, coding)
    };
    let Ok(encoded) = encoded else {
        // Sent as it is: a compressor failure costs bytes, not the answer.
        response.set_body(body);
        return Ok(response);
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(coding.token()),
    );
    headers.remove(header::CONTENT_LENGTH);
    if let Some(etag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok()) {
        if let Ok(value) = HeaderValue::from_str(&tagged(etag, coding)) {
            headers.insert(header::ETAG, value);
        }
    }
    response.set_body(encoded);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::{accepted, is_compressible, tagged, untag, Coding};

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            accepted(Some("gzip, deflate, br")),
            [Coding::Brotli, Coding::Gzip]
        );
        assert_eq!(
            accepted(Some("gzip;q=1.0, br;q=0.5")),
            [Coding::Gzip, Coding::Brotli]
        );
        assert_eq!(accepted(Some("br;q=0, gzip")), [Coding::Gzip]);
        assert_eq!(accepted(Some("identity")), []);
        assert_eq!(accepted(Some("*")), [Coding::Brotli, Coding::Gzip]);
        assert_eq!(accepted(None), []);
    }

    #[test]
    fn knows_text_from_binary() {
        assert!(is_compressible("application/problem+json"));
        assert!(is_compressible("text/html; charset=utf-8"));
        assert!(is_compressible("image/svg+xml"));
        assert!(!is_compressible("image/webp"));
        assert!(!is_compressible("video/mp4"));
    }

    #[test]
    fn tags_and_untags_etags() {
        assert_eq!(tagged("\"abc\"", Coding::Brotli), "\"abc-br\"");
        assert_eq!(tagged("W/\"abc\"", Coding::Gzip), "W/\"abc-gz\"");
        assert_eq!(
            untag("\"abc-br\", W/\"d-gz\", \"e\""),
            "\"abc\", W/\"d\", \"e\""
        );
    }
}
