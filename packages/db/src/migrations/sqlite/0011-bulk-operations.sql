-- Bulk operations on directory users (Bulk create, Bulk update, Bulk delete from a CSV file): the
-- API validates every row, then applies the valid ones in batches, counting as it goes so the
-- portal can show progress. The rejected rows stay listed with their line, column and reason.
CREATE TABLE bulk_operations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('create', 'update', 'delete')),
  status TEXT NOT NULL
    CHECK (status IN ('notStarted', 'validating', 'running', 'succeeded', 'completedWithErrors', 'failed')),
  file_name TEXT NOT NULL,
  requested_by_json TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  validated INTEGER NOT NULL DEFAULT 0,
  processed INTEGER NOT NULL DEFAULT 0,
  succeeded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  completed_at TEXT
);
-- The list of past bulk operations, newest first.
CREATE INDEX bulk_operations_created ON bulk_operations(created_at, id);

-- One row per problem of a rejected row, in the order found (line order).
CREATE TABLE bulk_operation_results (
  operation_id TEXT NOT NULL REFERENCES bulk_operations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  column_name TEXT,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  row_key TEXT,
  PRIMARY KEY (operation_id, seq)
) WITHOUT ROWID;
