-- The target ids of linked objects read from an index alone: a memberships phase looks up every member of
-- the groups it visits (`listLinkedTargetIds`, 200,000 lookups for 2,000 groups of 100), and each lookup
-- went from the key to the table's row, whose last exported values fill most of a page. In a loop of
-- 200,000 lookups among 100,000 records: 10.2 µs each by the key, 3.1 µs from this index; writing a
-- record (pending, then linked) costs about 2.6 µs more with it. PostgreSQL has no such index: its
-- index-only reads need pages the vacuum has marked, which a cycle's fresh records are not.
CREATE INDEX connector_objects_linked ON connector_objects(job_id, source_id, state, target_id);
