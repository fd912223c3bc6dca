-- Why a media item failed, as a stable code the web app shows in the
-- person's language (the English `error` text stays for support).
ALTER TABLE media ADD COLUMN error_code TEXT
    CHECK (error_code IN ('incomplete', 'unreadable', 'too_many_pixels', 'lost', 'processing_failed'));
UPDATE media SET error_code = 'unreadable' WHERE status = 'failed' AND error_code IS NULL;
