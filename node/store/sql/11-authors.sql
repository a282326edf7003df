-- Hearth store, schema 11: each author's key stored once, and no stored
-- event ID.
--
-- The 32-byte key of an event's author used to sit in every row that names
-- it and in every index over it: the event and its (author, seq) index, the
-- reflection, its list index and its version, and so on, about 190 of the
-- 1,100 bytes a shared reflection of 300 took. Now `authors` numbers the
-- keys (this device, its partners: a handful), and every table that names
-- an author holds that number (store/authors.h). `devices`, `log_keys` and
-- `handshake_clock` keep their keys: they are about devices, not about what
-- devices wrote.
--
-- events.event_id goes too: an event's ID is the hash of its header
-- (schema/PROTOCOL.md §2.1), which the row keeps, and is computed where it
-- is read (store/event_log.h). And events.header no longer holds the
-- author's key, which the row names by number: a header of this version
-- ends with three 32-byte blobs, author, prev and bodyHash
-- (schema/PROTOCOL.md §2.1), and the row keeps the bytes before and after
-- the first. EventLog puts the key back on read. A header with more fields
-- (PROTOCOL §9) whose key is not there is kept whole, header_whole = 1.
--
-- The tables are copied, not rebuilt, so no word needs opening, and the
-- migration holds about as much memory for a store of years as for a new
-- one (36 MiB at 1,000,000 entries; tests/bench/bench_upgrade.py). So:
--   - Each table is copied into a new one, on disk, that then takes its
--     name. (The temp database is in memory: schema 4's way through it
--     would hold the copy there.)
--   - Each new table has its indexes before the rows go in: an index made
--     over a full table is sorted in the temp database. They take new
--     names, ending in _11, while the old ones still stand.
--   - Every copy is made before any old table is emptied, so the copies
--     take fresh pages: a statement that overwrites pages freed earlier in
--     the transaction keeps their old content in its statement journal,
--     which is in the temp database too.
--   - An old table is emptied before it is dropped: with secure_delete,
--     dropping a full table keeps every page it frees in memory until the
--     commit, where emptying it does not. Either way its pages are zeroed.
-- Dropping a table drops its triggers: those of schema 10 go first (they
-- would run for every row) and are made again at the end.

CREATE TABLE authors (
  id  INTEGER PRIMARY KEY,
  key BLOB NOT NULL UNIQUE CHECK (length(key) = 32)
) STRICT;
-- This device first, then the others as they were paired; then any author
-- only the events or views name.
INSERT INTO authors (key)
  SELECT device_key FROM devices ORDER BY role <> 'self', added_ms, device_key;
-- (Not INSERT OR IGNORE: a key that is not 32 bytes fails the migration
-- instead of leaving its rows behind in the copies below.)
INSERT INTO authors (key)
  SELECT key FROM (SELECT author AS key FROM events UNION SELECT author FROM reflections
  UNION SELECT author FROM reflection_versions UNION SELECT author FROM check_ins
  UNION SELECT author FROM check_in_copies UNION SELECT author FROM pauses
  UNION SELECT author FROM boundary_facts UNION SELECT first_proposer FROM boundaries
  UNION SELECT author FROM prompt_facts UNION SELECT author FROM need_replies
  UNION SELECT author FROM practice_facts UNION SELECT author FROM archived)
  WHERE key NOT IN (SELECT key FROM authors);

-- ---- The triggers of schema 10's counts.

DROP TRIGGER reflections_count_insert;
DROP TRIGGER reflections_count_delete;
DROP TRIGGER reflections_count_update;
DROP TRIGGER boundaries_count_insert;
DROP TRIGGER boundaries_count_delete;
DROP TRIGGER check_ins_count_insert;
DROP TRIGGER check_ins_count_delete;
DROP TRIGGER check_ins_count_update;

-- ---- The new tables, each with its indexes.

