//! What a shared link shows before anyone opens it: the Open Graph and
//! Twitter Card tags of a public campaign page, rendered on the server, so a
//! chat or a social network previews the title, the summary and the cover.
//! Nothing about any person.

use maud::{html, Markup};

use super::query::country_locale;
use crate::{domain::Locale, media::image::rendition_size, service::public::PublishedCampaign};

/// The Open Graph name of a language.
fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "en_GB",
        Locale::Nb => "nb_NO",
        Locale::Sv => "sv_SE",
        Locale::Da => "da_DK",
        Locale::Fi => "fi_FI",
        Locale::Is => "is_IS",
    }
}

/// The page's title, for `<title>`.
#[must_use]
pub fn campaign_title(found: &PublishedCampaign) -> String {
    html! { (found.content.title) " · changemakers" }.into_string()
}

/// The tags for `found` at `url`; `base` is the platform's address.
#[must_use]
pub fn campaign_head(found: &PublishedCampaign, base: &str, url: &str, widths: &[u32]) -> Markup {
    let content = &found.content;
    // The largest rendition a preview needs, and the size that file really has.
    let width = widths.iter().copied().filter(|w| *w <= 1200).max();
    let image = found.cover().zip(width).map(|(m, target)| {
        let size = match (m.width, m.height) {
            (Some(mw), Some(mh)) if mw > 0 && mh > 0 => {
                Some(rendition_size(mw.unsigned_abs(), mh.unsigned_abs(), target))
            }
            _ => None,
        };
        (
            format!("{base}/media/{}/w{target}.jpg", m.id),
            size,
            m.alt_text.clone(),
        )
    });
    html! {
        link rel="canonical" href=(url);
        meta property="og:type" content="article";
        meta property="og:site_name" content="changemakers";
        meta property="og:title" content=(content.title);
        meta property="og:description" content=(content.summary);
        meta property="og:url" content=(url);
        meta property="og:locale" content=(og_locale(country_locale(found.campaign.country)));
        @if let Some((src, size, alt)) = &image {
            meta property="og:image" content=(src);
            @if let Some((w, h)) = size {
                meta property="og:image:width" content=(w);
                meta property="og:image:height" content=(h);
            }
            meta property="og:image:alt" content=(alt);
            meta name="twitter:card" content="summary_large_image";
            meta name="twitter:image" content=(src);
            meta name="twitter:image:alt" content=(alt);
        } @else {
            meta name="twitter:card" content="summary";
        }
        meta name="twitter:title" content=(content.title);
        meta name="twitter:description" content=(content.summary);
    }
}
