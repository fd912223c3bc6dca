//! Photos for the demo campaigns: posters drawn here (a gradient with a few
//! soft circles in the campaign's colours), uploaded and processed through
//! the same path as a phone's photo, so the demo gallery has covers, with
//! their renditions, dominant colour and blurhash.

use std::io::Cursor;

use image::{codecs::jpeg::JpegEncoder, Rgb, RgbImage};
use uuid::Uuid;

use crate::{
    db,
    error::{AppError, AppResult},
    media::sniff::sniff,
    service::{
        media::{self, Uploaded},
        Principal,
    },
    state::AppState,
};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 800;

/// A poster from `top` to `bottom`, with circles in `accent`.
fn poster(top: [u8; 3], bottom: [u8; 3], accent: [u8; 3]) -> RgbImage {
    let circles = [
        (0.22_f32, 0.3_f32, 0.2_f32),
        (0.7, 0.62, 0.28),
        (0.5, 0.15, 0.09),
    ];
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        #[allow(clippy::cast_precision_loss)]
        let (fx, fy) = (x as f32 / WIDTH as f32, y as f32 / HEIGHT as f32);
        let mix = |a: f32, b: u8, t: f32| a + (f32::from(b) - a) * t;
        let mut pixel = [0.0_f32; 3];
        for (i, value) in pixel.iter_mut().enumerate() {
            *value = mix(f32::from(top[i]), bottom[i], fy);
        }
        for (cx, cy, r) in circles {
            let d = ((fx - cx) * 1.5).hypot(fy - cy);
            if d < r {
                // A soft edge, mostly opaque in the middle.
                let alpha = (1.0 - d / r).min(0.25) * 3.2;
                for (i, value) in pixel.iter_mut().enumerate() {
                    *value = mix(*value, accent[i], alpha);
                }
            }
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Rgb(pixel.map(|v| v.round().clamp(0.0, 255.0) as u8))
    })
}

/// Draws a poster and adds it to the campaign as `author` would from a
/// phone, then processes it as the worker would.
///
/// # Errors
/// Storage or database failures, or a rule of the upload path.
pub async fn add(
    state: &AppState,
    author: Principal,
    campaign_id: Uuid,
    colours: ([u8; 3], [u8; 3], [u8; 3]),
    alt: &str,
) -> AppResult<()> {
    let (top, bottom, accent) = colours;
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 85)
        .encode_image(&poster(top, bottom, accent))
        .map_err(|err| AppError::Internal(anyhow::anyhow!("drawing a demo photo: {err}")))?;
    let dir = state.config.upload_dir();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(anyhow::Error::from)?;
    let path = dir.join(Uuid::now_v7().simple().to_string());
    tokio::fs::write(&path, &bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let file = Uploaded {
        path,
        sniffed: sniff(&bytes),
        bytes: bytes.len() as u64,
    };
    media::upload(state, author, campaign_id, file, alt.to_owned(), true).await?;
    let lease = crate::app::job_lease(state);
    while let Some(job) = db::jobs::claim(&state.db, state.clock.now(), lease).await? {
        media::run_job(state, &job).await;
    }
    Ok(())
}
