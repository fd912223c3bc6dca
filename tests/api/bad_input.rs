//! The bad-input corpus: hostile files and bodies, each refused with a clear
//! problem+json (or, for a file that is also something else, made harmless),
//! nothing kept of any of them, and memory bounded while they run.

use std::io::{Read, Write};

use changemakers::media::fixtures::{photo, png_chunk, png_declaring};
use reqwest::{multipart, StatusCode};
use serde_json::Value;

use crate::helpers::{accepted_id, assert_problem, settled, setup, upload, TestApp, PUBLIC_URL};

/// The peak resident memory of this process (the server runs inside it), in MiB.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// A 4xx problem+json with a stable code, whichever one; returns (status, body).
async fn refused(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert!((400..500).contains(&status), "a refusal, not {status}");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert!(
        body["code"].as_str().is_some_and(|c| !c.is_empty()),
        "{body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    (status, body)
}

/// Bits into bytes, least significant first, as DEFLATE writes them.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push((self.acc & 0xFF) as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code, which DEFLATE writes most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        let mut reversed = 0;
        for i in 0..len {
            reversed |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.put(reversed, len);
    }
}

/// A zlib stream that inflates to `size` zero bytes, built directly (one
/// literal, then matches of 258 at distance 1), so making it costs nothing.
fn zlib_of_zeros(size: u64) -> Vec<u8> {
    let mut bits = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the final block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    for _ in 0..(size - 1) / 258 {
        bits.code(0b1100_0101, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
    }
    for _ in 0..(size - 1) % 258 {
        bits.code(0x30, 8);
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    let mut out = bits.out;
    // Adler-32 of zeros: a stays 1, b is the length.
    let b = u32::try_from(size % 65_521).unwrap();
    out.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    out
}

/// A real 16x16 PNG carrying a compressed text chunk of `text_size` bytes.
fn png_with_text_bomb(text_size: u64) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 60, 90]));
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let mut text = b"Comment\0\0".to_vec();
    text.extend_from_slice(&zlib_of_zeros(text_size));
    let end = png.len() - 12; // before IEND
    png.splice(end..end, png_chunk(b"zTXt", &text));
    png
}

/// A GIF whose screen is 65535 x 65535, with `frames` one-pixel frames.
fn gif_with_huge_canvas(frames: usize) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&u16::MAX.to_le_bytes());
    gif.extend_from_slice(&u16::MAX.to_le_bytes());
    gif.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]); // a two-colour table
    for _ in 0..frames {
        gif.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // a 1x1 image
        gif.extend_from_slice(&[2, 2, 0x44, 0x01, 0]); // its LZW data
    }
    gif.push(0x3B);
    gif
}

/// An MP4 whose boxes nest `depth` deep and whose last one claims to be huge.
fn mp4_nested(depth: usize) -> Vec<u8> {
    let mut mp4 = Vec::new();
    mp4.extend_from_slice(&24_u32.to_be_bytes());
    mp4.extend_from_slice(b"ftypisom\0\0\x02\0isommp41");
    let mut inner = Vec::new();
    inner.extend_from_slice(&1_u32.to_be_bytes()); // a 64-bit size follows
    inner.extend_from_slice(b"mdat");
    inner.extend_from_slice(&(1_u64 << 40).to_be_bytes());
    for _ in 0..depth {
        let mut outer = u32::try_from(inner.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        outer.extend_from_slice(b"moov");
        outer.extend_from_slice(&inner);
        inner = outer;
    }
    mp4.extend_from_slice(&inner);
    mp4
}

/// The start of a WebM file, cut off inside its header.
fn webm_truncated() -> Vec<u8> {
    vec![
        0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7,
    ]
}

/// A progressive JPEG of 5000 scans (a frame header, then 5000 tiny scans):
/// each would be a pass over the whole picture.
fn jpeg_with_scans(scans: usize) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    // SOF2 (progressive), 4000x4000, one component.
    jpeg.extend_from_slice(&[
        0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x0F, 0xA0, 0x0F, 0xA0, 0x01, 0x01, 0x11, 0x00,
    ]);
    for _ in 0..scans {
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00]);
        jpeg.extend_from_slice(&[0x00, 0x00]);
    }
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

