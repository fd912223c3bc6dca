-- A team nobody is in any more is archived: its join code stops working and
-- its campaigns stay as they are.
ALTER TABLE teams ADD COLUMN archived_at TIMESTAMPTZ;