CREATE TABLE events_11 (
  row_id            INTEGER PRIMARY KEY,
  author            INTEGER NOT NULL,   -- authors.id
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  lamport           INTEGER NOT NULL CHECK (lamport >= 1),
  header            BLOB NOT NULL,      -- without the author's key unless whole: see above
  signature         BLOB NOT NULL CHECK (length(signature) = 64),
  body              BLOB,
  signature_checked INTEGER NOT NULL DEFAULT 0 CHECK (signature_checked IN (0, 1)),
  header_whole      INTEGER NOT NULL DEFAULT 0 CHECK (header_whole IN (0, 1)),
  UNIQUE (author, seq)
) STRICT;

CREATE TABLE reflections_11 (
  author        INTEGER NOT NULL,   -- authors.id
  reflection_id BLOB NOT NULL,
  forgotten     INTEGER NOT NULL,
  shared        INTEGER NOT NULL,
  first_lamport INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL,
  head_lamport  INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL,
  head_source   INTEGER NOT NULL,
  head_row      INTEGER NOT NULL,
  PRIMARY KEY (reflection_id, author)
) STRICT, WITHOUT ROWID;
CREATE INDEX reflections_by_created_11 ON reflections_11 (forgotten, created_ms);

CREATE TABLE reflection_versions_11 (
  author        INTEGER NOT NULL,   -- authors.id
  reflection_id BLOB NOT NULL,
  lamport       INTEGER NOT NULL,
  source        INTEGER NOT NULL,
  row           INTEGER NOT NULL,
  wall_ms       INTEGER NOT NULL,
  PRIMARY KEY (reflection_id, author, lamport, source, row)
) STRICT, WITHOUT ROWID;

CREATE TABLE check_ins_11 (
  author        INTEGER NOT NULL,   -- authors.id
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
CREATE INDEX check_ins_by_created_11 ON check_ins_11 (forgotten, created_ms);

CREATE TABLE check_in_copies_11 (
  author      INTEGER NOT NULL,   -- authors.id
  check_in_id BLOB NOT NULL,
  source      INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  PRIMARY KEY (check_in_id, author, source, row)
) STRICT, WITHOUT ROWID;

CREATE TABLE pauses_11 (
  author     INTEGER PRIMARY KEY,   -- authors.id
  lamport    INTEGER NOT NULL,
  paused     INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  minutes    INTEGER NOT NULL,
  row        INTEGER NOT NULL
) STRICT;

CREATE TABLE boundary_facts_11 (
  row             INTEGER PRIMARY KEY,
  boundary_id     BLOB NOT NULL,
  kind            INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),
  author          INTEGER NOT NULL,   -- authors.id
  lamport         INTEGER NOT NULL,
  wall_ms         INTEGER NOT NULL,
  revision        BLOB,
  response        INTEGER,
  boundary_kind   INTEGER,
  ask_again_after INTEGER
) STRICT;
CREATE INDEX boundary_facts_by_boundary_11 ON boundary_facts_11 (boundary_id);

CREATE TABLE boundaries_11 (
  boundary_id    BLOB PRIMARY KEY,
  kind           INTEGER NOT NULL,
  status         INTEGER NOT NULL,
  first_row      INTEGER NOT NULL,
  latest_row     INTEGER NOT NULL,
  in_force_row   INTEGER,
  first_proposer INTEGER NOT NULL,   -- authors.id
  created_ms     INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  revisions      INTEGER NOT NULL,
  acknowledged   INTEGER NOT NULL
) STRICT;
CREATE INDEX boundaries_by_created_11 ON boundaries_11 (created_ms);

CREATE TABLE prompt_facts_11 (
  row       INTEGER PRIMARY KEY,
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4)),
  prompt_id TEXT NOT NULL,
  round     BLOB NOT NULL,
  answer_id BLOB NOT NULL,
  author    INTEGER NOT NULL,   -- authors.id
  lamport   INTEGER NOT NULL,
  wall_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX prompt_facts_by_prompt_11 ON prompt_facts_11 (prompt_id, round);
CREATE INDEX prompt_facts_by_answer_11 ON prompt_facts_11 (answer_id);

CREATE TABLE need_replies_11 (
  row         INTEGER PRIMARY KEY,
  check_in_id BLOB NOT NULL,
  reply_id    BLOB NOT NULL,
  author      INTEGER NOT NULL,   -- authors.id
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL
) STRICT;
CREATE INDEX need_replies_by_check_in_11 ON need_replies_11 (check_in_id);