/// A JPEG that is also an HTML page: the markup sits in a comment segment.
fn jpeg_html_polyglot() -> Vec<u8> {
    let mut jpeg = photo(None);
    let html = b"<html><body><script>alert(document.cookie)</script></body></html>";
    let mut segment = vec![0xFF, 0xFE];
    segment.extend_from_slice(&u16::try_from(html.len() + 2).unwrap().to_be_bytes());
    segment.extend_from_slice(html);
    jpeg.splice(2..2, segment);
    jpeg
}

#[tokio::test]
async fn hostile_files_are_refused_or_made_harmless_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let before = peak_rss_mib();
    let corpus: Vec<(&str, Vec<u8>, &str, u16)> = vec![
        (
            "a PNG declaring 100000x100000",
            png_declaring(100_000, 100_000),
            "huge.png",
            413,
        ),
        (
            "a GIF with a 65535x65535 canvas and 5000 frames",
            gif_with_huge_canvas(5000),
            "huge.gif",
            413,
        ),
        (
            "a progressive JPEG of 5000 scans",
            jpeg_with_scans(5000),
            "scans.jpg",
            413,
        ),
        (
            "an SVG with a script",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
            "x.jpg",
            415,
        ),
        (
            "an MP4 nested 10000 deep with a huge box",
            mp4_nested(10_000),
            "deep.mp4",
            0,
        ),
        ("a truncated WebM", webm_truncated(), "cut.webm", 0),
    ];
    for (what, bytes, name, status) in corpus {
        let response = upload(&app, &s.lead, &s.campaign, bytes, name, None).await;
        let (got, problem) = refused(response).await;
        assert!(status == 0 || got == status, "{what}: {got} {problem}");
        println!("{what}: {got} {}", problem["code"]);
    }

    // A real photo carrying a text chunk that would inflate to 1 GiB: the
    // text is never inflated, the photo is processed, nothing of the text kept.
    let bomb = upload(
        &app,
        &s.lead,
        &s.campaign,
        png_with_text_bomb(1 << 30),
        "bomb.png",
        Some("A pink square"),
    )
    .await;
    let id = accepted_id(bomb).await;
    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");

    // A JPEG that is also HTML becomes a plain photo, served as one.
    let polyglot = upload(
        &app,
        &s.lead,
        &s.campaign,
        jpeg_html_polyglot(),
        "page.jpg",
        Some("Red and blue"),
    )
    .await;
    let id = accepted_id(polyglot).await;
    let media = settled(&app, &s.lead, &id).await;
    assert_eq!(media["status"], "ready", "{media}");
    let url = media["urls"]["w320"]
        .as_str()
        .or_else(|| {
            media["urls"]
                .as_object()
                .and_then(|u| u.values().next())
                .and_then(Value::as_str)
        })
        .unwrap();
    let path = url::Url::parse(url)
        .map(|u| u.path().to_owned())
        .unwrap_or_else(|_| url.to_owned());
    let served = s.lead.get(app.url(&path)).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK, "{path}");
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    let csp = served.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'"),
        "nothing may run in it: {csp}"
    );
    let body = served.bytes().await.unwrap();
    assert!(
        !body.windows(7).any(|w| w == b"<script"),
        "the markup is gone"
    );

    // Nothing was kept of what was refused: only the two accepted files' objects.
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0,
        "no upload left behind"
    );
    let peak = peak_rss_mib();
    println!("bad-input corpus (files): peak RSS {peak} MiB (before: {before} MiB)");
    assert!(
        peak < 768,
        "peak RSS {peak} MiB: something inflated what it should not"
    );
}

