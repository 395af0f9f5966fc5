-- The Identity search of the provisioning logs (contains, in any case, on the source and target
-- names and ids) on a trigram index: without one, each search tests every event of its time window,
-- a quarter of a million rows in a busy week. The expression is the one the query tests (dialect.ts,
-- containsAny): the four columns joined by a unit separator, which no search text holds.
CREATE INDEX provisioning_events_identity ON provisioning_events USING gin (
  (source_display_name || chr(31) || target_display_name || chr(31) || source_id || chr(31) || target_id) gin_trgm_ops
);
