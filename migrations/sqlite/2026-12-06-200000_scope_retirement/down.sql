ALTER TABLE scopes DROP COLUMN retired_at;
