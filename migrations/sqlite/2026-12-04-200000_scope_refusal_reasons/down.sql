ALTER TABLE request_scopes DROP COLUMN refusal_reason;
