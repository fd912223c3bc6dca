//! The light text format of campaign bodies: stored exactly as written,
//! rendered to HTML here and only here, never passing a user's HTML through.
//!
//! - A blank line separates paragraphs; a single line break stays a break.
//! - Lines starting with `- ` or `* ` form a bullet list; `1. ` a numbered one.
//! - `[text](https://…)` is a link, and so is a bare `https://…` address.
//!   Only `http`, `https` and `mailto` links are made; anything else stays text.

enum Block {
    Paragraph(Vec<String>),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))
    {
        return Some((false, rest));
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        if let Some(rest) = trimmed[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut in_paragraph = false;
    for line in text.replace("\r\n", "\n").split('\n') {
        if line.trim().is_empty() {
            in_paragraph = false;
            continue;
        }
        match (list_item(line), out.last_mut()) {
            (Some((false, item)), Some(Block::Bullets(items))) if !in_paragraph => {
                items.push(item.to_owned());
            }
            (Some((true, item)), Some(Block::Numbered(items))) if !in_paragraph => {
                items.push(item.to_owned());
            }
            (Some((numbered, item)), _) => {
                out.push(if numbered {
                    Block::Numbered(vec![item.to_owned()])
                } else {
                    Block::Bullets(vec![item.to_owned()])
                });
                in_paragraph = false;
            }
            (None, Some(Block::Paragraph(lines))) if in_paragraph => {
                lines.push(line.trim().to_owned());
            }
            (None, _) => {
                out.push(Block::Paragraph(vec![line.trim().to_owned()]));
                in_paragraph = true;
            }
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https" | "mailto").then(|| parsed.to_string())
}

fn link(href: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\" rel=\"nofollow noopener noreferrer ugc\">{}</a>",
        escape_html(href),
        escape_html(text)
    )
}

/// Renders one line's inline content: links, everything else escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let bracket = rest.find('[');
        let bare = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let next = match (bracket, bare) {
            (Some(b), Some(u)) => b.min(u),
            (Some(b), None) => b,
            (None, Some(u)) => u,
            (None, None) => break,
        };
        out.push_str(&escape_html(&rest[..next]));
        rest = &rest[next..];
        if rest.starts_with('[') {
            if let Some((label, after)) = rest[1..].split_once("](") {
                if let Some((target, tail)) = after.split_once(')') {
                    if !label.contains('[') {
                        if let Some(href) = safe_href(target.trim()) {
                            out.push_str(&link(&href, label));
                            rest = tail;
                            continue;
                        }
                    }
                }
            }
            out.push('[');
            rest = &rest[1..];
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
                .unwrap_or(rest.len());
            let mut candidate = &rest[..end];
            // Leave trailing punctuation outside the link.
            while candidate.ends_with(['.', ',', ')', '!', '?', ';', ':']) {
                candidate = &candidate[..candidate.len() - 1];
            }
            match safe_href(candidate) {
                Some(href) if candidate.len() > "https://".len() => {
                    out.push_str(&link(&href, candidate));
                }
                _ => out.push_str(&escape_html(candidate)),
            }
            rest = &rest[candidate.len()..];
        }
    }
    out.push_str(&escape_html(rest));
    out
}

/// The body as safe HTML.
#[must_use]
pub fn render(text: &str) -> String {
    let mut html = String::new();
    for block in blocks(text) {
        match block {
            Block::Paragraph(lines) => {
                let inner: Vec<String> = lines.iter().map(|l| inline(l)).collect();
                html.push_str(&format!("<p>{}</p>", inner.join("<br>")));
            }
            Block::Bullets(items) | Block::Numbered(items) if items.is_empty() => {}
            Block::Bullets(items) => {
                html.push_str("<ul>");
                for item in items {
                    html.push_str(&format!("<li>{}</li>", inline(&item)));
                }
                html.push_str("</ul>");
            }
            Block::Numbered(items) => {
                html.push_str("<ol>");
                for item in items {
                    html.push_str(&format!("<li>{}</li>", inline(&item)));
                }
                html.push_str("</ol>");
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn paragraphs_lines_and_lists() {
        let html =
            render("Hei!\nVi er et team.\n\n- plakater\n- festival\n\n1. planlegg\n2. gjør det");
        assert_eq!(
            html,
            "<p>Hei!<br>Vi er et team.</p><ul><li>plakater</li><li>festival</li></ul>\
             <ol><li>planlegg</li><li>gjør det</li></ol>"
        );
    }

    #[test]
    fn links_are_made_only_for_safe_schemes() {
        let html =
            render("Se [nettsiden](https://larvik.kommune.no/ung) og https://example.org/a.");
        assert!(html.contains("<a href=\"https://larvik.kommune.no/ung\" rel=\"nofollow noopener noreferrer ugc\">nettsiden</a>"));
        assert!(html.contains("<a href=\"https://example.org/a\""));
        assert!(html.ends_with("</a>.</p>"));
        let evil = render("[klikk](javascript:alert(1)) [x](data:text/html,hi)");
        assert!(!evil.contains("<a"), "{evil}");
        assert!(!evil.contains("javascript:alert(1)\""));
    }

    #[test]
    fn html_is_never_passed_through() {
        let html = render("<script>alert('x')</script> <img src=x onerror=alert(1)> & \"q\"");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("&amp; &quot;q&quot;"));
        let sneaky = render("https://example.org/\"><script>x</script>");
        assert!(!sneaky.contains("<script"), "{sneaky}");
    }

    #[test]
    fn empty_text_renders_nothing() {
        assert_eq!(render(""), "");
        assert_eq!(render("\n\n  \n"), "");
    }
}
