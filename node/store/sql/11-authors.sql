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
-- author's key, which the row names by number: a canonical header ends with
-- three 32-byte blobs, author, prev and bodyHash (schema/PROTOCOL.md §2.1),
-- and the row keeps the bytes before and after the first. EventLog puts the
-- key back on read.
--
-- The tables are copied, not rebuilt, so no word needs opening. The views
-- go through a copy in the temp database (in memory), as in schema 4; the
-- events, the bulk of a store, are copied into a new table that then takes
-- their name, so a large store is never held in memory whole. Dropping a
-- table drops its triggers: those of schema 10 are made again.

CREATE TABLE authors (
  id  INTEGER PRIMARY KEY,
  key BLOB NOT NULL UNIQUE CHECK (length(key) = 32)
) STRICT;
-- This device first, then the others as they were paired; then any author
-- only the events or views name.
INSERT INTO authors (key)
  SELECT device_key FROM devices ORDER BY role <> 'self', added_ms, device_key;
INSERT OR IGNORE INTO authors (key)
  SELECT author FROM events UNION SELECT author FROM reflections
  UNION SELECT author FROM reflection_versions UNION SELECT author FROM check_ins
  UNION SELECT author FROM check_in_copies UNION SELECT author FROM pauses
  UNION SELECT author FROM boundary_facts UNION SELECT first_proposer FROM boundaries
  UNION SELECT author FROM prompt_facts UNION SELECT author FROM need_replies
  UNION SELECT author FROM practice_facts UNION SELECT author FROM archived;

-- ---- The log.

CREATE TABLE events_11 (
  row_id            INTEGER PRIMARY KEY,
  author            INTEGER NOT NULL,   -- authors.id
  seq               INTEGER NOT NULL CHECK (seq >= 1),
  lamport           INTEGER NOT NULL CHECK (lamport >= 1),
  header            BLOB NOT NULL,      -- without the author's key: see above
  signature         BLOB NOT NULL CHECK (length(signature) = 64),
  body              BLOB,
  signature_checked INTEGER NOT NULL DEFAULT 0 CHECK (signature_checked IN (0, 1)),
  UNIQUE (author, seq)
) STRICT;
INSERT INTO events_11 (row_id, author, seq, lamport, header, signature, body, signature_checked)
  SELECT e.row_id, a.id, e.seq, e.lamport,
         CAST(substr(e.header, 1, length(e.header) - 96) || substr(e.header, length(e.header) - 63)
              AS BLOB),
         e.signature, e.body, e.signature_checked
  FROM events e JOIN authors a ON a.key = e.author ORDER BY e.row_id;
DROP TABLE events;
ALTER TABLE events_11 RENAME TO events;

-- ---- Reflections and check-ins.

