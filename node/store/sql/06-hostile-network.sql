-- Hearth store, schema 6: what a hostile network or partner must not get
-- from this device, and what a stolen disk must not show.

-- Per device, the newest session handshake timestamps (PROTOCOL.md §3.3)
-- this device sent to it and accepted from it: a recorded handshake
-- replayed later is refused, across restarts too (store/handshake_clock.h).
CREATE TABLE handshake_clock (
  device_key    BLOB PRIMARY KEY CHECK (length(device_key) = 32),
  last_sent     INTEGER NOT NULL DEFAULT 0 CHECK (last_sent >= 0),
  last_accepted INTEGER NOT NULL DEFAULT 0 CHECK (last_accepted >= 0)
) STRICT;
