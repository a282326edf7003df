-- Hearth store, schema 1.
--
-- Nothing here holds words a person wrote in plaintext: text lives only in
-- sealed blobs (event bodies, private entries, names, notes). Views hold IDs,
-- statuses, times and pointers to the rows whose blobs carry the words.

-- Devices this store knows: this device, the partner, former partners.
CREATE TABLE devices (
  device_key  BLOB PRIMARY KEY CHECK (length(device_key) = 32),
  role        TEXT NOT NULL CHECK (role IN ('self', 'partner', 'former')),
  name_sealed BLOB,             -- display name, sealed with the local key
  added_ms    INTEGER NOT NULL,
  acked_seq   INTEGER NOT NULL DEFAULT 0,  -- partner: how much of my log it acknowledged
  offered_seq INTEGER NOT NULL DEFAULT 0   -- partner: its head seq as last announced
) STRICT;

-- Log keys that open event bodies: the author's key for seq >= first_seq
-- (until the next key of that author). Sealed with the local key,
-- AD = "hearth/logkey/v1" || author || first_seq (8 bytes BE).
CREATE TABLE log_keys (
  author     BLOB NOT NULL CHECK (length(author) = 32),
  first_seq  INTEGER NOT NULL CHECK (first_seq >= 1),
  key_sealed BLOB NOT NULL,
  PRIMARY KEY (author, first_seq)
) STRICT;

-- Every shared event of every author, as signed. body is NULL once forgotten.
CREATE TABLE events (
  row_id    INTEGER PRIMARY KEY,
  author    BLOB NOT NULL CHECK (length(author) = 32),
  seq       INTEGER NOT NULL CHECK (seq >= 1),
  event_id  BLOB NOT NULL CHECK (length(event_id) = 32),  -- not indexed: looked up by (author, seq)
  lamport   INTEGER NOT NULL CHECK (lamport >= 1),
  header    BLOB NOT NULL,
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  body      BLOB,
  UNIQUE (author, seq)
) STRICT;
CREATE INDEX events_by_lamport ON events (lamport);

-- Private entries: never leave this device. body = XChaCha20-Poly1305 under
-- the local key, AD = "hearth/private/v1" || entry_id.
CREATE TABLE private_entries (
  row_id   INTEGER PRIMARY KEY,
  entry_id BLOB NOT NULL UNIQUE CHECK (length(entry_id) = 16),
  lamport  INTEGER NOT NULL CHECK (lamport >= 1),
  wall_ms  INTEGER NOT NULL,
  body     BLOB NOT NULL
) STRICT;
CREATE INDEX private_entries_by_lamport ON private_entries (lamport);

-- ---- Views: derived from events + private entries by the model's reducers.
-- source: 0 = events.row_id, 1 = private_entries.row_id.

CREATE TABLE reflections (
  author        BLOB NOT NULL,
  reflection_id BLOB NOT NULL,
  forgotten     INTEGER NOT NULL,
  shared        INTEGER NOT NULL,
  first_lamport INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL,
  head_lamport  INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL,
  head_source   INTEGER NOT NULL,
  head_row      INTEGER NOT NULL,
  PRIMARY KEY (author, reflection_id)
) STRICT;
CREATE INDEX reflections_by_created ON reflections (forgotten, created_ms);

CREATE TABLE reflection_versions (
  source        INTEGER NOT NULL,
  row           INTEGER NOT NULL,
  author        BLOB NOT NULL,
  reflection_id BLOB NOT NULL,
  lamport       INTEGER NOT NULL,
  wall_ms       INTEGER NOT NULL,
  PRIMARY KEY (source, row)
) STRICT;
CREATE INDEX reflection_versions_by_reflection
  ON reflection_versions (author, reflection_id, lamport);

-- Facts stated about boundaries (always shared events).
-- kind: 0 propose (revision = its own event ID), 1 respond, 2 withdraw.
CREATE TABLE boundary_facts (
  row         INTEGER PRIMARY KEY,   -- events.row_id of the statement
  boundary_id BLOB NOT NULL,
  kind        INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
  author      BLOB NOT NULL,
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL,
  revision    BLOB,                  -- propose, respond
  response    INTEGER                -- respond: 0 agree, 1 decline, 2 discuss
) STRICT;
CREATE INDEX boundary_facts_by_boundary ON boundary_facts (boundary_id);

CREATE TABLE boundaries (
  boundary_id    BLOB PRIMARY KEY,
  status         INTEGER NOT NULL,
  first_row      INTEGER NOT NULL,
  latest_row     INTEGER NOT NULL,
  in_force_row   INTEGER,
  first_proposer BLOB NOT NULL,
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  revisions      INTEGER NOT NULL
) STRICT;
CREATE INDEX boundaries_by_created ON boundaries (created_ms);

CREATE TABLE check_ins (
  author      BLOB NOT NULL,
  check_in_id BLOB NOT NULL,
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL,
  source      INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  PRIMARY KEY (author, check_in_id)
) STRICT;
CREATE INDEX check_ins_by_time ON check_ins (wall_ms);

-- The shared pause: the latest pause or resume by (lamport, author).
CREATE TABLE pause_state (
  singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
  author     BLOB NOT NULL,
  lamport    INTEGER NOT NULL,
  paused     INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  minutes    INTEGER NOT NULL,
  row        INTEGER NOT NULL
) STRICT;

-- ---- Local records

-- What the daemon did on the network and why (`hearth log`). Messages are
-- written by Hearth and never contain words a person wrote.
CREATE TABLE activity (
  id      INTEGER PRIMARY KEY,
  at_ms   INTEGER NOT NULL,
  level   TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
  message TEXT NOT NULL
) STRICT;

-- Addresses to dial for the partner.
CREATE TABLE peer_addresses (
  address  TEXT PRIMARY KEY,
  source   TEXT NOT NULL CHECK (source IN ('manual', 'pairing', 'discovery')),
  added_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE config (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
