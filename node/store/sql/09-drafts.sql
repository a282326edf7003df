-- Hearth store, schema 9: drafts kept for `hearth ui` (docs/DESIGN.md §10).
-- A local fact: never an event, never sent, kept through a rebuild.
-- body = XChaCha20-Poly1305 under the local key of the words written so far,
-- AD = "hearth/draft/v1" || name. Deleting a row lets secure_delete zero it.
CREATE TABLE drafts (
  name       TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 32),
  updated_ms INTEGER NOT NULL,
  body       BLOB NOT NULL
) STRICT;
