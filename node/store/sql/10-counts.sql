-- Hearth store, schema 9: how many reflections, boundaries and check-ins
-- the views hold, kept as they change, so that `hearth status` (the
-- readiness probe) reads three numbers instead of counting every row.
-- Forgotten entries are not counted; entries held back during this
-- device's own pause are (store::Reader::counts subtracts those).
-- The views are written with INSERT … ON CONFLICT DO UPDATE (never
-- INSERT OR REPLACE, whose deletes fire no trigger), so these triggers see
-- every change, a rebuild's DELETEs included.
CREATE TABLE view_counts (
  kind INTEGER PRIMARY KEY CHECK (kind IN (0, 1, 2)),  -- 0 reflections, 1 boundaries, 2 check-ins
  n    INTEGER NOT NULL
) STRICT;
INSERT INTO view_counts (kind, n) VALUES
  (0, (SELECT count(*) FROM reflections WHERE forgotten = 0)),
  (1, (SELECT count(*) FROM boundaries)),
  (2, (SELECT count(*) FROM check_ins WHERE forgotten = 0));

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
