-- $search on users (text anywhere in the display name, user principal name, mail, employee id, given
-- name, surname or mail nickname): a trigram index finds the few users a rare text matches without
-- reading the directory. It holds no copy of the text (external content) and follows directory_users
-- by rowid through these triggers; after a VACUUM, rebuild it:
--   INSERT INTO directory_users_search(directory_users_search) VALUES ('rebuild');
CREATE VIRTUAL TABLE directory_users_search USING fts5(
  display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname,
  content = 'directory_users', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO directory_users_search(directory_users_search) VALUES ('rebuild');
CREATE TRIGGER directory_users_search_insert AFTER INSERT ON directory_users BEGIN
  INSERT INTO directory_users_search (rowid, display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname)
  VALUES (NEW.rowid, NEW.display_name, NEW.user_principal_name, NEW.mail, NEW.employee_id, NEW.given_name, NEW.surname, NEW.mail_nickname);
END;
CREATE TRIGGER directory_users_search_delete AFTER DELETE ON directory_users BEGIN
  INSERT INTO directory_users_search (directory_users_search, rowid, display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname)
  VALUES ('delete', OLD.rowid, OLD.display_name, OLD.user_principal_name, OLD.mail, OLD.employee_id, OLD.given_name, OLD.surname, OLD.mail_nickname);
END;
CREATE TRIGGER directory_users_search_update
AFTER UPDATE OF display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname ON directory_users BEGIN
  INSERT INTO directory_users_search (directory_users_search, rowid, display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname)
  VALUES ('delete', OLD.rowid, OLD.display_name, OLD.user_principal_name, OLD.mail, OLD.employee_id, OLD.given_name, OLD.surname, OLD.mail_nickname);
  INSERT INTO directory_users_search (rowid, display_name, user_principal_name, mail, employee_id, given_name, surname, mail_nickname)
  VALUES (NEW.rowid, NEW.display_name, NEW.user_principal_name, NEW.mail, NEW.employee_id, NEW.given_name, NEW.surname, NEW.mail_nickname);
END;