CREATE TABLE practice_facts_11 (
  row        INTEGER PRIMARY KEY,
  kind       INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4)),
  session_id BLOB NOT NULL,
  practice   TEXT NOT NULL,
  stage      INTEGER NOT NULL,
  capacity   INTEGER NOT NULL,
  author     INTEGER NOT NULL,   -- authors.id
  lamport    INTEGER NOT NULL,
  wall_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX practice_facts_by_session_11 ON practice_facts_11 (session_id);

CREATE TABLE archived_11 (
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1)),
  author    INTEGER NOT NULL,   -- authors.id
  entity_id BLOB NOT NULL,
  at_ms     INTEGER NOT NULL,
  PRIMARY KEY (entity_id, author, kind)
) STRICT, WITHOUT ROWID;

-- ---- The rows copied, the events first.

INSERT INTO events_11 (row_id, author, seq, lamport, header, signature, body, signature_checked,
                       header_whole)
  SELECT e.row_id, a.id, e.seq, e.lamport,
         CASE WHEN e.at_author THEN CAST(substr(e.header, 1, length(e.header) - 96)
                                         || substr(e.header, length(e.header) - 63) AS BLOB)
              ELSE e.header END,
         e.signature, e.body, e.signature_checked, NOT e.at_author
  FROM (SELECT *, length(header) >= 96 AND substr(header, length(header) - 95, 32) = author
                  AS at_author FROM events) e
  JOIN authors a ON a.key = e.author ORDER BY e.row_id;

INSERT INTO reflections_11
  SELECT a.id, r.reflection_id, r.forgotten, r.shared, r.first_lamport, r.created_ms,
         r.head_lamport, r.updated_ms, r.head_source, r.head_row
  FROM reflections r JOIN authors a ON a.key = r.author;

INSERT INTO reflection_versions_11
  SELECT a.id, v.reflection_id, v.lamport, v.source, v.row, v.wall_ms
  FROM reflection_versions v JOIN authors a ON a.key = v.author;

INSERT INTO check_ins_11
  SELECT a.id, c.check_in_id, c.forgotten, c.first_lamport, c.created_ms, c.head_lamport,
         c.head_ms, c.head_source, c.head_row
  FROM check_ins c JOIN authors a ON a.key = c.author;

INSERT INTO check_in_copies_11
  SELECT a.id, c.check_in_id, c.source, c.row
  FROM check_in_copies c JOIN authors a ON a.key = c.author;

INSERT INTO pauses_11
  SELECT a.id, p.lamport, p.paused, p.started_ms, p.minutes, p.row
  FROM pauses p JOIN authors a ON a.key = p.author;

INSERT INTO boundary_facts_11
  SELECT f.row, f.boundary_id, f.kind, a.id, f.lamport, f.wall_ms, f.revision, f.response,
         f.boundary_kind, f.ask_again_after
  FROM boundary_facts f JOIN authors a ON a.key = f.author;

INSERT INTO boundaries_11
  SELECT b.boundary_id, b.kind, b.status, b.first_row, b.latest_row, b.in_force_row, a.id,
         b.created_ms, b.updated_ms, b.revisions, b.acknowledged
  FROM boundaries b JOIN authors a ON a.key = b.first_proposer;

INSERT INTO prompt_facts_11
  SELECT f.row, f.kind, f.prompt_id, f.round, f.answer_id, a.id, f.lamport, f.wall_ms
  FROM prompt_facts f JOIN authors a ON a.key = f.author;

INSERT INTO need_replies_11
  SELECT r.row, r.check_in_id, r.reply_id, a.id, r.lamport, r.wall_ms
  FROM need_replies r JOIN authors a ON a.key = r.author;

INSERT INTO practice_facts_11
  SELECT f.row, f.kind, f.session_id, f.practice, f.stage, f.capacity, a.id, f.lamport, f.wall_ms
  FROM practice_facts f JOIN authors a ON a.key = f.author;

