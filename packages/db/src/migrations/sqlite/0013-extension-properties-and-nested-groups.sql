-- Directory extension attributes (Graph's extensionProperty): an administrator defines them, users
-- carry their values in directory_users.extension_attributes under the full name
-- extension_<appId>_<name>, where <appId> is the directory's one extension application.
CREATE TABLE directory_extension_app (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  app_id TEXT NOT NULL
);
INSERT INTO directory_extension_app (id, app_id) VALUES (1, lower(hex(randomblob(16))));

CREATE TABLE directory_extension_properties (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  data_type TEXT NOT NULL CHECK (data_type IN ('String', 'Integer', 'Boolean', 'DateTime')),
  is_multi_valued INTEGER NOT NULL DEFAULT 0,
  target_objects TEXT NOT NULL DEFAULT '["User"]',
  created_at TEXT NOT NULL
);

-- Groups as members of groups (nested groups). Kept in the directory, never expanded: an assignment
-- covers a group's direct user members only (group_members), as in Entra.
CREATE TABLE group_member_groups (
  group_id TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
  member_group_id TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (group_id, member_group_id),
  CHECK (group_id <> member_group_id)
);
CREATE INDEX group_member_groups_member ON group_member_groups(member_group_id);
