-- Hearth store, schema 7: practices done together (docs/DESIGN.md §5.7).

-- Facts stated about practice sessions (always shared events).
-- kind: 0 invite, 1 join, 2 check, 3 stop, 4 stage (an agreement to go on
-- to `stage` of `practice`; session_id x'' for it).
CREATE TABLE practice_facts (
  row        INTEGER PRIMARY KEY,   -- events.row_id of the statement
  kind       INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4)),
  session_id BLOB NOT NULL,
  practice   TEXT NOT NULL,         -- invite, stage; '' otherwise
  stage      INTEGER NOT NULL,      -- invite, stage; 0 otherwise
  capacity   INTEGER NOT NULL,      -- check: 0 green, 1 yellow, 2 red; 0 otherwise
  author     BLOB NOT NULL,
  lamport    INTEGER NOT NULL,
  wall_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX practice_facts_by_session ON practice_facts (session_id);