CREATE TEMP TABLE old_reflections AS SELECT * FROM reflections;
DROP TABLE reflections;
CREATE TABLE reflections (
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
INSERT INTO reflections
  SELECT a.id, r.reflection_id, r.forgotten, r.shared, r.first_lamport, r.created_ms,
         r.head_lamport, r.updated_ms, r.head_source, r.head_row
  FROM temp.old_reflections r JOIN authors a ON a.key = r.author;
DROP TABLE temp.old_reflections;
CREATE INDEX reflections_by_created ON reflections (forgotten, created_ms);

CREATE TEMP TABLE old_versions AS SELECT * FROM reflection_versions;
DROP TABLE reflection_versions;
CREATE TABLE reflection_versions (
  author        INTEGER NOT NULL,   -- authors.id
  reflection_id BLOB NOT NULL,
  lamport       INTEGER NOT NULL,
  source        INTEGER NOT NULL,
  row           INTEGER NOT NULL,
  wall_ms       INTEGER NOT NULL,
  PRIMARY KEY (reflection_id, author, lamport, source, row)
) STRICT, WITHOUT ROWID;
INSERT INTO reflection_versions
  SELECT a.id, v.reflection_id, v.lamport, v.source, v.row, v.wall_ms
  FROM temp.old_versions v JOIN authors a ON a.key = v.author;
DROP TABLE temp.old_versions;

CREATE TEMP TABLE old_check_ins AS SELECT * FROM check_ins;
DROP TABLE check_ins;
CREATE TABLE check_ins (
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
INSERT INTO check_ins
  SELECT a.id, c.check_in_id, c.forgotten, c.first_lamport, c.created_ms, c.head_lamport,
         c.head_ms, c.head_source, c.head_row
  FROM temp.old_check_ins c JOIN authors a ON a.key = c.author;
DROP TABLE temp.old_check_ins;
CREATE INDEX check_ins_by_created ON check_ins (forgotten, created_ms);

CREATE TEMP TABLE old_copies AS SELECT * FROM check_in_copies;
DROP TABLE check_in_copies;
CREATE TABLE check_in_copies (
  author      INTEGER NOT NULL,   -- authors.id
  check_in_id BLOB NOT NULL,
  source      INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  PRIMARY KEY (check_in_id, author, source, row)
) STRICT, WITHOUT ROWID;
INSERT INTO check_in_copies
  SELECT a.id, c.check_in_id, c.source, c.row
  FROM temp.old_copies c JOIN authors a ON a.key = c.author;
DROP TABLE temp.old_copies;

-- ---- Pauses and boundaries.

CREATE TEMP TABLE old_pauses AS SELECT * FROM pauses;
DROP TABLE pauses;
CREATE TABLE pauses (
  author     INTEGER PRIMARY KEY,   -- authors.id
  lamport    INTEGER NOT NULL,
  paused     INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  minutes    INTEGER NOT NULL,
  row        INTEGER NOT NULL
) STRICT;
INSERT INTO pauses
  SELECT a.id, p.lamport, p.paused, p.started_ms, p.minutes, p.row
  FROM temp.old_pauses p JOIN authors a ON a.key = p.author;
DROP TABLE temp.old_pauses;

CREATE TEMP TABLE old_boundary_facts AS SELECT * FROM boundary_facts;
DROP TABLE boundary_facts;
CREATE TABLE boundary_facts (
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
INSERT INTO boundary_facts
  SELECT f.row, f.boundary_id, f.kind, a.id, f.lamport, f.wall_ms, f.revision, f.response,
         f.boundary_kind, f.ask_again_after
  FROM temp.old_boundary_facts f JOIN authors a ON a.key = f.author;
DROP TABLE temp.old_boundary_facts;
CREATE INDEX boundary_facts_by_boundary ON boundary_facts (boundary_id);

CREATE TEMP TABLE old_boundaries AS SELECT * FROM boundaries;
DROP TABLE boundaries;
CREATE TABLE boundaries (
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
INSERT INTO boundaries
  SELECT b.boundary_id, b.kind, b.status, b.first_row, b.latest_row, b.in_force_row, a.id,
         b.created_ms, b.updated_ms, b.revisions, b.acknowledged
  FROM temp.old_boundaries b JOIN authors a ON a.key = b.first_proposer;
DROP TABLE temp.old_boundaries;
CREATE INDEX boundaries_by_created ON boundaries (created_ms);

-- ---- Prompts, replies, practices and the archive.

CREATE TEMP TABLE old_prompt_facts AS SELECT * FROM prompt_facts;
DROP TABLE prompt_facts;
CREATE TABLE prompt_facts (
  row       INTEGER PRIMARY KEY,
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4)),
  prompt_id TEXT NOT NULL,
  round     BLOB NOT NULL,
  answer_id BLOB NOT NULL,
  author    INTEGER NOT NULL,   -- authors.id
  lamport   INTEGER NOT NULL,
  wall_ms   INTEGER NOT NULL
) STRICT;
INSERT INTO prompt_facts
  SELECT f.row, f.kind, f.prompt_id, f.round, f.answer_id, a.id, f.lamport, f.wall_ms
  FROM temp.old_prompt_facts f JOIN authors a ON a.key = f.author;
DROP TABLE temp.old_prompt_facts;
CREATE INDEX prompt_facts_by_prompt ON prompt_facts (prompt_id, round);
CREATE INDEX prompt_facts_by_answer ON prompt_facts (answer_id);

CREATE TEMP TABLE old_need_replies AS SELECT * FROM need_replies;
DROP TABLE need_replies;
CREATE TABLE need_replies (
  row         INTEGER PRIMARY KEY,
  check_in_id BLOB NOT NULL,
  reply_id    BLOB NOT NULL,
  author      INTEGER NOT NULL,   -- authors.id
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL
) STRICT;
INSERT INTO need_replies
  SELECT r.row, r.check_in_id, r.reply_id, a.id, r.lamport, r.wall_ms
  FROM temp.old_need_replies r JOIN authors a ON a.key = r.author;
DROP TABLE temp.old_need_replies;
CREATE INDEX need_replies_by_check_in ON need_replies (check_in_id);

CREATE TEMP TABLE old_practice_facts AS SELECT * FROM practice_facts;
DROP TABLE practice_facts;
CREATE TABLE practice_facts (
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
INSERT INTO practice_facts
  SELECT f.row, f.kind, f.session_id, f.practice, f.stage, f.capacity, a.id, f.lamport, f.wall_ms
  FROM temp.old_practice_facts f JOIN authors a ON a.key = f.author;
DROP TABLE temp.old_practice_facts;
CREATE INDEX practice_facts_by_session ON practice_facts (session_id);

CREATE TEMP TABLE old_archived AS SELECT * FROM archived;
DROP TABLE archived;
CREATE TABLE archived (
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1)),
  author    INTEGER NOT NULL,   -- authors.id
  entity_id BLOB NOT NULL,
  at_ms     INTEGER NOT NULL,
  PRIMARY KEY (entity_id, author, kind)
) STRICT, WITHOUT ROWID;
INSERT INTO archived
  SELECT x.kind, a.id, x.entity_id, x.at_ms
  FROM temp.old_archived x JOIN authors a ON a.key = x.author;
DROP TABLE temp.old_archived;

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