#[tokio::test]
async fn hostile_bodies_and_headers_get_clear_problems() {
    let app = TestApp::spawn().await;
    let (_, client) = app.sign_in("ada@example.no").await;
    let patch = |body: Vec<u8>| {
        client
            .patch(app.url("/api/v1/me"))
            .header("origin", PUBLIC_URL)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // 10 MB of JSON: refused before it is read whole.
    let mut big = b"{\"display_name\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    big.extend_from_slice(b"\"}");
    assert_problem(patch(big).await.unwrap(), 413, "payload_too_large").await;
    // Nested 10,000 deep: a parse error, not a stack overflow.
    let mut deep = "[".repeat(10_000);
    deep.push_str(&"]".repeat(10_000));
    let in_a_field = format!("{{\"display_name\":{deep}}}");
    let (status, problem) = refused(patch(in_a_field.into_bytes()).await.unwrap()).await;
    println!(
        "JSON nested 10,000 deep in a field: {status} {}",
        problem["code"]
    );
    let (status, problem) = refused(patch(deep.into_bytes()).await.unwrap()).await;
    println!("JSON nested 10,000 deep: {status} {}", problem["code"]);
    // Bytes that are not UTF-8.
    let (status, problem) = refused(
        patch(b"{\"display_name\":\"\xff\xfe\xfd\"}".to_vec())
            .await
            .unwrap(),
    )
    .await;
    println!("invalid UTF-8: {status} {}", problem["code"]);

    // A form of 10,000 parts: refused, nothing stored.
    let s = setup(&app).await;
    let mut form = multipart::Form::new();
    for i in 0..10_000 {
        form = form.text(format!("part{i}"), "x");
    }
    let many = s
        .lead
        .post(app.url(&format!("/api/v1/campaigns/{}/media", s.campaign)))
        .header("origin", PUBLIC_URL)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (got, problem) = refused(many).await;
    println!("a form of 10,000 parts: {got} {}", problem["code"]);

    // A flood of headers: the server answers with an error, and stays up.
    let address = app
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("GET /api/v1/cities HTTP/1.1\r\nhost: {address}\r\n");
    for i in 0..5_000 {
        request.push_str(&format!("x-flood-{i}: {}\r\n", "y".repeat(20)));
    }
    request.push_str("\r\n");
    let _ = stream.write_all(request.as_bytes());
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{}",
        answer.lines().next().unwrap_or_default()
    );
    let after = TestApp::anonymous()
        .get(app.url("/api/v1/cities"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::OK, "the server is still up");
}

/// An upload that sends a byte at a time (slow loris) is cut off once it
/// falls behind the slowest pace a phone keeps: 408, its connection freed,
/// nothing of it kept.
#[tokio::test]
async fn an_upload_dribbling_a_byte_at_a_time_is_cut_off_and_nothing_is_kept() {
    let app = TestApp::spawn_with(crate::helpers::Options {
        configure: Some(|config| {
            config.limits.upload_grace_seconds = 1;
            config.limits.upload_min_bytes_per_second = 1024;
        }),
        ..crate::helpers::Options::default()
    })
    .await;
    let s = setup(&app).await;
    let boundary = "slowlorisboundary";
    let mut start = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"slow.jpg\"\r\n\
         content-type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    start.extend_from_slice(&photo(None)[..64]);
    // The start at once, then one byte every 200 ms for up to a minute.
    let dribble = futures_util::stream::unfold(0_u32, move |sent| {
        let start = start.clone();
        async move {
            if sent == 0 {
                return Some((Ok::<_, std::io::Error>(start), 1));
            }
            if sent > 300 {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            Some((Ok(vec![0x00]), sent + 1))
        }
    });
    let response = s
        .lead
        .post(app.url(&format!("/api/v1/campaigns/{}/media", s.campaign)))
        .header("origin", PUBLIC_URL)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(reqwest::Body::wrap_stream(dribble))
        .send()
        .await
        .expect("the server answers before the body ends");
    assert_problem(response, 408, "request_too_slow").await;
    assert_eq!(
        std::fs::read_dir(app.state.config.upload_dir())
            .unwrap()
            .count(),
        0,
        "nothing of it kept"
    );
    let rows = changemakers::db::on_db!(&app.state.db, |pool| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM media"
    )
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(rows, 0, "no media row");
}
