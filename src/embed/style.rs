//! The embeds' inline style and script. The script is the same bytes for
//! every page, so the content security policy names it by its hash.

use std::sync::LazyLock;

use base64::Engine;
use sha2::{Digest, Sha256};

/// Fits any column: one card per row on a phone, as many as fit on a wide
/// page; light or dark with the visitor's setting; no motion when they
/// asked for less.
pub const CSS: &str = r#"
:root{color-scheme:light dark;--fg:#1b1b1f;--muted:#4a4a55;--bg:#fff;--card:#f5f5f8;--line:#d9d9e0}
@media (prefers-color-scheme:dark){:root{--fg:#f3f3f6;--muted:#c4c4cf;--bg:#15151a;--card:#22222a;--line:#3a3a46}}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{padding:12px}
h1{font-size:1.15rem;margin:0 0 12px;border-left:4px solid var(--accent);padding-left:8px}
ul{list-style:none;margin:0;padding:0}
.grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,240px),1fr))}
.list{display:grid;gap:12px}
.list article{display:grid;grid-template-columns:minmax(96px,30%) 1fr;gap:12px}
article{background:var(--card);border-radius:12px;overflow:hidden;height:100%;position:relative}
.cover{display:block;width:100%;height:auto;aspect-ratio:3/2;object-fit:cover}
.blank{aspect-ratio:3/2;background:var(--accent)}
.text{padding:10px 12px 12px}
h2{font-size:1.05rem;margin:0 0 4px;line-height:1.3}
h2 a{color:inherit;text-decoration:none}
h2 a::after{content:"";position:absolute;inset:0}
h2 a:hover{text-decoration:underline}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
article:focus-within{outline:3px solid var(--accent);outline-offset:2px}
p{margin:0 0 6px}
.meta{color:var(--muted);font-size:.875rem}
.tag{display:inline-block;font-size:.8rem;border-radius:999px;padding:0 8px;background:var(--accent);color:var(--on-accent);margin-bottom:6px}
.reached{font-weight:600}
.more{display:inline-block;margin-top:12px;padding:10px 16px;border-radius:999px;background:var(--accent);color:var(--on-accent);text-decoration:none;font-weight:600}
.empty{padding:24px;text-align:center;background:var(--card);border-radius:12px}
footer{margin-top:12px;font-size:.875rem}
footer a{color:inherit}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:no-preference){.cover{transition:transform .2s}article:hover .cover{transform:scale(1.02)}}
"#;

/// Tells the page around the iframe how tall the content is, after load and
/// whenever it changes: as `changemakers:resize` for our own embed script,
/// and in WordPress's form with the secret WordPress put in the address, so
/// its `wp-embed` script resizes the frame; the "more" link keeps that
/// secret for the next page. Inside WordPress's sandbox a link
/// cannot open a window itself, so it asks WordPress to follow it.
pub const SCRIPT: &str = r#"(function(){var m=location.hash.match(/secret=([A-Za-z0-9]+)/),s=m&&m[1],last=0;function post(){var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h===last)return;last=h;parent.postMessage({type:"changemakers:resize",height:h},"*");if(s)parent.postMessage({message:"height",value:h,secret:s},"*")}addEventListener("load",post);addEventListener("resize",post);if(window.ResizeObserver)new ResizeObserver(post).observe(document.body);post();if(location.hash)[].forEach.call(document.querySelectorAll("a.more"),function(a){a.href+=location.hash});if(s)document.addEventListener("click",function(e){var a=e.target.closest&&e.target.closest("a[target=_blank]");if(!a)return;e.preventDefault();parent.postMessage({message:"link",value:a.href,secret:s},"*")})})();"#;

static SCRIPT_HASH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
});

/// The policy of an embed page: its own images, its inline style, its one
/// script, framed by any site, and nothing else.
#[must_use]
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src {}; \
         base-uri 'none'; form-action 'none'; frame-ancestors *",
        *SCRIPT_HASH
    )
}

/// The text colour that reads on `accent` (`#rrggbb`): near-black or white,
/// whichever contrasts more (WCAG relative luminance).
#[must_use]
pub fn on_accent(accent: &str) -> &'static str {
    let channel = |i: usize| {
        let v =
            f64::from(u8::from_str_radix(accent.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0))
                / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast with white is 1.05 / (l + 0.05); with #1b1b1f about (l + 0.05) / 0.061.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.061 {
        "#ffffff"
    } else {
        "#1b1b1f"
    }
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, on_accent};

    #[test]
    fn text_on_the_accent_contrasts() {
        assert_eq!(on_accent("#000000"), "#ffffff");
        assert_eq!(on_accent("#ffff00"), "#1b1b1f");
        assert_eq!(on_accent("#e4007c"), "#ffffff");
        assert_eq!(on_accent("#f5f5f5"), "#1b1b1f");
        assert!(content_security_policy().contains("script-src 'sha256-"));
    }
}
