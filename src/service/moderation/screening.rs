//! Pre-screening: every text of a submitted campaign is checked for
//! personal data and the programme's word list, so a moderator's eye goes
//! where it is needed. It flags; it never refuses.

use crate::{
    db::{campaigns::Content, media::MediaRow},
    domain::{
        prescreen::{self, WordList},
        Locale, MediaStatus,
    },
    state::AppState,
};

use super::Flag;

/// The word list for a programme's language, plus the one for every language.
pub(crate) fn word_list(state: &AppState, locale: Locale) -> WordList {
    let lists = &state.config.moderation.word_lists;
    WordList::new(
        lists
            .get(locale.as_str())
            .into_iter()
            .chain(lists.get("*"))
            .flatten(),
    )
}

/// Pre-screens every text of a campaign: its fields and its media descriptions.
pub(super) fn screen(
    fields: &[(&str, Option<&str>)],
    media: &[MediaRow],
    words: &WordList,
) -> Vec<Flag> {
    let media_fields: Vec<(String, &str)> = media
        .iter()
        .enumerate()
        .map(|(n, m)| (format!("media.{n}.alt_text"), m.alt_text.as_str()))
        .collect();
    fields
        .iter()
        .filter_map(|(field, text)| text.map(|t| ((*field).to_owned(), t)))
        .chain(media_fields)
        .flat_map(|(field, text)| {
            prescreen::screen(text, words)
                .into_iter()
                .map(move |finding| Flag {
                    field: field.clone(),
                    finding,
                })
        })
        .collect()
}

pub(super) fn content_fields(c: &Content) -> [(&'static str, Option<&str>); 6] {
    [
        ("title", Some(c.title.as_str())),
        ("summary", Some(c.summary.as_str())),
        ("body", Some(c.body.as_str())),
        ("hashtag", c.hashtag.as_deref()),
        ("audience", c.audience.as_deref()),
        ("location", c.location.as_deref()),
    ]
}

/// The fields of `draft` (and its media) that differ from `published`;
/// every filled field when nothing was published yet.
#[must_use]
pub fn changed_fields(
    draft: &Content,
    published: Option<&Content>,
    media: &[MediaRow],
) -> Vec<&'static str> {
    let dates = |c: &Content| [("starts_on", c.starts_on), ("ends_on", c.ends_on)];
    let mut changed: Vec<&'static str> = match published {
        Some(p) => content_fields(draft)
            .iter()
            .zip(content_fields(p))
            .filter(|((_, a), (_, b))| a != b)
            .map(|((name, _), _)| *name)
            .collect(),
        None => content_fields(draft)
            .iter()
            .filter(|(_, v)| v.is_some_and(|v| !v.is_empty()))
            .map(|(name, _)| *name)
            .collect(),
    };
    if published.is_none_or(|p| p.theme != draft.theme) {
        changed.push("theme");
    }
    for ((name, a), (_, b)) in dates(draft)
        .iter()
        .zip(published.map_or([("", None), ("", None)], dates))
    {
        if *a != b && (published.is_some() || a.is_some()) {
            changed.push(name);
        }
    }
    if published.is_some() {
        changed.extend(media_changes(media));
    }
    changed
}

/// What the team changed in the media of a public campaign since its last
/// approval: descriptions, order, items added.
fn media_changes(media: &[MediaRow]) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if media.iter().any(MediaRow::alt_text_awaits_review) {
        changed.push("media.alt_text");
    }
    if media.iter().any(MediaRow::position_awaits_review) {
        changed.push("media.order");
    }
    if media
        .iter()
        .any(|m| m.published_at.is_none() && m.status == MediaStatus::Ready)
    {
        changed.push("media.added");
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::changed_fields;
    use crate::db::campaigns::Content;

    fn content(title: &str, body: &str) -> Content {
        Content {
            title: title.to_owned(),
            summary: "s".to_owned(),
            body: body.to_owned(),
            theme: crate::domain::Theme::Youth,
            hashtag: None,
            audience: None,
            starts_on: None,
            ends_on: None,
            location: None,
        }
    }

    #[test]
    fn changes_are_the_fields_that_differ() {
        let published = content("Hils", "old");
        assert_eq!(
            changed_fields(&content("Hils", "new"), Some(&published), &[]),
            ["body"]
        );
        assert!(changed_fields(&published, Some(&published), &[]).is_empty());
        assert_eq!(
            changed_fields(&content("Hils", "b"), None, &[]),
            ["title", "summary", "body", "theme"]
        );
    }
}
