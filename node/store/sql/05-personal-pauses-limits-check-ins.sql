-- Hearth store, schema 5: pauses kept per author, boundaries in two kinds
-- (limits and agreements), check-ins that can be shared later and
-- forgotten, and the local facts of a pause (docs/DESIGN.md §5.3, §5.4,
-- §5.5).
--
-- The view tables whose shape changes are made anew, empty, and the views
-- are rebuilt from the log when the store is next opened (store_flags):
-- a pause or a boundary's kind lives in the sealed bodies, which SQL cannot
-- read. Every existing boundary was proposed, so it becomes an agreement.

DROP TABLE pause_state;
-- Each author's own pause: their latest pause or resume by lamport.
CREATE TABLE pauses (
  author     BLOB PRIMARY KEY,
  lamport    INTEGER NOT NULL,
  paused     INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,   -- the author's clock
  minutes    INTEGER NOT NULL,
  row        INTEGER NOT NULL    -- events.row_id of that pause or resume
) STRICT, WITHOUT ROWID;

DROP TABLE boundary_facts;
-- Facts stated about boundaries (always shared events).
-- kind: 0 propose (revision = its own event ID), 1 respond, 2 withdraw,
-- 3 drop (revision = the one dropped).
CREATE TABLE boundary_facts (
  row             INTEGER PRIMARY KEY,  -- events.row_id of the statement
  boundary_id     BLOB NOT NULL,
  kind            INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),
  author          BLOB NOT NULL,
  lamport         INTEGER NOT NULL,
  wall_ms         INTEGER NOT NULL,
  revision        BLOB,                 -- propose, respond, drop
  response        INTEGER,              -- respond: 0 agree, 1 decline, 2 discuss, 3 acknowledge
  boundary_kind   INTEGER,              -- propose: 0 agreement, 1 limit
  ask_again_after INTEGER               -- respond: a decline's "ask me again after" (ms)
) STRICT;
CREATE INDEX boundary_facts_by_boundary ON boundary_facts (boundary_id);

DROP TABLE boundaries;
CREATE TABLE boundaries (
  boundary_id    BLOB PRIMARY KEY,
  kind           INTEGER NOT NULL,     -- 0 agreement, 1 limit
  status         INTEGER NOT NULL,     -- model::BoundaryStatus
  first_row      INTEGER NOT NULL,
  latest_row     INTEGER NOT NULL,
  in_force_row   INTEGER,
  first_proposer BLOB NOT NULL,        -- a limit's author
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  revisions      INTEGER NOT NULL,
  acknowledged   INTEGER NOT NULL      -- a limit: its wording acknowledged by the partner
) STRICT;
CREATE INDEX boundaries_by_created ON boundaries (created_ms);

DROP TABLE check_ins;
-- A check-in: when it was first written, and its latest copy (a private
-- check-in shared later has two). Forgotten ones keep only the tombstone.
CREATE TABLE check_ins (
  author        BLOB NOT NULL,
  check_in_id   BLOB NOT NULL,
  forgotten     INTEGER NOT NULL,
  first_lamport INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL,
  head_lamport  INTEGER NOT NULL,
  head_ms       INTEGER NOT NULL,
  head_source   INTEGER NOT NULL,
  head_row      INTEGER NOT NULL,
  PRIMARY KEY (check_in_id, author)
) STRICT, WITHOUT ROWID;
CREATE INDEX check_ins_by_created ON check_ins (forgotten, created_ms);

-- Every copy of a check-in, so that a forget drops the words of each.
CREATE TABLE check_in_copies (
  author      BLOB NOT NULL,
  check_in_id BLOB NOT NULL,
  source      INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  PRIMARY KEY (check_in_id, author, source, row)
) STRICT, WITHOUT ROWID;

-- ---- Local facts: never sent, kept through a rebuild of the views.

-- When a partner's pause or resume reached this device (this device's
-- clock), and the partner's clock offset measured in that session: a
-- partner's pause runs on this device's clock (model/pause.h).
CREATE TABLE pause_arrivals (
  row        INTEGER PRIMARY KEY,  -- events.row_id
  arrived_ms INTEGER NOT NULL,
  offset_ms  INTEGER NOT NULL
) STRICT;

-- What the partner shared while this device's own pause lasted: held back
-- from lists, watch and status until the pause ends (events.row_id).
CREATE TABLE held_rows (
  row        INTEGER PRIMARY KEY,
  arrived_ms INTEGER NOT NULL
) STRICT;

-- One-time work the store does when it is next opened.
CREATE TABLE store_flags (
  name TEXT PRIMARY KEY
) STRICT;
INSERT INTO store_flags (name) VALUES ('rebuild-views');