INSERT INTO archived_11
  SELECT x.kind, a.id, x.entity_id, x.at_ms
  FROM archived x JOIN authors a ON a.key = x.author;

-- ---- The old tables emptied and dropped, the new ones given their names.

DELETE FROM events;
DROP TABLE events;
DELETE FROM reflections;
DROP TABLE reflections;
DELETE FROM reflection_versions;
DROP TABLE reflection_versions;
DELETE FROM check_ins;
DROP TABLE check_ins;
DELETE FROM check_in_copies;
DROP TABLE check_in_copies;
DELETE FROM pauses;
DROP TABLE pauses;
DELETE FROM boundary_facts;
DROP TABLE boundary_facts;
DELETE FROM boundaries;
DROP TABLE boundaries;
DELETE FROM prompt_facts;
DROP TABLE prompt_facts;
DELETE FROM need_replies;
DROP TABLE need_replies;
DELETE FROM practice_facts;
DROP TABLE practice_facts;
DELETE FROM archived;
DROP TABLE archived;
ALTER TABLE events_11 RENAME TO events;
ALTER TABLE reflections_11 RENAME TO reflections;
ALTER TABLE reflection_versions_11 RENAME TO reflection_versions;
ALTER TABLE check_ins_11 RENAME TO check_ins;
ALTER TABLE check_in_copies_11 RENAME TO check_in_copies;
ALTER TABLE pauses_11 RENAME TO pauses;
ALTER TABLE boundary_facts_11 RENAME TO boundary_facts;
ALTER TABLE boundaries_11 RENAME TO boundaries;
ALTER TABLE prompt_facts_11 RENAME TO prompt_facts;
ALTER TABLE need_replies_11 RENAME TO need_replies;
ALTER TABLE practice_facts_11 RENAME TO practice_facts;
ALTER TABLE archived_11 RENAME TO archived;

-- ---- The counts of schema 10: their triggers again, and the counts
-- taken afresh.

CREATE TRIGGER reflections_count_insert AFTER INSERT ON reflections WHEN NEW.forgotten = 0
BEGIN UPDATE view_counts SET n = n + 1 WHERE kind = 0; END;
CREATE TRIGGER reflections_count_delete AFTER DELETE ON reflections WHEN OLD.forgotten = 0
BEGIN UPDATE view_counts SET n = n - 1 WHERE kind = 0; END;
CREATE TRIGGER reflections_count_update AFTER UPDATE OF forgotten ON reflections
  WHEN (OLD.forgotten = 0) <> (NEW.forgotten = 0)
BEGIN UPDATE view_counts SET n = n + (NEW.forgotten = 0) - (OLD.forgotten = 0) WHERE kind = 0; END;

CREATE TRIGGER boundaries_count_insert AFTER INSERT ON boundaries
BEGIN UPDATE view_counts SET n = n + 1 WHERE kind = 1; END;
CREATE TRIGGER boundaries_count_delete AFTER DELETE ON boundaries
BEGIN UPDATE view_counts SET n = n - 1 WHERE kind = 1; END;

CREATE TRIGGER check_ins_count_insert AFTER INSERT ON check_ins WHEN NEW.forgotten = 0
BEGIN UPDATE view_counts SET n = n + 1 WHERE kind = 2; END;
CREATE TRIGGER check_ins_count_delete AFTER DELETE ON check_ins WHEN OLD.forgotten = 0
BEGIN UPDATE view_counts SET n = n - 1 WHERE kind = 2; END;
CREATE TRIGGER check_ins_count_update AFTER UPDATE OF forgotten ON check_ins
  WHEN (OLD.forgotten = 0) <> (NEW.forgotten = 0)
BEGIN UPDATE view_counts SET n = n + (NEW.forgotten = 0) - (OLD.forgotten = 0) WHERE kind = 2; END;

UPDATE view_counts SET n = CASE kind
  WHEN 0 THEN (SELECT count(*) FROM reflections WHERE forgotten = 0)
  WHEN 1 THEN (SELECT count(*) FROM boundaries)
  ELSE (SELECT count(*) FROM check_ins WHERE forgotten = 0) END;
