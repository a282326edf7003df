-- Hearth store, schema 4: reflection and check-in views keyed by what they
-- are looked up by, without a separate rowid B-tree.
--
-- Each received reflection used to touch eight B-trees (the event, its
-- (author, seq) index, a reflection row, its key and its list index, a
-- version row, its key and its history index). Keyed WITHOUT ROWID tables
-- drop three of them. Keys lead with the reflection ID, not the author
-- (the same 32 bytes in every row of a partner), so comparisons end early.
-- reflection_versions is keyed by the reflection and its history order;
-- (source, row) stays unique because one entry row is one version of one
-- reflection.
--
-- Each table is rebuilt through a copy in the temp database (in memory:
-- Db::open sets temp_store), not renamed: a rename re-checks the whole
-- schema, which made opening a fresh store much slower.

CREATE TEMP TABLE old_reflections AS SELECT * FROM reflections;
DROP TABLE reflections;
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
  PRIMARY KEY (reflection_id, author)
) STRICT, WITHOUT ROWID;
INSERT INTO reflections
  SELECT author, reflection_id, forgotten, shared, first_lamport, created_ms, head_lamport,
         updated_ms, head_source, head_row FROM temp.old_reflections;
DROP TABLE temp.old_reflections;
CREATE INDEX reflections_by_created ON reflections (forgotten, created_ms);

CREATE TEMP TABLE old_versions AS SELECT * FROM reflection_versions;
DROP TABLE reflection_versions;
CREATE TABLE reflection_versions (
  author        BLOB NOT NULL,
  reflection_id BLOB NOT NULL,
  lamport       INTEGER NOT NULL,
  source        INTEGER NOT NULL,
  row           INTEGER NOT NULL,
  wall_ms       INTEGER NOT NULL,
  PRIMARY KEY (reflection_id, author, lamport, source, row)
) STRICT, WITHOUT ROWID;
INSERT INTO reflection_versions
  SELECT author, reflection_id, lamport, source, row, wall_ms FROM temp.old_versions;
DROP TABLE temp.old_versions;

CREATE TEMP TABLE old_check_ins AS SELECT * FROM check_ins;
DROP TABLE check_ins;
CREATE TABLE check_ins (
  author      BLOB NOT NULL,
  check_in_id BLOB NOT NULL,
  lamport     INTEGER NOT NULL,
  wall_ms     INTEGER NOT NULL,
  source      INTEGER NOT NULL,
  row         INTEGER NOT NULL,
  PRIMARY KEY (check_in_id, author)
) STRICT, WITHOUT ROWID;
INSERT INTO check_ins
  SELECT author, check_in_id, lamport, wall_ms, source, row FROM temp.old_check_ins;
DROP TABLE temp.old_check_ins;
CREATE INDEX check_ins_by_time ON check_ins (wall_ms);
