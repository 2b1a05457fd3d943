-- A retired scope is no longer offered or accepted when filing; requests and agreements
-- that name it keep it. NULL: in the catalogue's offer.
ALTER TABLE scopes ADD COLUMN retired_at TIMESTAMP;
