-- Hearth store, schema 2: pairing epochs (schema/PROTOCOL.md §5.4).
--
-- share_from: for a partner, the first seq of this device's log whose body
-- (and log key) it may have. Events before it travel without bodies. It is
-- the first seq of this device's log key at the time of pairing: 1 for a
-- first partner, the epoch an unpair started for a later one.
ALTER TABLE devices ADD COLUMN share_from INTEGER NOT NULL DEFAULT 1 CHECK (share_from >= 1);
