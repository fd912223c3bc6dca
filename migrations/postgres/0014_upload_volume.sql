-- What one person uploaded lately, for the daily upload volume limit.
CREATE INDEX media_uploaded_by ON media (uploaded_by, created_at);
