-- Hearth store, schema 3: no index on events.lamport.
--
-- Lamport clocks strictly increase along each author's log (checked on
-- receipt), so the greatest lamport of all events is the greatest of the
-- authors' head events, found through the (author, seq) index. One index
-- less to update makes catching up on many events faster.
DROP INDEX events_by_lamport;
