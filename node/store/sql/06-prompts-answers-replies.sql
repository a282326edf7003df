-- Hearth store, schema 6: prompts answered blind, replies to a check-in's
-- need, and what a reader archived (docs/DESIGN.md §5.6, §5.2, §5.1).

-- Facts stated about prompts (always shared events). Their words (a sealed
-- answer, a key, an asked question) stay in the event bodies.
-- kind: 0 ask, 1 answer, 2 reveal, 3 pass, 4 a yes / no / maybe round.
CREATE TABLE prompt_facts (
  row       INTEGER PRIMARY KEY,  -- events.row_id of the statement
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3, 4)),
  prompt_id TEXT NOT NULL,        -- ask, answer, pass; '' otherwise
  round     BLOB NOT NULL,        -- answer, pass: the round, x'' for none; round: its ID
  answer_id BLOB NOT NULL,        -- answer, reveal; x'' otherwise
  author    BLOB NOT NULL,
  lamport   INTEGER NOT NULL,
  wall_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX prompt_facts_by_prompt ON prompt_facts (prompt_id, round);
CREATE INDEX prompt_facts_by_answer ON prompt_facts (answer_id);

-- This device's own answers' keys: private entries (never sent) by answer.
CREATE TABLE answer_keys (
  answer_id BLOB PRIMARY KEY,
  row       INTEGER NOT NULL      -- private_entries.row_id
) STRICT, WITHOUT ROWID;

-- Replies to a check-in's need (shared events), by the check-in.
CREATE TABLE need_replies (
  row         INTEGER PRIMARY KEY, -- events.row_id
  check_in_id BLOB NOT NULL,
  reply_id    BLOB NOT NULL,
  author      BLOB NOT NULL,
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL
) STRICT;
CREATE INDEX need_replies_by_check_in ON need_replies (check_in_id);

-- ---- Local facts: never sent, kept through a rebuild of the views.

-- Entries the reader archived: hidden from lists, never forgotten, never
-- told to their author. kind: 0 reflection, 1 check-in.
CREATE TABLE archived (
  kind      INTEGER NOT NULL CHECK (kind IN (0, 1)),
  author    BLOB NOT NULL,
  entity_id BLOB NOT NULL,
  at_ms     INTEGER NOT NULL,
  PRIMARY KEY (entity_id, author, kind)
) STRICT, WITHOUT ROWID;
