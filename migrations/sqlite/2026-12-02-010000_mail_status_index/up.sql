-- The operators' mail page: undeliverable messages newest first, and a capped count per
-- status, both read from this index alone.
CREATE INDEX mail_messages_status_created ON mail_messages (status, created_at, id);
