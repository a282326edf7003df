-- Hearth store, schema 8: what a hostile network or partner must not get
-- from this device, and what a stolen disk must not show.

-- Per device, the newest session handshake timestamps (PROTOCOL.md §3.3)
-- this device sent to it and accepted from it: a recorded handshake
-- replayed later is refused, across restarts too (store/handshake_clock.h).
CREATE TABLE handshake_clock (
  device_key    BLOB PRIMARY KEY CHECK (length(device_key) = 32),
  last_sent     INTEGER NOT NULL DEFAULT 0 CHECK (last_sent >= 0),
  last_accepted INTEGER NOT NULL DEFAULT 0 CHECK (last_accepted >= 0)
) STRICT;

-- The activity log (`hearth log`, store/activity.h), each entry sealed with
-- the local key: AD = "hearth/activity/v1" || id (8 BE); plaintext = at_ms
-- (8 BE) || level (1) || partner address length (1) || partner address ||
-- message. The table shows only how many entries each bucket holds: 0, what
-- the daemon did (the newest 10,000 kept); 1, connections refused before
-- anything was learned (the newest 1,000 kept), so refusals never push out
-- the rest. Entries of the schema-1 plaintext table `activity` move here
-- when the store opens (store::seal_plaintext_activity), which then drops it.
CREATE TABLE activity_log (
  id     INTEGER PRIMARY KEY,
  bucket INTEGER NOT NULL CHECK (bucket IN (0, 1)),
  sealed BLOB NOT NULL
) STRICT;
CREATE INDEX activity_log_by_bucket ON activity_log (bucket, id);

-- Whether an event's signature was verified (or made) here. A received
-- batch is authenticated by its last signature and the hash chain binding
-- the earlier headers to it (PROTOCOL.md §4.3); the signatures before the
-- last are stored as received and marked 0 here, and a device that sends
-- such an event at the end of a batch checks it first. The events of
-- older stores count as unchecked (checking one costs little).
ALTER TABLE events ADD COLUMN signature_checked INTEGER NOT NULL DEFAULT 0
  CHECK (signature_checked IN (0, 1));
