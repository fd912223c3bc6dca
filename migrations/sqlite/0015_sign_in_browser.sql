-- The browser that asked for a sign-in link (a hash of a short-lived cookie
-- it was given) and its coarse device name: a link opened elsewhere asks
-- the person to confirm, naming that device, before it signs anyone in.
ALTER TABLE sign_in_links ADD COLUMN browser_hash BLOB;
ALTER TABLE sign_in_links ADD COLUMN device TEXT;
