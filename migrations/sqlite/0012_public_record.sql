-- What the public sees of a photo or video is what a moderator approved:
-- its description and place in the campaign are copied here by the approval,
-- and later edits by the team wait in alt_text and position for the next one.
ALTER TABLE media ADD COLUMN published_alt_text TEXT;
ALTER TABLE media ADD COLUMN published_position INTEGER;
UPDATE media SET published_alt_text = alt_text, published_position = position
    WHERE published_at IS NOT NULL;
-- A photo whose consent was withdrawn is never public.
UPDATE media SET published_at = NULL, published_alt_text = NULL, published_position = NULL
    WHERE NOT consent_confirmed;
