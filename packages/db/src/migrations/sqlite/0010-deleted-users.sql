-- Deleted users: the page lists the recycle bin and the worker finds the users whose days there ran
-- out, both without reading the whole directory.
CREATE INDEX directory_users_deleted ON directory_users(deleted_at, id) WHERE deleted_at IS NOT NULL;
