-- A coarse name of the device a session started on ("Firefox on Android"),
-- so its person can tell their sessions apart and end one.
ALTER TABLE sessions ADD COLUMN device TEXT;
