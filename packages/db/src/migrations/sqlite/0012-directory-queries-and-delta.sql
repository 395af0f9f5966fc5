-- Graph list parameters on /users: $filter eq on these properties (and startswith on their prefix)
-- reads one index in display name order, so a filtered page is a keyset range, not a scan.
CREATE INDEX directory_users_department ON directory_users(department COLLATE NOCASE, display_name COLLATE NOCASE, id);
CREATE INDEX directory_users_mail ON directory_users(mail COLLATE NOCASE);
CREATE INDEX directory_users_employee_id ON directory_users(employee_id COLLATE NOCASE);
CREATE INDEX directory_users_surname ON directory_users(surname COLLATE NOCASE);
CREATE INDEX directory_users_given_name ON directory_users(given_name COLLATE NOCASE);
CREATE INDEX directory_users_job_title ON directory_users(job_title COLLATE NOCASE);
CREATE INDEX directory_groups_mail_nickname ON directory_groups(mail_nickname COLLATE NOCASE);

-- Delta query: a page of changes reports each object at its last change in the round, which needs
-- the later changes of one object without reading the whole change log.
CREATE INDEX directory_changes_object ON directory_changes(object_type, object_id, seq);

-- Delta query on groups (members@delta): which users joined or left a group, and after which
-- directory change. A membership's own change rows are numbered after `after_seq` in the same
-- transaction, so "after_seq >= since AND after_seq < upTo" is exactly the round's window.
CREATE TABLE group_member_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  after_seq INTEGER NOT NULL
);
CREATE INDEX group_member_changes_group ON group_member_changes(group_id, after_seq);
CREATE TRIGGER group_members_added AFTER INSERT ON group_members BEGIN
  INSERT INTO group_member_changes (group_id, user_id, after_seq)
  VALUES (NEW.group_id, NEW.user_id, (SELECT COALESCE(MAX(seq), 0) FROM directory_changes));
END;
CREATE TRIGGER group_members_removed AFTER DELETE ON group_members BEGIN
  INSERT INTO group_member_changes (group_id, user_id, after_seq)
  VALUES (OLD.group_id, OLD.user_id, (SELECT COALESCE(MAX(seq), 0) FROM directory_changes));
END;
