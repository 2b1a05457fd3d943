DELETE FROM scopes;
DELETE FROM municipalities;
