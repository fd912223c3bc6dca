-- The public gallery: one row per campaign the public can see now, written in
-- the same transaction that publishes, unpublishes, hides or archives it.
CREATE TABLE gallery_entries (
    campaign_id  BLOB PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    programme_id BLOB NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    city_id      BLOB NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    theme        TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE INDEX gallery_entries_newest ON gallery_entries (published_at DESC, campaign_id DESC);
CREATE INDEX gallery_entries_city ON gallery_entries (city_id, published_at DESC, campaign_id DESC);
CREATE INDEX gallery_entries_programme ON gallery_entries (programme_id, published_at DESC, campaign_id DESC);

-- The gallery's text: words folded to lower case with diacritics removed
-- ("Hils" and "hils", "Malmö" and "malmo"), no stemming.
CREATE VIRTUAL TABLE gallery_search USING fts5 (
    campaign_id UNINDEXED, title, hashtag, summary, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Bumped by every change to what the public sees; each instance's cache of
-- rendered public responses is keyed by it.
CREATE TABLE public_content (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO public_content (id, version) VALUES (1, 1);

-- Gallery loads: how often a campaign was shown in a gallery, kept apart from views.
ALTER TABLE campaign_views ADD COLUMN impressions INTEGER NOT NULL DEFAULT 0;

INSERT INTO gallery_entries (campaign_id, programme_id, city_id, theme, published_at)
SELECT c.id, c.programme_id, p.city_id, pc.theme, c.published_at
FROM campaigns c
JOIN programmes p ON p.id = c.programme_id
JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published'
WHERE c.published_at IS NOT NULL AND c.hidden_at IS NULL AND c.status <> 'archived';

INSERT INTO gallery_search (campaign_id, title, hashtag, summary, body)
SELECT c.id, pc.title, COALESCE(pc.hashtag, ''), pc.summary, pc.body
FROM campaigns c
JOIN gallery_entries g ON g.campaign_id = c.id
JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published';
