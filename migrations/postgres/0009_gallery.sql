-- The public gallery: one row per campaign the public can see now, written in
-- the same transaction that publishes, unpublishes, hides or archives it, with
-- its text indexed in the programme's language.
CREATE TABLE gallery_entries (
    campaign_id  UUID PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    programme_id UUID NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    city_id      UUID NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    theme        TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    -- The text-search configuration of the programme's language.
    config       REGCONFIG NOT NULL,
    document     TSVECTOR NOT NULL
);
CREATE INDEX gallery_entries_newest ON gallery_entries (published_at DESC, campaign_id DESC);
CREATE INDEX gallery_entries_city ON gallery_entries (city_id, published_at DESC, campaign_id DESC);
CREATE INDEX gallery_entries_programme ON gallery_entries (programme_id, published_at DESC, campaign_id DESC);
CREATE INDEX gallery_entries_document ON gallery_entries USING GIN (document);

-- Bumped by every change to what the public sees; each instance's cache of
-- rendered public responses is keyed by it.
CREATE TABLE public_content (
    id      SMALLINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO public_content (id, version) VALUES (1, 1);

-- Gallery loads: how often a campaign was shown in a gallery, kept apart from views.
ALTER TABLE campaign_views ADD COLUMN impressions BIGINT NOT NULL DEFAULT 0;

INSERT INTO gallery_entries (campaign_id, programme_id, city_id, theme, published_at, config, document)
SELECT c.id, c.programme_id, p.city_id, pc.theme, c.published_at,
       (CASE p.locale WHEN 'nb' THEN 'norwegian' WHEN 'sv' THEN 'swedish' WHEN 'da' THEN 'danish'
            WHEN 'fi' THEN 'finnish' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig,
       setweight(to_tsvector((CASE p.locale WHEN 'nb' THEN 'norwegian' WHEN 'sv' THEN 'swedish'
            WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig,
            pc.title || ' ' || COALESCE(pc.hashtag, '')), 'A')
       || setweight(to_tsvector((CASE p.locale WHEN 'nb' THEN 'norwegian' WHEN 'sv' THEN 'swedish'
            WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig,
            pc.summary), 'B')
       || setweight(to_tsvector((CASE p.locale WHEN 'nb' THEN 'norwegian' WHEN 'sv' THEN 'swedish'
            WHEN 'da' THEN 'danish' WHEN 'fi' THEN 'finnish' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig,
            pc.body), 'C')
       || setweight(to_tsvector('simple', pc.title || ' ' || pc.summary), 'D')
FROM campaigns c
JOIN programmes p ON p.id = c.programme_id
JOIN campaign_contents pc ON pc.campaign_id = c.id AND pc.kind = 'published'
WHERE c.published_at IS NOT NULL AND c.hidden_at IS NULL AND c.status <> 'archived';
