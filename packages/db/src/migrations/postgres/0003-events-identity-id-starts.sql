-- The Identity search matches names anywhere and ids from their start (dialect.ts, identitySearch).
-- The trigram index of 0002 held whole ids, whose random characters made most of its entries and
-- most of what an event's write cost in indexes; this one holds the names and each id's first eight
-- characters, enough to find the rows that a search for an id, or its beginning, must then test.
DROP INDEX provisioning_events_identity;
CREATE INDEX provisioning_events_identity ON provisioning_events USING gin (
  (source_display_name || chr(31) || target_display_name || chr(31) || left(source_id, 8) || chr(31) || left(target_id, 8)) gin_trgm_ops
);
